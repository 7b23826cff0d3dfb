"""The date of an agreement, typed in a conversation the French way, is the date agreed; anything else is refused."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from echanges.models import Agreement
from home.french_dates import DATE_ERROR
from tests.echanges.factories import ConversationFactory, OfferFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(home):
    centre = CentrePageFactory(parent=home)
    offer = OfferFactory(centre=centre, author=member_of(centre), title="Réparer un vélo", time_bank=True)
    return ConversationFactory(offer=offer)


def propose(client, conversation, on):
    client.force_login(conversation.starter)
    return client.post(
        reverse("echanges:propose", args=[conversation.pk]),
        {"who": "other", "what": "Réparer la chambre à air", "on": on, "hours": "1,5"},
    )


@pytest.mark.parametrize("typed", ["08/12/2026", "8 décembre 2026", "mardi 8 déc. 2026", "8-12-26"])
def test_the_date_agreed_is_the_one_typed(client, conversation, typed):
    assert propose(client, conversation, typed).status_code == 302
    assert Agreement.objects.get().on == dt.date(2026, 12, 8)


@pytest.mark.parametrize("typed", ["32/13/2026", "demain", "<script>alert(1)</script>"])
def test_anything_else_is_refused_next_to_the_field_keeping_what_was_typed(client, conversation, typed):
    response = propose(client, conversation, typed)

    assert response.status_code == 400
    html = response.content.decode()
    assert escape(str(DATE_ERROR)) in html
    assert f'value="{escape(typed)}"' in html
    assert 'value="Réparer la chambre à air"' in html
    assert not Agreement.objects.exists()
