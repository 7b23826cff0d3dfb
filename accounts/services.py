"""Every write about people: joining centres, consents, acting for someone, erasure. Checks first, one transaction."""

import logging
from functools import partial

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from accounts import notices
from accounts.models import FORMER_MEMBER, ActingLog, Consent, User, random_username
from core.errors import NotAllowed
from notifications.models import Notification, Preference
from notifications.services import end_live_sessions, notify
from quartier.models import CentrePage, Membership

logger = logging.getLogger(__name__)

# Sent inside the erasure's transaction so that apps above accounts erase or detach what they hold.
account_erased = Signal()


def join_centre(user, centre, *, role=Membership.Role.RESIDENT, by=None):
    """Make `user` a member of `centre` and welcome them; joining again changes nothing.

    `by` is the mediator who did it for them, named as the welcome's author. Returns (membership, created).
    """
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, centre=centre, defaults={"role": role})
        if created:
            notify(
                user,
                notices.WELCOME.key,
                notices.welcome_text(centre),
                url=centre.url or "",
                actor=by,
                centre=centre,
            )
    return membership, created


def leave_centre(user, centre):
    """Leave a centre; consents given to its mediators end with it."""
    with transaction.atomic():
        Membership.objects.filter(user=user, centre=centre).delete()
        Consent.objects.active().filter(resident=user, centre=centre).update(withdrawn_at=timezone.now())


def residents_helped_by(mediator):
    """Residents of the mediator's centres who currently allow its mediators to act for them."""
    return (
        User.objects.filter(
            consents__withdrawn_at__isnull=True,
            consents__centre__memberships__user=mediator,
            consents__centre__memberships__role=Membership.Role.MEDIATOR,
            erased_at__isnull=True,
            is_active=True,
        )
        .exclude(pk=mediator.pk)
        .distinct()
        .order_by("display_name", "pk")
    )


def can_act_for(mediator, resident):
    """A mediator may act for a resident of one of their own centres who consented, never for staff."""
    if not mediator.is_authenticated or mediator.pk == resident.pk:
        return False
    if resident.erased_at or not resident.is_active or resident.is_staff_member:
        return False
    return (
        Consent.objects.active()
        .filter(
            resident=resident,
            centre__memberships__user=resident,
            centre__in=CentrePage.objects.mediated_by(mediator),
        )
        .exists()
    )


def check_may_act_for(by, person, *, refusal=None):
    """Services that write for a person take the mediator acting for them as `by`: allowed only with their consent.

    Nobody needs one to act for themselves (`by` None or the person). `refusal` names the act when the
    general sentence would be vague ("Vous ne pouvez pas inscrire cette personne…").
    """
    if by is not None and by.pk != person.pk and not can_act_for(by, person):
        raise NotAllowed(refusal or _("Vous ne pouvez pas agir pour cette personne : elle n'a pas donné son accord."))


def _active_consent(resident, centre):
    return Consent.objects.active().filter(resident=resident, centre=centre).first()


def give_consent(resident, centre, *, explained, recorded_by=None, given_on=None, paper_form_kept=False):
    """Allow the mediators of `centre` to act for `resident`, who must belong to it; given already, the active one."""
    with transaction.atomic():
        # Given online and at the desk at the same moment: both queue on the membership's row, the second
        # then finds the first one's accord.
        if Membership.objects.select_for_update().filter(user=resident, centre=centre).first() is None:
            raise NotAllowed(_("Il faut être membre du centre pour lui donner cet accord."))
        consent = _active_consent(resident, centre)
        if consent:
            return consent
        try:
            with transaction.atomic():
                return Consent.objects.create(
                    resident=resident,
                    centre=centre,
                    recorded_by=recorded_by,
                    explained=explained,
                    given_on=given_on or timezone.localdate(),
                    paper_form_kept=paper_form_kept,
                )
        except IntegrityError:
            # `consent_one_active`: another request recorded it first; theirs is the accord.
            return Consent.objects.active().get(resident=resident, centre=centre)


