"""Deliveries through the real queue: tasks queued after commit, `db_worker`, a worker process killed mid-send.

The queue is django-tasks-db's, in the test database. `db_worker` closes old connections between tasks, which
ends the transaction a plain test runs in: tests that run it are transactional.
"""

import os
import signal
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from accounts.notices import WELCOME
from notifications.models import Delivery
from notifications.services import notify
from notifications.sms.backends import brevo as brevo_sms
from notifications.sms.backends import locmem as locmem_sms
from notifications.tasks import deliver, sweep_deliveries
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of
from tests.notifications.fake_brevo import FakeBrevo
from tests.processes import NO_QUIET_HOURS, run_manage

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
STALE = timedelta(minutes=settings.DELIVERY_STALE_AFTER_MINUTES)


def paris(*moment, fold=0):
    return datetime(*moment, tzinfo=PARIS, fold=fold)


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


# A worker process, killed.


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
