"""The numbers Placette texts, and STOP: once a number says STOP, by SMS or by its link, no SMS goes to it.

Every SMS ends with how to stop (`with_stop`): reply STOP, or open the short link of the number. The check is
made when the SMS is about to leave (`notifications.deliveries.deliver`), so a STOP ends even what was queued.
"""

import logging
import secrets
import string
from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import Channel, Delivery, SmsNumber, SmsNumberChange

logger = logging.getLogger(__name__)

CODE_ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 7


def _new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def number_for(phone):
    """The row of an E.164 number, written the first time Placette texts it (two writers race safely)."""
    number = SmsNumber.objects.filter(phone=phone).first()
    if number is not None:
        return number
    try:
        with transaction.atomic():
            return SmsNumber.objects.create(phone=phone, code=_new_code())
    except IntegrityError:
        return SmsNumber.objects.get(phone=phone)


def is_stopped(phone):
    return SmsNumber.objects.filter(phone=phone, stopped_at__isnull=False).exists()


def stopped_among(phones):
    """Which of these numbers said STOP, in one query."""
    return set(
        SmsNumber.objects.filter(phone__in=list(phones), stopped_at__isnull=False).values_list("phone", flat=True)
    )


def stop_path(number):
    return reverse("sms_stop", args=[number.code])


def stop_line(code):
    """The last line of every SMS: how to stop, with the number's short link."""
    return f"\nSTOP : répondez STOP ou {urljoin(settings.WAGTAILADMIN_BASE_URL, reverse('sms_stop', args=[code]))}"


def with_stop(text, phone):
    """The SMS as it leaves: its text, then how to stop (reply STOP, or the number's short link)."""
    return text + stop_line(number_for(phone).code)


def stop_line_length():
    """What the stop line takes of an SMS, whatever the number: every code has the same length."""
    return len(stop_line("x" * CODE_LENGTH))


def stop(phone, *, how, by=None):
    """End every SMS to `phone` now: recorded (how, by whom), and what was waiting to leave is cancelled.

    Returns False when the number had already said STOP (nothing changes, nothing is recorded twice).
    """
    with transaction.atomic():
        number = number_for(phone)
        stopped = SmsNumber.objects.filter(pk=number.pk, stopped_at__isnull=True).update(stopped_at=timezone.now())
        if not stopped:
            return False
        SmsNumberChange.objects.create(number=number, stopped=True, how=how, by=by)
        waiting = Delivery.objects.filter(channel=Channel.SMS, status=Delivery.Status.PENDING)
        cancelled = (waiting.filter(to=phone) | waiting.filter(notification__recipient__phone=phone)).update(
            status=Delivery.Status.CANCELLED, last_error="STOP"
        )
    logger.info("SMS stopped for %s**** (%s), %s waiting SMS cancelled", phone[:-4], how, cancelled)
    return True


def resume(phone, *, how, by=None):
    """The person wants SMS again (they said so at the centre or chose SMS in their account): recorded."""
    with transaction.atomic():
        number = number_for(phone)
        resumed = SmsNumber.objects.filter(pk=number.pk, stopped_at__isnull=False).update(stopped_at=None)
        if resumed:
            SmsNumberChange.objects.create(number=number, stopped=False, how=how, by=by)
    return bool(resumed)
