"""Everything Placette holds about a person, for "Mes données" (RGPD, right of access).

Each app that keeps personal data adds a section with `register_section`, and, where the person may erase part of
it themselves, a link to that with `register_erasure`; apps above accounts (agenda, echanges, suivi) register
theirs in their AppConfig.ready, so this module never imports them.
Rows hold dates and datetimes as they are: the page writes them in words, the file in ISO 8601
at the local offset (`as_json`).
"""

import datetime as dt

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ActingLog, Consent
from accounts.retention import delete_in_batches, register_rule
from notifications import kinds
from notifications.models import Delivery, Notification, Preference

_sections = []
_erasures = []


def register_section(function):
    """`function(user)` returns (title, rows) where rows is a list of {label: value} dicts."""
    _sections.append(function)
    return function


def collect(user):
    """[(title, rows)] for every section, in registration order."""
    return [section(user) for section in _sections]


def register_erasure(function):
    """`function(user)` returns [(label, url)]: pages where the person erases part of what the sections show."""
    _erasures.append(function)
    return function


def erasures(user):
    """[(label, url)] from every app, in registration order."""
    return [link for erasure in _erasures for link in erasure(user)]


def as_json(value):
    """`json.dumps`' default: ISO 8601, moments at the offset of the person's clock (Europe/Paris), not UTC."""
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@register_section
def profile(user):
    return _("Mon compte"), [
        {
            _("Nom affiché"): user.display_name,
            _("Adresse e-mail"): user.email,
            _("Téléphone"): user.phone.as_national if user.phone else "",
            _("Téléphone vérifié"): _("oui") if user.phone_verified else _("non"),
            _("Notifications reçues"): user.get_notify_by_display(),
            _("Compte accompagné"): _("oui") if user.accompanied else _("non"),
            _("Compte créé le"): user.date_joined,
            _("Dernière connexion"): user.last_login,
            _("Dernière venue"): user.last_seen,
            _("Mot de passe"): _("oui") if user.has_usable_password() else _("non"),
        }
    ]


@register_section
def email_addresses(user):
    return _("Adresses e-mail"), [
        {_("Adresse"): address.email, _("Vérifiée"): _("oui") if address.verified else _("non")}
        for address in EmailAddress.objects.filter(user=user).order_by("pk")
    ]


@register_section
def memberships(user):
    return _("Mes centres"), [
        {_("Centre"): m.centre.title, _("Rôle"): m.get_role_display(), _("Depuis le"): m.joined_at}
        for m in user.memberships.select_related("centre").order_by("joined_at")
    ]


@register_section
def consents(user):
    return _("Mes accords pour être aidé"), [
        {
            _("Centre"): c.centre.title,
            _("Donné le"): c.given_on,
            _("Enregistré par"): str(c.recorded_by) if c.recorded_by else _("moi-même"),
            _("Ce qui a été expliqué"): c.explained,
            _("Formulaire papier"): _("oui") if c.paper_form_kept else _("non"),
            _("Retiré le"): c.withdrawn_at,
        }
        for c in Consent.objects.filter(resident=user).select_related("centre", "recorded_by")
    ]


@register_section
def acting_logs(user):
    return _("Ce que les médiateurs ont fait pour moi"), [
        {
            _("Le"): log.created_at,
            _("Médiateur"): str(log.mediator) if log.mediator else str(_("Ancien membre")),
            _("Action"): log.action,
            _("Réussi"): _("oui") if log.succeeded else _("non"),
        }
        for log in ActingLog.objects.filter(resident=user).select_related("mediator")
    ]


@register_section
def second_factors(user):
    # Only the kind and the date: secrets are never shown again, not even to their owner.
    return _("Double vérification"), [
        {_("Type"): a.get_type_display(), _("Créée le"): a.created_at}
        for a in Authenticator.objects.filter(user=user).order_by("pk")
    ]


@register_section
def notifications(user):
    return _("Mes notifications"), [
        {_("Le"): n.created_at, _("Texte"): n.text, _("Lue le"): n.read_at}
        for n in Notification.objects.filter(recipient=user)
    ]


@register_section
def notification_preferences(user):
    return _("Comment recevoir mes notifications, chose par chose"), [
        {
            _("Quand"): str(kinds.KINDS[p.kind].label) if p.kind in kinds.KINDS else p.kind,
            _("Comment"): p.get_channel_display(),
        }
        for p in Preference.objects.filter(user=user).order_by("kind")
    ]


@register_rule(
    "acting_logs",
    what=gettext_lazy("Ce qu'un médiateur a fait pour un habitant"),
    when=gettext_lazy("effacé {period} après"),
)
def forget_acting_logs(cutoff, dry_run):
    return delete_in_batches(ActingLog.objects.filter(created_at__lt=cutoff), dry_run)


@register_rule(
    "notifications", what=gettext_lazy("Les notifications, lues ou non"), when=gettext_lazy("effacées {period} après")
)
def forget_notifications(cutoff, dry_run):
    # An e-mail or SMS still waiting to go keeps its notification until it is sent or given up.
    waiting = Delivery.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])
    old = Notification.objects.filter(created_at__lt=cutoff).exclude(pk__in=waiting.values("notification_id"))
    return delete_in_batches(old, dry_run)
