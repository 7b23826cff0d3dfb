"""Dates of an activity: one date, extra dates, or a simple rule chosen in words, stored as an RRULE.

Editors never type an RRULE: the admin form (`agenda.forms.EventPageForm`) turns their words into a
`Schedule`, and the schedule into the RRULE kept on the page. Expansion happens only when occurrences are
materialised (at publishing and by the daily task), never while a page is served.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from home.templatetags.french import short_day

WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
POSITION_NAMES = {1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", -1: "dernier"}
# No rule may produce more dates than this; a year of weekly workshops on three days fits.
MAX_COUNT = 200
MAX_INTERVAL = 12


class Frequency:
    ONCE = "once"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass
class Schedule:
    """A rule in words: every `interval` weeks on `weekdays`, or every `interval` months on a weekday."""

    frequency: str = Frequency.ONCE
    interval: int = 1
    weekdays: list = field(default_factory=list)
    # Monthly: the 1st to 4th, or -1 for the last, `month_weekday` of the month.
    month_position: int | None = None
    month_weekday: int | None = None
    until: date | None = None
    count: int | None = None

    def to_rrule(self):
        """The RRULE text, or "" for an activity without a rule."""
        if self.frequency == Frequency.ONCE:
            return ""
        parts = [f"FREQ={'WEEKLY' if self.frequency == Frequency.WEEKLY else 'MONTHLY'}"]
        if self.interval > 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.frequency == Frequency.WEEKLY:
            parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[day] for day in sorted(self.weekdays)))
        else:
            parts.append(f"BYDAY={self.month_position:+d}{WEEKDAY_CODES[self.month_weekday]}")
        if self.until:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        else:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)

    @classmethod
    def from_rrule(cls, text):
        if not text:
            return cls()
        values = dict(part.split("=", 1) for part in text.split(";"))
        schedule = cls(
            frequency=Frequency.WEEKLY if values["FREQ"] == "WEEKLY" else Frequency.MONTHLY,
            interval=int(values.get("INTERVAL", 1)),
        )
        days = values["BYDAY"].split(",")
        if schedule.frequency == Frequency.WEEKLY:
            schedule.weekdays = [WEEKDAY_CODES.index(day) for day in days]
        else:
            schedule.month_position = int(days[0][:-2])
            schedule.month_weekday = WEEKDAY_CODES.index(days[0][-2:])
        if "UNTIL" in values:
            schedule.until = datetime.strptime(values["UNTIL"][:8], "%Y%m%d").date()
        if "COUNT" in values:
            schedule.count = int(values["COUNT"])
        return schedule

    def describe(self):
        """ "Toutes les 2 semaines le mardi et le jeudi, jusqu'au 30 juin 2027", in plain French."""
        if self.frequency == Frequency.ONCE:
            return ""
        if self.frequency == Frequency.WEEKLY:
            days = [_("le %s") % WEEKDAY_NAMES[day] for day in sorted(self.weekdays)]
            days_text = days[0] if len(days) == 1 else ", ".join(days[:-1]) + _(" et ") + days[-1]
            if self.interval == 1:
                words = _("Chaque semaine %(days)s") % {"days": days_text}
            else:
                words = _("Toutes les %(n)s semaines %(days)s") % {"n": self.interval, "days": days_text}
        else:
            which = _("le %(position)s %(day)s du mois") % {
                "position": POSITION_NAMES[self.month_position],
                "day": WEEKDAY_NAMES[self.month_weekday],
            }
            if self.interval == 1:
                words = _("Chaque mois, %s") % which
            else:
                words = _("Tous les %(n)s mois, %(which)s") % {"n": self.interval, "which": which}
        if self.until:
            return words + _(", jusqu'au %s") % short_day(self.until, "year")
        return words + ngettext(", %(count)s fois", ", %(count)s fois", self.count) % {"count": self.count}


def expand(first_date, rrule, *, extra_dates=(), exceptions=(), since, until):
    """The dates from `since` to `until` included: the rule's (or the first date), plus extras, minus exceptions."""
    if rrule:
        rule = rrulestr(rrule, dtstart=datetime.combine(first_date, datetime.min.time()))
        start = datetime.combine(max(since, first_date), datetime.min.time())
        end = datetime.combine(until, datetime.min.time())
        dates = {moment.date() for moment in rule.between(start, end, inc=True)}
    else:
        dates = {first_date} if since <= first_date <= until else set()
    dates |= {extra for extra in extra_dates if since <= extra <= until}
    return sorted(dates - set(exceptions))


def first_dates(first_date, rrule, *, limit):
    """The rule's first `limit` dates, to check a rule before saving it (does it give any date?)."""
    if not rrule:
        return [first_date]
    rule = rrulestr(rrule, dtstart=datetime.combine(first_date, datetime.min.time()))
    dates = []
    for moment in rule:
        dates.append(moment.date())
        if len(dates) >= limit:
            break
    return dates


def last_date(first_date, rrule):
    """The rule's last date (rules always end: by a date or a number of times)."""
    if not rrule:
        return first_date
    rule = rrulestr(rrule, dtstart=datetime.combine(first_date, datetime.min.time()))
    moments = list(rule)
    return moments[-1].date() if moments else first_date
