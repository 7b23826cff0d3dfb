"""The figures' pages: who may see which centre, the dashboard and its empty state, its files read back, the
charts parsed as XML, the yearly report, the cache (kept, renewed by a record, not needed), the number of queries
and the Nu HTML Checker."""

import csv
import datetime as dt
import io
import json
import re
import socket
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from suivi import appointments, lists, tasks
from suivi.charts import bar_chart
from suivi.dashboard_views import year_period
from suivi.figures import STANDARD_PERIODS, Row, Table, figures_for, mask_small
from tests.accounts.factories import resident_of
from tests.agenda.factories import EventPageFactory, RegistrationFactory, first_date
from tests.factories import CentrePageFactory, UserFactory
from tests.placette.test_public_pages import nu_checker
from tests.suivi.factories import PersonFactory, RecordFactory, appointment_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tuesday_the_10th_of_march")]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Canal")


@pytest.fixture
def network_admin():
    return UserFactory(network_admin=True)


def workshop_of(centre, women, men, **fields):
    people = [PersonFactory(centre=centre, with_bands=True) for _index in range(women)]
    people += [PersonFactory(centre=centre, with_bands=True, gender=lists.Gender.MAN) for _index in range(men)]
    return RecordFactory(centre=centre, kind=lists.Kind.WORKSHOP, duration_minutes=90, people=people, **fields)


@pytest.fixture
def figures_of_the_year(centre, other_centre):
    workshop_of(centre, 7, 2)
    workshop_of(other_centre, 1, 0)


