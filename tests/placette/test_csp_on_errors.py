"""Every HTML response carries the strict Content-Security-Policy, errors from any middleware included."""

import pytest

from core import freshness

pytestmark = pytest.mark.django_db

STRICT = "script-src 'self'"


def test_an_unknown_host_gets_a_400_with_the_policy(client, home, settings):
    settings.ALLOWED_HOSTS = ["placette.example.org"]
    # SecurityMiddleware reads the Host first when redirecting to HTTPS: the error starts above every other.
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/", HTTP_HOST="attaquant.example.com")
    assert response.status_code == 400
    assert STRICT in response.headers["Content-Security-Policy"]


def test_a_page_not_found_carries_the_policy(client, home):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert STRICT in response.headers["Content-Security-Policy"]


def test_a_server_error_raised_by_a_middleware_carries_the_policy(client, home, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 60

    def broken():
        raise RuntimeError("panne")

    # The page cache runs before sessions and everything else: an error there is as early as a 500 gets.
    monkeypatch.setattr(freshness, "tokens", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "text/html" in response.headers["Content-Type"]
    assert STRICT in response.headers["Content-Security-Policy"]
