"""What the agenda tells people, in the site's one way of writing days and hours, by inbox, e-mail and SMS."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse
from freezegun import freeze_time

from agenda import services
from notifications import deliveries
from notifications.models import Notification
from tests.agenda.factories import EventPageFactory, first_date
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre")


@freeze_time("2026-11-30 11:00")
def test_a_registration_is_told_with_its_day_and_hour_in_words_and_the_sms_keeps_plain_spaces(
    client, centre, sms_outbox
):
    event = EventPageFactory(parent=centre, title="Couture", start_date=dt.date(2026, 12, 1), start_time=dt.time(14))
    person = member_of(centre, by_sms=True)

    services.register(first_date(event).pk, person)

    notice = Notification.objects.get(recipient=person)
    assert notice.text == f"Inscription confirmée : « Couture », mardi 1er{NBSP}décembre à 14{NBSP}h."
    deliveries.deliver(notice.deliveries.get().pk)
    [sms] = sms_outbox
    # In the GSM alphabet: French quotes would make it Unicode, twice the cost.
    assert 'Inscription confirmée : "Couture", mardi 1er décembre à 14 h.' in sms.body
    assert NBSP not in sms.body
    client.force_login(person)
    inbox = unescape(client.get(reverse("notifications:inbox")).content.decode())
    assert f"Inscription confirmée{NBSP}: «{NBSP}Couture{NBSP}», mardi 1er{NBSP}décembre à 14{NBSP}h." in inbox
    assert f"Lundi 30{NBSP}novembre à 12{NBSP}h" in inbox
