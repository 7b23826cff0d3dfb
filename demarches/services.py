"""Every write of the procedures' calendar: deadlines written ahead from each procedure's rule and dated windows.

Like the agenda's occurrences, deadlines are materialised rows: written when a procedure is saved and extended
each night (`demarches.tasks`), so that pages, sections and feeds only read them. Writing is idempotent: the
rows a procedure should have are compared with those it has, and only the difference is written.
"""

from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from core import freshness
from demarches.models import Procedure, ProcedureDeadline
from demarches.rules import Rhythm

# A yearly procedure (the income tax return) must show its next window all year round: a year and a bit ahead.
HORIZON_DAYS = 400


def horizon(today=None):
    """The last day a window may open on to be written now."""
    return (today or timezone.localdate()) + timedelta(days=HORIZON_DAYS)


def windows_of(procedure, *, today=None):
    """(opens_on, closes_on) of every window not yet closed and opening by the horizon: rule and dated ones."""
    today = today or timezone.localdate()
    until = horizon(today)
    windows = set(procedure.rule.windows(today, until))
    if procedure.rhythm != Rhythm.NONE:
        windows |= {
            (window.opens_on, window.closes_on)
            for window in procedure.dated_windows.all()
            if window.closes_on >= today and window.opens_on <= until
        }
    return sorted(windows)


@transaction.atomic
def materialise(procedure, *, today=None):
    """Write the procedure's deadlines from today to the horizon; returns (added, removed).

    Past deadlines stay: they are history, and nothing reads them for reminders. A window the editor removed,
    or a rule changed, deletes the rows not yet closed that no longer match.
    """
    today = today or timezone.localdate()
    wanted = set(windows_of(procedure, today=today))
    existing = {
        (deadline.opens_on, deadline.closes_on): deadline.pk
        for deadline in ProcedureDeadline.objects.select_for_update().filter(procedure=procedure).current(today)
    }
    added = wanted - existing.keys()
    removed = [pk for window, pk in existing.items() if window not in wanted]
    # The lock above holds the rows that exist, not those being added: an editor's save and the nightly task may
    # write the same new window at once, and the second one must find it there rather than fail.
    ProcedureDeadline.objects.bulk_create(
        [
            ProcedureDeadline(procedure=procedure, opens_on=opens_on, closes_on=closes_on)
            for opens_on, closes_on in added
        ],
        ignore_conflicts=True,
    )
    if removed:
        ProcedureDeadline.objects.filter(pk__in=removed).delete()
    if added or removed:
        # bulk_create sends no post_save: the pages showing these deadlines are staled here (core/freshness.py).
        transaction.on_commit(partial(freshness.bump, *freshness.scopes_of_write(procedure)), robust=True)
    return len(added), len(removed)


def extend_horizon(today=None):
    """Materialise every procedure up to today's horizon (one more day each night); returns how many were added."""
    added = 0
    for procedure in Procedure.objects.prefetch_related("dated_windows").iterator(chunk_size=200):
        added += materialise(procedure, today=today)[0]
    return added
