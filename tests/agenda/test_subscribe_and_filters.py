"""Subscribing to an agenda from a phone (webcal:), downloading it once (https), and filters folded once chosen."""

import re
from html import unescape

import pytest
from django.urls import reverse

from agenda.models import CalendarToken
from tests.agenda.factories import CategoryFactory, EventPageFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import PersonFactory

pytestmark = pytest.mark.django_db

HOST = "placette.example.org"


@pytest.fixture(autouse=True)
def site_host(settings):
    settings.ALLOWED_HOSTS = [HOST, "testserver"]


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre")


@pytest.fixture
def workshop(centre):
    return EventPageFactory(
        parent=centre, title="Premiers pas sur le téléphone", weekly=True, category=CategoryFactory(slug="numerique")
    )


def links(response):
    """{accessible text: href} of the page's links, hidden words included."""
    html = response.content.decode()
    return {
        " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()): unescape(href)
        for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)
    }


def get(client, url, **query):
    response = client.get(url, query, headers={"host": HOST})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("where", "subscribe", "download", "feed"),
    [
        ("agenda", "S'abonner à l'agenda", "Télécharger l'agenda en fichier calendrier", "agenda:feed"),
        ("centre", "S'abonner à l'agenda du centre", "Télécharger l'agenda du centre en fichier calendrier", "centre"),
        (
            "event",
            "Suivre toutes les dates de cette activité dans mon agenda",
            "Télécharger les dates de cette activité en fichier calendrier",
            "event",
        ),
    ],
)
def test_subscribing_is_a_webcal_address_and_downloading_stays_https(
    client, centre, workshop, where, subscribe, download, feed
):
    url = {"agenda": reverse("agenda:listing"), "centre": centre.url, "event": workshop.url}[where]
    path = {
        "agenda:feed": reverse("agenda:feed"),
        "centre": reverse("agenda:centre_feed", args=[centre.pk]),
        "event": reverse("agenda:event_feed", args=[workshop.pk]),
    }[feed]

    found = links(get(client, url))

    assert found[subscribe] == f"webcal://{HOST}{path}"
    assert found[download] == path
    assert client.get(path).status_code == 200


def test_my_registrations_offer_to_subscribe_my_phone_to_my_own_calendar(client, centre):
    person = PersonFactory()
    token = CalendarToken.objects.create(person=person)
    path = reverse("agenda:personal_feed", args=[token.token])
    client.force_login(person)

    found = links(get(client, reverse("agenda:my_registrations")))

    assert found["Ajouter à l'agenda de mon téléphone"] == f"webcal://{HOST}{path}"
    assert found[f"http://{HOST}{path}"] == f"http://{HOST}{path}"


@pytest.mark.parametrize("where", ["agenda", "centre"])
def test_after_filtering_the_panel_is_folded_and_says_what_is_chosen(client, centre, workshop, where):
    url = reverse("agenda:listing") if where == "agenda" else centre.url

    html = unescape(get(client, url, period="month", category="numerique", free="on").content.decode())

    assert '<details class="filters__more form">' in html
    assert "<summary>Modifier les filtres</summary>" in html
    chosen = re.search(r'<div class="filters__chosen">(.*?)</div>', html, re.S).group(1)
    assert [item.strip() for item in re.findall(r"<li>(.*?)</li>", chosen)] == [
        "Type d'activité\xa0: " + workshop.category.name,
        "Quand\xa0: Ce mois-ci",
        "Gratuit seulement",
    ]
    assert "Tout effacer" in chosen
    assert "Premiers pas sur le téléphone" in html


def test_dates_chosen_are_said_in_words_and_a_mistake_opens_the_panel(client, centre, workshop):
    folded = unescape(get(client, reverse("agenda:listing"), period="dates", start="2030-03-01").content.decode())
    assert "<li>Du\xa0: 1er\xa0mars 2030</li>" in folded

    mistake = get(
        client, reverse("agenda:listing"), period="dates", start="2030-03-08", end="2030-03-01"
    ).content.decode()
    assert '<details class="filters__more form" open>' in mistake
    assert "La date de fin doit venir après la date de début." in unescape(mistake)


def test_unfiltered_the_panel_is_folded_and_invites_to_choose(client, centre, workshop):
    html = unescape(get(client, reverse("agenda:listing")).content.decode())

    assert '<details class="filters__more form">' in html
    assert "<summary>Choisir : centre, type, date…</summary>" in html
    assert "filters__chosen" not in html
