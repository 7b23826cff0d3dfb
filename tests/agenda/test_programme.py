"""A centre's printable programme: its next weeks grouped by day, for the notice board."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agenda import services
from agenda.views import programme
from tests.agenda.factories import EventPageFactory, PlaceFactory, first_date
from tests.factories import CentrePageFactory, UserFactory

# The same budget as every public page (DESIGN.md).
PUBLIC_PAGE_MAX_QUERIES = 15


@pytest.fixture
def centre(home):
    return CentrePageFactory(
        parent=home, title="Centre social Boilly", street_address="3 rue Boilly", postcode="59100", town="Roubaix"
    )


def url(centre, **query):
    address = reverse("agenda:programme", args=[centre.pk])
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def local_day(occurrence):
    return timezone.localdate(occurrence.start)


def test_programme_groups_the_next_four_weeks_by_day_in_time_order(client, centre):
    place = PlaceFactory(centre=centre, name="Salle informatique")
    weekly = EventPageFactory(parent=centre, title="Atelier tablette", place=place, weekly=True)
    morning = EventPageFactory(
        parent=centre, title="Café des parents", open_door=True, start_time=dt.time(9, 30), end_time=dt.time(11)
    )
    response = client.get(url(centre))
    assert response.status_code == 200

    days = response.context["days"]
    until = timezone.localdate() + dt.timedelta(weeks=4)
    expected = [o for o in (*weekly.occurrences.all(), *morning.occurrences.all()) if local_day(o) < until]
    assert sorted(o.pk for _, dates in days for o in dates) == sorted(o.pk for o in expected)
    assert [day for day, _ in days] == sorted({local_day(o) for o in expected})
    for day, dates in days:
        assert {local_day(o) for o in dates} == {day}
        assert [o.start for o in dates] == sorted(o.start for o in dates)
    html = response.content.decode()
    assert len(re.findall(r"<h2 id=\"jour-\d+\">", html)) == len(days)
    tomorrow = days[0][0]
    assert tomorrow == timezone.localdate() + dt.timedelta(days=1)
    assert days[0][1][0].event.title == "Café des parents"  # 9 h 30 before 14 h
    assert "9\u00a0h\u00a030\u00a0–\u2060\u00a011\u00a0h" in html
    assert "14\u00a0h\u00a0–\u2060\u00a016\u00a0h" in html
    assert "Salle informatique" in html
    assert "Sur inscription" in html
    assert "Entrée libre" in html


def test_programme_shows_the_centre_and_where_to_learn_more_but_not_the_seats(client, centre):
    EventPageFactory(parent=centre)
    html = client.get(url(centre)).content.decode()
    assert "<h1>Programme de Centre social Boilly</h1>" in html
    assert "3 rue Boilly, 59100 Roubaix" in html
    assert centre.phone.as_national in html
    assert f"testserver{centre.url}".rstrip("/") in html
    assert "places restantes" not in html
    assert "Complet" not in html


def test_programme_leaves_out_drafts_other_centres_and_past_dates(client, centre, home):
    shown = EventPageFactory(parent=centre, title="Atelier montré")
    EventPageFactory(parent=centre, title="Brouillon secret", draft=True)
    EventPageFactory(parent=CentrePageFactory(parent=home), title="Chez les voisins")
    unpublished = EventPageFactory(parent=centre, title="Retiré du site")
    unpublished.unpublish()
    past = EventPageFactory(parent=centre, title="Déjà passé")
    now = timezone.now()
    past.occurrences.update(start=now - dt.timedelta(hours=3), end=now - dt.timedelta(hours=1))

    response = client.get(url(centre))
    assert [o.pk for _, dates in response.context["days"] for o in dates] == [first_date(shown).pk]
    html = response.content.decode()
    for title in ("Brouillon secret", "Chez les voisins", "Retiré du site", "Déjà passé"):
        assert title not in html


def test_a_cancelled_date_says_so(client, centre):
    event = EventPageFactory(parent=centre, title="Sortie au musée")
    services.cancel_occurrence(first_date(event).pk, by=UserFactory(network_admin=True), reason="Car en panne.")
    html = client.get(url(centre)).content.decode()
    assert "programme__item--cancelled" in html
    assert "<strong>Annulé :</strong> Sortie au musée" in html


def test_programme_has_its_print_stylesheet_and_print_hint(client, centre):
    html = client.get(url(centre)).content.decode()
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    assert '<script type="module" src="/static/js/print.js"></script>' in html
    assert "choisissez «&nbsp;Imprimer&nbsp;»" in html
    # The button works only with JavaScript: hidden until the module shows it.
    assert re.search(r"<button [^>]*data-print hidden>Imprimer</button>", html)
    assert "Pas d'activité prévue" in html


def test_print_stylesheet_sets_a4_and_hides_the_screen_only_parts():
    text = Path(finders.find("css/print.css")).read_text()
    assert "@page { size: A4;" in text
    for selector in (".site-header", ".site-footer", ".skip-link", ".screen-only", "button"):
        assert selector in text.split("{ display: none")[0]
    assert ".programme__day { break-inside: avoid;" in text


def test_weeks_can_be_chosen_from_one_to_eight(client, centre):
    event = EventPageFactory(parent=centre, weekly=True)
    response = client.get(url(centre, semaines=1))
    assert response.context["weeks"] == 1
    until = timezone.localdate() + dt.timedelta(weeks=1)
    within = [o.pk for o in event.occurrences.order_by("start") if local_day(o) < until]
    assert [o.pk for _, dates in response.context["days"] for o in dates] == within
    assert client.get(url(centre, semaines=8)).context["weeks"] == 8
    assert len([o for _, dates in client.get(url(centre, semaines=8)).context["days"] for o in dates]) == 8


@pytest.mark.parametrize("value", ["0", "9", "-1", "deux", "", "1.5", "%3Cscript%3E"])
def test_a_strange_number_of_weeks_gives_four(client, centre, value):
    response = client.get(url(centre, semaines=value))
    assert response.status_code == 200
    assert response.context["weeks"] == programme.DEFAULT_WEEKS == 4
    assert '<option value="4" selected>4 semaines</option>' in response.content.decode()


def test_programme_stops_at_its_row_limit_and_says_it_continues(client, centre, monkeypatch):
    monkeypatch.setattr(programme, "MAX_ROWS", 3)
    event = EventPageFactory(parent=centre, weekly=True)
    response = client.get(url(centre, semaines=8))
    rows = [o.pk for _, dates in response.context["days"] for o in dates]
    assert rows == [o.pk for o in event.occurrences.order_by("start")[:3]]
    assert response.context["truncated"]
    assert "Le programme continue" in response.content.decode()


def test_programme_of_an_unknown_or_unpublished_centre_is_not_found(client, centre, home):
    closed = CentrePageFactory(parent=home)
    closed.unpublish()
    assert client.get(url(closed)).status_code == 404
    assert client.get(reverse("agenda:programme", args=[centre.pk + 1000])).status_code == 404
    assert client.post(url(centre)).status_code == 405


def queries_for(client, address):
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries), sum(len(dates) for _, dates in response.context["days"])


def test_programme_queries_do_not_grow_with_activities(client, centre):
    place = PlaceFactory(centre=centre)
    for _ in range(3):
        EventPageFactory(parent=centre, place=place, weekly=True)
    few, few_rows = queries_for(client, url(centre))
    for _ in range(27):
        EventPageFactory(parent=centre, place=place, weekly=True)
    many, many_rows = queries_for(client, url(centre))
    assert many_rows > few_rows
    assert few == many
    assert many <= PUBLIC_PAGE_MAX_QUERIES
