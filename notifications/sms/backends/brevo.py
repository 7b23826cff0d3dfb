"""Sends SMS through Brevo's transactional SMS API (a French-speaking provider used by associations).

Configured by SMS_API_KEY, SMS_SENDER (11 letters at most) and SMS_API_URL; any provider with a
similar JSON API needs only a backend like this one.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from notifications.sms import SmsError

logger = logging.getLogger(__name__)


class SmsBackend:
    def __init__(self):
        if not settings.SMS_API_KEY:
            raise ImproperlyConfigured("SMS_API_KEY est requis pour envoyer des SMS par Brevo.")
        self.url = settings.SMS_API_URL
        self.api_key = settings.SMS_API_KEY
        self.sender = settings.SMS_SENDER
        self.timeout = settings.SMS_TIMEOUT

    def send(self, message):
        payload = {
            "sender": self.sender,
            "recipient": message.to.lstrip("+"),
            "content": message.body,
            "type": "transactional",
        }
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"api-key": self.api_key, "content-type": "application/json", "accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            detail = error.read(500).decode(errors="replace")
            raise SmsError(f"Brevo a refusé le SMS ({error.code}) : {detail}") from error
        except (urllib.error.URLError, TimeoutError) as error:
            raise SmsError(f"Brevo est injoignable : {error}") from error
        logger.info("SMS sent through Brevo to %s", message.to[:-4] + "****")
