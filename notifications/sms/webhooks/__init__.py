"""What an SMS provider's webhooks tell Placette, whatever the provider: delivery reports, replies, STOPs.

Pluggable like the sending backends: settings.SMS_WEBHOOK_PARSER names a function that turns one request's JSON
body into `SmsEvent`s (`brevo.parse` by default). What Placette does with them is provider-free
(notifications.sms_inbound); authentication is checked before any parser runs (notifications.views.sms_webhook).
"""

import enum
from dataclasses import dataclass
from datetime import datetime

import phonenumbers
from django.conf import settings
from django.utils.module_loading import import_string


class MalformedEvent(ValueError):
    """The body is not what the provider documents: refused (400) and logged, nothing done."""


class Kind(enum.Enum):
    REPORT = "report"  # what became of an SMS Placette sent
    REPLY = "reply"  # what its recipient answered
    STOP = "stop"  # the provider itself recorded a STOP (its own unsubscribe handling)
    OTHER = "other"  # an event Placette does not act on ("sent", "accepted"…): acknowledged, nothing else


@dataclass(frozen=True)
class SmsEvent:
    kind: Kind
    # Unique per event at the provider (the same event sent twice has the same key): refuses replays.
    key: str
    # When it happened, by the provider's own clock: events older than the window are refused.
    at: datetime
    # E.164, or "" when the provider gave a number that is not one.
    phone: str = ""
    # The reference Placette gave the SMS when sending it (notifications.deliveries.sms_reference), if echoed.
    reference: str = ""
    # For a report: a Delivery.Report value.
    report: str = ""
    # For a reply: what the person typed.
    text: str = ""


def get_parser(path=None):
    return import_string(path or settings.SMS_WEBHOOK_PARSER)


def e164(number):
    """A number as a provider writes it ("33612345678", "+33 6 12…") in E.164, or "" when it is not a valid one."""
    digits = str(number or "").strip()
    if not digits:
        return ""
    if not digits.startswith("+"):
        # Providers write international numbers without the plus; a French national "06…" starts with 0.
        digits = digits if digits.startswith("0") else f"+{digits}"
    try:
        parsed = phonenumbers.parse(digits, "FR")
    except phonenumbers.NumberParseException:
        return ""
    return (
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(parsed)
        else ""
    )
