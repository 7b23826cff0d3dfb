"""Whether a place is open at an instant, read in Europe/Paris time from its weekly slots."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef

PARIS = ZoneInfo("Europe/Paris")


def paris_clock(moment: dt.datetime):
    """The weekday (0 = Monday) and the wall-clock time in Paris at an aware instant."""
    local = moment.astimezone(PARIS)
    return local.weekday(), local.time().replace(tzinfo=None)


def is_open_at(slots, moment: dt.datetime) -> bool:
    """Whether one of the weekly slots (weekday, opens, closes) holds the Paris wall-clock time of `moment`.

    Slots are wall-clock times: on the night the clocks change, a slot covers what the clock on the wall shows.
    """
    weekday, time = paris_clock(moment)
    return any(slot.weekday == weekday and slot.opens <= time < slot.closes for slot in slots)


def open_at(hours_model, moment: dt.datetime):
    """The same test in SQL, for a place's rows of `hours_model` (an annotation or a filter of a list)."""
    weekday, time = paris_clock(moment)
    return Exists(hours_model.objects.filter(place=OuterRef("pk"), weekday=weekday, opens__lte=time, closes__gt=time))
