"""Every write of a centre's SMS campaigns: a draft composed on a phone, confirmed against the budget; its figures.

A campaign is confirmed once (a conditional UPDATE from draft, under the centre's row lock so that two campaigns
confirmed at once cannot both spend the same budget), then sent by the worker (`demarches.campaign_sending`).
"""

import logging
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import NotAllowed, PlacetteError
from demarches import audiences, tasks
from demarches.models import Callback, Campaign, CampaignMessage
from notifications import services as notification_services
from notifications import sms_numbers
from notifications.deliveries import sms_send_time
from notifications.models import Delivery, SmsNumberChange
from notifications.sms import parts
from quartier.models import CentrePage, centre_ids_run_by

logger = logging.getLogger(__name__)

# Six parts is already a long letter on a phone's screen, and costs six SMS a person.
MAX_PARTS = 6
# A campaign is programmed for the coming weeks, not the next season.
SCHEDULE_DAYS_AHEAD = 60
LINK_CODE_ALPHABET = string.ascii_letters + string.digits
LINK_CODE_LENGTH = 6


class CampaignError(PlacetteError):
    """A campaign refused; `field` names the form field the French message goes next to (None: the whole form)."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


class AlreadyConfirmed(PlacetteError):
    """The campaign left the draft state (a second tap on "Envoyer", or another member of the team)."""


def _new_link_code():
    return "".join(secrets.choice(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))


def _check_runs(user, centre):
    if centre.pk not in centre_ids_run_by(user):
        raise NotAllowed(_("Seule l'équipe du centre peut envoyer ses campagnes."))


# What a campaign's SMS says and costs.


def prefix(centre):
    """Who writes: residents read the centre's name before anything else."""
    return f"{centre.title} : "


def short_link(code):
    return urljoin(settings.WAGTAILADMIN_BASE_URL, reverse("campaign_link", args=[code]))


def message_text(centre, text, *, code="", with_link=False):
    """The SMS as written for everyone, before deliver() adds the recipient's stop line."""
    message = prefix(centre) + text.strip()
    return f"{message} {short_link(code or 'x' * LINK_CODE_LENGTH)}" if with_link else message


def message_of(campaign):
    """The campaign's SMS as written for everyone, with its own short link if it has one."""
    return message_text(campaign.centre, campaign.text, code=campaign.link_code, with_link=bool(campaign.link_url))


@dataclass(frozen=True)
class Length:
    """What the counter under the text shows: characters, parts (stop line included), and why it is Unicode."""

    characters: int
    parts: int
    unicode: bool
    outside_gsm: tuple
    too_long: bool

    def in_words(self):
        return count_words() % {"characters": self.characters, "parts": self.parts}

    def unicode_in_words(self):
        if not self.unicode:
            return ""
        named = " et ".join(f"« {character} »" for character in self.outside_gsm[:5])
        return unicode_words(len(self.outside_gsm[:5])) % {"characters": named}


def count_words():
    return _("%(characters)s caractères (avec le nom du centre, le lien et la ligne STOP) : %(parts)s SMS.")


def unicode_words(count):
    """The sentence naming what makes the SMS Unicode; the page's script fills the same one as it is typed."""
    return ngettext(
        "%(characters)s fait passer le SMS en Unicode : 70 caractères par SMS au lieu de 160.",
        "%(characters)s font passer le SMS en Unicode : 70 caractères par SMS au lieu de 160.",
        count,
    )


def too_long_words():
    return _("Plus de %(max)s SMS par personne : raccourcissez le message.") % {"max": MAX_PARTS}


def measure(message):
    """The length of `message` as it will leave, stop line included (all stop lines have the same length)."""
    measured = parts.measure(message + "x" * sms_numbers.stop_line_length())
    return Length(
        characters=measured.characters,
        parts=measured.parts,
        unicode=measured.unicode,
        outside_gsm=measured.outside_gsm,
        too_long=measured.parts > MAX_PARTS,
    )


def check_text(centre, text, *, with_link):
    """Refuse an empty text, or one that would take more than six SMS."""
    if not text.strip():
        raise CampaignError(_("Écrivez le message."), field="text")
    length = measure(message_text(centre, text, with_link=with_link))
    if length.too_long:
        raise CampaignError(
            _("Ce message ferait %(parts)s SMS par personne ; %(max)s au plus. Raccourcissez-le.")
            % {"parts": length.parts, "max": MAX_PARTS},
            field="text",
        )
    return length


def check_link(url, *, hosts=()):
    """A page of this site: a path ("/demarches/caf/") or an address on its own host; anything else is refused."""
    url = url.strip()
    if not url:
        return ""
    allowed = {urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc, *hosts}
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=allowed) or not (
        url.startswith("/") or urlsplit(url).netloc in allowed
    ):
        raise CampaignError(_("Le lien doit mener à une page de ce site, par exemple /demarches/."), field="link_url")
    return url


