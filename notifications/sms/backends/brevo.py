"""Sends SMS through Brevo's transactional SMS API (a French-speaking provider used by associations).

Configured by SMS_API_KEY, SMS_SENDER (11 letters at most) and SMS_API_URL; any provider with a
similar JSON API needs only a backend like this one.

Brevo takes no idempotency key. What it offers instead: a `tag` on each SMS, and a report of SMS
events that can be filtered by tag and phone number. A message's reference goes out as its tag, and
`accepted` asks the report whether an SMS with that tag was taken (docs/adr/0005).
"""

import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from notifications.sms import SmsError

logger = logging.getLogger(__name__)


class SmsBackend:
    def __init__(self):
        if not settings.SMS_API_KEY:
            raise ImproperlyConfigured("SMS_API_KEY est requis pour envoyer des SMS par Brevo.")
        self.url = settings.SMS_API_URL
        # …/v3/transactionalSMS/sms → …/v3/transactionalSMS/statistics/events
        self.events_url = urljoin(self.url, "statistics/events")
        self.api_key = settings.SMS_API_KEY
        self.sender = settings.SMS_SENDER
        self.timeout = settings.SMS_TIMEOUT

    def request(self, url, data=None):
        request = urllib.request.Request(
            url,
            data=data,
            method="POST" if data is not None else "GET",
            headers={"api-key": self.api_key, "content-type": "application/json", "accept": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return response.read()

    def send(self, message):
        payload = {
            "sender": self.sender,
            "recipient": message.to.lstrip("+"),
            "content": message.body,
            "type": "transactional",
        }
        if message.reference:
            payload["tag"] = message.reference
        try:
            answer = self.request(self.url, json.dumps(payload).encode())
        except urllib.error.HTTPError as error:
            detail = error.read(500).decode(errors="replace")
            raise SmsError(f"Brevo a refusé le SMS ({error.code}) : {detail}") from error
        except (urllib.error.URLError, TimeoutError) as error:
            raise SmsError(f"Brevo est injoignable : {error}") from error
        logger.info(
            "SMS sent through Brevo to %s: %s", message.to[:-4] + "****", answer[:200].decode(errors="replace")
        )

    def accepted(self, message, *, since):
        """Whether Brevo reports any event (sent, delivered, bounced…) for an SMS with this reference and number."""
        # Counted in whole days up to today; one more day before, as Brevo's day need not be UTC's.
        days = (timezone.now().date() - since.date()).days + 2
        query = urlencode(
            {
                "tags": json.dumps([message.reference]),
                "phoneNumber": message.to.lstrip("+"),
                "days": max(days, 1),
                "limit": 1,
            }
        )
        try:
            answer = json.loads(self.request(f"{self.events_url}?{query}") or b"{}")
        except urllib.error.HTTPError as error:
            detail = error.read(500).decode(errors="replace")
            raise SmsError(f"Brevo n'a pas pu dire si le SMS est parti ({error.code}) : {detail}") from error
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise SmsError(f"Brevo n'a pas pu dire si le SMS est parti : {error}") from error
        return bool(answer.get("events"))
