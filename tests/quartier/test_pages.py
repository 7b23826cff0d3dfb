"""The network's home page and a centre's page, as a visitor sees them."""

import datetime as dt
import gzip
import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db

# Every public page answers in at most this many queries, whatever the volume (DESIGN.md budgets).
PUBLIC_PAGE_MAX_QUERIES = 15


def test_home_lists_live_centres_with_town_link_photo_and_next_opening(client, home):
    centre = CentrePageFactory(parent=home, title="Centre social du Pont", town="Tourcoing", with_photo=True)
    CentrePageFactory(parent=home, title="Centre social du Zénith", with_photo=True)
    CentrePageFactory(parent=home, title="Centre en préparation", live=False)

    with freeze_time("2026-11-23 10:00:00+01:00"):  # a Monday morning
        response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Placette réunit les centres sociaux" in html
    assert f'href="{centre.url}"' in html
    assert "Tourcoing" in html
    assert html.count('alt="Façade du centre"') == 2 and ".webp" in html
    # The first photo is on a phone's first screen: only the next ones wait to be scrolled to.
    first, second = html.split('<li class="card">')[1:3]
    assert 'loading="lazy"' not in first and 'loading="lazy"' in second
    assert "Ouvert maintenant, jusqu'à 12\u00a0h" in unescape(html)
    assert "Centre en préparation" not in html


def test_home_says_so_when_there_is_no_centre_yet(client, home):
    response = client.get("/")
    assert "Aucun centre pour l'instant." in unescape(response.content.decode())


def test_centre_page_shows_how_to_reach_the_centre(client, home):
    centre = CentrePageFactory(
        parent=home,
        slug="centre-social-belencontre",
        street_address="14 rue des Tisserands",
        postcode="59200",
        town="Tourcoing",
        latitude="50.731900",
        longitude="3.172400",
        phone="+33353010101",
        email="contact@belencontre.exemple.test",
        with_photo=True,
        photo_alt="La façade en briques",
        hours=[(5, dt.time(9, 30), dt.time(12))],
    )

    with freeze_time("2026-11-23 10:00:00+01:00"):
        response = client.get("/centre-social-belencontre/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{centre.title}</h1>" in html
    assert "14 rue des Tisserands<br>59200 Tourcoing" in html
    assert "https://www.openstreetmap.org/?mlat=50.731900&amp;mlon=3.172400" in html
    assert 'href="tel:+33353010101">03 53 01 01 01</a>' in html
    assert 'href="mailto:contact@belencontre.exemple.test"' in html
    assert 'alt="La façade en briques"' in html
    assert "<dt>Samedi</dt><dd>9\u00a0h\u00a030\u00a0–\u2060\u00a012\u00a0h</dd>" in html
    assert "<dt>Lundi</dt><dd>Fermé</dd>" in html
    assert "Ouvre samedi à 9\u00a0h\u00a030" in html
    for heading in ("Agenda", "Échanges"):
        assert f">{heading}</h2>" in html


def test_centre_without_coordinates_links_to_an_address_search(home):
    centre = CentrePageFactory(parent=home, latitude=None, longitude=None, street_address="5 rue Jean-Jaurès")
    assert centre.map_url.startswith("https://www.openstreetmap.org/search?query=5+rue+Jean-Jaur")


def test_a_draft_centre_is_not_served(client, home):
    CentrePageFactory(parent=home, slug="brouillon", live=False)
    assert client.get("/brouillon/").status_code == 404


def queries_for(client, url):
    client.get(url)  # first visit makes the image renditions; the count is for every visit after
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/", "/centre-0/"])
def test_public_pages_query_count_does_not_grow_with_centres(client, home, url):
    for number in range(5):
        CentrePageFactory(parent=home, slug=f"centre-{number}", with_photo=True)
    with_five = queries_for(client, url)

    for number in range(5, 50):
        CentrePageFactory(parent=home, slug=f"centre-{number}", with_photo=True)
    with_fifty = queries_for(client, url)

    assert with_five == with_fifty
    assert with_fifty <= PUBLIC_PAGE_MAX_QUERIES


# A public page weighs under this, HTML + CSS + JS compressed together (DESIGN.md budgets).
PAGE_WEIGHT_BUDGET = 25 * 1024


def compressed_weight(client, url):
    """The gzip size of the page's HTML plus every stylesheet and script it links."""
    html = client.get(url).content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    bodies = [html] + [Path(finders.find(asset.decode().removeprefix("/static/"))).read_bytes() for asset in assets]
    return sum(len(gzip.compress(body, compresslevel=6)) for body in bodies), len(assets)


@pytest.mark.parametrize("url", ["/", "/centre-0/"])
def test_public_pages_stay_under_the_weight_budget(client, home, url):
    for number in range(20):
        CentrePageFactory(parent=home, slug=f"centre-{number}", with_photo=True)
    weight, assets = compressed_weight(client, url)
    assert assets == 2  # the stylesheet and the live-updates module
    assert weight < PAGE_WEIGHT_BUDGET
