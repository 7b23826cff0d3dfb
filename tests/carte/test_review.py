"""The centre team's page for the map: its own proposals only, accept (putting the place right) or refuse with a
message, the proposer told; places due for a check and "J'ai vérifié, c'est à jour"."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from carte import proposals
from carte.models import PlaceProposal, UsefulPlace
from notifications.models import Notification
from tests.accounts.factories import mediator_of
from tests.carte.factories import UsefulPlaceFactory, category
from tests.factories import CentrePageFactory, UserFactory

pytestmark = pytest.mark.django_db

TEAM = reverse("carte:team")
TODAY = "2026-12-07 10:00:00+01:00"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(TODAY):
        yield


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social L'Escale")


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Pile")


@pytest.fixture
def mediator(centre):
    return mediator_of(centre, display_name="Nadia Benali")


@pytest.fixture
def team_client(client, staff_login, mediator):
    staff_login(client, mediator)
    return client


@pytest.fixture
def place(centre):
    return UsefulPlaceFactory(
        name="Médiathèque Zola", centre=centre, phone="+33320000000", categories=[category("mediatheque")]
    )


@pytest.fixture
def resident():
    return UserFactory(display_name="Awa Diallo")


def correction_of(place, person=None, **fields):
    return proposals.propose_correction(
        place,
        centre=place.centre,
        token=uuid.uuid4(),
        wrong_fields=["phone"],
        details="Le bon numéro est le 03 20 99 99 99.",
        person=person,
        **fields,
    )


def new_place_of(centre, person=None, **fields):
    return proposals.propose_place(
        centre=centre,
        token=uuid.uuid4(),
        categories=[category("wi-fi-gratuit")],
        person=person,
        name="Café associatif Le Lien",
        street_address="9 rue de Lille",
        postcode="59100",
        town="Roubaix",
        phone="+33320123456",
        latitude=None,
        longitude=None,
        hours_text="Tous les après-midi",
        **fields,
    )


def page_url(proposal):
    return reverse("carte:team_proposal", args=[proposal.pk])


def place_fields(place, **changes):
    fields = {
        "place-name": place.name,
        "place-street_address": place.street_address,
        "place-postcode": place.postcode,
        "place-town": place.town,
        "place-phone": str(place.phone),
        "place-website": place.website,
        "place-categories": [c.pk for c in place.categories.all()],
    }
    return {**fields, **{f"place-{name}": value for name, value in changes.items()}}


# Who may see what


def test_the_team_page_lists_my_centres_pending_proposals_only(team_client, place, other_centre):
    mine = correction_of(place)
    theirs = correction_of(UsefulPlaceFactory(name="Lieu du Pile", centre=other_centre))

    html = team_client.get(TEAM).content.decode()
    assert page_url(mine) in html and page_url(theirs) not in html
    assert "Erreur sur « Médiathèque Zola »" in html


def test_another_centres_proposal_is_not_found_to_see_or_answer(team_client, other_centre):
    theirs = correction_of(UsefulPlaceFactory(centre=other_centre))
    assert team_client.get(page_url(theirs)).status_code == 404
    assert team_client.post(page_url(theirs), {"action": "reject", "reject-message": "Non."}).status_code == 404
    assert PlaceProposal.objects.get().status == "pending"


def test_a_resident_is_told_the_pages_are_the_teams(client, place):
    proposal = correction_of(place)
    client.force_login(UserFactory())
    assert client.get(TEAM).status_code == 403
    assert client.get(page_url(proposal)).status_code == 404


@pytest.mark.parametrize("name", ["team", "team_proposal", "place_checked"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, place, name):
    args = {"team": [], "team_proposal": [correction_of(place).pk], "place_checked": [place.pk]}[name]
    response = client.post(reverse(f"carte:{name}", args=args)) if name == "place_checked" else None
    response = response or client.get(reverse(f"carte:{name}", args=args))
    assert response.status_code == 302 and "/compte/connexion/" in response.url


def test_the_page_shows_what_is_proposed_next_to_what_the_map_says(team_client, place, resident):
    proposal = correction_of(place, resident)
    html = team_client.get(page_url(proposal)).content.decode()
    assert "Le bon numéro est le 03 20 99 99 99." in html
    assert "03 20 00 00 00" in html  # the map's number now
    assert "Awa Diallo" in html


# Accepting and refusing


def test_accepting_a_correction_writes_the_place_checks_it_and_tells_the_resident(
    team_client, place, mediator, resident
):
    proposal = correction_of(place, resident)
    response = team_client.post(
        page_url(proposal),
        {"action": "accept", **place_fields(place, phone="03 20 99 99 99"), "accept-message": "Merci Awa !"},
    )

    assert response.status_code == 302 and response.url == TEAM
    place.refresh_from_db()
    assert str(place.phone) == "+33320999999"
    assert (place.last_checked_on, place.last_checked_by) == (dt.date(2026, 12, 7), mediator)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reviewed_by, proposal.review_message) == ("accepted", mediator, "Merci Awa !")
    notice = Notification.objects.get(recipient=resident)
    assert notice.kind == "place_proposal_accepted" and notice.url == place.get_absolute_url()
    assert "a accepté votre proposition sur « Médiathèque Zola »" in notice.text and "Merci Awa !" in notice.text
    page = team_client.get(place.get_absolute_url()).content.decode()
    assert "par Nadia" in page and "Benali" not in page


def test_accepting_a_new_place_puts_it_on_the_map_checked(team_client, centre, mediator, resident):
    proposal = new_place_of(centre, resident)
    fields = {
        "place-name": "Café associatif Le Lien",
        "place-street_address": "9 rue de Lille",
        "place-postcode": "59100",
        "place-town": "Roubaix",
        "place-phone": "03 20 12 34 56",
        "place-website": "",
        "place-categories": [category("wi-fi-gratuit").pk],
    }
    team_client.post(page_url(proposal), {"action": "accept", **fields})

    place = UsefulPlace.objects.get(name="Café associatif Le Lien")
    assert (place.centre, place.last_checked_by) == (centre, mediator)
    assert [c.slug for c in place.categories.all()] == ["wi-fi-gratuit"]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.place) == ("accepted", place)
    assert Notification.objects.get(recipient=resident).kind == "place_proposal_accepted"


def test_a_wrong_value_while_accepting_is_said_next_to_the_field_and_nothing_is_written(team_client, place):
    proposal = correction_of(place)
    response = team_client.post(page_url(proposal), {"action": "accept", **place_fields(place, postcode="ABC")})
    assert response.status_code == 400
    place.refresh_from_db()
    assert place.postcode == "59100" and PlaceProposal.objects.get().status == "pending"


def test_refusing_needs_a_message_which_the_resident_reads(team_client, place, mediator, resident):
    proposal = correction_of(place, resident)
    empty = team_client.post(page_url(proposal), {"action": "reject", "reject-message": ""})
    assert empty.status_code == 400 and "la personne le lira" in empty.content.decode()

    team_client.post(page_url(proposal), {"action": "reject", "reject-message": "Nous avons appelé : c'est bon."})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reviewed_by) == ("rejected", mediator)
    notice = Notification.objects.get(recipient=resident)
    assert notice.kind == "place_proposal_rejected" and notice.url == proposal.get_absolute_url()
    status = team_client.get(proposal.get_absolute_url()).content.decode()
    assert "Votre proposition n'est pas retenue" in status and "Nous avons appelé : c&#x27;est bon." in status


def test_a_visitors_answer_is_on_the_status_page(client, team_client, place):
    proposal = correction_of(place, contact="visiteur@exemple.test")
    team_client.post(page_url(proposal), {"action": "reject", "reject-message": "Déjà corrigé hier."})
    assert "Déjà corrigé hier." in client.get(proposal.get_absolute_url()).content.decode()
    assert not Notification.objects.filter(kind__in=["place_proposal_accepted", "place_proposal_rejected"]).exists()


def test_a_proposal_is_answered_once(team_client, place, mediator):
    proposal = correction_of(place)
    proposals.reject(proposal.pk, mediator, message="Non.")
    with pytest.raises(proposals.AlreadyAnswered):
        proposals.accept(proposal.pk, mediator)
    response = team_client.post(page_url(proposal), {"action": "reject", "reject-message": "Encore non."})
    assert PlaceProposal.objects.get().review_message == "Non."
    assert "Accepter" not in response.content.decode().split("<h1>")[1]


def test_the_team_is_told_once_a_visitor_proposes_and_the_proposer_is_not(centre, mediator):
    proposal = new_place_of(centre, mediator)
    assert Notification.objects.filter(kind="place_proposal_received").count() == 1
    assert proposal.person == mediator


# Places due for a check


def test_places_unchecked_for_a_year_are_listed_oldest_first_and_checked_in_one_tap(team_client, centre, mediator):
    UsefulPlaceFactory(name="Vérifié le mois dernier", centre=centre, last_checked_on=dt.date(2026, 11, 7))
    UsefulPlaceFactory(name="Vérifié il y a deux ans", centre=centre, last_checked_on=dt.date(2024, 12, 1))
    old = UsefulPlaceFactory(name="Vérifié il y a un an", centre=centre, last_checked_on=dt.date(2025, 12, 7))
    html = team_client.get(TEAM).content.decode()
    assert "Vérifié le mois dernier" not in html
    assert html.index("Vérifié il y a deux ans") < html.index("Vérifié il y a un an")

    response = team_client.post(reverse("carte:place_checked", args=[old.pk]))

    assert response.status_code == 302 and response.url == TEAM
    old.refresh_from_db()
    assert (old.last_checked_on, old.last_checked_by) == (timezone.localdate(), mediator)
    to_check = team_client.get(TEAM).content.decode().split('id="a-reverifier"')[1]
    assert "Vérifié il y a deux ans" in to_check and "Vérifié il y a un an" not in to_check


def test_another_centres_place_cannot_be_marked_checked(team_client, other_centre):
    theirs = UsefulPlaceFactory(centre=other_centre, last_checked_on=dt.date(2020, 1, 1))
    assert team_client.post(reverse("carte:place_checked", args=[theirs.pk])).status_code == 404
    assert team_client.get(reverse("carte:place_checked", args=[theirs.pk])).status_code == 405
    theirs.refresh_from_db()
    assert theirs.last_checked_on == dt.date(2020, 1, 1)
