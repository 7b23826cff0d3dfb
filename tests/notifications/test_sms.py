"""SMS backends: the console one prints, the locmem one keeps, the Brevo one posts to Brevo's API and asks it back."""

import io
import json
import socket
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from freezegun import freeze_time
from phonenumber_field.phonenumber import PhoneNumber

from notifications import sms
from notifications.sms import SmsError, SmsMessage, get_backend, send_sms
from notifications.sms.backends import brevo, console, locmem


def test_console_backend_writes_the_message_to_its_stream():
    stream = io.StringIO()

    send_sms("+33612345678", "Votre code est 123456.", backend=console.SmsBackend(stream=stream))

    assert stream.getvalue() == "--- SMS pour +33612345678 ---\nVotre code est 123456.\n---\n"


def test_console_backend_prints_to_stdout_by_default(capsys, settings):
    settings.SMS_BACKEND = "notifications.sms.backends.console.SmsBackend"

    send_sms("+33612345678", "Bonjour")

    assert capsys.readouterr().out == "--- SMS pour +33612345678 ---\nBonjour\n---\n"
    assert sms.outbox == []


def test_locmem_backend_keeps_messages_in_the_outbox(sms_outbox):
    assert isinstance(get_backend(), locmem.SmsBackend), "tests send no real SMS"

    message = send_sms("+33612345678", "Premier")
    send_sms("+33700000000", "Second")

    assert message == SmsMessage(to="+33612345678", body="Premier")
    assert sms_outbox == [SmsMessage("+33612345678", "Premier"), SmsMessage("+33700000000", "Second")]


def test_send_sms_takes_a_phone_number_object(sms_outbox):
    send_sms(PhoneNumber.from_string("06 12 34 56 78", region="FR"), "Bonjour")

    assert sms_outbox[0].to == "+33612345678"


def test_brevo_backend_posts_a_transactional_sms(fake_brevo, settings, sms_outbox):
    settings.SMS_BACKEND = "notifications.sms.backends.brevo.SmsBackend"

    send_sms("+33612345678", "Placette : votre code est 123456. Ne le donnez à personne.")

    assert len(fake_brevo.requests) == 1
    request = fake_brevo.requests[0]
    assert request["path"] == "/v3/transactionalSMS/sms"
    assert request["headers"]["api-key"] == "cle-de-test"
    assert request["headers"]["content-type"] == "application/json"
    assert request["json"] == {
        "sender": "Placette",
        "recipient": "33612345678",
        "content": "Placette : votre code est 123456. Ne le donnez à personne.",
        "type": "transactional",
    }
    assert sms_outbox == []


def test_brevo_refusal_raises_sms_error_in_french(fake_brevo):
    fake_brevo.status = 400
    fake_brevo.body = b'{"code": "invalid_parameter", "message": "Invalid phone number"}'

    with pytest.raises(SmsError) as error:
        brevo.SmsBackend().send(SmsMessage("+33612345678", "Bonjour"))

    assert str(error.value).startswith("Brevo a refusé le SMS (400) : ")
    assert "Invalid phone number" in str(error.value)
    assert len(fake_brevo.requests) == 1


def test_brevo_out_of_reach_raises_sms_error_in_french(settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.SMS_API_URL = f"http://127.0.0.1:{port}/v3/transactionalSMS/sms"
    settings.SMS_API_KEY = "cle-de-test"

    with pytest.raises(SmsError, match=r"^Brevo est injoignable"):
        brevo.SmsBackend().send(SmsMessage("+33612345678", "Bonjour"))


def test_brevo_without_api_key_is_a_configuration_error(settings):
    settings.SMS_API_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="SMS_API_KEY"):
        brevo.SmsBackend()


def test_brevo_tags_an_sms_with_its_reference(fake_brevo):
    brevo.SmsBackend().send(SmsMessage("+33612345678", "Bonjour", reference="notification-7-sms@placette.fr"))

    [request] = fake_brevo.requests
    assert request["json"]["tag"] == "notification-7-sms@placette.fr"


def test_an_sms_without_reference_has_no_tag(fake_brevo):
    brevo.SmsBackend().send(SmsMessage("+33612345678", "Votre code est 123456."))

    assert "tag" not in fake_brevo.requests[0]["json"]


def test_brevo_says_whether_it_took_the_sms_of_a_reference(fake_brevo):
    backend = brevo.SmsBackend()
    taken = SmsMessage("+33612345678", "Bonjour", reference="notification-7-sms@placette.fr")
    other = SmsMessage("+33612345678", "Bonjour", reference="notification-8-sms@placette.fr")
    backend.send(taken)
    since = datetime(2026, 3, 10, 11, tzinfo=UTC)

    assert backend.accepted(taken, since=since) is True
    assert backend.accepted(other, since=since) is False

    lookup = fake_brevo.lookups[0]
    assert lookup["path"] == "/v3/transactionalSMS/statistics/events"
    assert lookup["headers"]["api-key"] == "cle-de-test"
    assert json.loads(lookup["query"]["tags"]) == ["notification-7-sms@placette.fr"]
    assert lookup["query"]["phoneNumber"] == "33612345678"


def test_brevo_looks_back_to_the_day_before_the_first_try(fake_brevo):
    backend = brevo.SmsBackend()
    message = SmsMessage("+33612345678", "Bonjour", reference="notification-7-sms@placette.fr")

    with freeze_time("2026-03-12 09:00"):
        backend.accepted(message, since=datetime(2026, 3, 10, 23, 30, tzinfo=UTC))

    # From the 9th (the provider's day may not be UTC's) to today, the 12th: four days.
    assert fake_brevo.lookups[0]["query"]["days"] == "4"


def test_brevo_out_of_reach_when_asked_raises_sms_error(fake_brevo):
    fake_brevo.status = 502

    with pytest.raises(SmsError, match=r"^Brevo n'a pas pu dire si le SMS est parti \(502\)"):
        brevo.SmsBackend().accepted(
            SmsMessage("+33612345678", "Bonjour", reference="r"), since=datetime(2026, 3, 10, tzinfo=UTC)
        )


def test_the_locmem_backend_knows_the_references_it_kept(sms_outbox):
    backend = locmem.SmsBackend()
    since = datetime(2026, 3, 10, tzinfo=UTC)
    backend.send(SmsMessage("+33612345678", "Bonjour", reference="notification-7-sms@placette.fr"))

    assert backend.accepted(
        SmsMessage("+33612345678", "Bonjour", reference="notification-7-sms@placette.fr"), since=since
    )
    assert not backend.accepted(
        SmsMessage("+33612345678", "Bonjour", reference="notification-8-sms@placette.fr"), since=since
    )
