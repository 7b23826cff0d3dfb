"""The one way to tell someone something: `notify()`, called inside the cause's transaction.

The row is written with the cause; after commit it is pushed to the person's sockets and its e-mail
or SMS deliveries are queued. A failed push loses nothing: the inbox and the socket's catch-up show it.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, time
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import topics
from home.templatetags.french import typo
from notifications import kinds, notices, sms_numbers
from notifications.deliveries import sms_send_time, sms_text
from notifications.models import Channel, Delivery, Notification, Preference, SmsBudgetAlert
from notifications.sms import parts
from notifications.tasks import deliver, deliver_many
from quartier.models import Membership, team_of

logger = logging.getLogger(__name__)


def user_group(user_id):
    return f"user.{user_id}"


def notify(recipient, kind, text, *, url="", actor=None, centre=None):
    """Tell `recipient` that something happened; `centre` is the one it concerns (and pays for its SMS)."""
    kinds.get(kind)
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient, kind=kind, text=text[:300], url=url, actor=actor, centre=centre
        )
        deliveries = plan_deliveries(notification)
    # Robust hooks: each runs whatever another one raised (the page cache's, a push), so that a committed
    # write still queues its deliveries and answers normally when Redis is down.
    transaction.on_commit(partial(push, notification), robust=True)
    now = timezone.now()
    due = [delivery.pk for delivery in deliveries if delivery.due_at <= now]
    if due:
        transaction.on_commit(partial(enqueue_deliveries, due), robust=True)
    return notification


def channel_for(user, kind):
    """The person's choice for this kind, or their general choice ("comment recevoir mes notifications")."""
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("channel", flat=True).first()
    return chosen or getattr(user, "notify_by", Channel.SITE)


def channels_by_kind(user, kind_keys):
    """`channel_for` for several kinds at once, in one query (the preferences form asks for all of them)."""
    chosen = dict(Preference.objects.filter(user=user, kind__in=kind_keys).values_list("kind", "channel"))
    general = getattr(user, "notify_by", Channel.SITE)
    return {key: chosen.get(key, general) for key in kind_keys}


def reachable_channel(user):
    """How an essential notice reaches a person whatever they chose: e-mail, else a verified mobile, else the site."""
    if user.email:
        return Channel.EMAIL
    if user.phone and getattr(user, "phone_verified", False):
        return Channel.SMS
    return Channel.SITE


def plan_deliveries(notification):
    """Write the e-mail or SMS this notification needs, in the notification's own transaction.

    An essential kind's SMS is never held back by the budget (it still counts against it) and may concern no
    centre: the network pays for it.
    """
    recipient = notification.recipient
    essential = kinds.get(notification.kind).essential
    channel = reachable_channel(recipient) if essential else channel_for(recipient, notification.kind)
    now = timezone.now()
    # A number that said STOP gets no SMS, even an essential one: e-mail, else the site.
    phone = str(recipient.phone or "")
    if channel == Channel.SMS and phone and sms_numbers.is_stopped(phone):
        channel = Channel.EMAIL
    if channel == Channel.SMS:
        centre = notification.centre or home_centre(recipient)
        if recipient.phone and (essential or (centre is not None and sms_budget_left(centre, now))):
            return [_delivery(notification, Channel.SMS, centre, sms_send_time(now))]
        if recipient.phone and centre is not None:
            tell_team_sms_budget_spent(centre, now)
        channel = Channel.EMAIL
    if channel == Channel.EMAIL and recipient.email:
        return [_delivery(notification, Channel.EMAIL, notification.centre, now)]
    return []


def _delivery(notification, channel, centre, due_at):
    return Delivery.objects.create(
        notification=notification,
        channel=channel,
        centre=centre,
        due_at=due_at,
        idempotency_key=f"notification-{notification.pk}-{channel}",
        parts=sms_parts(sms_text(notification)) if channel == Channel.SMS else 1,
    )


@dataclass(frozen=True)
class Text:
    """One SMS to a number, outside any notification: its idempotency key says what it is for, once."""

    to: str
    text: str
    key: str


