"""The families' path: by a child's age, the places nearby that serve it, by category, and the year's steps."""

import datetime as dt
import html as html_lib
import re

import pytest
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st

from carte.family_views import steps_from
from carte.models import AGE_BANDS, FamilyStep, UsefulPlace
from tests.carte.factories import FamilyStepFactory, UsefulPlaceFactory, category, seed_family_steps
from tests.carte.test_pages import make_places
from tests.demarches.factories import ProcedureFactory
from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social L'Escale", latitude="50.690000", longitude="3.180000")


def headings(html, level):
    return [
        html_lib.unescape(re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S)
    ]


def test_the_families_page_offers_each_age_band_keeping_the_centre(client, centre):
    html = client.get("/carte/familles/", {"centre": centre.pk}).content.decode()
    for slug in ("0-3-ans", "maternelle", "elementaire", "college", "lycee"):
        assert f'href="/carte/familles/{slug}/?centre={centre.pk}"' in html
    assert ">Maternelle</a>" in html
    assert 'href="/carte/familles/"' in client.get("/carte/").content.decode()
    assert f'href="/carte/familles/?centre={centre.pk}"' in client.get(centre.url).content.decode()


def test_an_age_band_shows_its_places_by_category_families_first_nearest_first(client, centre):
    school, homework = category("ecole"), category("aide-aux-devoirs")
    UsefulPlaceFactory(name="École maternelle Loin", categories=[school], for_maternelle=True, latitude="50.710000")
    UsefulPlaceFactory(name="École maternelle Près", categories=[school], for_maternelle=True, longitude="3.192000")
    UsefulPlaceFactory(name="Club des devoirs", categories=[homework], for_maternelle=True)
    UsefulPlaceFactory(name="Crèche Les Lutins", categories=[category("creche")], for_under_3=True)
    UsefulPlaceFactory(name="Bibliothèque des petits", categories=[category("mediatheque")], for_maternelle=True)

    html = client.get("/carte/familles/maternelle/", {"centre": centre.pk}).content.decode()
    assert headings(html, 1) == ["Parcours des familles : Maternelle"]
    assert headings(html, 3)[-3:] == ["École", "Aide aux devoirs", "Médiathèque"]
    assert headings(html, 4) == [
        "École maternelle Près",
        "École maternelle Loin",
        "Club des devoirs",
        "Bibliothèque des petits",
    ]
    assert "Crèche Les Lutins" not in html
    assert "à 850\u00a0m" in html
    assert 'aria-current="page">Maternelle</a>' in html


def test_a_category_with_more_places_than_shown_links_to_the_whole_list(client, centre):
    school = category("ecole")
    for n in range(7):
        UsefulPlaceFactory(name=f"École {n}", categories=[school], for_elementaire=True)

    html = client.get("/carte/familles/elementaire/", {"centre": centre.pk}).content.decode()
    assert len(headings(html, 4)) == 5
    assert f'href="/carte/?category=ecole&amp;age=for_elementaire&amp;centre={centre.pk}#filtres"' in html
    assert "Voir les 7 lieux « École »" in html


def test_an_unknown_age_is_not_found_and_an_unknown_centre_still_shows_the_places(client, home):
    UsefulPlaceFactory(name="Collège Camus", categories=[category("ecole")], for_college=True)
    assert client.get("/carte/familles/universite/").status_code == 404
    response = client.get("/carte/familles/college/", {"centre": "999999"})
    html = response.content.decode()
    assert response.status_code == 200 and "Collège Camus" in html
    assert 'class="errorlist" id="id_centre_erreurs"' in html


@freeze_time("2027-03-10")
def test_the_steps_start_with_what_to_do_now_then_follow_the_months(client, home):
    FamilyStep.objects.all().delete()
    FamilyStepFactory(title="Inscrire à la cantine", month=6, last_month=7, when="En juin et juillet")
    FamilyStepFactory(title="Donner l'assurance", month=9)
    FamilyStepFactory(title="Inscrire à l'école", month=1, last_month=3, when="De janvier à mars")
    FamilyStepFactory(title="Demander une place", month=None, when="Le plus tôt possible")
    FamilyStepFactory(title="Préparer le collège", age_band="for_elementaire", month=3)

    html = client.get("/carte/familles/maternelle/").content.decode()
    steps = headings(html.split('id="quand"')[1].split('id="lieux"')[0], 3)
    assert steps == ["Demander une place", "Inscrire à l'école", "Inscrire à la cantine", "Donner l'assurance"]
    assert html.count("C'est le moment") == 1
    assert re.search(r"C'est le moment</strong> De janvier à mars", html)


