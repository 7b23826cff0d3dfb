"""Network-wide lists count their matches up to a cap, so that a bigger network costs them nothing more."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import listing
from tests.agenda.factories import EventPageFactory
from tests.echanges.factories import OfferFactory
from tests.factories import CentrePageFactory


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre")


def text(response):
    return html.unescape(response.content.decode())


def test_a_list_past_the_cap_says_more_than_and_stops_at_the_last_counted_page(client, centre, monkeypatch):
    monkeypatch.setattr(listing, "COUNTED_AT_MOST", 40)
    OfferFactory.create_batch(45, centre=centre)

    first = text(client.get("/echanges/"))
    assert "Plus de 40 annonces" in first
    assert "Page 1 sur 2" in first

    last = text(client.get("/echanges/", {"page": 2}))
    assert "Page suivante" not in last
    assert "Pour voir plus loin, faites un choix dans la recherche ci-dessus." in last
    # Past the counted pages, the last counted one is shown.
    assert "Page 2 sur 2" in text(client.get("/echanges/", {"page": 9}))


def test_a_list_within_the_cap_gives_its_exact_count(client, centre, monkeypatch):
    monkeypatch.setattr(listing, "COUNTED_AT_MOST", 40)
    OfferFactory.create_batch(40, centre=centre)
    content = text(client.get("/echanges/"))
    assert "40 annonces" in content
    assert "Plus de" not in content
    assert "Pour voir plus loin" not in text(client.get("/echanges/", {"page": 2}))


def test_the_agenda_counts_a_limited_subquery_not_every_date(client, centre, monkeypatch):
    monkeypatch.setattr(listing, "COUNTED_AT_MOST", 5)
    EventPageFactory(parent=centre, title="Atelier tablette", weekly=True)
    with CaptureQueriesContext(connection) as queries:
        content = text(client.get("/agenda/"))
    assert "Plus de 5 dates à venir" in content
    (count,) = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"]]
    assert "LIMIT 6" in count
