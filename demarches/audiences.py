"""Who an SMS campaign can reach: a registry of audiences, filled here and by the apps above (the agenda).

`demarches` may not import the agenda, yet a centre texts the people registered to its activities. So each app
registers its sources of recipients when it starts (`agenda/apps.py` → `agenda/campaign_audiences.py`), as it
does for the help sessions of `demarches.help`. A source has a key, a label, the choices it offers one centre
(its procedures, its activities, its dates; none for "the centre's members") and the recipients of one choice.

Every choice is looked up among those the source offers to the centre, so another centre's procedure or date is
refused as unknown. Recipients are deduplicated by number, and numbers that said STOP are left out and counted.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.errors import PlacetteError
from demarches.models import Contact, Procedure
from notifications import sms_numbers


class UnknownAudience(PlacetteError):
    """The audience or its choice is not one this centre offers (another centre's procedure, a past date)."""


@dataclass(frozen=True)
class Choice:
    """One thing an audience is about: a procedure, an activity, a date; `url` is its page, for the SMS's link."""

    value: str
    label: str
    url: str = ""


@dataclass(frozen=True)
class Recipient:
    """One person a campaign texts: their name for the team, their number (E.164), their account or contact."""

    name: str
    phone: str
    user_id: int | None = None
    contact_id: int | None = None


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    # `recipients(centre, choice)` → iterable of Recipient; `choice` is None for a source without choices.
    recipients: object
    # `choices(centre)` → list of Choice, or None for a source that is the whole centre's.
    choices: object = None
    # What the choice is called in the form: "Quelle démarche ?".
    choice_label: str = ""


@dataclass
class Audience:
    """The recipients of a campaign as it would leave now: one per number, STOP numbers left out and counted."""

    source: Source
    choice: Choice | None
    recipients: list[Recipient] = field(default_factory=list)
    stopped: int = 0

    @property
    def label(self):
        return f"{self.source.label} : {self.choice.label}" if self.choice else str(self.source.label)


_sources = {}


def register_audience(key, label, *, choices=None, choice_label=""):
    """Register `recipients(centre, choice)` as the audience `key`; `choices(centre)` lists what it is about."""

    def register(recipients):
        _sources[key] = Source(key, label, recipients, choices, choice_label)
        return recipients

    return register


def sources():
    return list(_sources.values())


def source(key):
    try:
        return _sources[key]
    except KeyError:
        raise UnknownAudience(_("Choisissez qui recevra le SMS.")) from None


def options(centre):
    """[(source, [choices] or None)] for the centre's form: a source with no choice to offer is left out."""
    offered = []
    for each in sources():
        choices = each.choices(centre) if each.choices else None
        if choices is None or choices:
            offered.append((each, choices))
    return offered


def choice_of(centre, key, value):
    """The source and the choice `value` names among those offered to `centre`; anything else is refused."""
    each = source(key)
    if each.choices is None:
        return each, None
    for choice in each.choices(centre):
        if choice.value == str(value):
            return each, choice
    raise UnknownAudience(_("Ce choix n'existe pas dans votre centre."))


def audience(centre, key, value):
    """The campaign's recipients today: deduplicated by number (first name kept), STOP numbers left out."""
    each, choice = choice_of(centre, key, value)
    by_phone = {}
    for recipient in each.recipients(centre, choice):
        if recipient.phone:
            by_phone.setdefault(recipient.phone, recipient)
    stopped = sms_numbers.stopped_among(by_phone)
    kept = sorted((r for phone, r in by_phone.items() if phone not in stopped), key=lambda r: r.phone)
    return Audience(each, choice, kept, stopped=len(stopped))


# The audiences of `demarches` itself. Accounts count only with a verified mobile: a number typed once and never
# confirmed may be someone else's, and a campaign must not text a stranger.


def _reachable_users(users):
    return users.filter(phone__isnull=False, phone_verified=True, is_active=True, erased_at__isnull=True)


def _user_recipients(users):
    return [
        Recipient(name=str(user), phone=user.phone.as_e164, user_id=user.pk)
        for user in _reachable_users(users).only(
            "pk", "phone", "display_name", "first_name", "last_name", "username", "erased_at", "is_minor"
        )
    ]


def _contact_recipients(contacts):
    return [
        Recipient(name=contact.name, phone=contact.phone, contact_id=contact.pk)
        for contact in contacts.only("pk", "name", "phone")
    ]


def _procedure_choices(centre):
    return [
        Choice(str(procedure.pk), procedure.name, procedure.get_absolute_url())
        for procedure in Procedure.objects.for_centre(centre).only("pk", "name", "slug")
    ]


def _procedure_followers(centre, choice):
    """Followers of the procedure who belong to this centre: its front-desk contacts, its members' accounts.

    A network procedure is followed across the network: each centre texts only its own people. Following a
    procedure is agreeing to hear about it, so a contact need not have accepted the centre's other campaigns.
    """
    users = (
        get_user_model()
        .objects.filter(procedure_follows__procedure_id=choice.value, memberships__centre=centre)
        .distinct()
    )
    contacts = Contact.objects.filter(centre=centre, follows__procedure_id=choice.value)
    return _user_recipients(users) + _contact_recipients(contacts)


register_audience(
    "procedure",
    _("Les personnes qui suivent une démarche"),
    choices=_procedure_choices,
    choice_label=_("Quelle démarche ?"),
)(_procedure_followers)


@register_audience("members", _("Les membres du centre (compte avec un portable vérifié)"))
def _members(centre, choice):
    return _user_recipients(get_user_model().objects.filter(memberships__centre=centre))


@register_audience("contacts", _("Les contacts de l'accueil qui acceptent les SMS du centre"))
def _front_desk_contacts(centre, choice):
    return _contact_recipients(Contact.objects.filter(centre=centre, accepts_campaigns=True))
