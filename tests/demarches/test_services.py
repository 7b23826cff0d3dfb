"""Deadlines are written ahead from each procedure's rule and periods, once, and kept up to date each night."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from core.scheduling import PERIODIC
from demarches import services, tasks
from demarches.models import DatedWindow, ProcedureDeadline
from demarches.rules import Rhythm
from tests.concurrency import at_once, unexpected
from tests.demarches.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 6)


def windows(procedure):
    return list(procedure.deadlines.order_by("opens_on").values_list("opens_on", "closes_on"))


@freeze_time("2026-12-06 10:00")
def test_a_monthly_procedure_gets_its_windows_to_the_horizon_including_the_one_open_now():
    procedure = ProcedureFactory(opens_day=28, closes_day=15)

    written = windows(procedure)

    assert written[0] == (D(2026, 11, 28), D(2026, 12, 15))
    assert written[-1][0] <= TODAY + dt.timedelta(days=services.HORIZON_DAYS)
    assert len(written) == 14


@freeze_time("2026-12-06 10:00")
def test_materialising_again_writes_nothing_and_keeps_the_rows():
    procedure = ProcedureFactory()
    before = list(procedure.deadlines.values_list("pk", flat=True).order_by("pk"))

    assert services.materialise(procedure) == (0, 0)
    assert list(procedure.deadlines.values_list("pk", flat=True).order_by("pk")) == before


def test_a_changed_rule_replaces_the_deadlines_to_come_and_keeps_the_past_ones():
    with freeze_time("2026-10-20"):
        procedure = ProcedureFactory(opens_day=1, closes_day=15)
    with freeze_time("2026-12-06"):
        procedure.closes_day = 20
        procedure.save()
        added, removed = services.materialise(procedure)

    assert (D(2026, 11, 1), D(2026, 11, 15)) in windows(procedure)  # over before the change: history
    assert (D(2026, 12, 1), D(2026, 12, 20)) in windows(procedure)
    assert (D(2026, 12, 1), D(2026, 12, 15)) not in windows(procedure)
    assert removed > 0
    assert added > removed  # the horizon moved on too


@freeze_time("2026-12-06")
def test_dated_periods_are_written_and_a_removed_one_goes():
    procedure = ProcedureFactory(
        dated=True, periods=[(D(2027, 1, 5), D(2027, 3, 31)), (D(2027, 6, 1), D(2027, 7, 10))]
    )
    assert windows(procedure) == [(D(2027, 1, 5), D(2027, 3, 31)), (D(2027, 6, 1), D(2027, 7, 10))]

    DatedWindow.objects.filter(procedure=procedure, opens_on=D(2027, 6, 1)).delete()
    services.materialise(procedure)

    assert windows(procedure) == [(D(2027, 1, 5), D(2027, 3, 31))]


@freeze_time("2026-12-06")
def test_a_procedure_without_date_limit_has_no_deadline():
    procedure = ProcedureFactory(rhythm=Rhythm.NONE, opens_day=None, closes_day=None)

    assert windows(procedure) == []


def test_the_nightly_task_extends_every_procedure_by_a_day_and_is_scheduled():
    with freeze_time("2026-12-06"):
        procedure = ProcedureFactory(yearly=True)
        assert windows(procedure) == [(D(2027, 4, 10), D(2027, 6, 5))]
    with freeze_time("2027-04-12"):
        # The horizon reached next year's window: the task writes it, once.
        assert services.extend_horizon() == 1
        assert services.extend_horizon() == 0

    assert windows(procedure)[-1] == (D(2028, 4, 10), D(2028, 6, 5))
    assert tasks.extend_deadlines.module_path in PERIODIC


@freeze_time("2026-12-06")
def test_the_database_refuses_a_deadline_closing_before_it_opens_or_written_twice():
    procedure = ProcedureFactory(materialised=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureDeadline.objects.create(procedure=procedure, opens_on=D(2027, 1, 10), closes_on=D(2027, 1, 5))
    ProcedureDeadline.objects.create(procedure=procedure, opens_on=D(2027, 1, 1), closes_on=D(2027, 1, 15))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureDeadline.objects.create(procedure=procedure, opens_on=D(2027, 1, 1), closes_on=D(2027, 1, 15))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_editors_save_and_the_nightly_task_writing_the_same_windows_at_once_write_each_once():
    procedure = ProcedureFactory(opens_day=1, closes_day=15)
    ProcedureDeadline.objects.filter(procedure=procedure).delete()

    outcomes = at_once(*[lambda: services.materialise(procedure) for _ in range(4)])

    assert unexpected(outcomes) == []
    assert len(windows(procedure)) == len(set(windows(procedure))) == len(services.windows_of(procedure))
