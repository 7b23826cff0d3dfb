"""The export in the national activity report's fields, parsed back (CSV and XLSX) against a hand-built month: exact
values, Coop codes beside labels, typed text kept as text, the participants for the centre's team only, totals with
"moins de 5" for the network; and the retention rules of records and people."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from accounts.retention import forget_expired
from suivi import coop_export, lists
from suivi.models import MediationRecord, Participant, Person
from tests.accounts.factories import mediator_of
from tests.agenda.factories import EventPageFactory, first_date
from tests.factories import CentrePageFactory, UserFactory
from tests.suivi.factories import PersonFactory, RecordFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://exemple.test","clic")'
MARCH = {"start": "01/03/2026", "end": "31/03/2026"}


@pytest.fixture(autouse=True)
def march_2026():
    with freeze_time("2026-03-31 18:00"):
        yield


@pytest.fixture
def roubaix(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", postcode="59100", insee_code="59512")


@pytest.fixture
def month(roubaix, other_centre):
    """Two records in March at Roubaix, one in January, one in March at another centre."""
    ginette = PersonFactory(centre=roubaix, label="G. B.", with_bands=True)
    anonymous = PersonFactory(centre=roubaix, label="M. T.")
    session = RecordFactory(
        centre=roubaix,
        date=dt.date(2026, 3, 2),
        duration_minutes=45,
        themes=[lists.Theme.EMAIL, lists.Theme.SECURITY],
        equipment=[lists.Equipment.PHONE],
        autonomy=lists.Autonomy.PARTLY,
        redirected=True,
        redirected_to=lists.Redirection.OPERATOR,
        remaining=FORMULA,
        people=[ginette],
    )
    procedure = RecordFactory(
        centre=roubaix,
        kind=lists.Kind.PROCEDURE,
        date=dt.date(2026, 3, 5),
        place_type=lists.PlaceType.REMOTE,
        themes=[lists.ProcedureTheme.FAMILY],
        procedure_detail="-1+1 CAF",
        people=[anonymous],
    )
    RecordFactory(centre=roubaix, date=dt.date(2026, 1, 15), people=[ginette])
    RecordFactory(centre=other_centre, date=dt.date(2026, 3, 3), people=[PersonFactory(centre=other_centre)])
    return session, procedure


def download(client, url, **params):
    response = client.get(url, {**MARCH, **params})
    assert response.status_code == 200, response.content[:500]
    return response


def csv_rows(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_the_centres_records_in_the_coops_fields_as_csv(client, staff_login, roubaix, month):
    session, procedure = month
    staff_login(client, mediator_of(roubaix))

    response = download(client, reverse("suivi:export_centre", args=[roubaix.pk]), format="csv", table="activites")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="accompagnements-' in response["Content-Disposition"]
    headings, *rows = csv_rows(response)
    assert headings[:6] == ["N° Placette", "Centre", "Type (code Coop)", "Type", "Date", "Durée (min)"]
    assert headings[-1] == "Ce qui reste à faire"
    assert rows == [
        [
            str(session.pk),
            "Centre social Belencontre",
            "individuel",
            "Accompagnement individuel",
            "02/03/2026",
            "45",
            "lieu_activite",
            "Au centre",
            "59100",
            "59512",
            "Roubaix",
            "email, securite_numerique",
            "E-mail, Sécurité numérique",
            "telephone",
            "Téléphone",
            "",
            "",
            "",
            "partiellement_autonome",
            "Autonome, avec de l'aide si besoin",
            "oui",
            "operateur_ou_organisme_en_charge",
            "L'organisme de la démarche (CAF, impôts…)",
            "",
            "1",
            "'" + FORMULA,
        ],
        [
            str(procedure.pk),
            "Centre social Belencontre",
            "individuel",
            "Démarche faite pour la personne",
            "05/03/2026",
            "30",
            "a_distance",
            "À distance (téléphone, visio)",
            "59100",
            "59512",
            "Roubaix",
            "aide_aux_demarches_administratives, famille_scolarite",
            "Famille, scolarité (CAF…)",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "non",
            "",
            "",
            "'-1+1 CAF",
            "1",
            "",
        ],
    ]


def test_the_participants_sheet_gives_the_bands_copied_that_day(client, staff_login, roubaix, month):
    session, procedure = month
    staff_login(client, mediator_of(roubaix))

    response = download(client, reverse("suivi:export_centre", args=[roubaix.pk]), format="csv", table="participants")

    _headings, *rows = csv_rows(response)
    assert rows == [
        [
            *(str(session.pk), "02/03/2026", "individuel", "feminin", "Femme", "soixante_soixante_neuf"),
            *("60 à 69 ans", "retraite", "Retraité", "59512", "Roubaix", "oui"),
        ],
        [str(procedure.pk), "05/03/2026", "individuel", "", "", "", "", "", "", "", "", ""],
    ]


def test_the_xlsx_has_both_sheets_with_dates_numbers_and_formulas_kept_as_text(client, staff_login, roubaix, month):
    session, _procedure = month
    staff_login(client, mediator_of(roubaix))

    response = download(client, reverse("suivi:export_centre", args=[roubaix.pk]), format="xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Activités", "Participants"]
    first = list(next(workbook["Activités"].iter_rows(min_row=2, max_row=2)))
    assert first[0].value == session.pk
    assert first[4].value == dt.datetime(2026, 3, 2) and first[4].number_format == "DD/MM/YYYY"
    assert first[5].value == 45
    assert (first[-1].value, first[-1].data_type) == (FORMULA, "s")
    assert workbook["Activités"].max_row == 3 and workbook["Participants"].max_row == 3


def test_a_workshop_gives_its_title_from_the_agenda(client, staff_login, roubaix):
    occurrence = first_date(EventPageFactory(parent=roubaix, title="Atelier tablette"))
    RecordFactory(centre=roubaix, kind=lists.Kind.WORKSHOP, occurrence=occurrence, date=dt.date(2026, 3, 9))
    staff_login(client, mediator_of(roubaix))

    response = download(client, reverse("suivi:export_centre", args=[roubaix.pk]), format="csv", table="activites")

    row = csv_rows(response)[1]
    assert (row[2], row[3], row[15], row[24]) == ("collectif", "Atelier collectif", "Atelier tablette", "0")


def test_a_workshop_outside_the_agenda_gives_its_own_title_and_level(roubaix):
    RecordFactory(
        centre=roubaix,
        kind=lists.Kind.WORKSHOP,
        date=dt.date(2026, 3, 9),
        workshop_title="Sortie au musée",
        workshop_level=lists.WorkshopLevel.BEGINNER,
    )

    march = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    _title, _headings, rows = coop_export.tables(coop_export.Scope([roubaix]), *march)["activites"]

    assert rows[0][15:18] == ["Sortie au musée", "debutant", "Débutant"]


def test_the_network_file_has_no_line_per_person_and_says_moins_de_5(client, staff_login, roubaix, month):
    staff_login(client, UserFactory(network_admin=True))

    response = download(client, reverse("suivi:export_network"), format="xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Activités", "Participants (totaux)"]
    records = list(workbook["Activités"].values)
    assert len(records) == 4 and "Ce qui reste à faire" not in records[0]
    totals = list(workbook["Participants (totaux)"].values)
    assert ("Genre", "feminin", "Femme", "moins de 5") in totals
    assert all(row[3] == "moins de 5" for row in totals[1:])


def test_the_network_totals_give_counts_from_5(roubaix):
    people = PersonFactory.create_batch(5, centre=roubaix, with_bands=True)
    RecordFactory(centre=roubaix, date=dt.date(2026, 3, 2), kind=lists.Kind.WORKSHOP, people=people)

    totals = coop_export.tables(coop_export.Scope(network=True), dt.date(2026, 3, 1), dt.date(2026, 3, 31))["totaux"]

    assert ["Tranche d'âge", "soixante_soixante_neuf", "60 à 69 ans", 5] in totals[2]


def test_only_network_admins_export_the_network(client, staff_login, roubaix):
    staff_login(client, mediator_of(roubaix))

    assert client.get(reverse("suivi:export_network"), {**MARCH, "format": "xlsx"}).status_code == 404


def test_a_reversed_period_is_refused_in_french(client, staff_login, roubaix):
    staff_login(client, mediator_of(roubaix))

    response = client.get(
        reverse("suivi:export_centre", args=[roubaix.pk]), {"start": "31/03/2026", "end": "01/03/2026"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["end"] == ["La fin de la période vient après son début."]


def test_the_export_reads_as_many_queries_for_2_or_40_records(roubaix, django_assert_max_num_queries):
    people = PersonFactory.create_batch(2, centre=roubaix, with_bands=True)
    scope, period = coop_export.Scope([roubaix]), (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    RecordFactory(centre=roubaix, date=dt.date(2026, 3, 2), people=people[:1])
    with django_assert_max_num_queries(4):
        coop_export.export(scope, *period, format="xlsx", table="activites")
    for day in range(1, 20):
        RecordFactory(centre=roubaix, date=dt.date(2026, 3, day), people=people, equipment=["tablette"])

    with django_assert_max_num_queries(4):
        coop_export.export(scope, *period, format="xlsx", table="activites")


# Retention: records made anonymous after three years, people no longer helped forgotten.


def test_records_older_than_three_years_lose_their_person_and_words_but_stay_counted(roubaix, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {**settings.PERSONAL_DATA_RETENTION_DAYS, "mediation_records": 3 * 365}
    old_person, recent_person = PersonFactory(centre=roubaix, with_bands=True), PersonFactory(centre=roubaix)
    old = RecordFactory(
        centre=roubaix, date=dt.date(2023, 3, 1), people=[old_person], remaining=FORMULA, procedure_detail="CAF"
    )
    recent = RecordFactory(centre=roubaix, date=dt.date(2023, 4, 2), people=[recent_person], remaining="Revenir")

    counts = forget_expired()

    old.refresh_from_db()
    assert counts["mediation_records"] == 1
    assert (old.remaining, old.procedure_detail, old.follow_up_on) == ("", "", None)
    participant = Participant.objects.get(record=old)
    assert (participant.person, participant.gender, participant.age_band) == (None, "femme", "60_69")
    assert Participant.objects.get(record=recent).person == recent_person
    assert MediationRecord.objects.get(pk=recent.pk).remaining == "Revenir"
    assert forget_expired()["mediation_records"] == 0


def test_people_helped_by_no_record_for_three_years_are_forgotten(roubaix):
    with freeze_time("2022-01-10"):
        gone, still, never = (PersonFactory(centre=roubaix, label=label) for label in ("A", "B", "C"))
        RecordFactory(centre=roubaix, date=dt.date(2022, 1, 10), people=[gone])
    RecordFactory(centre=roubaix, date=dt.date(2025, 6, 1), people=[still])
    new = PersonFactory(centre=roubaix, label="D")

    assert forget_expired(dry_run=True)["mediation_people"] == 2
    forget_expired()

    assert set(Person.objects.values_list("pk", flat=True)) == {still.pk, new.pk}
    assert never.pk not in Person.objects.values_list("pk", flat=True)
    assert MediationRecord.objects.count() == 2
