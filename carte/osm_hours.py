"""Opening hours in OpenStreetMap's `opening_hours` syntax, both ways.

The national standards (standard-mediation-num's `horaires`, data·inclusion's `horaires_accueil`) carry
hours in this syntax, and imports bring it in. Placette keeps an ordinary week as rows (weekday, opens,
closes); this module writes such rows as `Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00` and reads back the
subset people and open data files actually use: day ranges and lists, several time spans, `off`, `24/7`.
Public holidays (`PH off`) say nothing about an ordinary week and are skipped; anything else (months,
weeks, sunrise, spans over midnight) is refused with a French message naming the part that does not parse.

A later rule replaces the hours of its days, as in OSM (`Mo-Fr 09:00-17:00; We off` closes Wednesday).
`24:00` is read as 23:59: a `TimeField` has no end-of-day, and no centre closes in that last minute.
"""

import datetime as dt
import re
from itertools import groupby

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
END_OF_DAY = dt.time(23, 59)
# Past this, a text is not opening hours: refused before any work.
MAX_LENGTH = 1000

_SPAN = re.compile(r"([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})", re.ASCII)
_FIRST_DIGIT = re.compile(r"[0-9]", re.ASCII)
_CLOSED = ("off", "closed")


def _clock(value):
    return f"{value.hour:02d}:{value.minute:02d}"


def _days_text(days):
    """Mo-We,Fr for [0, 1, 2, 4]: consecutive days as ranges, the others listed."""
    parts = []
    for _key, run in groupby(enumerate(days), key=lambda pair: pair[1] - pair[0]):
        run = [day for _index, day in run]
        parts.append(DAYS[run[0]] if len(run) == 1 else f"{DAYS[run[0]]}-{DAYS[run[-1]]}")
    return ",".join(parts)


def to_osm(slots):
    """The OSM `opening_hours` text of slots (anything with .weekday, 0 for Monday, .opens and .closes).

    Days with the same spans share one rule; the rules come in the order of their first day. No slot: "".
    """
    spans = {}
    for slot in sorted(slots, key=lambda slot: (slot.weekday, slot.opens, slot.closes)):
        span = f"{_clock(slot.opens)}-{_clock(slot.closes)}"
        day_spans = spans.setdefault(slot.weekday, [])
        if span not in day_spans:
            day_spans.append(span)
    rules = {}
    for day in sorted(spans):
        rules.setdefault(",".join(spans[day]), []).append(day)
    return "; ".join(f"{_days_text(days)} {hours}" for hours, days in rules.items())


def _refuse(rule, problem):
    raise ValidationError(_("« %(rule)s » : %(problem)s") % {"rule": rule, "problem": problem}, code="osm_hours")


def _day(rule, name):
    for index, day in enumerate(DAYS):
        if name.lower() == day.lower():
            return index
    _refuse(
        rule,
        _("jour inconnu « %(day)s » — écrivez Mo, Tu, We, Th, Fr, Sa ou Su") % {"day": name},
    )


def _days(rule, text):
    """The weekdays a selector names: `Mo-Fr`, `Mo,We`, `Sa-Mo` (across the week's end); empty: every day."""
    if not text:
        return list(range(7))
    days = []
    for part in text.split(","):
        ends = [name.strip() for name in part.split("-")]
        if len(ends) > 2 or not all(ends):
            _refuse(rule, _("jours illisibles « %(days)s » — écrivez par exemple Mo-Fr ou Mo,We") % {"days": part})
        first, last = _day(rule, ends[0]), _day(rule, ends[-1])
        days.extend((first + step) % 7 for step in range((last - first) % 7 + 1))
    return days


def _time(rule, span, hours, minutes):
    hours, minutes = int(hours), int(minutes)
    if hours == 24 and minutes == 0:
        return END_OF_DAY
    if hours > 23 or minutes > 59:
        _refuse(rule, _("heure impossible dans « %(span)s »") % {"span": span})
    return dt.time(hours, minutes)


def _spans(rule, text):
    spans = []
    for span in text.split(","):
        span = span.strip()
        match = _SPAN.fullmatch(span)
        if match is None:
            _refuse(rule, _("horaire illisible « %(span)s » — écrivez par exemple 09:00-12:00") % {"span": span})
        opens = _time(rule, span, *match.groups()[:2])
        closes = _time(rule, span, *match.groups()[2:])
        if closes <= opens:
            _refuse(rule, _("dans « %(span)s », la fermeture doit venir après l'ouverture") % {"span": span})
        spans.append((opens, closes))
    return spans


def _rule(rule):
    """(days, spans) of one rule; None for a rule about public holidays, which an ordinary week ignores."""
    if rule == "24/7":
        return list(range(7)), [(dt.time(0, 0), END_OF_DAY)]
    digit = _FIRST_DIGIT.search(rule)
    if digit is not None:
        selector, times = rule[: digit.start()].strip(), rule[digit.start() :]
    else:
        selector, _space, times = rule.rpartition(" ")
        if times.lower() not in _CLOSED:
            _refuse(rule, _("il manque les heures — écrivez par exemple Mo-Fr 09:00-12:00 ou Su off"))
        selector = selector.strip()
    if selector.upper() == "PH":
        return None
    days = _days(rule, selector)
    return days, [] if times.lower() in _CLOSED else _spans(rule, times)


def parse_osm(text):
    """The sorted [(weekday, opens, closes)] an OSM `opening_hours` text says; ValidationError if it cannot tell."""
    text = str(text).strip()
    if len(text) > MAX_LENGTH:
        raise ValidationError(_("Ces horaires sont trop longs pour être lus."), code="osm_hours")
    week = {}
    for rule in text.split(";"):
        rule = " ".join(rule.split())
        if not rule:
            continue
        parsed = _rule(rule)
        if parsed is None:
            continue
        days, spans = parsed
        for day in days:
            week[day] = spans
    return sorted({(day, opens, closes) for day, spans in week.items() for opens, closes in spans})
