"""Sending e-mails and SMS exactly once, in the worker: claim, send, then mark sent or retry later.

The claim is one conditional UPDATE, so two workers never both take a delivery. A worker that dies
after claiming leaves a claim that grows stale and is taken again; a sent delivery is never claimed.
An SMS tried before is only sent again once the provider says it never took it (docs/adr/0005).
"""

import logging
import re
import smtplib
from datetime import datetime, time, timedelta
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from home.templatetags.french import plain
from notifications import kinds, sms, sms_numbers
from notifications.models import Channel, Delivery
from notifications.sms import parts

logger = logging.getLogger(__name__)

# A notification's SMS takes at most two parts: its link and the stop line leave too little of one part to say
# what happened ("Inscription confirmée : « Couture », mardi 1er décembre à 14 h.").
SMS_LENGTH = 2 * 153
# Mail clients show about this much of a subject; a sentence cut there reads as a mistake.
EMAIL_SUBJECT_LENGTH = 80
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# What a provider may answer that is worth trying again later; a bug is not, and goes to the task's log.
PROVIDER_ERRORS = (sms.SmsError, smtplib.SMTPException, OSError)

# Sent when a delivery is given up, with `delivery`: notifications.signals tells the centre's team. A signal,
# because telling them is a notification, whose deliveries this module sends.
delivery_given_up = Signal()


def _clock(value):
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def sms_send_time(now):
    """`now`, or the end of the quiet hours (no SMS at night) when `now` falls inside them."""
    start, end = (_clock(value) for value in settings.SMS_QUIET_HOURS)
    local = timezone.localtime(now)
    moment = local.time()
    overnight = start > end
    quiet = (moment >= start or moment < end) if overnight else (start <= moment < end)
    if not quiet:
        return now
    day = local.date() + timedelta(days=1) if overnight and moment >= start else local.date()
    return timezone.make_aware(datetime.combine(day, end))


def stale_before(now):
    return now - timedelta(minutes=settings.DELIVERY_STALE_AFTER_MINUTES)


def claimable(now):
    return Q(status=Delivery.Status.PENDING, due_at__lte=now) | Q(
        status=Delivery.Status.SENDING,
        claimed_at__lt=stale_before(now),
        attempts__lt=settings.DELIVERY_MAX_ATTEMPTS,
    )


def give_up_crashing(now):
    """Deliveries whose every try killed its worker: given up like provider failures, so staff hear of them."""
    crashing = Delivery.objects.filter(
        status=Delivery.Status.SENDING,
        claimed_at__lt=stale_before(now),
        attempts__gte=settings.DELIVERY_MAX_ATTEMPTS,
    ).select_related("notification__recipient")
    for delivery in crashing:
        given_up = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED, last_error=_("Le travail de fond s'est arrêté à chaque essai.")
        )
        if given_up:
            logger.error("Delivery %s given up: its worker stopped at each try", delivery.pk)
            delivery_given_up.send(sender=Delivery, delivery=delivery)


def claim(delivery_id, now):
    """Take a due (or abandoned) delivery for this worker; False when someone else has it or it is done."""
    return bool(
        Delivery.objects.filter(claimable(now), pk=delivery_id).update(
            status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def deliver(delivery_id):
    """Send one delivery if it is due and nobody else has; returns its status afterwards, or None if skipped."""
    now = timezone.now()
    if not claim(delivery_id, now):
        return None
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    address = delivery_address(delivery)
    if not address:
        return cancel(delivery, _("La personne n'a plus d'adresse pour ce canal."))
    # Checked as it leaves, not when queued: a STOP ends what was already waiting. The same row gives the stop link.
    number = sms_numbers.number_for(address) if delivery.channel == Channel.SMS else None
    if number is not None and number.stopped:
        return cancel(delivery, _("La personne a demandé à ne plus recevoir de SMS (STOP)."))
    try:
        if delivery.channel == Channel.EMAIL:
            send_email(delivery, address)
        elif delivery.attempts > 1 and sms.already_accepted(
            address, sms_reference(delivery), since=delivery.created_at
        ):
            # An earlier try reached the provider but died (or lost its answer) before marking it sent.
            logger.warning("Delivery %s was already taken by the SMS provider: not sent again", delivery_id)
        else:
            sms.send_sms(address, sms_body(delivery, number), reference=sms_reference(delivery))
    except PROVIDER_ERRORS as error:
        return failed(delivery, error, now)
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("Delivery %s sent by %s", delivery_id, delivery.channel)
    return Delivery.Status.SENT


def delivery_address(delivery):
    """Where it goes: the number it carries, else the e-mail or phone of the notification's recipient today."""
    if delivery.notification_id is None:
        return delivery.to
    recipient = delivery.notification.recipient
    return recipient.email if delivery.channel == Channel.EMAIL else str(recipient.phone or "")


def cancel(delivery, reason):
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.CANCELLED, last_error=reason
    )
    return Delivery.Status.CANCELLED


def sms_body(delivery, number):
    text = delivery.text if delivery.notification_id is None else sms_text(delivery.notification)
    return text + sms_numbers.stop_line(number.code)


def send_now(delivery_ids):
    """Send these deliveries at once if still pending, their retry delay cut short (an SMS still waits for morning).

    For work that waits on its deliveries (the warning before an account is erased); claims keep it exactly once.
    """
    now = timezone.now()
    ids = list(delivery_ids)
    pending = Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING)
    pending.filter(channel=Channel.EMAIL, due_at__gt=now).update(due_at=now)
    morning = sms_send_time(now)
    pending.filter(channel=Channel.SMS, due_at__gt=morning).update(due_at=morning)
    return [deliver(delivery_id) for delivery_id in ids]


