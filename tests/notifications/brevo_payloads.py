"""Brevo's transactional SMS webhook bodies, shaped as Brevo documents them.

https://developers.brevo.com/docs/transactional-webhooks ("Transactional SMS"): `id` is the webhook's id,
`to` the number without "+", `msg_status` the event, `date` in Paris time and `ts_event` in UTC seconds,
`tag` what Placette sent as the SMS's tag. A reply's text is in `reply` (notifications/sms/webhooks/brevo.py says
what is assumed where the page is unclear).
"""

from zoneinfo import ZoneInfo

from django.utils import timezone

from notifications.deliveries import sms_reference

PARIS = ZoneInfo("Europe/Paris")


def brevo_event(msg_status, *, to=None, delivery=None, tag=None, at=None, message_id=1511882900176220, **more):
    """One event as Brevo posts it; `delivery` gives the number and the tag Placette sent its SMS with."""
    at = at or timezone.now()
    if to is None:
        to = delivery.to.lstrip("+") if delivery is not None else "33612345678"
    if tag is None:
        tag = sms_reference(delivery) if delivery is not None else ""
    return {
        "id": 26570,
        "to": to,
        "sms_count": 1,
        "credits_used": 4.5,
        "messageId": message_id,
        "remaining_credit": 11488.845,
        "msg_status": msg_status,
        "date": at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S"),
        "type": "transactional",
        "reference": "ab1cde2fgh3i4jklmno",
        "tag": tag,
        "status": "OK",
        "description": "",
        "ts_event": int(at.timestamp()),
        **more,
    }
