"""Brevo's transactional SMS webhook: delivery reports, replies and unsubscriptions, as `SmsEvent`s.

Brevo documents the payload at https://developers.brevo.com/docs/transactional-webhooks ("Transactional SMS"):
one JSON object per event (or, for a webhook created with `batched: true`, a JSON array of them,
https://developers.brevo.com/docs/batch-webhooks), with `id` (the *webhook's* id, the same in every payload),
`to` (the recipient's number without "+", "33612345678"), `messageId`, `msg_status` (sent, delivered,
soft_bounce, hard_bounce… — written camelCase in the event lists: softBounce, hardBounce, replied, unsubscribe,
rejected, skip), `date` (Paris time), `ts_event` (UTC seconds), `reference`, `tag` (what Placette sent as the
SMS's tag), `status`, `description`, `error_code`, `bounce_type` and, for a reply, `reply`.

Assumptions where the page is unclear, kept loose on purpose:
- A reply arrives as an event whose `msg_status` is "replied" (or "reply"), its text in `reply`, its `to` the
  number that answered (the one Placette texted). Brevo sends replies only when the sender is a number able to
  receive them (a "long code"), which Placette's account must be set up with.
- `tag` may be a string or a list of strings; `messageId` may be written `message_id`.
- A hard bounce of an SMS means the number cannot receive SMS: reported as "unknown number", as is any event
  whose description or bounce type says the number is invalid or unknown.
"""

import hashlib
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils.dateparse import parse_datetime

from notifications.models import Delivery
from notifications.sms.webhooks import Kind, MalformedEvent, SmsEvent, e164

# Brevo writes `date` in its account's time zone: Paris for a French account.
BREVO_TIME_ZONE = ZoneInfo("Europe/Paris")
# A batched webhook sends at most 500 events at once (Brevo's documented default).
MAX_EVENTS = 500

REPORTS = {
    "delivered": Delivery.Report.DELIVERED,
    "softbounce": Delivery.Report.FAILED,
    "softbounced": Delivery.Report.FAILED,
    "hardbounce": Delivery.Report.UNKNOWN_NUMBER,
    "hardbounced": Delivery.Report.UNKNOWN_NUMBER,
    "invalid": Delivery.Report.UNKNOWN_NUMBER,
    "invalidnumber": Delivery.Report.UNKNOWN_NUMBER,
    "rejected": Delivery.Report.FAILED,
    "blocked": Delivery.Report.FAILED,
    "skip": Delivery.Report.FAILED,
    "error": Delivery.Report.FAILED,
}
REPLIES = {"replied", "reply"}
STOPS = {"unsubscribe", "unsubscribed"}
UNKNOWN_NUMBER_WORDS = ("invalid", "unknown", "inconnu", "not exist", "inexistant")


def parse(payload):
    """Brevo's JSON body (one event, or a batch of them) as SmsEvents; raises MalformedEvent."""
    items = payload if isinstance(payload, list) else [payload]
    if not items or len(items) > MAX_EVENTS:
        raise MalformedEvent(f"{len(items)} events in one body")
    return [parse_event(item) for item in items]


def _status(value):
    """ "soft_bounce", "softBounce" and "Soft bounce" are one status."""
    return "".join(character for character in str(value).casefold() if character.isalnum())


def parse_event(item):
    if not isinstance(item, dict):
        raise MalformedEvent("an event is not a JSON object")
    status = _status(item.get("msg_status") or item.get("event") or "")
    if not status:
        raise MalformedEvent("no msg_status")
    if "to" not in item:
        raise MalformedEvent("no recipient number")
    phone = e164(item["to"])
    at = _moment(item)
    message_id = str(item.get("messageId", item.get("message_id", "")))
    reference = _reference(item.get("tag"))
    text = item.get("reply")
    common = {"at": at, "phone": phone, "reference": reference}
    if status in REPLIES:
        if not isinstance(text, str):
            raise MalformedEvent("a reply without its text")
        return SmsEvent(Kind.REPLY, _key(message_id, status, at, item, text), text=text, **common)
    key = _key(message_id, status, at, item)
    if status in STOPS:
        return SmsEvent(Kind.STOP, key, **common)
    if status in REPORTS:
        return SmsEvent(Kind.REPORT, key, report=_report(status, item), **common)
    return SmsEvent(Kind.OTHER, key, **common)


def _moment(item):
    """When the event happened: `ts_event` (UTC seconds), else `date` (Paris time when it names no zone)."""
    stamp = item.get("ts_event")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        try:
            return datetime.fromtimestamp(stamp, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise MalformedEvent("ts_event out of range") from None
    written = item.get("date")
    try:
        moment = parse_datetime(written) if isinstance(written, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise MalformedEvent("no date")
    return moment if moment.tzinfo else moment.replace(tzinfo=BREVO_TIME_ZONE)


def _reference(tag):
    """The SMS's tag as Placette sent it: Brevo may echo it as a string or as a list of one."""
    if isinstance(tag, list):
        tag = next((value for value in tag if isinstance(value, str) and "@" in value), "")
    return tag if isinstance(tag, str) else ""


def _report(status, item):
    report = REPORTS[status]
    if report == Delivery.Report.FAILED:
        said = unicodedata.normalize("NFKD", f"{item.get('description', '')} {item.get('bounce_type', '')}").casefold()
        if any(word in said for word in UNKNOWN_NUMBER_WORDS):
            return Delivery.Report.UNKNOWN_NUMBER
    return report


def _key(message_id, status, at, item, text=""):
    """One event's identity: its message, what happened and when. Without a message id, the event's whole content.

    `id` is left out: Brevo documents it as the webhook's id, the same in every payload.
    """
    if message_id:
        identity = f"brevo|{message_id}|{status}|{at.timestamp()}|{text}"
    else:
        identity = "brevo|" + repr(sorted((key, repr(value)) for key, value in item.items()))
    return hashlib.sha256(identity.encode()).hexdigest()
