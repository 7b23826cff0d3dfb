"""The periodic scheduler and `manage.py worker`: each slot enqueued once, a scheduler thread beside `db_worker`.

The queue is django-tasks-db's, in the test database; the periodic tasks are every app's, as the worker finds them.
"""

import io
import logging
import signal
import subprocess
import threading
import time as wall_clock
from contextlib import nullcontext
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from accounts.tasks import forget_expired_personal_data, purge_inactive_accounts
from agenda.tasks import extend_agenda, send_reminders
from carte.tasks import flag_places_to_check
from core.management.commands import worker as worker_command
from core.models import ScheduledRun
from core.scheduling import PERIODIC, enqueue_due
from demarches.tasks import (
    extend_deadlines,
    send_due_campaigns,
    send_follow_reminders,
    send_mandate_expiry_notices,
)
from echanges.tasks import expire_and_remind_offers
from notifications.tasks import forget_finished_work, forget_old_sms_provider_events, sweep_deliveries
from placette.tasks import publish_scheduled_pages
from suivi.tasks import send_appointment_reminders, warm_network_figures
from tests.processes import manage

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SWEEP = sweep_deliveries.module_path
FORGET = forget_finished_work.module_path
PURGE = purge_inactive_accounts.module_path
PUBLISH = publish_scheduled_pages.module_path
# Every app's periodic tasks, as the worker lists them when it starts.
ALL_PERIODIC = ", ".join(
    sorted(
        [
            SWEEP,
            FORGET,
            PURGE,
            PUBLISH,
            forget_expired_personal_data.module_path,
            extend_agenda.module_path,
            send_reminders.module_path,
            expire_and_remind_offers.module_path,
            extend_deadlines.module_path,
            forget_old_sms_provider_events.module_path,
            send_mandate_expiry_notices.module_path,
            send_follow_reminders.module_path,
            send_due_campaigns.module_path,
            flag_places_to_check.module_path,
            send_appointment_reminders.module_path,
            warm_network_figures.module_path,
        ]
    )
)
EVERY_MINUTE = sorted([SWEEP, PUBLISH, send_due_campaigns.module_path])


def paris(*moment, fold=0):
    return datetime(*moment, tzinfo=PARIS, fold=fold)


def in_utc(moment):
    # The scheduler gets timezone.now(), in UTC; and two Paris times an hour apart on the night the clocks
    # go back compare equal (same zone, fold ignored), two UTC times never do.
    return moment.astimezone(UTC)


def queued(task):
    return DBTaskResult.objects.filter(task_path=task.module_path)


# Periodic tasks.


def test_each_periodic_task_is_enqueued_once_per_slot():
    assert {SWEEP, FORGET, PURGE, PUBLISH} <= set(PERIODIC)

    with freeze_time(paris(2026, 3, 10, 10, 42, 10)) as frozen:
        first = enqueue_due()
        frozen.move_to(paris(2026, 3, 10, 10, 42, 59))
        same_minute = enqueue_due()
        frozen.move_to(paris(2026, 3, 10, 10, 43))
        next_minute = enqueue_due()

    assert sorted(first) == sorted(PERIODIC)
    assert same_minute == []
    assert sorted(next_minute) == EVERY_MINUTE
    assert queued(sweep_deliveries).count() == 2
    assert queued(forget_finished_work).count() == queued(purge_inactive_accounts).count() == 1


@pytest.mark.parametrize(
    ("name", "now", "slot"),
    [
        (SWEEP, paris(2026, 3, 10, 10, 42, 37), paris(2026, 3, 10, 10, 42)),
        (SWEEP, paris(2026, 3, 10, 0, 0), paris(2026, 3, 10, 0, 0)),
        (PURGE, paris(2026, 3, 10, 3, 59), paris(2026, 3, 9, 4, 0)),
        (PURGE, paris(2026, 3, 10, 4, 0), paris(2026, 3, 10, 4, 0)),
        (PURGE, paris(2026, 3, 10, 23, 59), paris(2026, 3, 10, 4, 0)),
        (PURGE, paris(2026, 7, 14, 4, 30), paris(2026, 7, 14, 4, 0)),
        (FORGET, paris(2026, 3, 10, 3, 29), paris(2026, 3, 9, 3, 30)),
        (FORGET, paris(2026, 3, 10, 3, 30), paris(2026, 3, 10, 3, 30)),
    ],
)
def test_a_slot_starts_at_the_tasks_local_hour(name, now, slot):
    assert PERIODIC[name].at == {SWEEP: time(0, 0), FORGET: time(3, 30), PURGE: time(4, 0)}[name]

    assert in_utc(PERIODIC[name].slot(in_utc(now))) == in_utc(slot)


