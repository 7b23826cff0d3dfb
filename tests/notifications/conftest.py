"""Fixtures shared by the notification tests."""

import pytest

from tests.notifications.fake_brevo import FakeBrevo


@pytest.fixture
def fake_brevo(settings):
    """Brevo's SMS API on 127.0.0.1, with the settings pointing at it (the backend stays locmem unless a test says)."""
    with FakeBrevo() as fake:
        settings.SMS_API_URL = fake.url
        settings.SMS_API_KEY = "cle-de-test"
        settings.SMS_SENDER = "Placette"
        settings.SMS_TIMEOUT = 5
        yield fake
