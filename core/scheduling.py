"""Periodic background work: each app registers tasks to enqueue every so often; the worker's scheduler does it.

django-tasks has no schedule of its own. A slot (say, "the minute of 10:42" or "the day at 03:00")
is enqueued once, however many schedulers run, because its `ScheduledRun` row is unique.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import ScheduledRun

PERIODIC = {}


@dataclass(frozen=True)
class Periodic:
    task: object
    every: timedelta
    # Where the slots start, in local time: "at 03:00" for a daily task.
    at: time = time.min

    @property
    def name(self):
        return self.task.module_path

    def slot(self, now):
        """The start of the slot `now` falls in: the day's `at` for a daily task, else a multiple of `every`."""
        local = timezone.localtime(now)
        day = local.date() if local.time() >= self.at else local.date() - timedelta(days=1)
        anchor = timezone.make_aware(datetime.combine(day, self.at))
        if self.every >= timedelta(days=1):
            return anchor
        # In UTC: adding minutes to a Paris time adds wall-clock time, which jumps an hour twice a year.
        anchor = anchor.astimezone(UTC)
        return anchor + ((now - anchor) // self.every) * self.every


def every(period, *, at=time.min):
    """Register a django-tasks `Task` to run once per `period` (a day at most), from `at` local time."""
    if period > timedelta(days=1):
        raise ValueError("Periodic tasks run at most once a day")

    def register(task):
        PERIODIC[task.module_path] = Periodic(task, period, at)
        return task

    return register


def enqueue_due(now=None):
    """Enqueue each periodic task whose current slot has not been enqueued yet; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for periodic in PERIODIC.values():
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=periodic.name, slot=periodic.slot(now))
                periodic.task.enqueue()
        except IntegrityError:
            continue
        enqueued.append(periodic.name)
    return enqueued


def forget_old_runs(now=None):
    """Slots older than a week say nothing more than the task results do."""
    now = now or timezone.now()
    return ScheduledRun.objects.filter(slot__lt=now - timedelta(days=7)).delete()[0]


def each_locked(due, *, related=(), limit=None, **still):
    """Each row of the queryset `due` that still matches `still`, locked in a transaction of its own.

    The caller's loop body runs inside that transaction. A row another worker holds is skipped: that worker is
    handling it and writes its change with the message it sends, so each row is handled once however many workers
    run. `limit` bounds one run; the next run takes the rest.
    """
    ids = list(due.values_list("pk", flat=True)[:limit])
    for pk in ids:
        with transaction.atomic():
            row = (
                due.model.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, **still)
                .select_related(*related)
                .first()
            )
            if row is not None:
                yield row
