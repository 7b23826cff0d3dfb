"""Cached pages never show stale deadlines: a committed write stales the pages that show it, and only those."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from demarches import services
from demarches.models import DatedWindow
from tests.demarches.factories import ProcedureFactory
from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture(autouse=True)
def sunday_the_6th_of_december():
    with freeze_time("2026-12-06 10:00"):
        yield


def read(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def shared(client, url):
    """Visits `url` until a visit reads no table (a page about one centre is stored from its second rendering)."""
    for _ in range(3):
        if read(client, url)[0] == 0:
            return
    raise AssertionError(f"{url} is not shared")


def test_a_new_period_shows_at_once_on_the_calendar_the_procedure_and_every_centre(
    client, home, django_capture_on_commit_callbacks
):
    centre = CentrePageFactory(parent=home)
    procedure = ProcedureFactory(
        dated=True, name="Inscription à la cantine", periods=[(dt.date(2026, 12, 10), dt.date(2026, 12, 20))]
    )
    urls = [reverse("demarches:calendar"), procedure.get_absolute_url(), centre.url]
    for url in urls:
        shared(client, url)
        assert "10\u00a0décembre" in read(client, url)[1] or "20\u00a0décembre" in read(client, url)[1]

    with django_capture_on_commit_callbacks(execute=True):
        DatedWindow.objects.create(procedure=procedure, opens_on=dt.date(2027, 1, 4), closes_on=dt.date(2027, 1, 8))
        services.materialise(procedure)

    for url in urls:
        queries, content = read(client, url)
        assert queries > 0
        assert "4\u00a0janvier" in content or "8\u00a0janvier" in content, url


def test_a_centres_own_procedure_stales_its_centre_and_the_lists_not_the_other_centres(
    client, home, django_capture_on_commit_callbacks
):
    centre, other = CentrePageFactory(parent=home), CentrePageFactory(parent=home)
    ProcedureFactory(name="Démarche du réseau")
    for url in (centre.url, other.url, reverse("demarches:calendar")):
        shared(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        ProcedureFactory(name="Loisirs du centre", centre=centre)

    assert "Loisirs du centre" in read(client, centre.url)[1]
    assert "Loisirs du centre" in read(client, reverse("demarches:calendar"))[1]
    assert read(client, other.url)[0] == 0


def test_materialising_nothing_new_stales_nothing(client, home, django_capture_on_commit_callbacks):
    procedure = ProcedureFactory()
    shared(client, reverse("demarches:calendar"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.materialise(procedure)

    assert callbacks == []
    assert read(client, reverse("demarches:calendar"))[0] == 0
