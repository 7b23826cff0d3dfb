"""Dates and hours as people type them in French, for every form where someone types one.

"08/12/2026", "8-12-26", "8 déc. 2026", "lundi 7 décembre 2026", "1er décembre", "14h", "14 h 30", "14:30":
one parser, and form fields that use it and answer anything else with an example of what works, never
with a silent replacement. It lives in `home`, the lowest app (DESIGN.md: `core/` does not exist yet),
beside the French month names of `home.templatetags.french`, so that the agenda, the exchange, the
accounts and the Wagtail admin (through `register_admin_date_fields`) all read dates the same way.
"""

import datetime as dt
import re
import unicodedata

from django import forms
from django.db import models
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput, AdminTimeInput

from home.templatetags.french import MONTHS, WEEKDAYS, short_day

# What the fields and the admin's picker write back: French order, and accepted again when sent.
DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M"
DATETIME_FORMAT = f"{DATE_FORMAT} {TIME_FORMAT}"

# Non-breaking spaces where French keeps words together, so that "8 décembre" is never cut at the line's end.
DATE_HELP = _("Par exemple\u00a0: 08/12/2026 ou 8\u00a0décembre 2026.")
TIME_HELP = _("Par exemple\u00a0: 14\u00a0h\u00a030 ou 14:30.")
DATE_ERROR = _("Saisissez une date comme 08/12/2026 ou 8\u00a0décembre 2026.")
TIME_ERROR = _("Saisissez une heure comme 14\u00a0h\u00a030 ou 14:30.")
DATETIME_ERROR = _("Saisissez une date et une heure comme 08/12/2026 14:30.")


class FrenchDateError(ValueError):
    """Text that is not a date or an hour; `message` says why when there is more to say than an example."""

    def __init__(self, message=None):
        super().__init__(message)
        self.message = message


def _fold(text):
    """Lower case, without accents, spaces single (non-breaking ones too): "Déc." and "dec." read alike."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(character for character in text if not unicodedata.combining(character))
    return " ".join(text.lower().split())


def _month_words():
    """Each month's name and every abbreviation of three letters or more that names only it ("sept", "juil")."""
    names = [_fold(name) for name in MONTHS]
    words = {}
    for number, name in enumerate(names, start=1):
        for length in range(3, len(name) + 1):
            prefix = name[:length]
            if sum(other.startswith(prefix) for other in names) == 1:
                words[prefix] = number
    return words


MONTH_WORDS = _month_words()
FOLDED_WEEKDAYS = [_fold(name) for name in WEEKDAYS]

_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_NUMERIC_DATE = re.compile(r"(?P<day>\d{1,2}) ?([/.-]) ?(?P<month>\d{1,2})(?: ?\2 ?(?P<year>\d{4}|\d{2}))?")
_WORDS_DATE = re.compile(
    r"(?:le )?(?:(?P<weekday>[a-z]+),? )?(?P<day>\d{1,2}|1 ?er) ?(?P<month>[a-z]+)\.?(?: (?P<year>\d{4}|\d{2}))?"
)
_MINUTES = r" ?(?:h ?(?P<h_minute>\d{2})?|[:.] ?(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)"
# Alone, an hour may be a bare number ("9"); after a date it needs its "h" or ":" to tell it from a year.
_TIME = re.compile(rf"(?P<hour>\d{{1,2}})(?:{_MINUTES})?")
_DATETIME = re.compile(rf"(?P<date>.*?\d.*?)(?: |,|t| a |, a )+(?P<hour>\d{{1,2}}){_MINUTES}")


def _year(text):
    if text is None:
        return timezone.localdate().year
    return int(text) if len(text) == 4 else 2000 + int(text)


def parse_date(text):
    """The date `text` names (no year: this year; two digits: this century), or FrenchDateError."""
    folded = _fold(text)
    weekday = None
    if match := _ISO_DATE.fullmatch(folded):
        year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    elif match := _NUMERIC_DATE.fullmatch(folded):
        year, month, day = _year(match["year"]), int(match["month"]), int(match["day"])
    elif (match := _WORDS_DATE.fullmatch(folded)) and match["month"] in MONTH_WORDS:
        if match["weekday"] is not None and match["weekday"] not in FOLDED_WEEKDAYS:
            raise FrenchDateError
        weekday = match["weekday"]
        day = 1 if match["day"].replace(" ", "") == "1er" else int(match["day"])
        year, month = _year(match["year"]), MONTH_WORDS[match["month"]]
    else:
        raise FrenchDateError
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise FrenchDateError from None
    if weekday is not None and FOLDED_WEEKDAYS.index(weekday) != value.weekday():
        # A weekday that does not match may mean another date: ask rather than pick one.
        raise FrenchDateError(
            _("Le %(date)s est un %(right)s, pas un %(typed)s.")
            % {"date": short_day(value, year="year"), "right": WEEKDAYS[value.weekday()], "typed": weekday}
        )
    return value


def _time_from(match):
    minute = match["h_minute"] or match["minute"] or 0
    try:
        return dt.time(int(match["hour"]), int(minute), int(match["second"] or 0))
    except ValueError:
        raise FrenchDateError from None


def parse_time(text):
    """The hour `text` names: "14h", "14 h 30", "14h30", "14:30", "9". FrenchDateError if none."""
    folded = _fold(text)
    match = _TIME.fullmatch(folded)
    if match is None:
        raise FrenchDateError
    return _time_from(match)


def parse_datetime(text):
    """A date then an hour ("08/12/2026 14:30", "8 décembre 2026 à 14 h"), naive. FrenchDateError if none."""
    match = _DATETIME.fullmatch(_fold(text))
    if match is None:
        raise FrenchDateError
    return dt.datetime.combine(parse_date(match["date"]), _time_from(match))


class FrenchTemporalMixin:
    """Reads what was typed with one of the parsers above instead of Django's list of strptime formats."""

    parse = None

    def to_python(self, value):
        if isinstance(value, str):
            # Spaces alone are an empty field: "required" then says what is missing.
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date | dt.time):
            return super().to_python(value)
        try:
            return self.parse(value)
        except FrenchDateError as error:
            raise forms.ValidationError(error.message or self.error_messages["invalid"], code="invalid") from None


class FrenchDateField(FrenchTemporalMixin, forms.DateField):
    widget = forms.DateInput(format=DATE_FORMAT)
    default_error_messages = {"invalid": DATE_ERROR}
    parse = staticmethod(parse_date)


class FrenchTimeField(FrenchTemporalMixin, forms.TimeField):
    widget = forms.TimeInput(format=TIME_FORMAT)
    default_error_messages = {"invalid": TIME_ERROR}
    parse = staticmethod(parse_time)


class FrenchDateTimeField(FrenchTemporalMixin, forms.DateTimeField):
    widget = forms.DateTimeInput(format=DATETIME_FORMAT)
    default_error_messages = {"invalid": DATETIME_ERROR}
    parse = staticmethod(parse_datetime)

    def to_python(self, value):
        value = super().to_python(value)
        return None if value is None else from_current_timezone(value)


def register_admin_date_fields():
    """Every date, hour and date-and-hour field of the Wagtail admin's model forms reads French as above."""
    for model_field, form_field, widget in (
        (models.DateField, FrenchDateField, AdminDateInput),
        (models.TimeField, FrenchTimeField, AdminTimeInput),
        (models.DateTimeField, FrenchDateTimeField, AdminDateTimeInput),
    ):
        register_form_field_override(model_field, override={"form_class": form_field, "widget": widget})
