"""The map of the list: its container on /carte/, the places it reads (/carte/lieux.json), the tile server's CSP."""

import json
import re
import urllib.request
from html import unescape

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carte import views
from carte.tiles import tile_origins
from tests.carte.factories import UsefulPlaceFactory, category
from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db


def directives(response):
    return {part.split()[0]: part.split()[1:] for part in response.headers["Content-Security-Policy"].split("; ")}


def map_attributes(html):
    """The data-* attributes of the map's container, unescaped as the browser reads them."""
    tag = re.search(r"<div class=\"place-map\" data-place-map hidden(.*?)>", html, re.S)
    assert tag, "no map on the page"
    return {name: unescape(value) for name, value in re.findall(r'data-([a-z-]+)="([^"]*)"', tag.group(1))}


def mapped(client, **query):
    response = client.get("/carte/lieux.json", query)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    return response.json()


def test_the_stub_tile_server_serves_a_png_for_any_tile_and_counts_the_requests(tile_server):
    with urllib.request.urlopen(f"{tile_server.origin}/12/2075/1370.png") as answer:
        assert answer.headers["Content-Type"] == "image/png"
        assert answer.read().startswith(b"\x89PNG\r\n\x1a\n")
    assert tile_server.tiles() == [(12, 2075, 1370)]


def test_the_list_carries_a_hidden_map_with_the_tile_server_and_the_filters(client, home, tile_server):
    UsefulPlaceFactory(name="Médiathèque Zola", categories=[category("mediatheque")])

    response = client.get("/carte/", {"category": "mediatheque", "page": "1"})
    html = response.content.decode()

    attributes = map_attributes(html)
    assert attributes["places-url"] == "/carte/lieux.json?category=mediatheque"
    assert attributes["tile-url"] == tile_server.url_template
    assert attributes["tile-attribution"] == (
        '© <a href="https://www.openstreetmap.org/copyright">les contributeurs d\'OpenStreetMap</a>'
    )
    assert attributes["leaflet"] == "/static/vendor/leaflet/leaflet-src.esm.js"
    assert '<script type="module" src="/static/js/carte-map.js"></script>' in html
    # The list is the page: the map only adds a button above it, and only with JavaScript (hidden otherwise).
    assert html.index("data-place-map") < html.index("Médiathèque Zola")


def test_an_empty_list_has_no_map(client, home):
    assert "data-place-map" not in client.get("/carte/").content.decode()


def test_only_the_list_allows_the_tile_server_images_and_no_other_host(client, home, tile_server):
    place = UsefulPlaceFactory()

    listing = directives(client.get("/carte/"))
    assert listing["img-src"] == ["'self'", "data:", tile_server.origin]
    assert listing["script-src"] == ["'self'"]
    assert listing["connect-src"] == ["'self'"]
    assert listing["default-src"] == ["'self'"]
    for other in ("/", place.get_absolute_url(), "/carte/lieux.json"):
        assert directives(client.get(other))["img-src"] == ["'self'", "data:"]


def test_a_tile_address_with_subdomains_allows_each_host_and_no_wildcard(settings):
    settings.CARTE_TILE_URL = "https://{s}.tile.example.org/osm/{z}/{x}/{y}.png?key=abc"
    settings.CARTE_TILE_SUBDOMAINS = ["a", "b"]
    assert tile_origins() == ["https://a.tile.example.org", "https://b.tile.example.org"]
    settings.CARTE_TILE_URL = "https://tiles.example.org:8443/{z}/{x}/{y}.png"
    assert tile_origins() == ["https://tiles.example.org:8443"]


@pytest.mark.parametrize(
    "url", ["tile.example.org/{z}/{x}/{y}.png", "ftp://x.org/{z}.png", "https://{z}.x.org/{x}.png"]
)
def test_a_tile_address_the_csp_cannot_name_is_refused(settings, url):
    settings.CARTE_TILE_URL = url
    with pytest.raises(ImproperlyConfigured):
        tile_origins()


def test_a_cached_list_keeps_the_tile_server_in_its_policy(client, home, tile_server, settings):
    settings.PAGE_CACHE_SECONDS = 60
    UsefulPlaceFactory()
    first = client.get("/carte/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/carte/")
    assert len(queries) == 0, "the second visit was not served from the cache"
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert tile_server.origin in directives(again)["img-src"]


def test_the_map_reads_every_page_of_the_filtered_list_with_coordinates(client, home):
    wifi = category("wi-fi-gratuit")
    for number in range(25):
        UsefulPlaceFactory(name=f"Wi-Fi {number:02}", categories=[wifi], street_address="2 rue Pierre-Motte")
    UsefulPlaceFactory(name="Wi-Fi sans position", categories=[wifi], latitude=None, longitude=None)
    UsefulPlaceFactory(name="Crèche Les Lutins", categories=[category("creche")])

    data = mapped(client, category="wi-fi-gratuit", page="2")

    assert data["capped"] is False
    assert [place["name"] for place in data["places"]] == [f"Wi-Fi {number:02}" for number in range(25)]
    first = data["places"][0]
    assert first == {
        "name": "Wi-Fi 00",
        "latitude": 50.69,
        "longitude": 3.18,
        "categories": ["Wi-Fi gratuit"],
        "address": "2 rue Pierre-Motte, 59100 Roubaix",
        "url": first["url"],
    }
    assert client.get(first["url"]).status_code == 200


def test_near_a_centre_the_map_keeps_the_nearest_places_up_to_its_cap(client, home, monkeypatch):
    monkeypatch.setattr(views, "MAPPED_AT_MOST", 2)
    centre = CentrePageFactory(parent=home, title="Centre L'Escale", latitude="50.690000", longitude="3.180000")
    UsefulPlaceFactory(name="A loin", latitude="50.720000", longitude="3.180000")
    UsefulPlaceFactory(name="B tout près", latitude="50.690000", longitude="3.182000")
    UsefulPlaceFactory(name="C à côté", latitude="50.700000", longitude="3.180000")

    data = mapped(client, centre=centre.pk)

    assert data["capped"] is True
    assert [place["name"] for place in data["places"]][:2] == ["B tout près", "C à côté"]


def test_a_query_the_filter_refuses_maps_nothing(client, home):
    UsefulPlaceFactory()
    assert mapped(client, category="pas-une-categorie")["places"] == []


def test_a_place_named_like_markup_stays_text_on_the_list_and_in_the_map_data(client, home):
    UsefulPlaceFactory(name="</script><b>gras</b>")

    data = mapped(client)
    html = client.get("/carte/").content.decode()

    assert data["places"][0]["name"] == "</script><b>gras</b>"
    assert "<b>gras" not in html
    assert "&lt;/script&gt;&lt;b&gt;gras&lt;/b&gt;" in html
    response = client.get("/carte/lieux.json")
    # Served as JSON only: a browser never reads it as a page, whatever the names hold.
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert json.loads(response.content)["places"][0]["name"] == "</script><b>gras</b>"


def test_the_map_data_costs_the_same_queries_for_5_and_50_places(client, home):
    wifi = category("wi-fi-gratuit")

    def queries(**query):
        with CaptureQueriesContext(connection) as captured:
            mapped(client, **query)
        return len(captured)

    UsefulPlaceFactory.create_batch(5, categories=[wifi])
    few = queries(), queries(category="wi-fi-gratuit")
    UsefulPlaceFactory.create_batch(45, categories=[wifi])
    many = queries(), queries(category="wi-fi-gratuit")

    assert len(mapped(client)["places"]) == 50
    assert few == many
    assert max(many) <= 4
