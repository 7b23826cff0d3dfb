"""Background work through the real queue: tasks queued after commit, `db_worker`, periodic tasks, `manage.py worker`.

The queue is django-tasks-db's, in the test database. `db_worker` closes old connections between tasks, which
ends the transaction a plain test runs in: tests that run it are transactional.
"""

import io
import logging
import os
import signal
import subprocess
import sys
import threading
import time as wall_clock
from contextlib import nullcontext
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from accounts.notices import WELCOME
from accounts.tasks import forget_expired_personal_data, purge_inactive_accounts
from agenda.tasks import extend_agenda, send_reminders
from echanges.tasks import expire_and_remind_offers
from notifications.management.commands import worker as worker_command
from notifications.models import Delivery, ScheduledRun
from notifications.scheduling import PERIODIC, enqueue_due
from notifications.services import notify
from notifications.sms.backends import brevo as brevo_sms
from notifications.sms.backends import locmem as locmem_sms
from notifications.tasks import deliver, forget_finished_work, sweep_deliveries
from placette.tasks import publish_scheduled_pages
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of
from tests.notifications.fake_brevo import FakeBrevo

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
STALE = timedelta(minutes=settings.DELIVERY_STALE_AFTER_MINUTES)
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
        ]
    )
)
EVERY_MINUTE = sorted([SWEEP, PUBLISH])


def paris(*moment, fold=0):
    return datetime(*moment, tzinfo=PARIS, fold=fold)


def in_utc(moment):
    # The scheduler gets timezone.now(), in UTC; and two Paris times an hour apart on the night the clocks
    # go back compare equal (same zone, fold ignored), two UTC times never do.
    return moment.astimezone(UTC)


class WorkerDied(BaseException):
    """What the process dying looks like from inside: nothing after it runs, no handler catches it."""


class DyingSmsBackend:
    """For a worker process: it is killed outright while sending, as by the OOM killer or a power cut."""

    def send(self, message):
        os.kill(os.getpid(), signal.SIGKILL)


class KilledOnceBrevoTookItBackend(brevo_sms.SmsBackend):
    """For a worker process: Brevo takes the SMS, then the worker is killed before it can mark it sent."""

    def send(self, message):
        super().send(message)
        os.kill(os.getpid(), signal.SIGKILL)


# SMS wait for the morning between 21:00 and 08:00: these tests run the real clock (and worker processes),
# so at night their SMS would not be due yet. An empty window (start = end) has no quiet hours.
NO_QUIET_HOURS = ("12:00", "12:00")


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    settings.SMS_QUIET_HOURS = NO_QUIET_HOURS


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home)


def tell(person, centre):
    return notify(person, WELCOME.key, "Karim a répondu à votre offre.", url="/notifications/", centre=centre)


def queued(task):
    return DBTaskResult.objects.filter(task_path=task.module_path)


# Deliveries through the queue.


def test_a_notification_queues_its_delivery_only_once_committed(centre, django_capture_on_commit_callbacks):
    person = member_of(centre)

    with django_capture_on_commit_callbacks(execute=True):
        delivery = tell(person, centre).deliveries.get()
        assert not queued(deliver).exists()

    [task] = queued(deliver)
    assert task.status == "READY"
    assert task.args_kwargs == {"args": [delivery.pk], "kwargs": {}}


def test_an_sms_held_for_the_morning_is_left_to_the_sweep(centre, django_capture_on_commit_callbacks, settings):
    settings.SMS_QUIET_HOURS = ("21:00", "08:00")
    person = member_of(centre, by_sms=True)

    with freeze_time(paris(2026, 3, 10, 22, 30)), django_capture_on_commit_callbacks(execute=True):
        delivery = tell(person, centre).deliveries.get()

    assert delivery.status == Delivery.Status.PENDING
    assert not queued(deliver).exists()


