"""The figures against a small year counted by hand, the "moins de 5" rule, the empty period and the period's
French errors. The pages, files, charts and permissions are in test_figures_pages.py."""

import datetime as dt
from datetime import UTC

import pytest
from django.utils import timezone

from agenda.models import Registration
from echanges.models import Agreement
from echanges.services.ledger import record_agreement_transfer
from suivi import figures, lists
from suivi.dashboard_views import PRESETS, PeriodForm, year_period
from suivi.figures import Period, Row, mask_small
from suivi.models import Appointment, Participant
from tests.accounts.factories import resident_of
from tests.agenda.factories import EventPageFactory, RegistrationFactory, first_date
from tests.echanges.factories import AgreementFactory, ConversationFactory, OfferFactory
from tests.factories import CentrePageFactory
from tests.suivi.factories import PersonFactory, RecordFactory, appointment_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tuesday_the_10th_of_march")]

YEAR = year_period(2026)
Kind, Autonomy, Theme = lists.Kind, lists.Autonomy, lists.Theme


def day(month, number, year=2026):
    return dt.date(year, month, number)


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Canal")


@pytest.fixture
def year_of_records(centre, other_centre):
    """Five records this year in `centre`, counted by hand in the tests below; one last year; one elsewhere."""
    alice = PersonFactory(centre=centre, with_bands=True)  # femme, 60–69, Roubaix, retraitée, première venue
    bob = PersonFactory(
        centre=centre,
        with_bands=True,
        gender=lists.Gender.MAN,
        age_band=lists.AgeBand.FROM_40,
        situation=lists.Situation.JOBLESS,
        first_visit=False,
    )
    carla = PersonFactory(centre=centre)  # no consent: no bands
    RecordFactory(centre=centre, date=day(1, 5), people=[alice], autonomy=Autonomy.ACCOMPANIED)
    RecordFactory(
        centre=centre,
        date=day(2, 10),
        duration_minutes=45,
        people=[alice],
        themes=[Theme.EMAIL, Theme.HEALTH],
        autonomy=Autonomy.AUTONOMOUS,
    )
    RecordFactory(
        centre=centre,
        kind=Kind.PROCEDURE,
        date=day(2, 11),
        duration_minutes=60,
        people=[bob],
        themes=[lists.ProcedureTheme.FAMILY],
        autonomy=Autonomy.PARTLY,
    )
    workshop = RecordFactory(
        centre=centre,
        kind=Kind.WORKSHOP,
        date=day(3, 2),
        duration_minutes=120,
        people=[alice, bob, carla],
        themes=[Theme.DEVICE],
    )
    Participant.objects.create(record=workshop)  # came without an account: counted once
    RecordFactory(centre=centre, date=day(3, 5), people=[bob], autonomy=Autonomy.ACCOMPANIED)
    RecordFactory(centre=centre, date=day(12, 20, 2025), people=[alice])
    RecordFactory(
        centre=other_centre, date=day(1, 8), duration_minutes=15, people=[PersonFactory(centre=other_centre)]
    )


def rows(table):
    return [(row.label, row.values) for row in table.rows]


def test_the_summary_counts_unique_people_sessions_and_hours(centre, year_of_records):
    table = figures.summary(centre, YEAR)

    # Alice, Bob, Carla once each however often they came, and the workshop's present without an account.
    assert rows(table) == [
        ("Personnes accompagnées", [4]),
        ("Accompagnements notés", [5]),
        ("Accompagnement individuel", [2 + 0 + 1]),
        ("Atelier collectif", [1]),
        ("Démarche faite pour la personne", [1]),
        # 30 + 45 + 60 + 120 + 30 = 285 minutes.
        ("Heures d'accompagnement", [4.8]),
    ]


def test_the_network_counts_every_centre(centre, year_of_records):
    table = figures.summary(None, YEAR)

    assert rows(table)[:2] == [("Personnes accompagnées", [5]), ("Accompagnements notés", [6])]
    assert rows(figures.by_centre(YEAR)) == [
        ("Centre social Belencontre", [5, 4.8]),
        ("Centre social du Canal", [1, 0.2]),
    ]


def test_sessions_by_kind_and_by_theme(centre, year_of_records):
    assert rows(figures.by_kind(centre, YEAR)) == [
        ("Accompagnement individuel", [3, 1.8]),  # 30 + 45 + 30 minutes
        ("Atelier collectif", [1, 2.0]),
        ("Démarche faite pour la personne", [1, 1.0]),
    ]
    # A record with two themes counts in both.
    assert rows(figures.by_theme(centre, YEAR)) == [
        ("E-mail", [3, 0, 1.8]),
        ("Famille, scolarité (CAF…)", [1, 0, 1.0]),
        ("Santé", [1, 0, 0.8]),
        ("Prendre en main du matériel", [0, 1, 2.0]),
    ]