def dashboard(centre, **query):
    url = reverse("suivi:figures", args=[centre.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


# --- Who sees what -----------------------------------------------------------------------------------------


def addresses(centre):
    return [
        reverse("suivi:figures", args=[centre.pk]),
        reverse("suivi:figures_export", args=[centre.pk, "genre", "csv"]),
        reverse("suivi:report", args=[centre.pk, 2026]),
    ]


NETWORK = [
    reverse("suivi:network_figures"),
    reverse("suivi:network_figures_export", args=["genre", "xlsx"]),
    reverse("suivi:network_report", args=[2026]),
]


def test_a_centres_team_sees_its_centre_and_not_another_nor_the_network(
    client, staff_login, centre, other_centre, mediator, figures_of_the_year
):
    staff_login(client, mediator)

    assert [client.get(url).status_code for url in addresses(centre)] == [200, 200, 200]
    assert [client.get(url).status_code for url in addresses(other_centre)] == [404, 404, 404]
    assert [client.get(url).status_code for url in NETWORK] == [403, 403, 403]


def test_network_admins_see_the_network_and_every_centre(
    client, staff_login, centre, other_centre, network_admin, figures_of_the_year
):
    staff_login(client, network_admin)

    for url in [*NETWORK, *addresses(centre), *addresses(other_centre)]:
        assert client.get(url).status_code == 200, url
    home = client.get(reverse("suivi:team_home")).content.decode()
    assert reverse("suivi:network_figures") in home
    assert reverse("suivi:figures", args=[other_centre.pk]) in home


def test_residents_and_visitors_are_kept_out(client, centre, figures_of_the_year):
    for url in [*addresses(centre), *NETWORK]:
        assert client.get(url).status_code == 302
    client.force_login(resident_of(centre))
    assert client.get(reverse("suivi:network_figures")).status_code == 403
    assert [client.get(url).status_code for url in addresses(centre)] == [404, 404, 404]


def test_the_team_home_leads_to_its_centres_figures(client, staff_login, centre, mediator):
    staff_login(client, mediator)

    home = client.get(reverse("suivi:team_home")).content.decode()

    assert reverse("suivi:figures", args=[centre.pk]) in home
    assert reverse("suivi:network_figures") not in home


# --- The dashboard ------------------------------------------------------------------------------------------


def test_the_dashboard_shows_this_years_figures_with_small_counts_masked(
    client, staff_login, centre, mediator, figures_of_the_year
):
    staff_login(client, mediator)

    page = client.get(dashboard(centre)).content.decode()

    assert "Du 1 janvier 2026 au 31 décembre 2026." in page
    assert '<th scope="row">Personnes accompagnées</th><td>9</td>' in page
    # 7 women are shown; 2 men are "moins de 5", which would be 9 - 7: the women are masked too.
    assert '<th scope="row">Homme</th><td>moins de 5</td>' in page
    assert '<th scope="row">Femme</th><td>masqué</td>' in page
    assert "Chaque personne compte une fois" in page
    assert "Calculés le 10 mars 2026 à 16:00" in page


def test_a_period_without_records_says_so_rather_than_showing_zeros(
    client, staff_login, centre, mediator, figures_of_the_year
):
    staff_login(client, mediator)

    response = client.get(dashboard(centre, periode="annee-derniere"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Pas de chiffres pour cette période" in page
    assert "<table" not in page and "<svg" not in page


def test_a_bad_range_is_answered_in_french_next_to_the_field(client, staff_login, centre, mediator):
    staff_login(client, mediator)

    response = client.get(dashboard(centre, periode="dates", du="01/03/2026", au="01/02/2026"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "La date de fin est avant la date de début." in page
    assert 'value="01/03/2026"' in page
    assert "<table" not in page


def test_every_chart_is_valid_svg_named_by_its_title_and_description(
    client, staff_login, centre, mediator, figures_of_the_year
):
    staff_login(client, mediator)
    page = client.get(dashboard(centre)).content.decode()

    charts = re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL)
    assert len(charts) >= 4
    for markup in charts:
        svg = ET.fromstring(markup)
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text and desc.text.startswith("Graphique en barres")
        # The table with the same data follows the chart.
        assert f'<caption id="{title.get("id").removesuffix("-title")}-caption">' in page.split(markup, 1)[1]
    # Every count of the gender table is masked: nothing to draw to scale, the table alone says it.
    assert not any("Personnes par genre" in markup for markup in charts)


def test_a_masked_count_is_written_never_drawn_to_scale():
    table = Table(
        "genre", "Personnes par genre", "", ["Personnes"], rows=mask_small([Row("Femme", [12]), Row("Homme", [3])])
    )
    table.rows[0].bar = 12  # drawn, as if the lone small cell had not masked it

    svg = ET.fromstring(str(bar_chart(table, "c")))

    assert len(svg.findall(f".//{SVG}rect")) == 1
    assert "Homme : moins de 5" in svg.find(f"{SVG}desc").text
    assert [text.text for text in svg.iter(f"{SVG}text")] == ["Femme", "masqué", "Homme", "moins de 5"]


def test_the_yearly_report_has_the_centres_name_the_year_and_how_each_figure_is_counted(
    client, staff_login, centre, mediator, figures_of_the_year
):
    staff_login(client, mediator)

    page = client.get(reverse("suivi:report", args=[centre.pk, 2026])).content.decode()

    assert "<h1>Centre social Belencontre</h1>" in page
    assert "Rapport annuel 2026" in page and "css/print.css" in page
    assert page.count('class="figures__how"') == page.count('class="figures__section"') >= 10
    assert client.get(reverse("suivi:report", args=[centre.pk, 2031])).status_code == 404


# --- Files --------------------------------------------------------------------------------------------------


def test_a_table_as_csv_for_french_excel_keeps_small_counts_masked(
    client, staff_login, centre, mediator, figures_of_the_year
):
    staff_login(client, mediator)

    response = client.get(reverse("suivi:figures_export", args=[centre.pk, "genre", "csv"]) + "?periode=annee")

    assert response["Content-Type"].startswith("text/csv")
    assert (
        "chiffres-" in response["Content-Disposition"]
        and "genre-20260101-20261231.csv" in response["Content-Disposition"]
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";")) == [
        ["Personnes par genre", "Personnes"],
        ["Femme", "masqué"],
        ["Homme", "moins de 5"],
    ]


def test_a_table_as_xlsx_keeps_a_typed_formula_as_text(client, staff_login, centre, mediator):
    event = EventPageFactory(parent=centre, title='=HYPERLINK("http://x")')
    RegistrationFactory(occurrence=first_date(event), person=resident_of(centre), status="attended")
    RecordFactory(centre=centre, duration_minutes=90, people=[PersonFactory(centre=centre)])
    staff_login(client, mediator)

    response = client.get(reverse("suivi:figures_export", args=[centre.pk, "evenements", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    csv_text = client.get(reverse("suivi:figures_export", args=[centre.pk, "types", "csv"])).content.decode()

    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Événements et leurs participants", "Dates", "Inscrits", "Présents"],
        ['=HYPERLINK("http://x")', 1, 1, 1],
    ]
    assert sheet["A2"].data_type == "s"
    # Hours in the French way, a number for Excel.
    assert "Accompagnement individuel;1;1,5" in csv_text


def test_the_appointments_table_as_csv_and_xlsx_reads_back(client, staff_login, centre, mediator):
    for status in ["kept", "kept", "kept", "missed", "cancelled"]:
        appointment_at(centre, timezone.make_aware(dt.datetime(2026, 3, 3, 9)), status)
    staff_login(client, mediator)

    def url(format):
        return reverse("suivi:figures_export", args=[centre.pk, "rendez-vous", format]) + "?periode=mois"

    text = client.get(url("csv")).content.decode("utf-8").removeprefix("\ufeff")
    sheet = load_workbook(io.BytesIO(client.get(url("xlsx")).content)).active

    expected = [
        ["Rendez-vous honorés et manqués", "Rendez-vous"],
        ["Honorés", 3],
        ["Manqués (la personne n'est pas venue)", 1],
        ["Annulés", 1],
        ["Encore prévus (à venir, ou passés sans être notés)", 0],
    ]
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [[str(cell) for cell in row] for row in expected]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == expected


def test_an_unknown_table_or_format_is_not_found(client, staff_login, centre, mediator):
    staff_login(client, mediator)

    assert client.get(reverse("suivi:figures_export", args=[centre.pk, "salaires", "csv"])).status_code == 404
    assert client.get(reverse("suivi:figures_export", args=[centre.pk, "genre", "pdf"])).status_code == 404


# --- Cache and queries --------------------------------------------------------------------------------------


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboard_reads_the_same_number_of_queries_whatever_the_volume(
    client, staff_login, centre, mediator, django_assert_max_num_queries
):
    staff_login(client, mediator)
    workshop_of(centre, 1, 1)
    few = queries_of(client, dashboard(centre))
    for index in range(10):
        workshop_of(centre, 3, 3, themes=[lists.Theme.EMAIL, lists.Theme.HEALTH], autonomy="autonome")
        appointment_at(centre, timezone.now() - dt.timedelta(days=index + 1), "kept")
    cache.clear()

    with django_assert_max_num_queries(few):
        client.get(dashboard(centre))
    assert few <= 30


def test_figures_are_kept_and_computed_again_when_a_record_is_saved(
    client, staff_login, centre, mediator, django_capture_on_commit_callbacks
):
    staff_login(client, mediator)
    workshop_of(centre, 6, 0)
    first = queries_of(client, dashboard(centre))

    assert queries_of(client, dashboard(centre)) < first - 10
    with django_capture_on_commit_callbacks(execute=True):
        workshop_of(centre, 0, 5)

    page = client.get(dashboard(centre)).content.decode()
    assert '<th scope="row">Homme</th><td>5</td>' in page


def test_an_appointment_marked_renews_its_centres_figures(
    client, staff_login, centre, mediator, django_capture_on_commit_callbacks
):
    staff_login(client, mediator)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_at(centre, timezone.now() - dt.timedelta(days=1))
    assert '<th scope="row">Honorés</th><td>0</td>' in client.get(dashboard(centre)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        appointments.mark(appointment.pk, mediator, kept=True)

    assert '<th scope="row">Honorés</th><td>1</td>' in client.get(dashboard(centre)).content.decode()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable_cache():
    return {
        "default": {
            "BACKEND": "placette.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/6",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


def test_the_dashboard_answers_with_the_cache_out_of_reach(client, staff_login, centre, mediator, figures_of_the_year):
    staff_login(client, mediator)

    with override_settings(CACHES=unreachable_cache()):
        result = figures_for(centre, year_period(2026))
        response = client.get(dashboard(centre))

    assert result.table("resume").rows[0].values == [9]
    assert response.status_code == 200
    assert '<th scope="row">Personnes accompagnées</th><td>9</td>' in response.content.decode()


# --- The network's figures computed ahead by the worker -------------------------------------------------------

NETWORK_PAGES = [
    *(f"{reverse('suivi:network_figures')}?periode={choice}" for choice in STANDARD_PERIODS),
    # The yearly reports of this year and the last are the same periods as the dashboard's.
    reverse("suivi:network_report", args=[2026]),
    reverse("suivi:network_report", args=[2025]),
]
# Session, user, the centres they run, their unread notifications, the site and its footer: a page without figures.
NOT_FIGURES = 6
PEOPLE_REACHED = '<th scope="row">Personnes accompagnées</th><td>10</td>'


def test_the_worker_computes_the_networks_standard_periods_ahead_and_keeps_them_until_its_next_run(
    client, staff_login, network_admin, figures_of_the_year, django_assert_max_num_queries
):
    staff_login(client, network_admin)

    result = tasks.warm_network_figures.call()

    assert result == {"warmed": ["20260101-20261231", "20260301-20260331", "20260201-20260228", "20250101-20251231"]}
    # Past a reader's CACHE_SECONDS, before the next run has had to replace them.
    with freeze_time("2026-03-10 15:12"):
        client.get(reverse("suivi:team_home"))  # the day's first visit writes "last seen" and the site's footer
        for url in NETWORK_PAGES:
            with django_assert_max_num_queries(NOT_FIGURES):
                response = client.get(url)
            assert response.status_code == 200, url
        assert PEOPLE_REACHED in client.get(NETWORK_PAGES[0]).content.decode()
        # A period chosen by dates is computed at the visit.
        chosen = f"{reverse('suivi:network_figures')}?periode=dates&du=01/03/2026&au=09/03/2026"
        assert queries_of(client, chosen) > NOT_FIGURES + 10


def test_the_worker_computes_nothing_with_the_cache_out_of_reach_and_the_pages_still_answer(
    client, staff_login, network_admin, figures_of_the_year
):
    staff_login(client, network_admin)

    with override_settings(CACHES=unreachable_cache()):
        result = tasks.warm_network_figures.call()
        response = client.get(reverse("suivi:network_figures"))

    assert result == {"warmed": []}
    assert response.status_code == 200
    assert PEOPLE_REACHED in response.content.decode()


# --- Valid HTML ---------------------------------------------------------------------------------------------


def test_the_dashboard_and_the_report_are_valid_html_for_the_nu_checker(
    client, staff_login, centre, mediator, figures_of_the_year, tmp_path
):
    command = nu_checker()
    staff_login(client, mediator)
    pages = {
        "dashboard": dashboard(centre),
        "empty": dashboard(centre, periode="annee-derniere"),
        "error": dashboard(centre, periode="dates", du="01/03/2026", au="01/02/2026"),
        "report": reverse("suivi:report", args=[centre.pk, 2026]),
    }
    for name, url in pages.items():
        (tmp_path / f"{name}.html").write_text(client.get(url).content.decode(), encoding="utf-8")

    checked = subprocess.run(
        [*command, "--errors-only", "--format", "json", *(str(tmp_path / f"{name}.html") for name in pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    assert [message for message in messages if message["type"] in ("error", "non-document-error")] == []