def send_time(at, now):
    """When the campaign leaves (`at`, or now if None) out of the quiet hours, and whether it was moved."""
    wanted = at or now
    if at is not None and at < now - timedelta(minutes=1):
        raise CampaignError(_("Cette heure est passée. Choisissez « maintenant » ou une heure à venir."), field="at")
    if at is not None and at > now + timedelta(days=SCHEDULE_DAYS_AHEAD):
        raise CampaignError(
            _("Programmez la campagne dans les %(days)s prochains jours.") % {"days": SCHEDULE_DAYS_AHEAD}, field="at"
        )
    moved = sms_send_time(wanted)
    return moved, moved != wanted


# The budget.


def _month_of(moment):
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.combine(local.date().replace(day=1), time.min))


def budget(centre, send_at, now, *, exclude=None):
    """(budget, spent or reserved, left) in the month the campaign leaves.

    Spent: the SMS parts already sent or waiting this month. Reserved: campaigns programmed that month and not
    yet sending, so that two campaigns confirmed one after the other cannot both count on the same SMS.
    """
    total = notification_services.sms_budget(centre)
    month = _month_of(send_at)
    used = notification_services.sms_used(centre, now) if month == _month_of(now) else 0
    following = _month_of(month + timedelta(days=32))
    reserved = (
        Campaign.objects.filter(
            centre=centre, status=Campaign.Status.SCHEDULED, send_at__gte=month, send_at__lt=following
        )
        .exclude(pk=getattr(exclude, "pk", None))
        .aggregate(parts=Sum("cost_parts"))["parts"]
        or 0
    )
    spent = used + reserved
    return total, spent, max(total - spent, 0)


# Composing.


def start_draft(centre, key, value, *, by):
    """A new draft for `centre`'s audience `key` (and its choice `value`), written by a member of its team."""
    _check_runs(by, centre)
    source, choice = audiences.choice_of(centre, key, value)
    label = f"{source.label} : {choice.label}" if choice else str(source.label)
    today = timezone.localdate()
    return Campaign.objects.create(
        centre=centre,
        name=(_("SMS du %(day)s/%(month)s — %(who)s") % {"day": today.day, "month": today.month, "who": label})[:120],
        audience=key,
        audience_choice=choice.value if choice else "",
        audience_label=label[:300],
        link_url=choice.url if choice else "",
        link_code=_new_link_code(),
        created_by=by,
    )


def write_draft(campaign, *, by, name, text, link_url, at, now=None, hosts=()):
    """Save what the team wrote; an error is raised after nothing was saved."""
    _check_runs(by, campaign.centre)
    now = now or timezone.now()
    link_url = check_link(link_url, hosts=hosts)
    check_text(campaign.centre, text, with_link=bool(link_url))
    send_time(at, now)
    # The time asked for is kept: the preview says when the quiet hours move it.
    updated = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DRAFT).update(
        name=name.strip() or campaign.name, text=text.strip(), link_url=link_url, send_at=at
    )
    if not updated:
        raise AlreadyConfirmed(_("Cette campagne est déjà programmée ou envoyée : elle ne se modifie plus."))
    campaign.refresh_from_db()
    return campaign


@dataclass
class Preview:
    """What the preview page shows: one real SMS, who receives it, what it costs and what is left this month."""

    campaign: Campaign
    audience: audiences.Audience
    example: str
    example_to: str
    length: Length
    send_at: datetime
    moved: bool
    cost: int
    budget: int
    spent: int
    left: int

    @property
    def recipients(self):
        return len(self.audience.recipients)

    @property
    def over_budget(self):
        return self.cost > self.left

    def refusals(self):
        """Why this campaign cannot leave as it is, in French; empty when it can."""
        refused = []
        if not self.campaign.text:
            refused.append(_("Écrivez le message."))
        elif self.length.too_long:
            refused.append(_("Ce message ferait plus de %(max)s SMS par personne.") % {"max": MAX_PARTS})
        if not self.recipients:
            refused.append(_("Personne ne recevrait ce SMS."))
        if self.over_budget:
            refused.append(
                _("Cette campagne coûte %(cost)s SMS ; il en reste %(left)s ce mois-ci.")
                % {"cost": self.cost, "left": self.left}
            )
        return refused


def preview(campaign, *, now=None):
    """The campaign as it would leave now, with its first recipient's real stop line."""
    now = now or timezone.now()
    audience = audiences.audience(campaign.centre, campaign.audience, campaign.audience_choice)
    message = message_of(campaign)
    first = audience.recipients[0] if audience.recipients else None
    example = sms_numbers.with_stop(message, first.phone) if first else message
    length = measure(message)
    # "Maintenant", or a time that passed while the team read the preview, leaves now.
    wanted = campaign.send_at if campaign.send_at and campaign.send_at > now else now
    send_at = sms_send_time(wanted)
    moved = send_at != wanted
    total, spent, left = budget(campaign.centre, send_at, now, exclude=campaign)
    return Preview(
        campaign=campaign,
        audience=audience,
        example=example,
        example_to=first.phone if first else "",
        length=length,
        send_at=send_at,
        moved=moved,
        cost=len(audience.recipients) * length.parts,
        budget=total,
        spent=spent,
        left=left,
    )


