"""The map's demo: a dozen valid places around each demo centre, the centre itself, nothing doubled; generated ones."""

import io

import pytest
from django.core.management import call_command

from carte.demo import STEP_PROCEDURES, create_generated_places, create_places, create_proposals, link_family_steps
from carte.models import FamilyStep, PlaceProposal, UsefulPlace
from demarches.demo import create_procedures
from quartier.demo import create_centres
from tests.carte.factories import STEPS, seed_categories, seed_family_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def centres(home):
    seed_categories()  # as every install has them (carte/migrations/0002), even after another test's flush
    return create_centres(home)


def test_each_demo_centre_gets_valid_places_around_it_once(centres):
    created = create_places(centres)
    assert create_places(centres) == 0
    for centre in centres:
        places = UsefulPlace.objects.filter(centre=centre, for_centre__isnull=True)
        assert 8 <= places.count() <= 12 and places.count() * len(centres) == created
        assert UsefulPlace.objects.filter(for_centre=centre).count() == 1
        for place in places.prefetch_related("opening_hours"):
            place.full_clean()
            assert place.categories.exists() and place.opening_hours.exists()
            assert abs(place.latitude - centre.latitude) < 0.01 and place.town == centre.town
    # Each town has its own schools and libraries: a name shows once on the whole map.
    names = list(UsefulPlace.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))


def test_generated_places_fill_up_to_the_number_asked_and_say_how_far_they_are(centres):
    out = io.StringIO()
    assert create_generated_places(25, centres, out, batch=10) == 25
    assert create_generated_places(25, centres, out, batch=10) == 25
    assert UsefulPlace.objects.filter(for_centre__isnull=True).count() == 25
    assert out.getvalue().splitlines() == [f"Lieux utiles : {n} sur 25." for n in (10, 20, 25)]


def test_the_demo_command_loads_the_places_and_the_benchmark_volume(home):
    out = io.StringIO()
    call_command("demo", places=70, stdout=out, stderr=io.StringIO())
    assert "Carte : " in out.getvalue() and "Lieux utiles : 70 sur 70." in out.getvalue()
    assert UsefulPlace.objects.filter(for_centre__isnull=True).count() == 70


def test_each_demo_centres_team_has_two_proposals_waiting_once(centres):
    create_places(centres)
    assert create_proposals(centres) == 2 * len(centres)
    assert create_proposals(centres) == 0
    for centre in centres:
        kinds = sorted(PlaceProposal.objects.pending().filter(centre=centre).values_list("kind", flat=True))
        assert kinds == ["correction", "new"]


def test_the_families_steps_link_to_the_demo_procedures_holding_their_dates_once(centres):
    seed_family_steps()
    create_procedures(centres)
    seeded = {title for _band, title, *_rest in STEPS}
    assert set(STEP_PROCEDURES) <= seeded
    assert link_family_steps() == len(STEP_PROCEDURES)
    assert link_family_steps() == 0
    linked = FamilyStep.objects.filter(procedure__isnull=False)
    assert {step.procedure.slug for step in linked} == set(STEP_PROCEDURES.values())
