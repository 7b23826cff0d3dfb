"""Sending SMS, pluggable like Django's e-mail backends: settings.SMS_BACKEND names the class.

`console` prints them (the default), `locmem` keeps them in `outbox` for tests, `brevo` sends them
through Brevo's HTTP API. Every part of Placette that texts someone goes through `send_sms`.

A backend may also answer `accepted(message, since=…)`: whether it already took the message with this
`reference`. Deliveries ask it before trying again, so that a worker that died just after the provider
took an SMS does not send it twice (docs/adr/0005).
"""

from dataclasses import dataclass, field

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
    # The sender's own name for this one message (Brevo's tag); two copies of one message are still equal.
    reference: str = field(default="", compare=False)


def get_backend(path=None):
    return import_string(path or settings.SMS_BACKEND)()


def send_sms(to, body, *, reference="", backend=None):
    """Send one SMS to an E.164 number; raises SmsError when the provider fails."""
    message = SmsMessage(to=str(to), body=body, reference=reference)
    (backend or get_backend()).send(message)
    return message


def already_accepted(to, reference, *, since, backend=None):
    """Whether the provider took the SMS of `reference` since `since`; None when the backend cannot tell.

    Raises SmsError when the provider cannot be asked: the caller waits rather than risk a second SMS.
    """
    backend = backend or get_backend()
    if not hasattr(backend, "accepted"):
        return None
    return backend.accepted(SmsMessage(to=str(to), body="", reference=reference), since=since)
