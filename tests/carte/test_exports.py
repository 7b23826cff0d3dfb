"""The centres in the national open data standards, checked against the vendored schemas (carte/exports.py)."""

import csv
import datetime as dt
import io
import json
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator, FormatChecker
from wagtail.models import PageViewRestriction

from carte import exports
from carte.models import OpenDataSettings
from core import freshness
from home.templatetags.french import day
from tests.carte import table_schema
from tests.carte.factories import UsefulPlaceFactory, category
from tests.factories import CentrePageFactory

MEDIATION_CSV = "/carte/donnees/mediation-numerique.csv"
MEDIATION_JSON = "/carte/donnees/mediation-numerique.json"
DATA_INCLUSION_JSON = "/carte/donnees/data-inclusion-structures.json"

format_checker = FormatChecker()


# jsonschema checks "uri" only with an optional package; the standards' links are absolute http(s) addresses.
@format_checker.checks("uri")
def is_uri(value):
    parts = urlparse(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def mediation_schema():
    return exports.schema(exports.MEDIATION_NUM_SCHEMA)


def published(centre, **changes):
    for name, value in changes.items():
        setattr(centre, name, value)
    centre.save_revision().publish()
    return centre


@pytest.fixture
def centres(home):
    """Three centres: one complete with a SIRET, one with an RNA number and nothing optional, one without pivot."""
    complete = published(
        CentrePageFactory(parent=home, title="Centre social Belencontre", town="Tourcoing", postcode="59200"),
        pivot="43493312300029",
        insee_code="59599",
        typology="centre_social",
    )
    bare = published(
        CentrePageFactory(parent=home, title="Espace de vie sociale l'Alma", latitude=None, longitude=None, hours=[]),
        pivot="W595012345",
        typology="espace_de_vie_sociale",
        phone="",
        email="",
    )
    no_pivot = published(CentrePageFactory(parent=home, title="Maison de quartier du Pile"))
    return complete, bare, no_pivot


def csv_table(body):
    text = body.decode("utf-8")
    assert not text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text)))
    return lines[0], lines[1:]


def as_cells(row):
    return ["" if value is None else str(value) for value in row.values()]


def test_the_checker_accepts_the_standard_s_own_example_and_sees_a_broken_one():
    header, rows = csv_table(exports.STANDARDS.joinpath("mediation-num", "exemple-valide.csv").read_bytes())
    assert table_schema.errors(mediation_schema(), header, rows) == []
    broken = [[*rows[0][:1], "12", *rows[0][2:]]]
    assert table_schema.errors(mediation_schema(), header, broken) == [
        "line 2, pivot = '12': does not match ^[a-zA-Z0-9]{9,14}$"
    ]


