"""The first things Placette tells people, and what happens when the live push cannot go."""

import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.services import erase_account, record_acting
from notifications.models import Notification
from tests.accounts.factories import mediator_of, resident_of
from tests.accounts.pages import signed_in
from tests.factories import CentrePageFactory, UserFactory


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Pont")


@pytest.mark.django_db
def test_joining_a_centre_brings_a_welcome_once(centre):
    fatou = UserFactory(display_name="Fatou")
    client = signed_in(fatou)

    client.post(reverse("accounts:join_centre", args=[centre.pk]))
    client.post(reverse("accounts:join_centre", args=[centre.pk]))

    welcome = Notification.objects.get(recipient=fatou)
    assert welcome.kind == "welcome"
    assert welcome.text.startswith("Bienvenue ! Vous avez rejoint « Centre social du Pont ».")
    assert welcome.url == centre.url
    assert welcome.centre_id == centre.pk


@pytest.mark.django_db
def test_a_resident_is_told_each_time_a_mediator_acts_for_them(centre, other_centre):
    mediator = mediator_of(centre, display_name="Nadia")
    resident = resident_of(centre, consent=True, display_name="Marcelle")
    client = signed_in(mediator)
    client.post(reverse("accounts:act_for", args=[resident.pk]))

    client.post(reverse("accounts:join_centre", args=[other_centre.pk]))

    told = Notification.objects.filter(recipient=resident, kind="acted_for").get()
    assert told.text == "Nadia a agi pour vous : Inscription au centre « Centre social de la Gare »"
    assert told.actor == mediator
    assert told.url == reverse("accounts:my_account") + "#qui-m-aide"
    assert not Notification.objects.filter(recipient=mediator).exists()


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social de la Gare")


@pytest.mark.django_db
def test_nothing_is_said_of_an_action_that_failed(centre):
    mediator, resident = mediator_of(centre), resident_of(centre, consent=True)
    record_acting(mediator, resident, action="Inscription refusée", path="/x/", succeeded=False)
    assert not Notification.objects.filter(kind="acted_for").exists()


@pytest.mark.django_db
def test_erasing_an_account_removes_its_notifications_and_those_that_name_it(centre):
    mediator, resident = mediator_of(centre, display_name="Nadia"), resident_of(centre, consent=True)
    record_acting(mediator, resident, action="Inscription à l'atelier", path="/x/", succeeded=True)
    Notification.objects.create(recipient=mediator, kind="welcome", text="Bienvenue")

    erase_account(mediator)

    assert not Notification.objects.filter(recipient=mediator).exists()
    assert not Notification.objects.filter(text__contains="Nadia").exists()


@pytest.mark.django_db
def test_my_data_lists_my_notifications(centre):
    fatou = UserFactory()
    Notification.objects.create(recipient=fatou, kind="welcome", text="Bienvenue au centre du Pont !")
    data = signed_in(fatou).get(reverse("accounts:my_data_json")).json()
    assert "Bienvenue au centre du Pont !" in str(data)


# Redis down: the request succeeds, the row is kept, the failure is logged.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # Port 1 on loopback: nothing listens there, the connection is refused at once.
        "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:1/0", "socket_timeout": None}]},
    }
}


@pytest.mark.django_db(transaction=True)
def test_with_redis_unreachable_joining_still_works_and_the_welcome_waits_in_the_inbox(centre, caplog):
    fatou = UserFactory()
    client = signed_in(fatou)

    with override_settings(CHANNEL_LAYERS=UNREACHABLE_REDIS), caplog.at_level(logging.WARNING):
        response = client.post(reverse("accounts:join_centre", args=[centre.pk]))

    assert response.status_code == 302
    assert response.url == centre.url
    welcome = Notification.objects.get(recipient=fatou, kind="welcome")
    assert f"Notification {welcome.pk} not pushed live" in caplog.text
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Vous avez rejoint « Centre social du Pont »" in inbox
