"""Residents' proposals: "Cette information est fausse" on a place, a new place (a possible duplicate shown first),
one proposal per form however often it is sent, the team told, and the status page a visitor keeps."""

import uuid
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from carte import proposals
from carte.models import PlaceProposal
from notifications.models import Notification
from tests.accounts.factories import mediator_of
from tests.carte.factories import UsefulPlaceFactory, category
from tests.concurrency import at_once, unexpected
from tests.factories import CentrePageFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social L'Escale", latitude="50.690000", longitude="3.180000")


@pytest.fixture
def place(centre):
    return UsefulPlaceFactory(name="Médiathèque Émile-Zola", centre=centre, categories=[category("mediatheque")])


def report_url(place):
    return reverse("carte:report_error", kwargs={"place_id": place.pk, "slug": place.slug})


def correction(**fields):
    return {"wrong_fields": ["hours"], "details": "Fermé le lundi, ouvert le samedi matin.", "token": uuid.uuid4()}


def new_place(**fields):
    return {
        "name": "Laverie solidaire",
        "categories": [category("alimentation-solidaire").pk],
        "street_address": "4 rue du Fontenoy",
        "postcode": "59100",
        "town": "Roubaix",
        "phone": "03 20 11 22 33",
        "hours_text": "Du lundi au vendredi, de 9 h à 17 h.",
        "latitude": "",
        "longitude": "",
        "token": uuid.uuid4(),
        **fields,
    }


# "Cette information est fausse"


def test_every_place_page_offers_cette_information_est_fausse(client, place):
    html = client.get(place.get_absolute_url()).content.decode()
    assert f'href="{report_url(place)}"' in html
    assert "Cette information est fausse" in html


def test_a_visitor_says_the_hours_are_wrong_and_the_centres_team_is_told(client, centre, place):
    mediator = mediator_of(centre, display_name="Nadia")
    response = client.post(report_url(place), {**correction(), "call_back_on": "06 12 34 56 78"})

    proposal = PlaceProposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert (proposal.kind, proposal.place, proposal.centre, proposal.person) == ("correction", place, centre, None)
    assert proposal.wrong_fields == ["hours"] and proposal.contact == "06\u00a012\u00a034\u00a056\u00a078"
    assert proposal.status == "pending"
    notice = Notification.objects.get(recipient=mediator)
    assert notice.kind == "place_proposal_received"
    assert notice.url == reverse("carte:team_proposal", args=[proposal.pk])
    assert "Une personne sans compte signale une erreur sur « Médiathèque Émile-Zola » : les horaires." in notice.text

    status = client.get(response.url).content.decode()
    assert "Merci ! Votre proposition est envoyée" in status
    assert "Fermé le lundi, ouvert le samedi matin." in status
    assert "06\u00a012" not in status  # the contact is for the team


def test_a_resident_is_not_asked_for_a_contact(client, place):
    client.force_login(UserFactory())
    html = client.get(report_url(place)).content.decode()
    assert 'name="call_back_on"' not in html and 'name="wrong_fields"' in html


