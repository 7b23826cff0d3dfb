"""Places unchecked for a year are told to their centre's team by the worker: once per place and year, however
often the task runs."""

import datetime as dt

import pytest
from freezegun import freeze_time

from carte import checks, tasks
from carte.models import StalePlaceNotice
from core.scheduling import PERIODIC
from notifications.models import Notification
from tests.accounts.factories import mediator_of
from tests.carte.factories import UsefulPlaceFactory
from tests.concurrency import at_once, unexpected
from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social L'Escale")


def notices(user):
    return list(Notification.objects.filter(recipient=user, kind="places_to_check").values_list("text", flat=True))


def test_the_task_runs_each_day_in_the_worker():
    assert PERIODIC[tasks.flag_places_to_check.module_path].every == dt.timedelta(days=1)


@freeze_time("2026-12-07 07:00:00+01:00")
def test_each_stale_place_is_told_once_to_its_centres_team_however_often_the_task_runs(home, centre):
    mediator = mediator_of(centre)
    other = CentrePageFactory(parent=home, title="Centre du Pile")
    other_mediator = mediator_of(other)
    UsefulPlaceFactory(name="Médiathèque Zola", centre=centre, last_checked_on=dt.date(2025, 11, 1))
    UsefulPlaceFactory(name="Vérifiée cette année", centre=centre, last_checked_on=dt.date(2026, 3, 1))
    UsefulPlaceFactory(name="Sans centre", centre=None, last_checked_on=dt.date(2020, 1, 1))
    UsefulPlaceFactory(name="Toute neuve", centre=centre, last_checked_on=None)
    with freeze_time("2025-06-01"):
        UsefulPlaceFactory(name="Jamais vérifiée", centre=centre, last_checked_on=None)

    assert checks.flag_stale_places() == 2
    assert checks.flag_stale_places() == 0
    tasks.flag_places_to_check.call()

    [text] = notices(mediator)
    assert text.startswith("2 lieux de la carte n'ont pas été vérifiés depuis un an")
    assert "« Jamais vérifiée »" in text and "« Médiathèque Zola »" in text
    assert notices(other_mediator) == []
    assert StalePlaceNotice.objects.count() == 2


def test_a_place_still_unchecked_a_year_later_is_told_again_and_a_checked_one_is_not(centre):
    mediator = mediator_of(centre)
    place = UsefulPlaceFactory(name="Médiathèque Zola", centre=centre, last_checked_on=dt.date(2025, 1, 10))
    with freeze_time("2026-01-20"):
        assert checks.flag_stale_places() == 1
    with freeze_time("2026-09-20"):
        assert checks.flag_stale_places() == 0
    with freeze_time("2027-01-20"):
        assert checks.flag_stale_places() == 1
        checks.mark_checked(mediator, place.pk)
    with freeze_time("2027-12-31"):
        assert checks.flag_stale_places() == 0
    assert len(notices(mediator)) == 2


@freeze_time("2026-12-07")
def test_the_notice_names_three_places_and_counts_the_others(centre):
    mediator = mediator_of(centre)
    for n in range(5):
        UsefulPlaceFactory(name=f"Lieu {n}", centre=centre, last_checked_on=dt.date(2024, 1, n + 1))
    checks.flag_stale_places()
    [text] = notices(mediator)
    assert "« Lieu 0 », « Lieu 1 », « Lieu 2 » et 2 autres" in text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_tell_each_place_once(home):
    centre = CentrePageFactory(parent=home)
    mediator = mediator_of(centre)
    for n in range(3):
        UsefulPlaceFactory(centre=centre, last_checked_on=dt.date(2020, 1, n + 1))
    outcomes = at_once(checks.flag_stale_places, checks.flag_stale_places)
    assert unexpected(outcomes) == [] and sum(outcomes) == 3
    assert StalePlaceNotice.objects.count() == 3
    assert sum(text.count("« Lieu n°") for text in notices(mediator)) == 3
