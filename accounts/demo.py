"""Demo people for a local run: residents, a digital relay and a mediator per centre, one accompanied resident, and
a young contributor (a minor, followed by the first centre's mediator)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from accounts import notices
from accounts.models import User
from accounts.services import create_accompanied_account, give_consent
from notifications.models import Notification
from quartier.models import Membership

RESIDENTS = ["Josiane", "Karim", "Aïcha", "Bernard", "Lucie", "Mamadou", "Odette", "Yanis", "Fatou", "Gérard"]


def _person(username, display_name, *, email="", phone=None):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"display_name": display_name, "email": email, "phone": phone, "phone_verified": bool(phone)},
    )
    if created:
        user.set_unusable_password()
        user.notify_by = User.Channel.EMAIL if email else User.Channel.SMS if phone else User.Channel.SITE
        user.save()
        if email:
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def _member(user, centre, role=Membership.Role.RESIDENT):
    # Demo people were members already: loading them is no event worth a welcome e-mail or SMS,
    # which `make run`'s worker would otherwise print over the sign-in instructions.
    Membership.objects.get_or_create(user=user, centre=centre, defaults={"role": role})


def _welcome(user, centre):
    """A notification waiting in the demo resident's inbox, on the site only."""
    Notification.objects.get_or_create(
        recipient=user,
        kind=notices.WELCOME.key,
        centre=centre,
        url=centre.url or "",
        defaults={"text": notices.welcome_text(centre)},
    )


def create_people(centres):
    """Idempotent; returns the mediators, by centre, for the summary `manage.py demo` prints."""
    mediators = []
    for index, centre in enumerate(centres):
        slug = centre.slug.removeprefix("centre-social-").removeprefix("maison-des-habitants-")
        mediator = _person(
            f"mediateur.{slug}", f"Médiatrice {centre.title.split()[-1]}", email=f"mediateur.{slug}@placette.example"
        )
        _member(mediator, centre, Membership.Role.MEDIATOR)
        relay = _person(
            f"relais.{slug}", RESIDENTS[(2 * index) % len(RESIDENTS)], email=f"relais.{slug}@placette.example"
        )
        _member(relay, centre, Membership.Role.RELAY)
        resident = _person(
            f"habitant.{slug}", RESIDENTS[(2 * index + 1) % len(RESIDENTS)], phone=f"+3361234{index:04d}"
        )
        _member(resident, centre)
        _welcome(resident, centre)
        give_consent(resident, centre, explained="Accord donné en ligne pour la démonstration.")
        mediators.append(mediator)
    first = centres[0]
    young = _person("jeune.contributeur", "Inès", email="jeune.contributeur@placette.example")
    Membership.objects.get_or_create(
        user=young,
        centre=first,
        defaults={"role": Membership.Role.CONTRIBUTOR, "is_minor": True, "referent": mediators[0]},
    )
    if not User.objects.filter(accompanied=True, memberships__centre=first).exists():
        create_accompanied_account(
            mediators[0],
            display_name="Marcelle",
            centre=first,
            explained="Expliqué à l'accueil : ce que Placette garde, ce que le médiateur fera, comment arrêter.",
            given_on=timezone.localdate(),
            paper_form_kept=True,
        )
    return mediators


def give_second_factor(user):
    """Staff need TOTP for the admin, mediators for the team pages; `make run` accepts the demo bypass code."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