def queue_texts(texts, *, centre, due_at=None):
    """Write these SMS as deliveries to send at `due_at` (or now), out of the quiet hours; returns their ids.

    A key already written is not written again, and a number that said STOP gets nothing. The caller checks the
    centre's budget (a campaign against its whole cost, a reminder against what is left). After commit, what is
    due now is queued for the worker; the rest the sweep sends on time.
    """
    texts = list(texts)
    stopped = sms_numbers.stopped_among(text.to for text in texts)
    due_at = sms_send_time(due_at or timezone.now())
    Delivery.objects.bulk_create(
        [
            Delivery(
                channel=Channel.SMS,
                to=text.to,
                text=text.text,
                centre=centre,
                due_at=due_at,
                idempotency_key=text.key,
                parts=sms_parts(text.text),
            )
            for text in texts
            if text.to not in stopped
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    keys = [text.key for text in texts]
    ids = list(Delivery.objects.filter(idempotency_key__in=keys).values_list("pk", flat=True))
    if due_at <= timezone.now() and ids:
        transaction.on_commit(partial(enqueue_batch, ids), robust=True)
    return ids


def sms_parts(text):
    """The parts an SMS costs as it will leave, stop line included."""
    return max(parts.measure(text + "x" * sms_numbers.stop_line_length()).parts, 1)


def home_centre(user):
    """The centre a person joined first, which pays for their SMS when a notification concerns no centre."""
    membership = Membership.objects.filter(user=user).select_related("centre").order_by("joined_at").first()
    return membership.centre if membership else None


def month_start(now):
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date().replace(day=1), time.min))


def sms_budget(centre):
    return settings.SMS_MONTHLY_BUDGET if centre.sms_monthly_budget is None else centre.sms_monthly_budget


def sms_used(centre, now):
    """The SMS parts the centre spent this month, each part paid for (failed and cancelled ones cost nothing)."""
    used = (
        Delivery.objects.filter(centre=centre, channel=Channel.SMS, created_at__gte=month_start(now))
        .exclude(status__in=[Delivery.Status.CANCELLED, Delivery.Status.FAILED])
        .aggregate(parts=Sum("parts"))["parts"]
    )
    return used or 0


def sms_budget_left(centre, now):
    """Whether the centre may still send an SMS this month."""
    return sms_used(centre, now) < sms_budget(centre)


def tell_team_sms_budget_spent(centre, now):
    """Tell the centre's team once a month that its SMS now go by e-mail or stay on the site.

    Those who may edit the centre's page in the admin (where its budget is) get a link to it; the others none.
    """
    _alert, created = SmsBudgetAlert.objects.get_or_create(centre=centre, month=month_start(now).date())
    if not created:
        return
    text = _(
        "Le centre %(centre)s a envoyé ses %(budget)s SMS du mois. Jusqu'au mois prochain, "
        "les messages partent par e-mail ou restent sur le site."
    ) % {"centre": centre.title, "budget": sms_budget(centre)}
    tell_team(centre, notices.SMS_BUDGET_SPENT.key, text, link=partial(_centre_edit_link, centre))


def _centre_edit_link(centre, member):
    may_edit = member.has_perm("wagtailadmin.access_admin") and centre.permissions_for_user(member).can_edit()
    return reverse("wagtailadmin_pages:edit", args=[centre.pk]) if may_edit else ""


def tell_team(centre, kind, text, *, link=None, actor=None):
    """Tell whoever runs `centre` (its team: editors and mediators, quartier.models.team_of).

    `link(member)` gives each one an address they can open, or "" (the notice then opens their inbox): a
    mediator without admin access must never be sent to the admin's sign-in page.
    """
    for member in team_of(centre):
        notify(member, kind, text, url=link(member) if link else "", actor=actor, centre=centre)


