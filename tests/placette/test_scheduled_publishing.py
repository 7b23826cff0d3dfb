"""An editor schedules a page in Wagtail; the worker's periodic task publishes it when its time comes."""

import datetime as dt

import pytest
from django.utils.module_loading import autodiscover_modules
from freezegun import freeze_time

from core.scheduling import enqueue_due
from quartier.models import CentrePage
from tests.factories import CentrePageFactory

# Committed for real: the worker closes its connection between tasks, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)

TIMEZONE = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture(autouse=True)
def periodic_tasks():
    """What `manage.py worker` does first: each app's tasks module registers its periodic tasks."""
    autodiscover_modules("tasks")


def test_a_page_scheduled_for_nine_is_published_by_the_worker_at_nine_not_before(home, run_db_worker):
    centre = CentrePageFactory(parent=home, title="Centre social du Pont", live=False)
    go_live = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TIMEZONE)
    with freeze_time(go_live - dt.timedelta(days=1)):
        centre.go_live_at = go_live
        centre.save_revision().publish()

    with freeze_time(go_live - dt.timedelta(minutes=2)):
        assert "placette.tasks.publish_scheduled_pages" in enqueue_due()
        run_db_worker()
    assert not CentrePage.objects.get(pk=centre.pk).live

    with freeze_time(go_live + dt.timedelta(seconds=30)):
        assert "placette.tasks.publish_scheduled_pages" in enqueue_due()
        run_db_worker()
    assert CentrePage.objects.get(pk=centre.pk).live
