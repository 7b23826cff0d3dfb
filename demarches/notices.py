"""The notifications the procedures' app sends: staff told that someone answered an SMS and waits for a call."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds

SMS_REPLY = kinds.register(
    "sms_reply_to_call_back", _("quelqu'un répond à un SMS du centre et attend un appel"), for_staff=True
)
