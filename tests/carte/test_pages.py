"""The map's pages: the list and its filters, distance from a centre, pages, a place's page, the printed sheet."""

import datetime as dt
import json
import re

import pytest
from freezegun import freeze_time

from carte.models import PlaceOpeningHours, UsefulPlace
from tests.carte.factories import UsefulPlaceFactory, always_open, category, seed_categories
from tests.factories import CentrePageFactory, UserFactory

pytestmark = pytest.mark.django_db

# A Monday, 10:00 in Paris (winter time).
MONDAY_MORNING = "2026-12-07 09:00:00+00:00"


def names(response):
    return re.findall(r'<h2 class="offer-item__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social L'Escale", latitude="50.690000", longitude="3.180000")


def test_the_list_filters_by_category_and_age_band(client, home):
    UsefulPlaceFactory(name="Médiathèque Zola", categories=[category("mediatheque")], for_elementaire=True)
    UsefulPlaceFactory(name="Crèche Les Lutins", categories=[category("creche")], for_under_3=True)

    assert names(client.get("/carte/", {"category": "creche"})) == ["Crèche Les Lutins"]
    assert names(client.get("/carte/", {"age": "for_elementaire"})) == ["Médiathèque Zola"]
    assert names(client.get("/carte/")) == ["Crèche Les Lutins", "Médiathèque Zola"]


@freeze_time(MONDAY_MORNING)
def test_open_now_keeps_the_places_open_at_this_paris_time_and_says_it(client, home):
    UsefulPlaceFactory(name="Ouvert le lundi matin", hours=[(0, dt.time(9), dt.time(12))])
    UsefulPlaceFactory(name="Ouvert le lundi après-midi", hours=[(0, dt.time(14), dt.time(17))])

    response = client.get("/carte/", {"open_now": "on"})
    assert names(response) == ["Ouvert le lundi matin"]
    html = client.get("/carte/").content.decode()
    assert html.count("Ouvert maintenant</strong>") == 1 and html.count("Fermé maintenant") == 1


def test_near_a_centre_orders_by_distance_and_says_how_far(client, centre):
    UsefulPlaceFactory(name="Loin", latitude="50.710000", longitude="3.180000")  # 2,2 km north
    UsefulPlaceFactory(name="Tout près", latitude="50.690000", longitude="3.192000")  # 850 m east
    UsefulPlaceFactory(name="Sans coordonnées", latitude=None, longitude=None)

    response = client.get("/carte/", {"centre": centre.pk})
    html = response.content.decode()
    assert names(response) == ["Tout près", "Loin", "Sans coordonnées"]
    assert "à 850\u00a0m" in html and "à 2,2\u00a0km" in html


def test_the_list_is_cut_into_pages_keeping_the_filters(client, home):
    wifi = category("wi-fi-gratuit")
    for n in range(25):
        UsefulPlaceFactory(name=f"Lieu {n:02}", categories=[wifi])

    first = client.get("/carte/", {"category": "wi-fi-gratuit"})
    second = client.get("/carte/", {"category": "wi-fi-gratuit", "page": 2})
    assert len(names(first)) == 20 and len(names(second)) == 5
    assert "?category=wi-fi-gratuit&amp;page=2#filtres" in first.content.decode()


def make_places(count, centre, wifi):
    UsefulPlace.objects.bulk_create(
        UsefulPlace(
            name=f"Lieu {n}",
            street_address=f"{n} rue Haute",
            postcode="59100",
            town="Roubaix",
            latitude="50.690000",
            longitude=f"{3.1 + n / 100000:.6f}",
            centre=centre,
        )
        for n in range(count)
    )
    places = list(UsefulPlace.objects.filter(for_centre__isnull=True))
    UsefulPlace.categories.through.objects.bulk_create(
        UsefulPlace.categories.through(usefulplace=p, placecategory=wifi) for p in places
    )
    PlaceOpeningHours.objects.bulk_create(
        PlaceOpeningHours(place=p, weekday=0, opens=dt.time(9), closes=dt.time(12)) for p in places
    )


def test_the_query_count_of_the_list_does_not_grow_from_50_to_5000_places(
    client, centre, django_assert_max_num_queries
):
    wifi = category("wi-fi-gratuit")
    query = {"category": "wi-fi-gratuit", "open_now": "on", "centre": centre.pk, "age": "for_college"}
    make_places(50, centre, wifi)
    UsefulPlace.objects.update(for_college=True)
    client.get("/carte/", query)  # warms the shared drop-down lists, as any earlier visit would
    with django_assert_max_num_queries(30) as small:
        assert client.get("/carte/", query).status_code == 200
        assert client.get("/carte/", {"centre": centre.pk}).status_code == 200
    UsefulPlace.objects.filter(for_centre__isnull=True).delete()
    make_places(5000, centre, wifi)
    UsefulPlace.objects.update(for_college=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/carte/", query).status_code == 200
        assert client.get("/carte/", {"centre": centre.pk}).status_code == 200
    print(f"/carte/ queries, two pages: {len(small.captured_queries)}")  # noqa: T201


@freeze_time(MONDAY_MORNING)
def test_a_place_page_says_everything_in_plain_french(client, centre):
    checker = UserFactory(first_name="Samia")
    place = UsefulPlaceFactory(
        name="Espace France Services",
        categories=[category("france-services")],
        hours=[(0, dt.time(9), dt.time(12)), (0, dt.time(14), dt.time(17))],
        phone="+33320000000",
        website="https://exemple.test/france-services",
        wheelchair=True,
        hearing_loop=True,
        languages="français, arabe",
        centre=centre,
        last_checked_on=dt.date(2026, 11, 30),
        last_checked_by=checker,
    )
    response = client.get(place.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "Ouvert maintenant" in html
    assert "<dt>Lundi</dt><dd>9 h – 12 h, 14 h – 17 h</dd>" in html.replace("\u00a0", " ").replace("\u2060", "")
    assert 'href="https://www.openstreetmap.org/directions?to=50.690000%2C3.180000"' in html
    assert 'href="tel:+33320000000"' in html
    assert "Accessible en fauteuil roulant." in html and "Boucle magnétique" in html
    assert "Samia, Centre social L&#x27;Escale." in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "GovernmentOffice" and data["telephone"] == "+33320000000"
    assert data["openingHoursSpecification"][0]["dayOfWeek"] == "https://schema.org/Monday"


def test_a_place_page_with_the_wrong_slug_moves_to_the_right_one_and_an_unknown_place_is_not_found(client, home):
    place = UsefulPlaceFactory(name="Épicerie solidaire")
    response = client.get(f"/carte/lieu/{place.pk}-autre-chose/")
    assert response.status_code == 301 and response["Location"] == f"/carte/lieu/{place.pk}-epicerie-solidaire/"
    assert client.get(f"/carte/lieu/{place.pk + 1000}-x/").status_code == 404


def test_html_in_any_field_is_shown_as_text_and_cannot_close_the_json_ld(client, home):
    payload = '</script><script>alert(1)</script>"><img src=x onerror=alert(2)>'
    place = UsefulPlaceFactory(name=payload, languages=payload, street_address=payload)
    html = client.get(place.get_absolute_url(), follow=True).content.decode()

    assert "<script>alert(1)" not in html and "<img src=x" not in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "</" not in block and json.loads(block)["name"] == payload
    listing = client.get("/carte/").content.decode()
    assert "<img src=x" not in listing and "&lt;/script&gt;" in listing


def test_a_paying_place_says_its_price_and_a_plain_place_is_a_schema_org_place(client, home):
    place = UsefulPlaceFactory(name="Cybercafé", is_free=False, price="20 centimes la page")
    html = client.get(place.get_absolute_url()).content.decode()
    assert "Prix : 20 centimes la page" in html
    assert '"@type": "Place"' in html


def test_the_printed_sheet_lists_one_category_around_a_centre_nearest_first(
    client, centre, django_assert_max_num_queries
):
    wifi = category("wi-fi-gratuit")
    UsefulPlaceFactory(name="Loin", categories=[wifi], latitude="50.710000", longitude="3.180000", hours=always_open())
    UsefulPlaceFactory(name="Près", categories=[wifi], latitude="50.691000", longitude="3.180000")
    UsefulPlaceFactory(name="Autre catégorie", categories=[category("pmi")])

    with django_assert_max_num_queries(20):
        response = client.get("/carte/imprimer/", {"centre": centre.pk, "categorie": "wi-fi-gratuit"})
    html = response.content.decode()
    assert re.findall(r'<h2 id="lieu-\d+">([^<]+)', html) == ["Près ", "Loin "]
    assert 'href="/static/css/print.css' in html or "print.css" in html
    assert client.get("/carte/imprimer/", {"centre": centre.pk, "categorie": "inconnue"}).status_code == 404
    assert client.get("/carte/imprimer/", {"categorie": "wi-fi-gratuit"}).status_code == 404


def test_a_centre_is_a_place_from_its_own_page_and_follows_it_when_published_again(client, centre):
    seed_categories()  # as every install has them, even after another test's flush
    centre.save_revision().publish()
    place = UsefulPlace.objects.get(for_centre=centre)
    assert place.name == "Centre social L'Escale" and place.opening_hours.count() == 10
    assert list(place.categories.values_list("slug", flat=True)) == ["centre-social"]
    assert "Centre social L&#x27;Escale" in client.get("/carte/", {"category": "centre-social"}).content.decode()

    centre.title = "Centre social L'Escale — Roubaix"
    centre.street_address = "3 place de la Gare"
    centre.opening_hours.all().delete()
    centre.save_revision().publish()
    place.refresh_from_db()
    assert place.name == "Centre social L'Escale — Roubaix" and place.street_address == "3 place de la Gare"
    assert place.opening_hours.count() == 0
    assert UsefulPlace.objects.filter(for_centre=centre).count() == 1

    centre.unpublish()
    assert not UsefulPlace.objects.filter(for_centre=centre).exists()


def test_the_centre_page_links_to_the_places_near_it_and_the_menu_to_the_map(client, centre):
    html = client.get(centre.url).content.decode()
    assert f'href="/carte/?centre={centre.pk}"' in html
    assert '<a href="/carte/">Carte</a>' in html