def test_autonomy_compares_each_persons_first_and_last_level_of_the_period(centre, year_of_records):
    # Alice: entirely accompanied, then rather autonomous. Bob: took part, then entirely accompanied.
    # Carla came once, to a workshop without a level: she is not counted.
    assert rows(figures.autonomy(centre, YEAR)) == [
        ("Plus autonomes", [1]),
        ("Au même niveau", [0]),
        ("Moins autonomes", [1]),
    ]


def test_bands_count_each_person_once_and_small_counts_read_less_than_5(centre, year_of_records):
    gender = figures.by_band(centre, YEAR, "gender")
    first = figures.by_band(centre, YEAR, "first_visit")

    assert rows(gender) == [
        ("Femme", ["moins de 5"]),
        ("Homme", ["moins de 5"]),
        ("Non renseigné", ["moins de 5"]),
    ]
    assert gender.about_people and all(row.bar is None for row in gender.rows)
    assert [row.label for row in first.rows] == ["Première venue", "Déjà venue", "Non renseigné"]


def test_bands_of_five_people_or_more_are_shown(centre):
    women = [PersonFactory(centre=centre, with_bands=True) for _index in range(7)]
    men = [PersonFactory(centre=centre, with_bands=True, gender=lists.Gender.MAN) for _index in range(6)]
    RecordFactory(centre=centre, kind=Kind.WORKSHOP, people=women + men)

    assert rows(figures.by_band(centre, YEAR, "gender")) == [("Femme", [7]), ("Homme", [6])]
    assert rows(figures.by_band(centre, YEAR, "age_band")) == [("60 à 69 ans", [13])]


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        # One small cell alone would be the total minus the others: the smallest other one is masked too.
        ([12, 3, 7], [12, "moins de 5", "masqué"]),
        ([12, 3, 2], [12, "moins de 5", "moins de 5"]),
        ([3], ["moins de 5"]),
        ([5, 9], [5, 9]),
        ([6, 1], ["masqué", "moins de 5"]),
    ],
)
def test_small_counts_and_the_cell_that_would_give_them_away_are_masked(counts, shown):
    masked = mask_small([Row(str(index), [count], bar=count) for index, count in enumerate(counts)])

    assert [row.values[0] for row in masked] == shown
    assert all((row.bar is None) == isinstance(row.values[0], str) for row in masked)


def paris(month, number, hour, minute=0, year=2026):
    return timezone.make_aware(dt.datetime(year, month, number, hour, minute))


