"""A sign-up whose code was never typed does not keep the address: it is deleted a day later."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import User

pytestmark = pytest.mark.django_db


def sign_up(client, email):
    response = client.post("/compte/inscription/", {"display_name": "Squatteur", "email": email})
    assert response.status_code == 302
    return User.objects.get(email=email)


def test_a_sign_up_never_confirmed_is_deleted_after_a_day(client):
    with freeze_time(timezone.now() - timedelta(days=2)):
        squatted = sign_up(client, "victime@exemple.test")

    call_command("purge_inactive_accounts", stdout=StringIO())

    assert not User.objects.filter(pk=squatted.pk).exists()
    assert not EmailAddress.objects.filter(email="victime@exemple.test").exists()


def test_a_confirmed_or_recent_sign_up_stays(client, mailoutbox):
    with freeze_time(timezone.now() - timedelta(days=2)):
        confirmed = sign_up(client, "confirme@exemple.test")
        code = next(line.strip() for line in mailoutbox[-1].body.splitlines() if line.strip().isdigit())
        assert client.post("/compte/connexion/code/", {"code": code}).status_code == 302
    client.logout()
    recent = sign_up(client, "recent@exemple.test")

    call_command("purge_inactive_accounts", stdout=StringIO())

    assert User.objects.filter(pk__in=[confirmed.pk, recent.pk]).count() == 2