def test_a_correction_without_anything_ticked_or_said_is_refused_in_words(client, place):
    response = client.post(report_url(place), {"wrong_fields": [], "details": " !! ", "token": uuid.uuid4()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cochez au moins une case." in html and "Écrivez ce qui est faux avec des mots." in html
    assert not PlaceProposal.objects.exists()


def test_a_place_nobody_looks_after_goes_to_the_nearest_centre(client, home, centre):
    CentrePageFactory(parent=home, title="Loin", latitude="50.800000", longitude="3.300000")
    orphan = UsefulPlaceFactory(name="Cyber-base", centre=None, latitude="50.691000", longitude="3.181000")
    client.post(report_url(orphan), correction())
    assert PlaceProposal.objects.get().centre == centre


def test_html_in_a_proposal_is_shown_as_text_to_the_proposer_and_the_team(client, staff_login, centre, place):
    client.post(report_url(place), {**correction(), "details": f"Faux {HOSTILE}"})
    proposal = PlaceProposal.objects.get()
    pages = [client.get(proposal.get_absolute_url())]
    staff_login(client, mediator_of(centre))
    pages.append(client.get(reverse("carte:team_proposal", args=[proposal.pk])))
    for page in pages:
        html = page.content.decode()
        assert "<script>alert(2)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_an_unknown_status_address_is_not_found(client):
    assert client.get(reverse("carte:proposal_status", args=[uuid.uuid4()])).status_code == 404


# A new place


def test_a_new_place_goes_to_the_nearest_centre_with_its_categories(client, home, centre):
    far = CentrePageFactory(parent=home, title="Centre du Nord", latitude="50.800000", longitude="3.100000")
    mediator_of(far)
    client.force_login(resident := UserFactory(display_name="Awa Diallo"))
    response = client.post(reverse("carte:propose"), new_place(latitude="50,6905", longitude="3.1805"))

    proposal = PlaceProposal.objects.get()
    assert response.url == proposal.get_absolute_url()
    assert (proposal.kind, proposal.name, proposal.centre, proposal.person) == (
        "new",
        "Laverie solidaire",
        centre,
        resident,
    )
    assert [c.slug for c in proposal.categories.all()] == ["alimentation-solidaire"]
    assert str(proposal.phone) == "+33320112233"
    assert not Notification.objects.filter(kind="place_proposal_received").exists()  # the far centre's is not told


def test_a_chosen_centre_wins_over_the_nearest(client, home, centre):
    other = CentrePageFactory(parent=home, title="Centre choisi", latitude="50.800000", longitude="3.100000")
    client.post(reverse("carte:propose"), new_place(centre=other.pk))
    assert PlaceProposal.objects.get().centre == other


def test_swapped_coordinates_are_refused_with_the_hint(client, centre):
    response = client.post(reverse("carte:propose"), new_place(latitude="3.18", longitude="50.69"))
    assert "semblent inversées" in response.content.decode()
    assert not PlaceProposal.objects.exists()


def test_a_place_whose_name_is_close_in_the_same_town_is_shown_first(client, place):
    form = new_place(name="mediatheque emile zola")
    response = client.post(reverse("carte:propose"), form)

    html = response.content.decode()
    assert response.status_code == 200 and not PlaceProposal.objects.exists()
    assert "Ce lieu existe peut-être déjà" in html
    assert f'href="{place.get_absolute_url()}"' in html
    assert 'value="mediatheque emile zola"' in html  # what was typed is kept
    assert "Ce n'est pas le même lieu, continuer" in html

    client.post(reverse("carte:propose"), {**form, "action": "continuer"})
    assert PlaceProposal.objects.get().name == "mediatheque emile zola"


def test_a_place_nearby_with_a_close_name_is_shown_whatever_its_town(client, centre):
    near = UsefulPlaceFactory(name="Epicerie La Passerelle", town="Croix", postcode="59170", latitude="50.6910")
    response = client.post(
        reverse("carte:propose"),
        new_place(name="Épicerie « La Passerelle »", latitude="50.6920", longitude="3.1800"),
    )
    assert f'href="{near.get_absolute_url()}"' in response.content.decode()


@pytest.mark.parametrize(
    "name, town, latitude",
    [
        ("Laverie solidaire", "Roubaix", ""),  # another name
        ("Médiathèque Émile-Zola", "Lille", "50.7000"),  # the same name, another town, 1 km away
    ],
)
def test_a_different_place_is_not_taken_for_a_duplicate(client, place, name, town, latitude):
    form = new_place(name=name, town=town, postcode="59000" if town == "Lille" else "59100", latitude=latitude)
    if latitude:
        form["longitude"] = "3.1800"
    response = client.post(reverse("carte:propose"), form)
    assert response.status_code == 302 and PlaceProposal.objects.count() == 1


def test_names_alike_ignore_case_accents_and_punctuation():
    assert proposals.names_alike("Médiathèque Émile-Zola", "MEDIATHEQUE EMILE ZOLA")
    assert proposals.names_alike("Crèche Les Lutins", "Creche les lutin")
    assert not proposals.names_alike("École Jean-Macé", "Collège Jean-Jaurès")


def test_the_listing_links_to_proposer_un_lieu(client, home):
    assert f'href="{reverse("carte:propose")}"' in client.get("/carte/").content.decode()


# One form, one proposal


def test_the_same_form_sent_again_is_one_proposal(client, centre, place):
    mediator_of(centre)
    form = correction()
    first = client.post(report_url(place), form)
    second = client.post(report_url(place), form)
    assert first.url == second.url
    assert PlaceProposal.objects.count() == 1 and Notification.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_form_fired_at_once_makes_one_proposal_and_no_error_page(home):
    centre = CentrePageFactory(parent=home, latitude="50.690000", longitude="3.180000")
    mediator_of(centre)
    form = new_place()
    clients = [Client() for _ in range(4)]
    outcomes = at_once(*[partial(client.post, reverse("carte:propose"), form) for client in clients])

    assert unexpected(outcomes) == []
    assert {outcome.status_code for outcome in outcomes} == {302}
    assert PlaceProposal.objects.count() == 1
    assert Notification.objects.filter(kind="place_proposal_received").count() == 1
