"""When a procedure can be done: a rhythm in words ("chaque mois, du 28 au 15 du mois suivant") expanded to windows.

The agenda's `agenda.recurrence` gives single days chosen by weekday ("le premier mardi du mois"), stored as
an RRULE. A procedure's deadline is a *window* between two days of the month ("du 1er au 15"), which may end
in a later month or year, and `demarches` sits below `agenda` and cannot import it. So the rule here is its
own small one, with the same habits: editors choose it in words, it is kept as plain fields, and it is expanded
only when deadlines are materialised (`demarches.services`), never while a page is served.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home.templatetags.french import MONTHS, short_day


class Rhythm(models.TextChoices):
    NONE = "none", gettext_lazy("Sans date limite : toute l'année")
    DATES = "dates", gettext_lazy("Seulement aux périodes indiquées plus bas")
    MONTHLY = "monthly", gettext_lazy("Chaque mois")
    QUARTERLY = "quarterly", gettext_lazy("Chaque trimestre (tous les 3 mois)")
    YEARLY = "yearly", gettext_lazy("Chaque année")


# How many months separate two windows of a rule.
STEP_MONTHS = {Rhythm.MONTHLY: 1, Rhythm.QUARTERLY: 3, Rhythm.YEARLY: 12}


class RuleError(ValueError):
    """A rule that cannot give windows; `field` names the form field the message belongs next to."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def _day_in(year, month, day):
    """The `day` of the month, or its last day when the month is shorter ("le 31" is the 30 in April)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(year, month, months):
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _day_and_month(day, month):
    return f"{'1er' if day == 1 else day}\u00a0{MONTHS[month - 1]}"


def _day(day):
    return "1er" if day == 1 else str(day)


@dataclass(frozen=True)
class DeadlineRule:
    """A window that comes back every month, quarter or year: it opens on one day and closes on another.

    Monthly rules use days only ("du 28 au 15": closing before the opening day means the next month); quarterly
    and yearly rules also name the months of their first window. `ends_on` stops the rule (a scheme that ends).
    """

    rhythm: str
    opens_day: int | None = None
    closes_day: int | None = None
    opens_month: int | None = None
    closes_month: int | None = None
    ends_on: date | None = None

    @property
    def is_rule(self):
        return self.rhythm in STEP_MONTHS

    @property
    def span_months(self):
        """How many months after the opening month the window closes."""
        if self.rhythm == Rhythm.MONTHLY:
            return 0 if self.closes_day >= self.opens_day else 1
        span = (self.closes_month - self.opens_month) % 12
        if span == 0 and self.closes_day < self.opens_day:
            return 12
        return span

    def check(self):
        """Raise RuleError, naming the field to correct, when the rule is incomplete or impossible."""
        if not self.is_rule:
            return
        if self.opens_day is None:
            raise RuleError("opens_day", _("Indiquez le jour où la démarche ouvre."))
        if self.closes_day is None:
            raise RuleError("closes_day", _("Indiquez le jour où la démarche ferme."))
        if self.rhythm != Rhythm.MONTHLY:
            if self.opens_month is None:
                raise RuleError("opens_month", _("Indiquez le mois où la démarche ouvre."))
            if self.closes_month is None:
                raise RuleError("closes_month", _("Indiquez le mois où la démarche ferme."))
            # A leap year: the 29 February is a real day, moved to the 28 in other years.
            for field, day, month in (
                ("opens_day", self.opens_day, self.opens_month),
                ("closes_day", self.closes_day, self.closes_month),
            ):
                if day > calendar.monthrange(2024, month)[1]:
                    raise RuleError(field, _("Le %(day)s n'existe pas.") % {"day": _day_and_month(day, month)})
        if self.rhythm == Rhythm.QUARTERLY and self.span_months >= 3:
            raise RuleError(
                "closes_month",
                _("Chaque trimestre, la démarche doit fermer moins de trois mois après son ouverture."),
            )

    def windows(self, since, until):
        """(opens_on, closes_on) of each window still open on `since` or later, opening by `until`, in order."""
        if not self.is_rule:
            return []
        step = STEP_MONTHS[self.rhythm]
        first_month = 1 if self.rhythm == Rhythm.MONTHLY else self.opens_month
        # Start early enough to catch a window opened before `since` that is still open (a yearly one, a year ago).
        year, month = _add_months(since.year, since.month, -(self.span_months + step))
        while (month - first_month) % step:
            year, month = _add_months(year, month, 1)
        found = []
        while True:
            opens_on = _day_in(year, month, self.opens_day)
            if opens_on > until or (self.ends_on and opens_on > self.ends_on):
                return found
            closes_on = _day_in(*_add_months(year, month, self.span_months), self.closes_day)
            if closes_on >= since:
                found.append((opens_on, closes_on))
            year, month = _add_months(year, month, step)

    def describe(self):
        """ "Chaque mois, du 28 au 15 du mois suivant", "Chaque année, du 10 avril au 5 juin", in plain French."""
        if self.rhythm == Rhythm.NONE:
            return _("Toute l'année, sans date limite")
        if self.rhythm == Rhythm.DATES:
            return _("Aux périodes indiquées")
        if self.rhythm == Rhythm.MONTHLY:
            values = {"opens": _day(self.opens_day), "closes": _day(self.closes_day)}
            if self.span_months:
                words = _("Chaque mois, du %(opens)s au %(closes)s du mois suivant") % values
            else:
                words = _("Chaque mois, du %(opens)s au %(closes)s") % values
        elif self.rhythm == Rhythm.QUARTERLY and not self.span_months:
            months = [MONTHS[_add_months(2000, self.opens_month, step)[1] - 1] for step in (0, 3, 6, 9)]
            words = _("Chaque trimestre, du %(opens)s au %(closes)s : en %(months)s") % {
                "opens": _day(self.opens_day),
                "closes": _day(self.closes_day),
                "months": ", ".join(months[:-1]) + _(" et ") + months[-1],
            }
        else:
            values = {
                "opens": _day_and_month(self.opens_day, self.opens_month),
                "closes": _day_and_month(self.closes_day, self.closes_month),
            }
            if self.rhythm == Rhythm.QUARTERLY:
                words = _("Chaque trimestre, du %(opens)s au %(closes)s, puis tous les 3 mois") % values
            elif self.opens_month + self.span_months > 12:
                words = _("Chaque année, du %(opens)s au %(closes)s de l'année suivante") % values
            else:
                words = _("Chaque année, du %(opens)s au %(closes)s") % values
        if self.ends_on:
            words += _(", jusqu'au %s") % short_day(self.ends_on, "year")
        return words
