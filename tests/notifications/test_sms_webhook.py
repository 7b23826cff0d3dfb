"""The SMS provider's webhook: authenticated, each event acted on once, reports on each SMS, STOP, replies.

Bodies are Brevo's documented shapes (tests/notifications/brevo_payloads.py).
"""

import base64
import json
import logging
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from notifications import sms_inbound
from notifications.models import Delivery, SmsNumber, SmsNumberChange, SmsProviderEvent
from notifications.sms.replies import reply_received
from notifications.sms.webhooks import Kind, MalformedEvent, brevo, e164
from tests.notifications.brevo_payloads import brevo_event
from tests.notifications.factories import DeliveryFactory, PersonFactory, TextDeliveryFactory

pytestmark = pytest.mark.django_db

URL = reverse("notifications:sms_webhook")
TOKEN = "jeton-secret-de-test-0123456789"
NOW = "2026-12-05 10:15:00+01:00"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture(autouse=True)
def token(settings):
    settings.SMS_WEBHOOK_TOKEN = TOKEN


@pytest.fixture
def replies():
    """What the webhook hands to the apps above: each reply_received, as keyword arguments."""
    received = []

    def keep(sender, **kwargs):
        received.append(kwargs)

    reply_received.connect(keep)
    yield received
    reply_received.disconnect(keep)