def tell_team_delivery_failed(delivery):
    """The centre's team see it in their inbox; those who may read the admin's list of sendings get a link to it."""
    if delivery.centre_id is None:
        return
    text = _("Un %(channel)s pour %(person)s n'a pas pu partir. Prévenez la personne autrement.") % {
        "channel": delivery.get_channel_display(),
        "person": delivery.recipient,
    }
    # The person concerned as actor: erasing their account removes these notices too.
    actor = delivery.notification.recipient if delivery.notification_id else None
    tell_team(delivery.centre, notices.DELIVERY_FAILED.key, text, link=_failed_deliveries_link, actor=actor)


def _failed_deliveries_link(member):
    may_read = member.has_perm("wagtailadmin.access_admin") and (
        member.has_perm("notifications.view_delivery") or member.has_perm("notifications.change_delivery")
    )
    return f"{reverse('notifications_deliveries')}?status=failed" if may_read else ""


def serialize(notification):
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "text": typo(notification.text),
        "url": notification.url,
        "created": notification.created_at.isoformat(),
    }


def push(notification):
    """Send a committed notification to its recipient's open sockets; a failure is logged, never raised."""
    try:
        unread = Notification.objects.for_user(notification.recipient_id).unread().count()
        topics.group_send(
            user_group(notification.recipient_id),
            {"type": "notification.message", "notification": serialize(notification), "unread": unread},
        )
    # Redis down, a full channel, a closed loop: the row is committed and the inbox shows it,
    # so the request that caused it must go on.
    except Exception:
        logger.warning("Notification %s not pushed live", notification.pk, exc_info=True)


def end_live_sessions(user_id):
    """Close every open socket of this person (a failure is logged: the socket then lives until the page goes)."""
    topics.send_to_group(user_group(user_id), {"type": "session.ended"})


def enqueue_batch(delivery_ids):
    """One task for a batch written together: a campaign's 5 000 SMS are 10 tasks, not 5 000 rows of the queue."""
    try:
        deliver_many.enqueue(list(delivery_ids))
    # The deliveries are committed: the worker's sweep sends them within minutes anyway.
    except Exception:
        logger.warning("A batch of %s deliveries not queued; the sweep will send it", len(delivery_ids), exc_info=True)


def enqueue_deliveries(delivery_ids):
    for delivery_id in delivery_ids:
        try:
            deliver.enqueue(delivery_id)
        # The delivery row is committed: the worker's sweep sends it within a minute anyway.
        except Exception:
            logger.warning("Delivery %s not queued; the sweep will send it", delivery_id, exc_info=True)


def inbox_summary(user):
    """Unread count and newest id, in one query, for the header and the socket's catch-up."""
    return Notification.objects.for_user(user).aggregate(
        unread=Count("id", filter=Q(read_at__isnull=True)), last_id=Max("id")
    )


def missed_since(user, last_id, *, limit=50):
    """What a socket missed after the notification `last_id`, oldest first, at most `limit`."""
    newest = Notification.objects.for_user(user).filter(id__gt=last_id).order_by("-id")[:limit]
    return [serialize(notification) for notification in reversed(newest)]


def mark_read(user, notification_id):
    return (
        Notification.objects.for_user(user)
        .filter(pk=notification_id, read_at__isnull=True)
        .update(read_at=timezone.now())
    )


def mark_read_about(user, url, *, kinds=None):
    """Mark read the person's notifications leading to `url` (of `kinds`, if given): they are reading that page.

    A conversation shows its messages as they arrive; what tells of them is read with them.
    """
    unread = Notification.objects.for_user(user).unread().filter(url=url)
    if kinds is not None:
        unread = unread.filter(kind__in=kinds)
    return unread.update(read_at=timezone.now())


def mark_all_read(user):
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def set_preferences(user, choices):
    """Record, for each kind, how the person wants to be told; a choice equal to their general one is dropped."""
    with transaction.atomic():
        Preference.objects.filter(user=user).delete()
        Preference.objects.bulk_create(
            Preference(user=user, kind=kind, channel=channel)
            for kind, channel in choices.items()
            if channel != getattr(user, "notify_by", Channel.SITE)
        )
