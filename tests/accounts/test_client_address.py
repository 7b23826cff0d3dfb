"""Rate limits count each person by their own address: behind Caddy as in production, and directly with `make run`.

allauth keys its per-address limits (20 codes a minute for sign-in, for instance) on the address it
believes the request came from. Behind the compose stack's Caddy that is X-Forwarded-For's last entry;
without a proxy it is the connection's own address, and X-Forwarded-For is anyone's to write.
"""

import os
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml
from allauth.account.adapter import get_adapter
from django.core import mail
from django.test import Client, RequestFactory, override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
REQUEST_CODE = "/compte/connexion/"
CADDY = "172.18.0.7"
# allauth's default for sign-in codes: "20/m/ip,3/m/key".
CODES_PER_ADDRESS = 20


def compose_environment(service):
    """The environment docker-compose.yml gives one service, beside platform/.env."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return {name: str(value) for name, value in (services[service].get("environment") or {}).items()}


def production_proxy_count():
    return int(compose_environment("web")["TRUSTED_PROXY_COUNT"])


def ask_code(number, *, remote_addr, forwarded_for=None):
    """Someone new asks a code for their own address, from a fresh browser."""
    UserFactory(email=f"habitant{number}@exemple.test")
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    client = Client(REMOTE_ADDR=remote_addr, headers=headers)
    return client.post(REQUEST_CODE, {"email": f"habitant{number}@exemple.test"})


def settings_value(name, **environment):
    """A setting as placette/settings.py reads it from a given environment, in a fresh interpreter."""
    env = {key: value for key, value in os.environ.items() if key not in {"TRUSTED_PROXY_COUNT", "DEBUG"}}
    env.update(environment, DJANGO_SETTINGS_MODULE="placette.settings")
    script = f"from django.conf import settings; print(settings.{name})"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_compose_stack_trusts_its_one_caddy_for_web_and_ws():
    assert production_proxy_count() == 1
    assert compose_environment("ws")["TRUSTED_PROXY_COUNT"] == "1"


def test_without_a_proxy_nothing_is_trusted_by_default():
    assert settings_value("ALLAUTH_TRUSTED_PROXY_COUNT", DEBUG="1") == "0"
    assert settings_value("ALLAUTH_TRUSTED_PROXY_COUNT", DEBUG="0") == "0"
    assert settings_value("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="1") == "1"


def test_behind_caddy_every_person_has_their_own_limit():
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=production_proxy_count()):
        answers = [ask_code(n, remote_addr=CADDY, forwarded_for=f"203.0.113.{n}") for n in range(1, 26)]

    assert [answer.status_code for answer in answers] == [302] * 25, "everyone behind the proxy gets a code"
    assert len(mail.outbox) == 25


def test_behind_caddy_one_person_is_still_limited():
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=production_proxy_count()):
        answers = [ask_code(n, remote_addr=CADDY, forwarded_for="203.0.113.9") for n in range(CODES_PER_ADDRESS + 1)]
        other = ask_code(99, remote_addr=CADDY, forwarded_for="203.0.113.10")

    assert [answer.status_code for answer in answers] == [302] * CODES_PER_ADDRESS + [200]
    assert "Trop d&#x27;essais" in answers[-1].content.decode()
    assert other.status_code == 302, "the next person behind the same proxy is not held up"
    assert len(mail.outbox) == CODES_PER_ADDRESS + 1


def test_behind_caddy_a_forged_forwarded_for_does_not_escape_the_limit():
    # Caddy drops what an untrusted client wrote, but were a value ever appended to, the real client is the last one.
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=production_proxy_count()):
        answers = [
            ask_code(n, remote_addr=CADDY, forwarded_for=f"198.51.100.{n}, 203.0.113.9")
            for n in range(CODES_PER_ADDRESS + 1)
        ]

    assert [answer.status_code for answer in answers] == [302] * CODES_PER_ADDRESS + [200]


def test_without_a_proxy_a_forged_forwarded_for_is_ignored():
    # `make run`, the tests: the connection's address counts, whatever the request says of itself.
    answers = [ask_code(n, remote_addr="192.0.2.4", forwarded_for=f"203.0.113.{n}") for n in range(1, 26)]

    assert [answer.status_code for answer in answers] == [302] * CODES_PER_ADDRESS + [200] * 5
    assert len(mail.outbox) == CODES_PER_ADDRESS


def sign_up_again(number, *, forwarded_for):
    """Someone who already has an account signs up again: Placette's own view sends them a code, within limits."""
    UserFactory(email=f"habitant{number}@exemple.test")
    client = Client(REMOTE_ADDR=CADDY, headers={"X-Forwarded-For": forwarded_for})
    return client.post("/compte/inscription/", {"display_name": "Awa", "email": f"habitant{number}@exemple.test"})


def test_placette_s_own_limit_on_codes_counts_each_person_behind_caddy(home):
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=production_proxy_count()):
        everyone = [sign_up_again(n, forwarded_for=f"203.0.113.{n}") for n in range(1, 26)]
        one = [sign_up_again(100 + n, forwarded_for="203.0.113.200") for n in range(CODES_PER_ADDRESS + 1)]

    assert [answer.status_code for answer in everyone] == [302] * 25
    # The sign-up page's own limit (also 20 a minute per address) answers first.
    assert [answer.status_code for answer in one] == [302] * CODES_PER_ADDRESS + [429]
    assert "Trop de demandes d'un coup" in unescape(one[-1].content.decode()), "in French, not allauth's English"
    assert len(mail.outbox) == 25 + CODES_PER_ADDRESS


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [(0, "203.0.113.9", "192.0.2.4"), (1, "203.0.113.9", "203.0.113.9"), (1, None, "192.0.2.4")],
)
def test_placette_s_own_limits_read_the_same_address_as_allauth_s(count, forwarded_for, expected):
    """accounts.views counts codes with allauth's ratelimit, so through the adapter's one client-address function."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    request = RequestFactory(REMOTE_ADDR="192.0.2.4", headers=headers).post(REQUEST_CODE)
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=count):
        assert get_adapter(request).get_client_ip(request) == expected