def confirm(campaign, *, by, now=None):
    """Program the campaign: checked again, under the centre's row lock, then moved from draft once.

    Returns the preview it was confirmed on. Due now, it is queued for the worker after commit.
    """
    _check_runs(by, campaign.centre)
    now = now or timezone.now()
    with transaction.atomic():
        # Confirmations of one centre's campaigns wait for each other: the budget they check is the same.
        CentrePage.objects.select_for_update().filter(pk=campaign.centre_id).first()
        campaign.refresh_from_db()
        if not campaign.is_draft:
            raise AlreadyConfirmed(_("Cette campagne est déjà programmée ou envoyée : rien n'est envoyé deux fois."))
        seen = preview(campaign, now=now)
        refused = seen.refusals()
        if refused:
            raise CampaignError(" ".join(refused))
        confirmed = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DRAFT).update(
            status=Campaign.Status.SCHEDULED,
            send_at=seen.send_at,
            recipients_count=seen.recipients,
            cost_parts=seen.cost,
            confirmed_by=by,
            confirmed_at=now,
        )
        if not confirmed:
            raise AlreadyConfirmed(_("Cette campagne est déjà programmée ou envoyée : rien n'est envoyé deux fois."))
        if seen.send_at <= now:
            transaction.on_commit(partial(_enqueue, campaign.pk), robust=True)
    campaign.refresh_from_db()
    return seen


def _enqueue(campaign_id):
    try:
        tasks.send_campaign.enqueue(campaign_id)
    # The campaign is committed as programmed: the minute's pickup sends it anyway.
    except Exception:
        logger.warning("Campaign %s not queued; the periodic pickup will send it", campaign_id, exc_info=True)


def cancel(campaign, *, by):
    """A draft or a programmed campaign that has not started leaving is cancelled; False if it already left."""
    _check_runs(by, campaign.centre)
    return bool(
        Campaign.objects.filter(pk=campaign.pk, status__in=[Campaign.Status.DRAFT, Campaign.Status.SCHEDULED]).update(
            status=Campaign.Status.CANCELLED
        )
    )


# Figures and the short link.


@dataclass(frozen=True)
class Figures:
    messages: int
    sent: int
    waiting: int
    cancelled: int
    delivered: int
    not_delivered: int
    unknown_number: int
    opted_out: int
    replies: int | None
    clicks: int


def figures(campaign):
    """What the team and funders read: counted from the campaign's deliveries, its STOPs and its link, in 2 queries."""
    Status, Report = Delivery.Status, Delivery.Report
    counts = Delivery.objects.filter(campaign_message__campaign=campaign).aggregate(
        messages=Count("pk"),
        sent=Count("pk", filter=Q(status=Status.SENT)),
        waiting=Count("pk", filter=Q(status__in=[Status.PENDING, Status.SENDING])),
        cancelled=Count("pk", filter=Q(status__in=[Status.CANCELLED, Status.FAILED])),
        delivered=Count("pk", filter=Q(report=Report.DELIVERED)),
        not_delivered=Count("pk", filter=Q(report=Report.FAILED)),
        unknown_number=Count("pk", filter=Q(report=Report.UNKNOWN_NUMBER)),
    )
    return Figures(**counts, opted_out=opted_out(campaign), replies=replies(campaign), clicks=campaign.clicks)


def opted_out(campaign):
    """Numbers of the campaign that said STOP once it was sent (any STOP after it, by SMS, link or the team)."""
    if campaign.send_at is None:
        return 0
    return (
        SmsNumberChange.objects.filter(
            stopped=True,
            at__gte=campaign.send_at,
            number__phone__in=CampaignMessage.objects.filter(campaign=campaign).values("phone"),
        )
        .values("number")
        .distinct()
        .count()
    )


def replies(campaign):
    """Replies to the campaign's SMS other than STOP: the call-backs whose `delivery` is one of its SMS."""
    return Callback.objects.filter(delivery__campaign_message__campaign=campaign).count()


def campaign_of(delivery):
    """The campaign an SMS belongs to (a reply's `in_reply_to`), or None."""
    if delivery is None:
        return None
    return Campaign.objects.filter(messages__delivery=delivery).first()


def follow_link(code):
    """The page behind a campaign's short link, counted once more; None for an unknown code or no link.

    Nothing is kept of who clicked: no cookie, no per-person code; a counter of the campaign only.
    """
    found = (
        Campaign.objects.filter(link_code=code)
        .exclude(link_url="")
        .exclude(status__in=[Campaign.Status.DRAFT, Campaign.Status.CANCELLED])
    )
    link = found.values_list("link_url", flat=True).first()
    if link is not None:
        found.update(clicks=F("clicks") + 1)
    return link
