"""Dates, hours and spaces the way French readers expect them, in templates and in texts built in Python.

It lives in `home`, the lowest app, so that every template can `{% load french %}` and every app's
notices, e-mails and SMS can import the same functions: the whole site says "mardi 1er décembre,
14 h – 16 h 30" one way. Times are always shown in local time (TIME_ZONE), and the spaces French
keeps unbroken are non-breaking characters, never HTML entities, so escaping leaves them alone.
"""

import datetime as dt
import re

from django import template
from django.utils import timezone

register = template.Library()

NBSP = "\u00a0"
# Browsers may break a line after a dash even before a non-breaking space; a word joiner forbids it.
WORD_JOINER = "\u2060"
DASH = "\u2013"

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# A number stays with what it counts ("3 places", "14 h", "8 décembre", "5 €"); French punctuation
# keeps its space before ":;!?»" and after "«"; an initial stays with the name before it ("Ginette D.").
_BEFORE_PUNCTUATION = re.compile(r"[ \t]+([:;!?»])")
_AFTER_QUOTE = re.compile(r"«[ \t]+")
_NUMBER_AND_WORD = re.compile(r"(\d|\b1er) (?=[^\W\d_]|€|%)")
_HOUR_AND_MINUTES = re.compile(r"\bh (?=\d)")
_INITIAL = re.compile(r"(?<=\w) (?=[A-ZÀ-Ý]\.)")


def _local(value):
    """`value` as the reader's local date or datetime: aware datetimes move to TIME_ZONE."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def machine_time(value):
    """The value of a `datetime` attribute: ISO 8601 in local time, to the second.

    Django's `date:'c'` writes microseconds, which HTML does not allow (three digits at most).
    """
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        return _local(value).replace(microsecond=0).isoformat()
    return value.isoformat()


def _with_year(value, year):
    """Whether to write the year: always with year="year", never with year="no_year", else when not this year."""
    if year == "year":
        return True
    if year == "no_year":
        return False
    return value.year != timezone.localdate().year


def short_day(value, year=None):
    """ "8 décembre", "1er mars", "8 décembre 2027" (the year when it is not this one, or always with year="year")."""
    if value in (None, ""):
        return ""
    value = _local(value)
    number = "1er" if value.day == 1 else str(value.day)
    words = f"{number}{NBSP}{MONTHS[value.month - 1]}"
    return f"{words} {value.year}" if _with_year(value, year) else words


def day(value, year=None):
    """ "mardi 8 décembre", "dimanche 1er mars 2027": the weekday, then `short_day`."""
    if value in (None, ""):
        return ""
    value = _local(value)
    return f"{WEEKDAYS[value.weekday()]} {short_day(value, year)}"


def hour(value):
    """ "14 h" for a whole hour, "14 h 30" otherwise; from a time or a datetime, in local time."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if value.minute == 0:
        return f"{value.hour}{NBSP}h"
    return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def hour_range(start, end):
    """ "14 h – 16 h 30"; with the end's day when it ends on another day ("22 h – 1 h, mercredi 9 décembre")."""
    if start in (None, ""):
        return ""
    if end in (None, ""):
        return hour(start)
    text = f"{hour(start)}{NBSP}{DASH}{WORD_JOINER}{NBSP}{hour(end)}"
    start, end = _local(start), _local(end)
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and start.date() != end.date():
        text += f" ({day(end)})"
    return text


def day_and_hours(start, end):
    """ "mardi 8 décembre, 14 h – 16 h": a dated occurrence as lists and notices show it."""
    if start in (None, ""):
        return ""
    return f"{day(start)}, {hour_range(start, end)}"


def moment(value, year=None):
    """ "mardi 8 décembre à 14 h 30": when something happened or will happen."""
    if value in (None, ""):
        return ""
    return f"{day(value, year)} à {hour(value)}"


def plain(text):
    """`text` with ordinary spaces and no joiners, for what carries plain characters only (SMS, GSM alphabet)."""
    return str(text).replace(NBSP, " ").replace(WORD_JOINER, "")


def in_words(value):
    """A record's date or moment in words, the year always; anything else as it is (the rows of "Mes données")."""
    if isinstance(value, dt.datetime):
        return moment(value, "year")
    if isinstance(value, dt.date):
        return day(value, "year")
    return value


def typo(text):
    """Spaces French keeps unbroken: before ":;!?»", after "«", after a number, in "14 h 30", before an initial."""
    if not text:
        return text or ""
    text = str(text)
    text = _BEFORE_PUNCTUATION.sub(NBSP + r"\1", text)
    text = _AFTER_QUOTE.sub("«" + NBSP, text)
    text = _NUMBER_AND_WORD.sub(r"\1" + NBSP, text)
    text = _HOUR_AND_MINUTES.sub("h" + NBSP, text)
    return _INITIAL.sub(NBSP, text)


register.filter("short_day", short_day, expects_localtime=True)
register.filter("day", day, expects_localtime=True)
register.filter("hour", hour, expects_localtime=True)
register.filter("hour_range", hour_range, expects_localtime=True)
register.filter("day_and_hours", day_and_hours, expects_localtime=True)
register.filter("moment", moment, expects_localtime=True)
register.filter("in_words", in_words, expects_localtime=True)
register.filter("typo", typo, is_safe=True)
register.filter("machine_time", machine_time)