def post(client, body, *, auth=f"Bearer {TOKEN}", content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    headers = {"Authorization": auth} if auth else {}
    return client.post(URL, data, content_type=content_type, headers=headers)


def reloaded(delivery):
    delivery.refresh_from_db()
    return delivery


# Who may post.


def test_without_a_secret_configured_the_webhook_does_not_exist(client, settings):
    settings.SMS_WEBHOOK_TOKEN = ""
    delivery = TextDeliveryFactory()

    response = post(client, brevo_event("delivered", delivery=delivery), auth="Bearer ")

    assert response.status_code == 404
    assert reloaded(delivery).report == ""


@pytest.mark.parametrize(
    "auth",
    [
        None,
        "Bearer mauvais-jeton",
        f"Bearer {TOKEN}x",
        f"Token {TOKEN}",
        "Basic " + base64.b64encode(b"brevo:mauvais").decode(),
        "Basic pas-du-base64!",
    ],
)
def test_a_request_without_the_secret_is_refused_and_logged(client, caplog, auth):
    delivery = TextDeliveryFactory()

    with caplog.at_level(logging.WARNING, logger="notifications.views"):
        response = post(client, brevo_event("delivered", delivery=delivery), auth=auth)

    assert response.status_code == 401
    assert "Bearer" in response["WWW-Authenticate"]
    assert reloaded(delivery).report == ""
    assert not SmsProviderEvent.objects.exists()
    assert "SMS webhook refused (401)" in caplog.text


def test_basic_auth_with_the_secret_as_password_is_accepted(client):
    """Brevo's other way: https://brevo:secret@host/… in the webhook's URL, sent as Basic auth."""
    delivery = TextDeliveryFactory()
    auth = "Basic " + base64.b64encode(f"brevo:{TOKEN}".encode()).decode()

    response = post(client, brevo_event("delivered", delivery=delivery), auth=auth)

    assert response.status_code == 200
    assert reloaded(delivery).report == Delivery.Report.DELIVERED


def test_the_webhook_takes_no_get(client):
    response = client.get(URL, headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 405


def test_without_a_secret_configured_no_method_reveals_the_webhook(client, settings):
    settings.SMS_WEBHOOK_TOKEN = ""

    assert client.get(URL).status_code == 404


# Bad bodies: refused with a 400, logged, never a 500.


@pytest.mark.parametrize(
    "body",
    [
        "{pas du json",
        b"\xff\xfe\x00",
        "42",
        "[]",
        "[1, 2]",
        json.dumps({"to": "33612345678"}),
        json.dumps({"msg_status": "delivered"}),
        json.dumps({"msg_status": "delivered", "to": "33612345678"}),
        json.dumps({"msg_status": "delivered", "to": "33612345678", "date": "2026-13-45 10:00:00"}),
        json.dumps({"msg_status": "replied", "to": "33612345678", "ts_event": 1796461200, "reply": 12}),
        json.dumps({"msg_status": "delivered", "to": "33612345678", "ts_event": 10**20}),
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=[
        "not-json",
        "not-utf8",
        "a-number",
        "empty-batch",
        "batch-of-numbers",
        "no-status",
        "no-number",
        "no-date",
        "impossible-date",
        "reply-without-text",
        "date-out-of-range",
        "deeply-nested",
    ],
)
def test_a_malformed_body_is_refused_with_400_and_logged(client, caplog, body):
    with caplog.at_level(logging.WARNING, logger="notifications.views"):
        response = post(client, body)

    assert response.status_code == 400
    assert "SMS webhook refused (400)" in caplog.text
    assert not SmsProviderEvent.objects.exists()


def test_a_body_that_is_not_json_by_its_type_is_refused(client):
    response = post(client, "to=33612345678&msg_status=delivered", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415


def test_a_body_too_large_is_refused_before_being_read(client):
    huge = [brevo_event("sent", message_id=n) for n in range(2000)]

    response = post(client, huge)

    assert response.status_code == 413
    assert not SmsProviderEvent.objects.exists()


# Delivery reports.


@pytest.mark.parametrize(
    ("msg_status", "more", "report"),
    [
        ("delivered", {}, Delivery.Report.DELIVERED),
        ("hard_bounce", {"bounce_type": "hard_bounce"}, Delivery.Report.UNKNOWN_NUMBER),
        ("hardBounce", {}, Delivery.Report.UNKNOWN_NUMBER),
        ("soft_bounce", {"description": "Phone switched off"}, Delivery.Report.FAILED),
        ("softBounce", {"description": "Invalid number"}, Delivery.Report.UNKNOWN_NUMBER),
        ("rejected", {}, Delivery.Report.FAILED),
        ("blocked", {}, Delivery.Report.FAILED),
    ],
)
def test_a_delivery_report_is_recorded_on_the_sms_its_tag_names(client, msg_status, more, report):
    delivery = TextDeliveryFactory()
    at = timezone.now() - timedelta(minutes=3)

    response = post(client, brevo_event(msg_status, delivery=delivery, at=at, **more))

    assert response.status_code == 200
    assert response.json() == {"outcomes": {"reported": 1}}
    delivery = reloaded(delivery)
    assert (delivery.report, delivery.reported_at) == (report, at.replace(microsecond=0))
    assert delivery.status == Delivery.Status.SENT, "a report never moves a sent SMS back"


def test_a_report_without_ts_event_is_dated_by_brevos_paris_date(client):
    delivery = TextDeliveryFactory()
    event = brevo_event("delivered", delivery=delivery)
    del event["ts_event"]
    event["date"] = "2026-12-05 10:05:00"

    post(client, event)

    assert reloaded(delivery).reported_at == timezone.now() - timedelta(minutes=10)


def test_a_report_given_the_tag_as_a_list_is_recorded(client):
    delivery = TextDeliveryFactory()

    post(client, brevo_event("delivered", delivery=delivery, tag=[f"{delivery.idempotency_key}@127.0.0.1"]))

    assert reloaded(delivery).report == Delivery.Report.DELIVERED


def test_a_report_on_another_sites_sms_is_ignored(client):
    delivery = TextDeliveryFactory()

    response = post(
        client, brevo_event("hard_bounce", delivery=delivery, tag=f"{delivery.idempotency_key}@autre.example")
    )

    assert response.json() == {"outcomes": {"ignored": 1}}
    assert reloaded(delivery).report == ""


def test_an_earlier_report_arriving_late_does_not_replace_a_later_one(client):
    delivery = TextDeliveryFactory()
    now = timezone.now()
    post(client, brevo_event("delivered", delivery=delivery, at=now - timedelta(minutes=1)))

    post(client, brevo_event("soft_bounce", delivery=delivery, at=now - timedelta(minutes=5)))

    assert reloaded(delivery).report == Delivery.Report.DELIVERED


def test_sent_and_accepted_events_change_nothing(client):
    delivery = TextDeliveryFactory()

    response = post(client, [brevo_event("sent", delivery=delivery), brevo_event("accepted", delivery=delivery)])

    assert response.json() == {"outcomes": {"ignored": 2}}
    assert reloaded(delivery).report == ""


def test_a_batch_of_events_is_acted_on_event_by_event(client):
    """Brevo's batched webhooks post a JSON array (https://developers.brevo.com/docs/batch-webhooks)."""
    first, second = TextDeliveryFactory(), TextDeliveryFactory()

    response = post(
        client,
        [
            brevo_event("delivered", delivery=first, message_id=1),
            brevo_event("hardBounce", delivery=second, message_id=2),
        ],
    )

    assert response.json() == {"outcomes": {"reported": 2}}
    assert (reloaded(first).report, reloaded(second).report) == ("delivered", "unknown")


# Replays and old events: answered 200 so the provider stops, nothing done, logged.


def test_the_same_event_twice_is_acted_on_once(client, caplog, replies):
    TextDeliveryFactory(to="+33612345678")
    event = brevo_event("replied", reply="OUI")

    first = post(client, event)
    with caplog.at_level(logging.WARNING, logger="notifications.sms_inbound"):
        again = post(client, json.dumps(event, indent=2))

    assert first.json() == {"outcomes": {"replied": 1}}
    assert again.status_code == 200
    assert again.json() == {"outcomes": {"replayed": 1}}
    assert len(replies) == 1
    assert "replayed: nothing done" in caplog.text


def test_an_event_older_than_a_day_is_refused_and_logged(client, caplog):
    delivery = TextDeliveryFactory()

    with caplog.at_level(logging.WARNING, logger="notifications.sms_inbound"):
        response = post(client, brevo_event("delivered", delivery=delivery, at=timezone.now() - timedelta(hours=25)))

    assert response.json() == {"outcomes": {"stale": 1}}
    assert reloaded(delivery).report == ""
    assert "outside the" in caplog.text


def test_an_event_dated_in_the_future_is_refused(client):
    delivery = TextDeliveryFactory()

    response = post(client, brevo_event("delivered", delivery=delivery, at=timezone.now() + timedelta(hours=1)))

    assert response.json() == {"outcomes": {"stale": 1}}
    assert reloaded(delivery).report == ""


def test_old_event_keys_are_forgotten_once_their_replays_are_refused_by_date(client, frozen):
    post(client, brevo_event("sent"))
    frozen.tick(timedelta(hours=24))
    assert sms_inbound.forget_old_events() == 0

    frozen.tick(timedelta(hours=2))

    assert sms_inbound.forget_old_events() == 1
    assert not SmsProviderEvent.objects.exists()


# STOP, whatever way it is written.


@pytest.mark.parametrize(
    "text", ["STOP", " stop ", "Stop.", "S T O P", "STOP!", "stop sms", "Arrêt", "ARRET", "Stop merci", "sToP\n"]
)
def test_stop_in_any_case_ends_sms_to_the_number_at_once(client, text, replies):
    waiting = TextDeliveryFactory(to="+33612345678", pending=True)

    response = post(client, brevo_event("replied", reply=text))

    assert response.json() == {"outcomes": {"stopped": 1}}
    number = SmsNumber.objects.get(phone="+33612345678")
    assert number.stopped
    change = SmsNumberChange.objects.get(number=number)
    assert (change.stopped, change.how, change.by, change.at) == (True, SmsNumber.How.SMS, None, timezone.now())
    assert reloaded(waiting).status == Delivery.Status.CANCELLED
    assert replies == [], "a STOP is no one to call back"


def test_stop_twice_is_recorded_once(client):
    post(client, brevo_event("replied", reply="STOP", message_id=1))
    post(client, brevo_event("replied", reply="stop", message_id=2))

    assert SmsNumberChange.objects.filter(number__phone="+33612345678").count() == 1


def test_the_providers_own_unsubscribe_event_stops_too(client):
    post(client, brevo_event("unsubscribe"))

    assert SmsNumber.objects.get(phone="+33612345678").stopped


# Other replies: handed to the apps above, with the SMS they answer.


@pytest.mark.parametrize("text", ["OUI", "Rappel", "non stop c'est trop bien", "Pouvez-vous m'appeler ?"])
def test_any_other_reply_is_handed_over_with_the_last_sms_to_that_number(client, replies, text):
    TextDeliveryFactory(to="+33612345678", sent_at=timezone.now() - timedelta(days=2))
    latest = TextDeliveryFactory(to="+33612345678", sent_at=timezone.now() - timedelta(hours=1))
    TextDeliveryFactory(to="+33699999999")

    response = post(client, brevo_event("replied", reply=text))

    assert response.json() == {"outcomes": {"replied": 1}}
    assert replies == [
        {
            "phone": "+33612345678",
            "text": text,
            "received_at": timezone.now(),
            "in_reply_to": latest,
            "signal": reply_received,
        }
    ]
    assert not SmsNumber.objects.filter(phone="+33612345678", stopped_at__isnull=False).exists()


def test_a_reply_naming_its_sms_by_tag_answers_that_sms(client, replies):
    answered = TextDeliveryFactory(to="+33612345678", sent_at=timezone.now() - timedelta(days=1))
    TextDeliveryFactory(to="+33612345678")

    post(client, brevo_event("replied", delivery=answered, reply="OUI"))

    assert replies[0]["in_reply_to"] == answered


def test_a_reply_to_a_notifications_sms_answers_it(client, replies):

    person = PersonFactory(phone="+33612345678")
    sms = DeliveryFactory(
        notification__recipient=person, sms=True, status=Delivery.Status.SENT, sent_at=timezone.now()
    )

    post(client, brevo_event("replied", reply="Merci"))

    assert replies[0]["in_reply_to"] == sms


def test_a_reply_from_a_number_never_texted_is_handed_over_without_an_sms(client, replies):
    post(client, brevo_event("replied", to="33687654321", reply="Bonjour"))

    assert replies == [
        {
            "phone": "+33687654321",
            "text": "Bonjour",
            "received_at": timezone.now(),
            "in_reply_to": None,
            "signal": reply_received,
        }
    ]


@pytest.mark.parametrize("to", ["12", "3361234", "", "abc"])
def test_a_reply_from_something_that_is_not_a_number_is_ignored(client, replies, to):
    response = post(client, brevo_event("replied", to=to, reply="STOP"))

    assert response.json() == {"outcomes": {"ignored": 1}}
    assert replies == []
    assert not SmsNumber.objects.exists()


def test_a_reply_from_a_landline_answers_no_sms(client, replies):
    """Placette never texts a landline; a reply from one (a box forwarding SMS) has no SMS to answer."""
    TextDeliveryFactory(to="+33612345678")

    post(client, brevo_event("replied", to="33140000000", reply="OUI"))

    assert replies[0]["phone"] == "+33140000000"
    assert replies[0]["in_reply_to"] is None


# The parser on its own.


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("33612345678", "+33612345678"),
        ("+33612345678", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("32470123456", "+32470123456"),
        ("12", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_numbers_are_written_e164(written, expected):
    assert e164(written) == expected


def test_the_brevo_parser_reads_a_documented_reply():
    [event] = brevo.parse(brevo_event("replied", reply="OUI", tag="texte-1@127.0.0.1"))

    assert (event.kind, event.phone, event.text, event.reference) == (
        Kind.REPLY,
        "+33612345678",
        "OUI",
        "texte-1@127.0.0.1",
    )


def test_two_replies_to_one_sms_are_two_events():
    first = brevo.parse(brevo_event("replied", reply="OUI"))[0]
    second = brevo.parse(brevo_event("replied", reply="Rappelez-moi"))[0]

    assert first.key != second.key


def test_more_events_than_a_brevo_batch_is_malformed():
    with pytest.raises(MalformedEvent):
        brevo.parse([brevo_event("sent")] * 501)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_event_posted_at_once_by_several_requests_is_acted_on_once(replies):
    events = brevo.parse(brevo_event("replied", reply="OUI"))
    workers = 6
    start = threading.Barrier(workers)
    outcomes = []

    def work():
        try:
            start.wait()
            outcomes.append(sms_inbound.receive(events))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcome.most_common(1)[0][0] for outcome in outcomes) == ["replayed"] * (workers - 1) + ["replied"]
    assert len(replies) == 1
    assert SmsProviderEvent.objects.count() == 1