@pytest.mark.django_db(transaction=True)
def test_db_worker_sends_a_committed_notifications_email_once(centre, run_db_worker, mailoutbox):
    person = member_of(centre)
    with transaction.atomic():
        delivery = tell(person, centre).deliveries.get()
    [task] = queued(deliver)

    run_db_worker()

    assert [email.to for email in mailoutbox] == [[person.email]]
    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "sent")
    deliver.enqueue(delivery.pk)
    sweep_deliveries.enqueue()

    run_db_worker()

    assert len(mailoutbox) == 1
    assert sorted(queued(deliver).values_list("return_value", flat=True), key=str) == [None, "sent"]
    assert set(queued(deliver).values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert list(queued(sweep_deliveries).values_list("status", "return_value")) == [("SUCCESSFUL", 0)]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


@pytest.mark.django_db(transaction=True)
def test_a_task_that_dies_mid_send_leaves_the_sms_to_a_later_sweep_which_sends_it_once(
    centre, run_db_worker, monkeypatch, sms_outbox
):
    person = member_of(centre, by_sms=True)

    def die(backend, message):
        raise WorkerDied

    with monkeypatch.context() as crash:
        crash.setattr(locmem_sms.SmsBackend, "send", die)
        with transaction.atomic():
            delivery = tell(person, centre).deliveries.get()
        run_db_worker()

    [task] = queued(deliver)
    assert (task.status, task.exception_class_path) == ("FAILED", f"{__name__}.WorkerDied")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sending", 1)
    sweep_deliveries.enqueue()
    run_db_worker()
    assert sms_outbox == []

    with freeze_time(delivery.claimed_at + STALE + timedelta(seconds=1)):
        sweep_deliveries.enqueue()
        run_db_worker()
        assert [sms.to for sms in sms_outbox] == [str(person.phone)]
        sweep_deliveries.enqueue()
        deliver.enqueue(delivery.pk)
        run_db_worker()

    assert len(sms_outbox) == 1
    assert sorted(queued(sweep_deliveries).values_list("return_value", flat=True)) == [0, 0, 1]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


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

    # 04:00 is also a five-minute slot of the agenda's reminders.
    assert (sorted(before), sorted(at_four), sorted(after)) == (
        EVERY_MINUTE,
        sorted([*EVERY_MINUTE, PURGE, send_reminders.module_path]),
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


# The real process, killed or stopped.


def shared_database_url():
    """The test database for another process: PostgreSQL's, or SQLite's when it is a file."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            pytest.skip("La base de test SQLite est en mémoire : un autre processus ne peut pas l'ouvrir")
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def manage(*args, sms_backend="notifications.sms.backends.console.SmsBackend", **env):
    """The command line and environment for a `manage.py` process on the test database."""
    environment = {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "SMS_BACKEND": sms_backend,
        "EMAIL_URL": "consolemail://",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
        "SMS_QUIET_START": NO_QUIET_HOURS[0],
        "SMS_QUIET_END": NO_QUIET_HOURS[1],
        **env,
    }
    return [sys.executable, str(settings.BASE_DIR / "manage.py"), *args], environment


def run_manage(*args, **env):
    command, environment = manage(*args, **env)
    return subprocess.run(
        command, env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_while_sending_an_sms_leaves_it_to_be_sent_once(centre):
    person = member_of(centre, by_sms=True)
    with transaction.atomic():
        delivery = tell(person, centre).deliveries.get()
    sent = f"--- SMS pour {person.phone} ---"

    killed = run_manage("worker", "--interval", "0.1", sms_backend=f"{__name__}.DyingSmsBackend")

    assert killed.returncode == -signal.SIGKILL
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sending", 1)
    # The queue never runs a task again once taken: the sweep is what finds the delivery.
    assert queued(deliver).get().status == "RUNNING"

    sweep_deliveries.enqueue()
    too_soon = run_manage("db_worker", "--batch", "--no-startup-delay")
    assert too_soon.returncode == 0, too_soon.stderr
    assert sent not in too_soon.stdout
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sending", 1)

    # The claim counts as stale at once, in place of waiting ten minutes.
    stale = {"DELIVERY_STALE_AFTER_MINUTES": "0"}
    sweep_deliveries.enqueue()
    resumed = run_manage("db_worker", "--batch", "--no-startup-delay", **stale)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.count(sent) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)

    sweep_deliveries.enqueue()
    deliver.enqueue(delivery.pk)
    again = run_manage("db_worker", "--batch", "--no-startup-delay", **stale)
    assert again.returncode == 0, again.stderr
    assert sent not in again.stdout
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_once_brevo_took_the_sms_does_not_send_it_again(centre):
    person = member_of(centre, by_sms=True)
    with transaction.atomic():
        delivery = tell(person, centre).deliveries.get()

    with FakeBrevo() as brevo:
        provider = {"SMS_API_URL": brevo.url, "SMS_API_KEY": "cle-de-test"}
        killed = run_manage(
            "worker", "--interval", "0.1", sms_backend=f"{__name__}.KilledOnceBrevoTookItBackend", **provider
        )
        assert killed.returncode == -signal.SIGKILL
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, len(brevo.requests)) == ("sending", 1, 1)

        # The claim counts as stale at once, in place of waiting ten minutes.
        sweep_deliveries.enqueue()
        resumed = run_manage(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            sms_backend="notifications.sms.backends.brevo.SmsBackend",
            DELIVERY_STALE_AFTER_MINUTES="0",
            **provider,
        )
        assert resumed.returncode == 0, resumed.stderr

    assert len(brevo.requests) == 1, "Brevo got the SMS twice"
    assert [lookup["path"] for lookup in brevo.lookups] == ["/v3/transactionalSMS/statistics/events"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


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
