"""Opening hours in words: when a centre opens next, and its week written for people."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home.templatetags.french import hour, hour_range

WEEKDAYS = [
    gettext_lazy("lundi"),
    gettext_lazy("mardi"),
    gettext_lazy("mercredi"),
    gettext_lazy("jeudi"),
    gettext_lazy("vendredi"),
    gettext_lazy("samedi"),
    gettext_lazy("dimanche"),
]


@dataclass(frozen=True)
class NextOpening:
    """The centre's state at a moment: open now until `until`, or opening next at `start`."""

    is_open: bool
    start: dt.datetime | None = None
    until: dt.datetime | None = None

    def describe(self, now: dt.datetime) -> str:
        if self.is_open:
            return _("Ouvert maintenant, jusqu'à %(time)s") % {"time": hour(self.until)}
        days = (self.start.date() - now.date()).days
        time = hour(self.start)
        if days == 0:
            return _("Ouvre aujourd'hui à %(time)s") % {"time": time}
        if days == 1:
            return _("Ouvre demain à %(time)s") % {"time": time}
        return _("Ouvre %(day)s à %(time)s") % {"day": WEEKDAYS[self.start.weekday()], "time": time}


def next_opening(slots, now: dt.datetime) -> NextOpening | None:
    """Where `now` (aware, local time) falls in the weekly slots (weekday, opens, closes); None if none."""
    for offset in range(8):
        day = now.date() + dt.timedelta(days=offset)
        for slot in sorted((s for s in slots if s.weekday == day.weekday()), key=lambda s: s.opens):
            start = dt.datetime.combine(day, slot.opens, tzinfo=now.tzinfo)
            end = dt.datetime.combine(day, slot.closes, tzinfo=now.tzinfo)
            if start <= now < end:
                return NextOpening(is_open=True, start=start, until=end)
            if now < start:
                return NextOpening(is_open=False, start=start)
    return None


def week_in_words(slots):
    """One (day name, "9 h – 12 h, 14 h – 18 h") pair per day of the week, "Fermé" when closed."""
    week = []
    for number, name in enumerate(WEEKDAYS):
        ranges = [
            hour_range(s.opens, s.closes)
            for s in sorted((s for s in slots if s.weekday == number), key=lambda s: s.opens)
        ]
        week.append((name.capitalize(), ", ".join(ranges) if ranges else _("Fermé")))
    return week
