"""SMS backends: the console one prints, the locmem one keeps, the Brevo one posts JSON to Brevo's API."""

import io
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from phonenumber_field.phonenumber import PhoneNumber

from notifications import sms
from notifications.sms import SmsError, SmsMessage, get_backend, send_sms
from notifications.sms.backends import brevo, console, locmem


class FakeBrevo:
    """Brevo's SMS endpoint on 127.0.0.1: records each request and answers with `status` and `body`."""

    def __init__(self):
        self.requests = []
        self.status = 201
        self.body = b'{"reference": "ab1", "messageId": 1}'
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                fake.requests.append(
                    {
                        "path": self.path,
                        "headers": {name.lower(): value for name, value in self.headers.items()},
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(fake.body)))
                self.end_headers()
                self.wfile.write(fake.body)

            def log_message(self, format, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v3/transactionalSMS/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def fake_brevo(settings):
    with FakeBrevo() as fake:
        settings.SMS_API_URL = fake.url
        settings.SMS_API_KEY = "cle-de-test"
        settings.SMS_SENDER = "Placette"
        settings.SMS_TIMEOUT = 5
        yield fake


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