def test_the_csv_follows_the_standard_and_reads_back_as_the_rows(client, centres):
    response = client.get(MEDIATION_CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mediation-numerique.csv"'
    header, rows = csv_table(response.content)
    assert table_schema.errors(mediation_schema(), header, rows) == []
    expected = exports.mediation_num_rows(exports.open_places())
    assert header == exports.mediation_num_fields()
    assert rows == [as_cells(row) for row in expected]
    by_id = {row["id"]: row for row in expected}
    complete = centres[0]
    row = by_id[f"centre-{complete.pk}"]
    assert row["pivot"] == "43493312300029"
    assert row["code_insee"] == "59599"
    assert row["typologie"] == "CS"
    assert row["telephone"] == "+33353010101"
    assert row["horaires"] == "Mo-Fr 09:00-12:00,14:00-18:00"
    assert (row["latitude"], row["longitude"]) == (50.69, 3.18)
    assert row["services"] == "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien"
    assert row["modalites_acces"] == "Se présenter|Téléphoner|Contacter par mail"
    assert row["site_web"] == f"http://localhost{complete.url}"
    assert row["date_maj"] == dt.date.today().isoformat()


def test_a_centre_without_coordinates_hours_or_phone_is_exported_with_what_it_has(client, centres):
    _complete, bare, _no_pivot = centres
    row = {row["id"]: row for row in json.loads(client.get(MEDIATION_JSON).content)}[f"centre-{bare.pk}"]
    assert row["pivot"] == "W595012345"
    assert row["typologie"] == "EVS"
    assert row["latitude"] is row["longitude"] is row["horaires"] is row["telephone"] is row["courriels"] is None
    assert row["modalites_acces"] is None


def test_the_json_holds_the_same_rows_and_follows_the_standard(client, centres):
    response = client.get(MEDIATION_JSON)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'inline; filename="mediation-numerique.json"'
    rows = json.loads(response.content)
    assert rows == exports.mediation_num_rows(exports.open_places())
    assert len(rows) == 2
    for row in rows:
        assert list(row) == exports.mediation_num_fields()
        assert all(isinstance(row[name], float) for name in ("latitude", "longitude") if row[name] is not None)
    header = exports.mediation_num_fields()
    assert table_schema.errors(mediation_schema(), header, [as_cells(row) for row in rows]) == []


def test_a_centre_without_pivot_is_left_out_of_the_standard_and_named_on_the_page(client, centres):
    _complete, _bare, no_pivot = centres
    assert f"centre-{no_pivot.pk}" not in {row["id"] for row in json.loads(client.get(MEDIATION_JSON).content)}
    page = client.get("/carte/donnees/").content.decode()
    assert "Lieux pas encore dans le fichier de médiation numérique" in page
    assert "Maison de quartier du Pile : il manque son SIRET ou son numéro RNA" in page


def test_data_inclusion_structures_follow_their_json_schema(client, centres):
    complete, bare, no_pivot = centres
    response = client.get(DATA_INCLUSION_JSON)
    assert response["Content-Type"] == "application/json"
    rows = json.loads(response.content)
    validator = Draft202012Validator(exports.schema(exports.DATA_INCLUSION_SCHEMA), format_checker=format_checker)
    for row in rows:
        assert list(validator.iter_errors(row)) == []
    by_id = {row["id"]: row for row in rows}
    # No pivot is needed here; only a SIRET fills `siret`.
    assert set(by_id) == {f"centre-{centre.pk}" for centre in centres}
    assert by_id[f"centre-{complete.pk}"]["siret"] == "43493312300029"
    assert by_id[f"centre-{bare.pk}"]["siret"] is None
    assert by_id[f"centre-{no_pivot.pk}"]["horaires_accueil"] == "Mo-Fr 09:00-12:00,14:00-18:00"


def test_the_checkers_see_a_row_the_standards_refuse():
    place = exports.OpenPlace(
        id="x",
        pivot="12",
        nom="AB",
        commune="Roubaix",
        code_postal="591",
        adresse="1 rue",
        date_maj=dt.date.today(),
        services=("Aide aux démarches administratives",),
    )
    header = exports.mediation_num_fields()
    rows = [as_cells(row) for row in exports.mediation_num_rows([place])]
    assert len(table_schema.errors(mediation_schema(), header, rows)) == 2
    validator = Draft202012Validator(exports.schema(exports.DATA_INCLUSION_SCHEMA), format_checker=format_checker)
    assert exports.data_inclusion_rows([place]) == []  # a name of two letters: left out
    row = exports.data_inclusion_rows([exports.OpenPlace(**{**place.__dict__, "nom": "ABC", "courriel": "non"})])[0]
    assert {error.json_path for error in validator.iter_errors(row)} == {"$.code_postal", "$.courriel"}


def test_markup_goes_out_as_plain_text_and_formulas_stay_text_in_csv(client, home):
    published(
        CentrePageFactory(
            parent=home,
            title='<script>alert("x")</script>Centre <b>Alma</b>',
            street_address='=HYPERLINK("http://evil.test")',
        ),
        pivot="43493312300029",
    )
    row = json.loads(client.get(MEDIATION_JSON).content)[0]
    assert row["nom"] == 'alert("x")Centre Alma'
    assert row["adresse"] == '=HYPERLINK("http://evil.test")'
    header, rows = csv_table(client.get(MEDIATION_CSV).content)
    cells = dict(zip(header, rows[0], strict=True))
    assert cells["adresse"] == '\'=HYPERLINK("http://evil.test")'
    assert cells["telephone"] == "+33353010101"  # a number keeps its sign


@pytest.mark.parametrize("value", ["-4.486", "+33353010101", "-12"])
def test_numbers_are_not_taken_for_formulas(value):
    assert exports.csv_cell(value) == value


@pytest.mark.parametrize("value", ["@SUM(A1)", "+1+cmd", "-2+3", "\t=1"])
def test_formulas_are_neutralised(value):
    assert exports.csv_cell(value) == "'" + value


def test_a_long_introduction_is_cut_between_words_for_the_summary(home):
    published(CentrePageFactory(parent=home, introduction="mot " * 75), pivot="W595012345")
    row = exports.mediation_num_rows(exports.open_places())[0]
    assert len(row["presentation_resume"]) <= 280
    assert row["presentation_resume"].endswith("mot…")


def test_a_foreign_phone_is_left_out_of_the_standard(home):
    published(CentrePageFactory(parent=home, phone="+3225551234"), pivot="W595012345")
    assert exports.mediation_num_rows(exports.open_places())[0]["telephone"] is None


def test_drafts_and_restricted_centres_are_not_published(client, home, centres):
    complete, bare, _no_pivot = centres
    bare.unpublish()
    PageViewRestriction.objects.create(page=complete, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert json.loads(client.get(MEDIATION_JSON).content) == []
    assert len(json.loads(client.get(DATA_INCLUSION_JSON).content)) == 1


def test_an_unknown_file_is_not_found(client, home):
    assert client.get("/carte/donnees/lieux.xml").status_code == 404


@pytest.mark.parametrize("address", [MEDIATION_CSV, MEDIATION_JSON, DATA_INCLUSION_JSON])
def test_a_harvester_asking_again_gets_304_until_a_centre_changes(client, centres, address):
    first = client.get(address)
    assert first["Cache-Control"] in ("public, max-age=3600", "max-age=3600, public")
    assert first["Link"] == '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"'
    etag = first["ETag"]
    again = client.get(address, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    published(centres[0], title="Centre social Belencontre-Phalempins")
    changed = client.get(address, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_licence_is_the_network_s_choice(client, centres):
    settings = OpenDataSettings.load()
    etag = client.get(MEDIATION_JSON)["ETag"]
    settings.licence = "odbl-1.0"
    settings.save()
    response = client.get(MEDIATION_JSON, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["Link"] == '<https://opendatacommons.org/licenses/odbl/1-0/>; rel="license"'
    page = client.get("/carte/donnees/").content.decode()
    assert "Open Database License (ODbL) 1.0" in page


def test_the_page_lists_the_files_with_standard_version_licence_and_date(client, centres):
    page = client.get("/carte/donnees/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<a href="/carte/donnees/mediation-numerique.csv">mediation-numerique.csv</a>' in html
    assert "(CSV, 2 lieux)" in html
    assert "(JSON, 3 lieux)" in html
    assert "standard-mediation-num (La MedNum)</a>, version 1.0.2" in html
    assert "schéma des structures data·inclusion</a>, version 1.0.8" in html
    assert "Licence Ouverte / Open Licence 2.0" in html
    today = dt.date.today()
    assert f'<time datetime="{today.isoformat()}">{day(today, "year")}</time>' in html


@pytest.mark.parametrize("count", [2, 12])
def test_the_page_reads_the_same_queries_for_few_or_many_places(client, home, count, django_assert_max_num_queries):
    wifi = category("wi-fi-gratuit")
    for _ in range(count):
        published(CentrePageFactory(parent=home), pivot="W595012345")
        UsefulPlaceFactory(categories=[wifi], hours=[(0, dt.time(9), dt.time(12))])
    # The view restrictions, the centres, their hours, the places, their categories, their hours, the licence,
    # the footer; the site comes from the cache.
    client.get("/carte/donnees/")
    with django_assert_max_num_queries(8):
        assert client.get("/carte/donnees/").status_code == 200


def test_a_file_is_kept_until_a_write_commits(client, settings, centres):
    settings.PAGE_CACHE_SECONDS = 60
    first = client.get(MEDIATION_JSON)
    # Tests do not commit, so this write replaces no token: the kept file is still served.
    published(centres[0], title="Centre social Belencontre-Phalempins")
    assert client.get(MEDIATION_JSON).content == first.content
    freshness.bump(freshness.SITE)  # what the commit of a centre's write does (placette/page_cache.py)
    renewed = client.get(MEDIATION_JSON)
    assert "Centre social Belencontre-Phalempins" in {row["nom"] for row in json.loads(renewed.content)}
    assert renewed["ETag"] != first["ETag"]


def test_a_harvester_gets_304_from_the_shared_page_cache_too(client, centres, settings):
    settings.PAGE_CACHE_SECONDS = 60
    etag = client.get(MEDIATION_JSON)["ETag"]
    assert client.get(MEDIATION_JSON)["ETag"] == etag  # now answered from the page cache

    with CaptureQueriesContext(connection) as queries:
        again = client.get(MEDIATION_JSON, headers={"if-none-match": etag})

    assert again.status_code == 304 and again.content == b"" and len(queries) == 0
    assert client.get(MEDIATION_JSON).status_code == 200


@pytest.fixture
def places(db):
    """A France Services with Wi-Fi and a SIRET, a printing place without pivot, a PMI (no digital help)."""
    france_services = UsefulPlaceFactory(
        name="France Services de l'Épeule",
        categories=[category("france-services"), category("wi-fi-gratuit")],
        hours=[(day, dt.time(9), dt.time(12)) for day in range(5)],
        pivot="43493312300029",
        phone="+33320000000",
        website="https://france-services.example.fr/",
        wheelchair=True,
        hearing_loop=True,
        languages="français, anglais, arabe",
        is_free=False,
        price="Gratuit sous condition de ressources",
    )
    printing = UsefulPlaceFactory(name="Copie Express", categories=[category("impression-et-scan")])
    pmi = UsefulPlaceFactory(name="PMI du Pile", categories=[category("pmi")])
    return france_services, printing, pmi


def test_useful_places_of_digital_help_join_the_standard_with_their_services(client, places):
    france_services, _printing, _pmi = places
    header, rows = csv_table(client.get(MEDIATION_CSV).content)
    assert table_schema.errors(mediation_schema(), header, rows) == []
    json_rows = json.loads(client.get(MEDIATION_JSON).content)
    assert [row["id"] for row in json_rows] == [f"lieu-{france_services.pk}"]
    row = json_rows[0]
    assert row["pivot"] == "43493312300029"
    assert row["services"] == "Aide aux démarches administratives|Accès internet et matériel informatique"
    assert row["dispositif_programmes_nationaux"] == "France Services"
    assert row["frais_a_charge"] == "Gratuit sous condition"
    assert row["prise_en_charge_specifique"] == (
        "Surdité|Handicaps moteurs|Langues étrangères (anglais)|Langues étrangères (autres)"
    )
    assert row["horaires"] == "Mo-Fr 09:00-12:00"
    assert row["telephone"] == "+33320000000"
    assert row["modalites_acces"] == "Se présenter|Téléphoner"
    assert row["site_web"] == "https://france-services.example.fr/"
    assert row["publics_specifiquement_adresses"] is None  # our age bands say "also for", not "only for"


def test_a_place_of_digital_help_without_pivot_is_named_and_a_pmi_is_not_concerned(client, places):
    _france_services, _printing, _pmi = places
    page = client.get("/carte/donnees/").content.decode()
    assert "Copie Express : il manque son SIRET ou son numéro RNA (à remplir dans sa fiche" in page
    assert "PMI du Pile" not in page
    assert "(CSV, 1 lieu)" in page and "(JSON, 3 lieux)" in page


def test_every_place_of_the_map_is_a_data_inclusion_structure_once(client, places, centres):
    rows = json.loads(client.get(DATA_INCLUSION_JSON).content)
    validator = Draft202012Validator(exports.schema(exports.DATA_INCLUSION_SCHEMA), format_checker=format_checker)
    for row in rows:
        assert list(validator.iter_errors(row)) == []
    ids = [row["id"] for row in rows]
    # The centres' own places are the centres: each once, under its centre's id.
    assert sorted(ids) == sorted([f"centre-{centre.pk}" for centre in centres] + [f"lieu-{p.pk}" for p in places])
    assert {row["siret"] for row in rows if row["id"] == f"lieu-{places[0].pk}"} == {"43493312300029"}


def test_a_free_place_is_free_and_a_paying_one_without_condition_pays(places):
    _france_services, printing, _pmi = places
    printing.is_free, printing.price = False, "0,20 € la page"
    assert exports.place_fees(printing) == ("Payant",)
    printing.is_free = True
    assert exports.place_fees(printing) == ("Gratuit",)
