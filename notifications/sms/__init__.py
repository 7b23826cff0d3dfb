"""Sending SMS, pluggable like Django's e-mail backends: settings.SMS_BACKEND names the class.

`console` prints them (the default), `locmem` keeps them in `outbox` for tests, `brevo` sends them
through Brevo's HTTP API. Every part of Placette that texts someone goes through `send_sms`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

# Filled by the locmem backend, like django.core.mail.outbox.
outbox: list["SmsMessage"] = []


class SmsError(Exception):
    """The provider refused or could not be reached; the caller decides whether to retry."""


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, "+33612345678"
    body: str


def get_backend(path=None):
    return import_string(path or settings.SMS_BACKEND)()


def send_sms(to, body, *, backend=None):
    """Send one SMS to an E.164 number; raises SmsError when the provider fails."""
    message = SmsMessage(to=str(to), body=body)
    (backend or get_backend()).send(message)
    return message