def withdraw_consent(resident, consent_id):
    """The resident takes back an accord; any mediator acting under it stops at their next request."""
    updated = Consent.objects.active().filter(resident=resident, pk=consent_id).update(withdrawn_at=timezone.now())
    if not updated:
        raise NotAllowed(_("Cet accord n'existe pas ou a déjà été retiré."))


def create_accompanied_account(mediator, *, display_name, centre, explained, given_on, paper_form_kept):
    """A mediator opens an account at the centre for someone with no e-mail and no phone."""
    if not CentrePage.objects.mediated_by(mediator).filter(pk=centre.pk).exists():
        raise NotAllowed(_("Vous n'êtes pas médiateur de ce centre."))
    with transaction.atomic():
        resident = User(username=random_username(), display_name=display_name, accompanied=True)
        resident.set_unusable_password()
        resident.save()
        join_centre(resident, centre, by=mediator)
        give_consent(
            resident,
            centre,
            explained=explained,
            recorded_by=mediator,
            given_on=given_on,
            paper_form_kept=paper_form_kept,
        )
    return resident


def take_over_account(mediator, resident, *, email="", phone=""):
    """Give an accompanied account an e-mail or a phone, so its owner can sign in with a code."""
    if not can_act_for(mediator, resident):
        raise NotAllowed(_("Vous ne pouvez pas modifier ce compte."))
    with transaction.atomic():
        # Still accompanied once locked: a second click waits for the first, then finds the account handed over.
        if not User.objects.select_for_update().filter(pk=resident.pk, accompanied=True).exists():
            raise NotAllowed(_("Vous ne pouvez pas modifier ce compte."))
        if email:
            resident.email = email
            EmailAddress.objects.filter(user=resident).delete()
            EmailAddress.objects.create(user=resident, email=email, primary=True, verified=False)
        if phone:
            resident.phone = phone
            resident.phone_verified = False
        resident.accompanied = False
        resident.save()


def record_acting(mediator, resident, *, action, path, succeeded):
    """Log what a mediator did for a resident, and tell the resident when it was done."""
    with transaction.atomic():
        ActingLog.objects.create(
            mediator=mediator, resident=resident, action=action[:300], path=path[:500], succeeded=succeeded
        )
        if succeeded:
            notify(
                resident,
                notices.ACTED_FOR.key,
                _("%(mediator)s a agi pour vous : %(action)s") % {"mediator": mediator, "action": action},
                url=reverse("accounts:my_account") + "#qui-m-aide",
                actor=mediator,
            )


def _delete_sessions(user):
    """Sign the person out on every device: allauth keeps the e-mail they signed in with in the session."""
    # Sessions are not indexed by user; erasure is rare enough to read them all.
    keys = [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=keys).delete()


def erase_account(user):
    """Erase a person's data; the row stays, nameless, where others' history points to it ("Ancien membre")."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        account_erased.send(sender=User, user=user)
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Membership.objects.filter(user=user).delete()
        Consent.objects.filter(resident=user).delete()
        ActingLog.objects.filter(resident=user).delete()
        # Notifications about what this person did name them in others' inboxes too.
        Notification.objects.filter(Q(recipient=user) | Q(actor=user)).delete()
        Preference.objects.filter(user=user).delete()
        UserProfile.objects.filter(user=user).delete()
        _delete_sessions(user)
        # The admin's history of edits to this account keeps the event, not the name it had.
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
        ).update(label=str(FORMER_MEMBER), data={})
        user.groups.clear()
        user.user_permissions.clear()
        user.username = f"ancien-membre-{user.pk}"
        user.first_name = user.last_name = user.email = user.display_name = ""
        user.phone = None
        user.phone_verified = False
        user.notify_by = User.Channel.SITE
        user.accompanied = False
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.last_login = None
        user.last_seen = None
        user.inactivity_notice_sent_at = None
        user.erased_at = timezone.now()
        user.save()
        # Its sessions are gone; its open sockets go too, once that is committed.
        transaction.on_commit(partial(end_live_sessions, user.pk), robust=True)
    logger.info("Account %s erased", user.pk)
    return user
