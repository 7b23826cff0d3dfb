"""Figures for funders: per month, centre and activity, how many registered, came, missed, waited or cancelled,
and how many different people the activities reached.

Everything is counted by the database in one grouped query over the dates given (already scoped to the
centres the reader runs), so a report costs the same whatever the number of registrations. Dates the centre
cancelled are left out: nobody came to them, and their registrations stay only for the record.
"""

from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Concat, Lower, Trim, TruncMonth

from agenda.models import Occurrence, Registration

Status = Registration.Status


def _counts():
    attended = Q(registrations__status=Status.ATTENDED)
    return {
        "dates": Count("pk", distinct=True),
        "registered": Count("registrations", filter=Q(registrations__status__in=Registration.SEAT_HOLDING)),
        "present": Count("registrations", filter=attended),
        "absent": Count("registrations", filter=Q(registrations__status=Status.ABSENT)),
        "waitlisted": Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
        "cancelled": Count("registrations", filter=Q(registrations__status=Status.CANCELLED)),
        # People with an account by their id; people registered at the desk by their name and phone.
        "people_reached": Count("registrations__person", distinct=True, filter=attended)
        + Count(
            Concat(
                Lower(Trim("registrations__name")),
                Value("|"),
                "registrations__phone",
                output_field=CharField(),
            ),
            distinct=True,
            filter=attended & Q(registrations__person__isnull=True),
        ),
    }


def _grouped(occurrences, fields):
    return (
        occurrences.filter(status=Occurrence.Status.SCHEDULED)
        .annotate(month=TruncMonth("start"))
        .values("month", *fields)
        .annotate(**_counts())
        .order_by("-month", *fields)
    )


def by_activity(occurrences):
    """One row per month, centre and activity of `occurrences`."""
    return _grouped(occurrences, ["centre__title", "centre_id", "event__title", "event_id"])


def by_centre(occurrences):
    """One row per month and centre: someone who came to two activities of the centre is one person reached."""
    return _grouped(occurrences, ["centre__title", "centre_id"])


def totals(occurrences, *fields):
    """The counts over all `occurrences` (months together), one row per value of `fields`: by category, by event."""
    return (
        occurrences.filter(status=Occurrence.Status.SCHEDULED).values(*fields).annotate(**_counts()).order_by(*fields)
    )