@pytest.fixture
def appointments_of_the_year(centre, other_centre):
    """Nine appointments of `centre`, counted by hand below (two on a day that differs in UTC); one elsewhere."""
    Status = Appointment.Status
    appointment_at(centre, paris(2, 3, 10), Status.KEPT)
    appointment_at(centre, paris(2, 3, 10, 30), Status.KEPT)
    appointment_at(centre, paris(2, 17, 14), Status.MISSED)
    # 31 December in UTC, 1 January in Paris: this year's.
    appointment_at(centre, dt.datetime(2025, 12, 31, 23, 30, tzinfo=UTC), Status.MISSED)
    appointment_at(centre, paris(3, 3, 14), Status.CANCELLED)
    appointment_at(centre, paris(3, 9, 10))  # passed yesterday, not noted yet
    appointment_at(centre, paris(3, 24, 10))  # to come
    # 31 March in UTC, 1 April in Paris: April's, not March's.
    appointment_at(centre, dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    appointment_at(centre, paris(12, 15, 10, year=2025), Status.KEPT)
    appointment_at(other_centre, paris(2, 3, 10), Status.KEPT)


APPOINTMENT_ROWS = [
    "Honorés",
    "Manqués (la personne n'est pas venue)",
    "Annulés",
    "Encore prévus (à venir, ou passés sans être notés)",
]


def test_appointments_are_counted_by_status_on_the_day_of_their_slot_in_paris(
    centre, appointments_of_the_year, django_assert_num_queries
):
    def counts(centre, period):
        table = figures.appointments(centre, period)
        assert [label for label, _values in rows(table)] == APPOINTMENT_ROWS
        return [values[0] for _label, values in rows(table)]

    with django_assert_num_queries(1):
        assert counts(centre, YEAR) == [2, 2, 1, 3]
    assert counts(None, YEAR) == [3, 2, 1, 3]
    assert counts(centre, Period(day(3, 1), day(3, 31))) == [0, 0, 1, 2]
    assert counts(centre, year_period(2025)) == [1, 0, 0, 0]
    # Counts of acts, not of people: never masked.
    assert not figures.appointments(centre, year_period(2025)).about_people
    assert figures.appointments(centre, Period(day(6, 1), day(6, 30))).rows == []


def test_agenda_activities_and_events_count_dates_registrations_and_the_present(centre):
    event = EventPageFactory(parent=centre, title="Fête du quartier")
    date = first_date(event)
    for status in ["attended", "attended", "absent", "confirmed", "cancelled"]:
        RegistrationFactory(occurrence=date, person=resident_of(centre), status=status)
    weekly = EventPageFactory(parent=centre, weekly=True, title="Café numérique")
    RegistrationFactory(occurrence=first_date(weekly), person=resident_of(centre), status=Registration.Status.ATTENDED)

    activities = figures.activities(centre, YEAR)
    events = figures.events(centre, YEAR)

    in_period = weekly.occurrences.filter(start__year=2026).count()
    totals = [sum(row.values[column] for row in activities.rows) for column in range(3)]
    assert totals == [1 + in_period, 4 + 1, 2 + 1]
    # Only the event without repetition is an event; registered: present, absent and to come.
    assert rows(events) == [("Fête du quartier", [1, 4, 2])]


def test_the_time_bank_counts_agreements_done_and_hours_moved(centre, other_centre):
    offer = OfferFactory(centre=centre, time_bank=True)
    done = AgreementFactory(
        conversation=ConversationFactory(offer=offer),
        minutes=90,
        status=Agreement.Status.DONE,
        done_at=timezone.now(),
    )
    record_agreement_transfer(done)
    AgreementFactory(
        conversation=ConversationFactory(offer=offer), status=Agreement.Status.DONE, done_at=timezone.now()
    )
    AgreementFactory(conversation=ConversationFactory(offer=offer), accepted=True)
    AgreementFactory(
        conversation=ConversationFactory(offer=OfferFactory(centre=other_centre)),
        status=Agreement.Status.DONE,
        done_at=timezone.now(),
    )

    assert rows(figures.time_bank(centre, YEAR)) == [
        ("Échanges réalisés", [2]),
        ("Dont échanges en temps", [1]),
        ("Heures échangées", [1.5]),
    ]
    assert rows(figures.time_bank(None, YEAR))[0] == ("Échanges réalisés", [3])


def test_a_period_without_anything_is_empty(centre, year_of_records):
    result = figures.compute(centre, Period(day(6, 1), day(6, 30)))

    assert result.empty
    assert not figures.compute(centre, YEAR).empty


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"periode": "annee"}, (day(1, 1), day(12, 31))),
        ({"periode": "mois"}, (day(3, 1), day(3, 31))),
        ({"periode": "mois-dernier"}, (day(2, 1), day(2, 28))),
        ({"periode": "annee-derniere"}, (day(1, 1, 2025), day(12, 31, 2025))),
        ({"periode": "dates", "du": "15/01/2026", "au": "2 février 2026"}, (day(1, 15), day(2, 2))),
    ],
)
def test_the_period_presets(data, expected):
    form = PeriodForm(data)

    assert form.is_valid(), form.errors
    period = form.period(timezone.localdate())
    assert (period.start, period.end) == expected


def test_the_form_offers_every_period_the_worker_computes_ahead():
    assert {choice for choice, _label in PRESETS} == {*figures.STANDARD_PERIODS, "dates"}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"periode": "dates", "du": "01/03/2026", "au": "01/02/2026"},
            "au",
            "La date de fin est avant la date de début.",
        ),
        ({"periode": "dates", "au": "01/02/2026"}, "du", "Donnez la date de début."),
        ({"periode": "dates", "du": "01/02/2026"}, "au", "Donnez la date de fin."),
        ({"periode": "dates", "du": "le 32 mars", "au": "01/02/2026"}, "du", "Saisissez une date"),
        ({"periode": "dates", "du": "01/01/1990", "au": "01/02/2026"}, "au", "dix ans au plus"),
        ({"periode": "siecle"}, "periode", "Sélectionnez un choix valide"),
    ],
)
def test_a_bad_period_is_refused_in_french(data, field, message):
    form = PeriodForm(data)

    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