@pytest.mark.parametrize(
    ("name", "now", "slot"),
    [
        # The clocks go forward at 02:00 on 29 March 2026, back at 03:00 on 25 October 2026.
        (SWEEP, paris(2026, 3, 29, 4, 30), paris(2026, 3, 29, 4, 30)),
        (SWEEP, paris(2026, 3, 29, 12, 0), paris(2026, 3, 29, 12, 0)),
        (SWEEP, paris(2026, 10, 25, 3, 10), paris(2026, 10, 25, 3, 10)),
        (SWEEP, paris(2026, 10, 25, 2, 30, fold=1), paris(2026, 10, 25, 2, 30, fold=1)),
        (PURGE, paris(2026, 3, 29, 4, 0), paris(2026, 3, 29, 4, 0)),
        (PURGE, paris(2026, 10, 25, 3, 10), paris(2026, 10, 24, 4, 0)),
        (FORGET, paris(2026, 10, 25, 2, 45, fold=1), paris(2026, 10, 24, 3, 30)),
    ],
    ids=[
        "sweep-spring-0430",
        "sweep-spring-noon",
        "sweep-autumn-0310",
        "sweep-autumn-second-0230",
        "purge-spring-0400",
        "purge-autumn-0310",
        "forget-autumn-second-0245",
    ],
)
def test_a_slot_is_right_on_the_days_the_clocks_change(name, now, slot):
    assert in_utc(PERIODIC[name].slot(in_utc(now))) == in_utc(slot)


def test_the_sweep_is_enqueued_every_minute_through_the_night_the_clocks_go_forward():
    # From 01:00 (winter time) to 06:00 (summer time): four hours of real time, counted in UTC.
    start = in_utc(paris(2026, 3, 29, 1, 0))
    minutes = [start + timedelta(minutes=n) for n in range(4 * 60)]
    missed = []

    with freeze_time(start) as frozen:
        for minute in minutes:
            frozen.move_to(minute)
            if SWEEP not in enqueue_due():
                missed.append(timezone.localtime(minute).strftime("%H:%M"))

    assert missed == []
    assert queued(sweep_deliveries).count() == len(minutes)


def test_a_daily_task_is_enqueued_again_at_its_hour_and_not_before():
    with freeze_time(paris(2026, 3, 10, 3, 58)) as frozen:
        enqueue_due()
        frozen.move_to(paris(2026, 3, 10, 3, 59, 59))
        before = enqueue_due()
        frozen.move_to(paris(2026, 3, 10, 4, 0))
        at_four = enqueue_due()
        frozen.move_to(paris(2026, 3, 10, 4, 1))
        after = enqueue_due()

    # 04:00 is also a five-minute slot of the reminders and a ten-minute slot of the network's figures.
    assert (sorted(before), sorted(at_four), sorted(after)) == (
        EVERY_MINUTE,
        sorted(
            [
                *EVERY_MINUTE,
                PURGE,
                send_reminders.module_path,
                send_appointment_reminders.module_path,
                warm_network_figures.module_path,
            ]
        ),
        EVERY_MINUTE,
    )
    assert queued(purge_inactive_accounts).count() == 2