def test_a_step_links_to_its_online_procedure_and_its_next_dates(client, home):
    FamilyStep.objects.all().delete()
    today = dt.date.today()
    procedure = ProcedureFactory(
        name="Inscription à l'école (maternelle et CP)",
        slug="inscription-scolaire",
        dated=True,
        periods=[(today + dt.timedelta(days=20), today + dt.timedelta(days=80))],
    )
    FamilyStepFactory(title="Inscrire l'enfant à l'école", procedure=procedure)
    FamilyStepFactory(title="Sans démarche en ligne")

    html = client.get("/carte/familles/maternelle/").content.decode()
    assert '<a href="/demarches/inscription-scolaire/">Inscription à l&#x27;école (maternelle et CP)</a> : Du ' in html
    assert html.count('href="/demarches/inscription-scolaire/"') == 1
    assert 'href="/demarches/"' in html


def test_the_seeded_calendar_holds_france_s_usual_dates_for_every_age(home):
    seed_family_steps()
    for field, _label in AGE_BANDS:
        assert FamilyStep.objects.filter(age_band=field).count() >= 3
    school = FamilyStep.objects.get(age_band="for_maternelle", title="Inscrire l'enfant à l'école")
    assert (school.month, school.last_month) == (1, 3)
    canteen = FamilyStep.objects.get(age_band="for_elementaire", title="Inscrire à la cantine et au périscolaire")
    assert canteen.last_month < 9
    assert FamilyStep.objects.filter(age_band="for_college", how__contains="Affelnet").exists()
    assert FamilyStep.objects.filter(age_band="for_under_3", title__contains="crèche", month__isnull=True).exists()


def test_the_query_count_of_an_age_band_does_not_grow_from_50_to_5000_places(
    client, centre, django_assert_max_num_queries
):
    seed_family_steps()
    school = category("ecole")
    query = {"centre": centre.pk}
    make_places(50, centre, school)
    UsefulPlace.objects.update(for_college=True)
    client.get("/carte/familles/college/", query)  # warms the shared drop-down lists, as any earlier visit would
    with django_assert_max_num_queries(20) as small:
        assert client.get("/carte/familles/college/", query).status_code == 200
        assert client.get("/carte/familles/").status_code == 200
    UsefulPlace.objects.filter(for_centre__isnull=True).delete()
    make_places(5000, centre, school)
    UsefulPlace.objects.update(for_college=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/carte/familles/college/", query)
        assert client.get("/carte/familles/").status_code == 200
    assert "Voir les 5000 lieux « École »" in response.content.decode()


@given(month=st.integers(1, 12), length=st.integers(0, 11))
def test_a_step_is_on_for_exactly_the_months_of_its_window(month, length):
    step = FamilyStep(month=month, last_month=(month + length - 1) % 12 + 1)
    on = [now for now in range(1, 13) if step.is_on(now)]
    assert len(on) == length + 1 and step.is_on(month) and step.months_from(month) == 0


@given(
    windows=st.lists(st.tuples(st.none() | st.integers(1, 12), st.integers(0, 5)), min_size=1, max_size=8),
    now=st.integers(1, 12),
)
def test_the_steps_come_asap_first_then_those_on_now_then_by_the_months_to_wait(windows, now):
    steps = [
        FamilyStep(title=f"n{n}", month=month, last_month=None if month is None else (month + length - 1) % 12 + 1)
        for n, (month, length) in enumerate(windows)
    ]
    ordered = steps_from(steps, now)
    ranks = [0 if s.month is None else 1 if s.is_on(now) else 2 + s.months_from(now) for s in ordered]
    assert ranks == sorted(ranks)
    assert [s.is_now for s in ordered] == [s.month is not None and s.is_on(now) for s in ordered]
