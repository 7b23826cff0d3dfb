"""The centre team's exchange pages: figures per month and corrections of hours."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from echanges.models import Transfer
from echanges.services import conversations, ledger
from tests.accounts.factories import mediator_of
from tests.echanges.factories import AgreementFactory, ConversationFactory, OfferFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of


def done_exchange(centre, giver, receiver, minutes=60):
    offer = OfferFactory(centre=centre, author=giver, time_bank=True)
    agreement = AgreementFactory(
        conversation=ConversationFactory(offer=offer, starter=receiver), accepted=True, minutes=minutes
    )
    conversations.confirm_done(agreement.pk, giver)
    conversations.confirm_done(agreement.pk, receiver)
    return agreement


def test_figures_count_exchanges_hours_and_people_per_month(centre, home):
    people = [member_of(centre) for _ in range(3)]
    done_exchange(centre, people[0], people[1], minutes=60)
    done_exchange(centre, people[1], people[2], minutes=90)
    done_exchange(CentrePageFactory(parent=home), people[0], people[2], minutes=30)

    (month,) = ledger.centre_figures(centre)
    assert month.month == timezone.localdate().replace(day=1)
    assert (month.exchanges, month.minutes, month.people) == (2, 150, 3)


def test_the_figures_page_is_for_the_centre_team_only(client, staff_login, centre):
    done_exchange(centre, member_of(centre), member_of(centre), minutes=120)
    staff_login(client, mediator_of(centre))
    content = html.unescape(client.get(reverse("echanges:figures")).content.decode())
    assert "<strong>1</strong> échange réalisé" in content
    assert "<strong>2\u00a0h</strong> échangées" in content

    client.force_login(member_of(centre))
    assert client.get(reverse("echanges:figures")).status_code == 403
    client.logout()
    assert client.get(reverse("echanges:figures")).status_code == 302


def test_another_centre_s_figures_cannot_be_chosen(client, staff_login, centre, home):
    other = CentrePageFactory(parent=home, title="Centre voisin")
    staff_login(client, mediator_of(centre))
    content = html.unescape(client.get(reverse("echanges:figures"), {"centre": other.pk}).content.decode())
    assert f"Les échanges du centre {centre.title}" in content


def test_a_correction_through_the_page_adds_a_transfer(client, staff_login, centre):
    giver, receiver = member_of(centre), member_of(centre)
    staff_login(client, mediator_of(centre))
    response = client.post(
        reverse("echanges:correction"),
        {"centre": centre.pk, "payer": receiver.pk, "payee": giver.pk, "hours": "0,75", "note": "Oubli du 3 mars"},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.payer.owner, transfer.payee.owner, transfer.minutes) == (receiver, giver, 45)


@pytest.mark.parametrize(
    ("hours", "note", "message"),
    [("-1", "Oubli", "plus grand que zéro"), ("1", "", "Dites pourquoi"), ("11", "Oubli", "10 heures au plus")],
)
def test_a_bad_correction_is_refused_and_writes_nothing(client, staff_login, centre, hours, note, message):
    giver, receiver = member_of(centre), member_of(centre)
    staff_login(client, mediator_of(centre))
    response = client.post(
        reverse("echanges:correction"),
        {"centre": centre.pk, "payer": receiver.pk, "payee": giver.pk, "hours": hours, "note": note},
    )
    assert message in html.unescape(response.content.decode())
    assert not Transfer.objects.exists()


def test_residents_cannot_correct_hours(client, centre):
    giver, receiver = member_of(centre), member_of(centre)
    client.force_login(receiver)
    response = client.post(
        reverse("echanges:correction"), {"payer": giver.pk, "payee": receiver.pk, "hours": "5", "note": "Cadeau"}
    )
    assert response.status_code == 403
    assert not Transfer.objects.exists()


def test_people_of_another_centre_cannot_be_chosen(client, staff_login, centre, home):
    stranger = member_of(CentrePageFactory(parent=home))
    staff_login(client, mediator_of(centre))
    response = client.post(
        reverse("echanges:correction"),
        {"centre": centre.pk, "payer": stranger.pk, "payee": member_of(centre).pk, "hours": "1", "note": "Essai"},
    )
    assert response.status_code == 200
    assert not Transfer.objects.exists()


def test_figures_keep_twelve_months(centre):
    giver, receiver = member_of(centre), member_of(centre)
    old = done_exchange(centre, giver, receiver)
    old.done_at = timezone.now() - dt.timedelta(days=400)
    old.save(update_fields=["done_at"])
    assert ledger.centre_figures(centre) == []