def site_host():
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "placette"


def sms_reference(delivery):
    """The SMS's tag at the provider: the idempotency key, with the site so that two sites on one account differ."""
    return f"{delivery.idempotency_key}@{site_host()}"


def retry_delay(attempts):
    """1, 2, 4, 8… minutes after each failed try, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 6 * 60))


def failed(delivery, error, now):
    reason = f"{type(error).__name__}: {error}"[:500]
    if delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, last_error=reason)
        logger.error("Delivery %s given up after %s tries: %s", delivery.pk, delivery.attempts, reason)
        delivery_given_up.send(sender=Delivery, delivery=delivery)
        return Delivery.Status.FAILED
    due_at = now + retry_delay(delivery.attempts)
    if delivery.channel == Channel.SMS:
        due_at = sms_send_time(due_at)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING, due_at=due_at, last_error=reason)
    logger.warning("Delivery %s failed (try %s), retried at %s: %s", delivery.pk, delivery.attempts, due_at, reason)
    return Delivery.Status.PENDING


def sweep(*, limit=500):
    """Send what is due, what waited for the morning or a retry, and what a dead worker left claimed."""
    now = timezone.now()
    give_up_crashing(now)
    due = list(Delivery.objects.filter(claimable(now)).order_by("due_at").values_list("pk", flat=True)[:limit])
    return [deliver(delivery_id) for delivery_id in due]


def absolute_url(path):
    return urljoin(settings.WAGTAILADMIN_BASE_URL, path) if path else settings.WAGTAILADMIN_BASE_URL


def sms_text(notification):
    """One SMS (two parts at most): the text cut to fit beside its link and the stop line; an essential notice is
    sent whole, in as many parts as it needs.

    Written with GSM letters only ("fête" → "fete"): one "ê" would switch the SMS to Unicode, 70 characters a part.
    """
    link = absolute_url(notification.url)
    prefix = "Placette : "
    room = SMS_LENGTH - len(prefix) - len(link) - 1 - sms_numbers.stop_line_length()
    # plain(): no non-breaking spaces, which are outside the GSM alphabet.
    text = parts.nearest_gsm(plain(notification.text))
    if not kinds.get(notification.kind).essential:
        text = Truncator(text).chars(max(room, 40), truncate="...")
    return f"{prefix}{text} {link}"


def email_subject(text):
    """The whole sentences of `text` that fit in a subject line; cut inside one only when the first is too long."""
    subject = ""
    for sentence in SENTENCE_END.split(text.strip()):
        longer = f"{subject} {sentence}".strip()
        if len(longer) > EMAIL_SUBJECT_LENGTH:
            break
        subject = longer
    return subject or Truncator(text).chars(EMAIL_SUBJECT_LENGTH)


def send_email(delivery, address):
    notification = delivery.notification
    kind = kinds.get(notification.kind)
    context = {
        "notification": notification,
        "link": absolute_url(notification.url),
        "inbox": absolute_url(reverse("notifications:inbox")),
        "preferences": absolute_url(reverse("notifications:preferences")),
    }
    # The idempotency key as Message-ID: a copy sent again after a crash is the same message to mail clients.
    host = site_host()
    message = EmailMultiAlternatives(
        subject=f"[Placette] {kind.subject or email_subject(notification.text)}",
        body=render_to_string(f"{kind.email_template}.txt", context),
        to=[address],
        headers={"Message-ID": f"<{delivery.idempotency_key}@{host}>"},
    )
    message.attach_alternative(render_to_string(f"{kind.email_template}.html", context), "text/html")
    message.send()
