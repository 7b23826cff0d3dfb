"""An address typed on the map: found by the configured geocoding service, kept in the cache, and every failure a
French sentence beside the field with the list still shown. No test reaches a real service: one asks a stub
server on 127.0.0.1, the others replace the HTTP call itself."""

import html
import io
import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import URLError
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from carte import geocoding
from carte.models import UsefulPlace
from tests.carte.factories import UsefulPlaceFactory, category
from tests.carte.test_pages import make_places
from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db

ROUBAIX = [3.18, 50.69]  # GeoJSON: longitude first
BERLIN = [13.40, 52.52]


def feature(coordinates, label="12 Rue de la Gare 59100 Roubaix"):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": coordinates},
                "properties": {"label": label},
            }
        ],
    }


def names(response):
    found = re.findall(r'<h2 class="offer-item__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())
    return [html.unescape(name) for name in found]


@pytest.fixture
def geocoder_stub(settings):
    """A geocoding service on 127.0.0.1 answering `answers[q]` (or no feature), and the queries it received."""
    answers, asked = {}, []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            query = parse_qs(urlsplit(self.path).query)
            asked.append(query)
            body = json.dumps(answers.get(query["q"][0], {"type": "FeatureCollection", "features": []})).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CARTE_GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/search/"
    yield answers, asked
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_service(settings, monkeypatch):
    """The HTTP call replaced: `reply` is the JSON to answer or the exception to raise; `calls` counts the calls."""
    settings.CARTE_GEOCODER_URL = "https://geocodeur.test/search/"
    state = {"reply": feature(ROUBAIX), "calls": 0}

    def urlopen(request, timeout):
        state["calls"] += 1
        assert timeout == geocoding.TIMEOUT
        if isinstance(state["reply"], BaseException):
            raise state["reply"]
        return io.BytesIO(json.dumps(state["reply"]).encode())

    monkeypatch.setattr(geocoding, "urlopen", urlopen)
    return state


@pytest.fixture
def places(home):
    centre = CentrePageFactory(parent=home, title="Centre du Nord", latitude="50.750000", longitude="3.180000")
    UsefulPlaceFactory(name="Près du centre", latitude="50.749000", longitude="3.180000")
    UsefulPlaceFactory(name="Près de l'adresse", latitude="50.690000", longitude="3.192000")  # 850 m east
    return centre


def test_an_address_found_by_the_service_orders_the_list_by_distance_from_it_and_is_asked_once(
    client, places, geocoder_stub
):
    answers, asked = geocoder_stub
    answers["12 rue de la gare roubaix"] = feature(ROUBAIX)

    response = client.get("/carte/", {"address": "12 rue de la Gare  Roubaix", "centre": places.pk})
    assert names(response) == ["Près de l'adresse", "Près du centre"]
    assert "à 850\u00a0m" in response.content.decode()
    assert asked == [{"q": ["12 rue de la gare roubaix"], "limit": ["1"]}]

    again = client.get("/carte/", {"address": "12 RUE DE LA GARE ROUBAIX"})
    assert names(again) == ["Près de l'adresse", "Près du centre"]
    assert len(asked) == 1  # the second asking came from the cache


def test_without_a_service_there_is_no_address_field_and_the_centre_sorts(client, places, settings):
    settings.CARTE_GEOCODER_URL = ""
    response = client.get("/carte/", {"address": "12 rue de la Gare", "centre": places.pk})
    assert 'name="address"' not in response.content.decode()
    assert names(response) == ["Près du centre", "Près de l'adresse"]


@pytest.mark.parametrize(
    ("reply", "sentence"),
    [
        (URLError("connection refused"), "Nous n'avons pas trouvé cette adresse"),
        (TimeoutError("timed out"), "Nous n'avons pas trouvé cette adresse"),
        ({"type": "FeatureCollection", "features": []}, "Nous n'avons pas trouvé cette adresse"),
        ({"unexpected": "answer"}, "Nous n'avons pas trouvé cette adresse"),
        (feature(BERLIN, "Alexanderplatz, Berlin"), "Cette adresse n'est pas en France"),
    ],
    ids=["refused", "timeout", "nothing-found", "nonsense", "outside-france"],
)
def test_an_address_not_found_is_said_beside_the_field_and_the_list_stays_in_the_centre_s_order(
    client, places, fake_service, reply, sentence
):
    fake_service["reply"] = reply
    response = client.get("/carte/", {"address": "Alexanderplatz", "centre": places.pk})
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert names(response) == ["Près du centre", "Près de l'adresse"]
    assert re.search(rf'<ul class="errorlist" id="id_address_erreurs"><li>{sentence}', page)
    assert 'value="Alexanderplatz"' in page  # what the person typed is kept
    assert '<details class="filters__more form" open>' in page


def test_a_service_failure_is_not_kept_but_an_answer_is(client, places, fake_service):
    fake_service["reply"] = TimeoutError("timed out")
    client.get("/carte/", {"address": "1 place du Marché, Roubaix"})
    fake_service["reply"] = feature(ROUBAIX)
    assert names(client.get("/carte/", {"address": "1 place du Marché, Roubaix"}))[0] == "Près de l'adresse"
    client.get("/carte/", {"address": "1 place du marché, roubaix"})
    assert fake_service["calls"] == 2


def test_a_slow_service_is_given_up_after_the_timeout(places, settings, monkeypatch):
    """A service that never answers: the stub server's socket accepts and stays silent."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    monkeypatch.setattr(geocoding, "TIMEOUT", 0.3)
    settings.CARTE_GEOCODER_URL = f"http://127.0.0.1:{silent.getsockname()[1]}/search/"
    try:
        with pytest.raises(geocoding.AddressNotFound):
            geocoding.geocode("2 rue Lente")
    finally:
        silent.close()


def test_with_the_cache_out_of_reach_an_address_is_still_found(client, places, fake_service, settings):
    with socket.socket() as probe:  # a port nothing listens on: the cache's Redis is down
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "placette.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    for _attempt in range(2):
        assert names(client.get("/carte/", {"address": "12 rue de la Gare Roubaix"}))[0] == "Près de l'adresse"
    assert fake_service["calls"] == 2  # nothing kept, nothing broken


@given(address=st.text(alphabet="abcdeéÉ 12\t", min_size=1, max_size=40))
def test_the_cache_key_ignores_case_and_spacing(address):
    spaced = "  " + address.upper().replace(" ", "   ") + "\t"
    assert geocoding.cache_key(address) == geocoding.cache_key(spaced)
    assert geocoding.cache_key(address) != geocoding.cache_key(address + " bis")


def test_an_address_is_kept_under_its_normalised_form(places, fake_service):
    geocoding.geocode("12 Rue de la Gare")
    assert cache.get(geocoding.cache_key("12 rue de la gare")) == (
        "50.690000",
        "3.180000",
        "12 Rue de la Gare 59100 Roubaix",
    )


def test_the_query_count_of_the_list_near_an_address_does_not_grow_from_50_to_5000_places(
    client, places, fake_service, django_assert_max_num_queries
):
    wifi = category("wi-fi-gratuit")
    query = {"category": "wi-fi-gratuit", "address": "12 rue de la Gare Roubaix", "centre": places.pk}
    make_places(50, places, wifi)
    client.get("/carte/", query)  # warms the drop-down lists and the address's point
    with django_assert_max_num_queries(30) as small:
        assert client.get("/carte/", query).status_code == 200
    UsefulPlace.objects.filter(for_centre__isnull=True).delete()
    make_places(5000, places, wifi)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert names(client.get("/carte/", query))[0] == "Lieu 4999"  # the easternmost, nearest the address
    assert fake_service["calls"] == 1