def test_forget_finished_work_drops_what_is_over_a_week_old():
    now = paris(2026, 3, 10, 3, 30)
    with freeze_time(now):
        old_run = ScheduledRun.objects.create(name=SWEEP, slot=now - timedelta(days=8))
        recent_run = ScheduledRun.objects.create(name=SWEEP, slot=now - timedelta(days=6))
        old, recent, waiting = (sweep_deliveries.enqueue().id for _ in range(3))
        DBTaskResult.objects.filter(pk=old).update(status="SUCCESSFUL", finished_at=now - timedelta(days=8))
        DBTaskResult.objects.filter(pk=recent).update(status="SUCCESSFUL", finished_at=now - timedelta(days=6))
        DBTaskResult.objects.filter(pk=waiting).update(enqueued_at=now - timedelta(days=30))

        forgotten = forget_finished_work.call()

    assert forgotten == 1
    assert list(ScheduledRun.objects.values_list("pk", flat=True)) == [recent_run.pk]
    assert not ScheduledRun.objects.filter(pk=old_run.pk).exists()
    assert {str(pk) for pk in queued(sweep_deliveries).values_list("pk", flat=True)} == {recent, waiting}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_moment_enqueue_each_task_once():
    schedulers = 4
    start = threading.Barrier(schedulers)
    enqueued = []

    def schedule():
        try:
            start.wait()
            enqueued.extend(enqueue_due())
        finally:
            connection.close()

    with freeze_time(paris(2026, 3, 10, 10, 42)):
        threads = [threading.Thread(target=schedule) for _ in range(schedulers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(enqueued) == sorted(PERIODIC)
    for periodic in PERIODIC.values():
        assert queued(periodic.task).count() == 1


# `manage.py worker`: a scheduler thread beside `db_worker`.


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_enqueues_due_tasks_until_told_to_stop(monkeypatch):
    stop = threading.Event()
    calls = []

    def enqueue_then_stop_after_two():
        calls.append(enqueue_due())
        if len(calls) == 2:
            stop.set()
        return calls[-1]

    monkeypatch.setattr(worker_command, "enqueue_due", enqueue_then_stop_after_two)

    with freeze_time(paris(2026, 3, 10, 10, 42, 10)):
        worker_command.Command().schedule(stop, 0)

    assert [sorted(names) for names in calls] == [sorted(PERIODIC), []]
    assert set(ScheduledRun.objects.values_list("name", flat=True)) == set(PERIODIC)


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_goes_on_after_a_database_error(monkeypatch, caplog):
    stop = threading.Event()
    errors = [OperationalError("database is locked")]

    def locked_once():
        if errors:
            raise errors.pop()
        stop.set()
        return enqueue_due()

    monkeypatch.setattr(worker_command, "enqueue_due", locked_once)

    with caplog.at_level(logging.ERROR, logger=worker_command.__name__):
        worker_command.Command().schedule(stop, 0)

    assert [record.getMessage() for record in caplog.records] == ["Periodic tasks not enqueued this time"]
    assert set(ScheduledRun.objects.values_list("name", flat=True)) == set(PERIODIC)


@pytest.mark.parametrize("ending", [None, SystemExit(0), KeyboardInterrupt()], ids=["returns", "sigterm", "ctrl-c"])
@pytest.mark.django_db(transaction=True)
def test_manage_py_worker_runs_db_worker_beside_its_scheduler_and_stops_it_after(monkeypatch, ending):
    scheduled = threading.Event()
    ran = []

    def enqueue_and_tell():
        names = enqueue_due()
        scheduled.set()
        return names

    def db_worker(name, **options):
        ran.append((name, options))
        # The queue runs while the scheduler thread enqueues; this returns (or exits) once it has.
        assert scheduled.wait(timeout=60)
        if ending is not None:
            raise ending

    monkeypatch.setattr(worker_command, "enqueue_due", enqueue_and_tell)
    monkeypatch.setattr(worker_command, "call_command", db_worker)
    out = io.StringIO()

    with pytest.raises(type(ending)) if ending is not None else nullcontext():
        call_command("worker", interval=0.5, schedule_every=0.01, stdout=out)

    [(name, options)] = ran
    assert (name, options["interval"], options["reload"]) == ("db_worker", 0.5, False)
    assert not [thread for thread in threading.enumerate() if thread.name == "scheduler"]
    assert set(ScheduledRun.objects.values_list("name", flat=True)) == set(PERIODIC)
    assert out.getvalue() == (f"Travail de fond démarré ; tâches périodiques : {ALL_PERIODIC}.\n")


# The real process, stopped.


@pytest.mark.django_db(transaction=True)
def test_manage_py_worker_runs_the_periodic_tasks_and_stops_on_sigterm(home):
    command, environment = manage("worker", "--interval", "0.1", "--schedule-every", "0.2")
    process = subprocess.Popen(
        command, env=environment, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        # Wait (bounded) until the scheduler has enqueued the sweep and the queue has run it.
        deadline = wall_clock.monotonic() + 60
        while not queued(sweep_deliveries).filter(status="SUCCESSFUL").exists():
            assert process.poll() is None, process.stderr.read()
            assert wall_clock.monotonic() < deadline, "the worker never ran the sweep"
            wall_clock.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 0, err
    assert f"Travail de fond démarré ; tâches périodiques : {ALL_PERIODIC}." in out
    assert set(ScheduledRun.objects.values_list("name", flat=True)) == set(PERIODIC)
