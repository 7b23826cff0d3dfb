"""What Placette does with what the SMS provider tells it: reports fill each SMS's delivery, STOP ends SMS to the
number, any other reply goes to the apps above (notifications.sms.replies.reply_received).

Each event is acted on once: its key is written in the same transaction as its effects (a unique row), so the
same event sent again (the provider retrying, or someone replaying a captured request) changes nothing. Events
older than MAX_AGE by their own date are refused, which lets the keys be forgotten after that (docs/adr/0011).
"""

import logging
from collections import Counter
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from notifications import sms_numbers
from notifications.deliveries import site_host
from notifications.models import Channel, Delivery, SmsNumber, SmsProviderEvent
from notifications.sms.replies import means_stop, reply_received
from notifications.sms.webhooks import Kind

logger = logging.getLogger(__name__)

MAX_AGE = timedelta(hours=24)
# A provider's clock a little ahead of ours is not a forgery.
CLOCK_SKEW = timedelta(minutes=10)


def receive(events, *, now=None):
    """Act on each event once; returns how many were acted on, ignored, replayed or too old, by outcome."""
    now = now or timezone.now()
    return Counter(receive_one(event, now) for event in events)


def receive_one(event, now):
    if not now - MAX_AGE <= event.at <= now + CLOCK_SKEW:
        logger.warning("SMS provider event refused: dated %s, outside the %s accepted", event.at, MAX_AGE)
        return "stale"
    with transaction.atomic():
        try:
            with transaction.atomic():
                SmsProviderEvent.objects.create(key=event.key, received_at=now)
        except IntegrityError:
            logger.warning("SMS provider event %s replayed: nothing done", event.key[:12])
            return "replayed"
        return HANDLERS[event.kind](event)


def delivery_of(reference):
    """The SMS a provider's reference names (notifications.deliveries.sms_reference), if this site sent it."""
    key, at, host = reference.rpartition("@")
    if not at or host != site_host():
        return None
    return Delivery.objects.filter(idempotency_key=key, channel=Channel.SMS).first()


def latest_sms_to(phone):
    """The last SMS that left for `phone`: a text to the number, or a notification to the person who has it."""
    return (
        Delivery.objects.filter(channel=Channel.SMS, status=Delivery.Status.SENT)
        .filter(Q(to=phone) | Q(notification__recipient__phone=phone))
        .order_by("-sent_at", "-pk")
        .first()
    )


def record_report(event):
    """The delivery's report, unless a later one was already recorded (reports may arrive out of order)."""
    delivery = delivery_of(event.reference)
    if delivery is None:
        logger.info("SMS report %s for a reference of another site or unknown: ignored", event.report)
        return "ignored"
    Delivery.objects.filter(pk=delivery.pk).filter(Q(reported_at__isnull=True) | Q(reported_at__lte=event.at)).update(
        report=event.report, reported_at=event.at
    )
    logger.info("Delivery %s reported %s", delivery.pk, event.report)
    return "reported"


def record_stop(event):
    if not event.phone:
        logger.warning("STOP from a number that is not one: ignored")
        return "ignored"
    sms_numbers.stop(event.phone, how=SmsNumber.How.SMS)
    return "stopped"


def record_reply(event):
    if not event.phone:
        logger.warning("SMS reply from a number that is not one: ignored")
        return "ignored"
    if means_stop(event.text):
        return record_stop(event)
    in_reply_to = delivery_of(event.reference) if event.reference else None
    if in_reply_to is None:
        in_reply_to = latest_sms_to(event.phone)
    reply_received.send(
        sender=Delivery, phone=event.phone, text=event.text, received_at=event.at, in_reply_to=in_reply_to
    )
    return "replied"


def acknowledge(event):
    return "ignored"


HANDLERS = {
    Kind.REPORT: record_report,
    Kind.STOP: record_stop,
    Kind.REPLY: record_reply,
    Kind.OTHER: acknowledge,
}


def forget_old_events(now=None):
    """Keys older than any event still accepted: a replay of those is refused by its date."""
    before = (now or timezone.now()) - MAX_AGE - CLOCK_SKEW - timedelta(hours=1)
    return SmsProviderEvent.objects.filter(received_at__lt=before).delete()[0]
