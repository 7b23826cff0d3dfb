"""The figures funders ask for, for one centre or the whole network over a period: each table counted by the
database in one grouped query, kept in the cache for the period, each with the sentence that says how it is counted.

- **People reached** are counted on the participations of the period: a person with a file (`Person`) once,
  however many times they came; a participation without a file (a workshop's present without an account, or
  someone whose account was erased) once each, so that figure can count one person twice (docs/adr/0014).
- **Bands** are those copied on each participation the day it was noted; someone who never gave them, or erased
  them, is "Non renseigné".
- **Small counts**: in the tables about people (gender, age, commune, situation, first visit), a count from 1 to
  4 reads "moins de 5", on the page and in the files. When a table has exactly one such cell, the smallest other
  cell reads "masqué" too, so that no one finds the small one by subtracting the others from the total.
- **Appointments** count on the day of their slot, in Paris time, by status (kept, missed, cancelled, still
  booked); they count acts, not people, so nothing is masked.
- **Cache**: the figures of a (scope, period) are kept `CACHE_SECONDS` under a version of the scope; every saved
  record, participation, theme, person or appointment status of a centre replaces that centre's version. The
  network's figures, and what the agenda or the time bank changes, show within `CACHE_SECONDS`; the page says when
  they were computed. The network's standard periods are computed ahead by the worker every `WARM_EVERY` and kept
  `WARM_SECONDS`, so that they are always found; a period chosen by dates is computed at the visit. With the cache
  out of reach (placette/cache.py answers a miss) the figures are computed at each visit.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When, Window
from django.db.models.expressions import RowRange
from django.db.models.functions import FirstValue, LastValue, RowNumber
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agenda import figures as agenda_figures
from agenda.models import Occurrence
from echanges.models import Agreement
from suivi import lists
from suivi.communes import COMMUNES
from suivi.models import Appointment, MediationRecord, Participant, Person, RecordTheme, Slot

CACHE_SECONDS = 10 * 60
# The worker computes the network's figures of the standard periods this often, and keeps them a little longer,
# so that they never expire before the next run has replaced them.
WARM_EVERY = dt.timedelta(minutes=10)
WARM_SECONDS = int((WARM_EVERY + dt.timedelta(minutes=5)).total_seconds())
# Counts from 1 to SMALL - 1 could point at someone: they are shown as "moins de 5".
SMALL = 5
LESS_THAN_5 = gettext_lazy("moins de 5")
HIDDEN = gettext_lazy("masqué")
NOT_SAID = gettext_lazy("Non renseigné")
NETWORK = "reseau"
# A date range longer than this is a typing slip; the network's history fits in it.
MAX_DAYS = 10 * 366


@dataclass
class Row:
    label: str
    values: list
    # The bar's length for the chart: None for a masked cell, never drawn to scale.
    bar: float | None = None

    @property
    def shown(self):
        """The values as the page writes them: "1 234", "12,5", "moins de 5"."""
        return [
            value if isinstance(value, str) else number_format(value, force_grouping=True) for value in self.values
        ]


@dataclass
class Table:
    """A table of the dashboard: its rows, its headings, and how it is counted, in one sentence."""

    slug: str
    title: str
    how: str
    columns: list
    rows: list = field(default_factory=list)
    about_people: bool = False

    @property
    def has_masked(self):
        return any(isinstance(value, str) for row in self.rows for value in row.values)


@dataclass
class Figures:
    tables: list
    computed_at: dt.datetime

    @property
    def empty(self):
        return not any(table.rows for table in self.tables)

    def table(self, slug):
        return next((table for table in self.tables if table.slug == slug), None)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def key(self):
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


# The periods the dashboard offers by name (the form adds "between two dates").
STANDARD_PERIODS = ("annee", "mois", "mois-dernier", "annee-derniere")


def standard_period(choice, today):
    """One of STANDARD_PERIODS as seen on `today`, in whole days."""
    if choice == "mois":
        return Period(today.replace(day=1), _month_end(today))
    if choice == "mois-dernier":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return Period(last.replace(day=1), last)
    return year_period(today.year - 1 if choice == "annee-derniere" else today.year)


def year_period(year):
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _month_end(day):
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def scope_key(centre):
    """The cache's name of a scope: a centre's id, or the network's."""
    return NETWORK if centre is None else str(centre.pk)


# --- Counting, one function per table ---------------------------------------------------------------------


def _records(centre, period):
    records = MediationRecord.objects.filter(date__gte=period.start, date__lte=period.end)
    return records if centre is None else records.filter(centre=centre)


def _participants(centre, period):
    participants = Participant.objects.filter(record__date__gte=period.start, record__date__lte=period.end)
    return participants if centre is None else participants.filter(record__centre=centre)


def _people():
    """Unique people: each file once, each participation without a file once."""
    return Count("person", distinct=True) + Count("pk", filter=Q(person__isnull=True))


def hours(minutes):
    return round((minutes or 0) / 60, 1)


def summary(centre, period):
    records = _records(centre, period).aggregate(
        sessions=Count("pk"),
        minutes=Sum("duration_minutes"),
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in lists.Kind.values},
    )
    people = _participants(centre, period).aggregate(people=_people())["people"]
    table = Table(
        "resume",
        _("En bref"),
        _(
            "Une personne avec une fiche compte une fois, même venue plusieurs fois ; une personne sans fiche "
            "(présente à un atelier sans compte) compte une fois par venue. Les heures sont la durée notée de "
            "chaque accompagnement ; un atelier compte sa durée une fois, quel que soit le nombre de présents."
        ),
        [_("Nombre")],
    )
    if records["sessions"]:
        table.rows = [
            Row(_("Personnes accompagnées"), [people]),
            Row(_("Accompagnements notés"), [records["sessions"]]),
            *(Row(str(label), [records[kind]]) for kind, label in lists.Kind.choices),
            Row(_("Heures d'accompagnement"), [hours(records["minutes"])]),
        ]
    return table


BAND_TABLES = {
    # field: (slug, title, labels)
    "gender": ("genre", gettext_lazy("Personnes par genre"), dict(lists.Gender.choices)),
    "age_band": ("age", gettext_lazy("Personnes par âge"), dict(lists.AgeBand.choices)),
    "commune": ("commune", gettext_lazy("Personnes par commune"), COMMUNES),
    "situation": ("situation", gettext_lazy("Personnes par situation"), dict(lists.Situation.choices)),
    "first_visit": (
        "premiere-venue",
        gettext_lazy("Première venue au centre"),
        {True: gettext_lazy("Première venue"), False: gettext_lazy("Déjà venue")},
    ),
}


def by_band(centre, period, band):
    """People reached by one band, as noted the day of each participation; small counts masked."""
    slug, title, labels = BAND_TABLES[band]
    rows = _participants(centre, period).values(band).annotate(people=_people()).order_by()
    order = {code: index for index, code in enumerate(labels)}
    counted = sorted((row for row in rows if row["people"]), key=lambda row: order.get(row[band], len(order)))
    how = _(
        "Chaque personne compte une fois, avec ce qui était noté le jour de son accompagnement. « Non renseigné » : "
        "la personne n'a pas donné son accord ou n'a pas répondu. De 1 à 4 personnes, la case indique « moins de 5 »."
    )
    table = Table(slug, str(title), how, [_("Personnes")], about_people=True)
    table.rows = mask_small(
        [Row(str(labels.get(row[band], NOT_SAID)), [row["people"]], bar=row["people"]) for row in counted]
    )
    return table


def mask_small(rows):
    """Cells from 1 to 4 read "moins de 5"; a lone one takes the smallest other cell with it (see the module)."""
    small = [row for row in rows if 0 < row.values[0] < SMALL]
    for row in small:
        row.values, row.bar = [str(LESS_THAN_5)], None
    if len(small) == 1:
        others = [row for row in rows if not isinstance(row.values[0], str)]
        if others:
            smallest = min(others, key=lambda row: row.values[0])
            smallest.values, smallest.bar = [str(HIDDEN)], None
    return rows


def by_kind(centre, period):
    rows = (
        _records(centre, period)
        .values("kind")
        .order_by()
        .annotate(sessions=Count("pk"), minutes=Sum("duration_minutes"))
    )
    labels = dict(lists.Kind.choices)
    table = Table(
        "types",
        _("Accompagnements par type"),
        _(
            "Chaque accompagnement noté compte une fois ; un atelier compte une fois, quel que soit le nombre de "
            "présents."
        ),
        [_("Accompagnements"), _("Heures")],
    )
    table.rows = [
        Row(str(labels[row["kind"]]), [row["sessions"], hours(row["minutes"])], bar=row["sessions"])
        for row in sorted(rows, key=lambda row: lists.Kind.values.index(row["kind"]))
    ]
    return table


def by_theme(centre, period):
    themes = RecordTheme.objects.filter(record__date__gte=period.start, record__date__lte=period.end)
    if centre is not None:
        themes = themes.filter(record__centre=centre)
    rows = (
        themes.values("theme")
        .annotate(
            sessions=Count("record", filter=~Q(record__kind=lists.Kind.WORKSHOP)),
            workshops=Count("record", filter=Q(record__kind=lists.Kind.WORKSHOP)),
            minutes=Sum("record__duration_minutes"),
        )
        .order_by("-sessions", "-workshops", "theme")
    )
    table = Table(
        "themes",
        _("Accompagnements et ateliers par thème"),
        _(
            "Un accompagnement sur deux thèmes compte dans chacun des deux : la somme des lignes dépasse donc le "
            "nombre d'accompagnements. Les heures sont celles des accompagnements du thème."
        ),
        [_("Accompagnements individuels et démarches"), _("Ateliers"), _("Heures")],
    )
    table.rows = [
        Row(
            str(lists.THEME_LABELS.get(row["theme"], row["theme"])),
            [row["sessions"], row["workshops"], hours(row["minutes"])],
            bar=row["sessions"] + row["workshops"],
        )
        for row in rows
    ]
    return table


def autonomy(centre, period):
    """Each person's level at their first and at their last session of the period that noted one.

    One pass over the period's participations with a level, numbered per person in date order (windows), the
    first row of each person seen twice or more keeping their first and last levels.
    """
    level = Case(
        *(When(record__autonomy=code, then=Value(rank)) for rank, code in enumerate(lists.Autonomy.values)),
        output_field=IntegerField(),
    )
    per_person = {"partition_by": [F("person")], "order_by": [F("record__date").asc(), F("record_id").asc()]}
    counts = (
        _participants(centre, period)
        .filter(person__isnull=False)
        .exclude(record__autonomy="")
        .annotate(
            first_level=Window(FirstValue(level), **per_person),
            last_level=Window(LastValue(level), frame=RowRange(start=None, end=None), **per_person),
            seen=Window(Count("pk"), partition_by=[F("person")]),
            position=Window(RowNumber(), **per_person),
        )
        .filter(position=1, seen__gte=2)
        .aggregate(
            progressed=Count("pk", filter=Q(last_level__gt=F("first_level"))),
            stayed=Count("pk", filter=Q(last_level=F("first_level"))),
            regressed=Count("pk", filter=Q(last_level__lt=F("first_level"))),
        )
    )
    table = Table(
        "autonomie",
        _("Autonomie gagnée"),
        _(
            "Pour chaque personne avec une fiche venue au moins deux fois dans la période avec une autonomie notée : "
            "le niveau de sa dernière venue comparé à celui de sa première."
        ),
        [_("Personnes")],
    )
    if any(counts.values()):
        table.rows = [
            Row(_("Plus autonomes"), [counts["progressed"]], bar=counts["progressed"]),
            Row(_("Au même niveau"), [counts["stayed"]], bar=counts["stayed"]),
            Row(_("Moins autonomes"), [counts["regressed"]], bar=counts["regressed"]),
        ]
    return table


APPOINTMENT_ROWS = [
    # status: the row's label
    (Appointment.Status.KEPT, gettext_lazy("Honorés")),
    (Appointment.Status.MISSED, gettext_lazy("Manqués (la personne n'est pas venue)")),
    (Appointment.Status.CANCELLED, gettext_lazy("Annulés")),
    (Appointment.Status.BOOKED, gettext_lazy("Encore prévus (à venir, ou passés sans être notés)")),
]


def appointments(centre, period):
    """Appointments by what became of them, on the day of their slot."""
    taken = Appointment.objects.filter(_during("slot__start", period))
    if centre is not None:
        taken = taken.filter(slot__centre=centre)
    counts = taken.aggregate(**{status: Count("pk", filter=Q(status=status)) for status, _label in APPOINTMENT_ROWS})
    table = Table(
        "rendez-vous",
        _("Rendez-vous honorés et manqués"),
        _(
            "Chaque rendez-vous pris compte une fois, au jour de son créneau : honoré ou manqué comme l'équipe l'a "
            "noté, annulé par la personne ou par l'équipe, ou encore prévu. Une personne qui annule puis reprend "
            "rendez-vous en compte deux : l'annulé et le nouveau."
        ),
        [_("Rendez-vous")],
    )
    if any(counts.values()):
        table.rows = [Row(str(label), [counts[status]], bar=counts[status]) for status, label in APPOINTMENT_ROWS]
    return table


def _during(field, period):
    """`field` (a moment) within the period's days, in Paris time: from its first midnight to the one after it."""
    return Q(
        **{
            f"{field}__gte": _midnight(period.start),
            f"{field}__lt": _midnight(period.end + dt.timedelta(days=1)),
        }
    )


def _midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _occurrences(centre, period):
    occurrences = Occurrence.objects.filter(_during("start", period))
    return occurrences if centre is None else occurrences.filter(centre=centre)


def activities(centre, period):
    rows = agenda_figures.totals(_occurrences(centre, period), "event__category__name")
    return _agenda_table(
        "activites",
        _("Activités de l'agenda"),
        _(
            "Les dates prévues de la période (les dates annulées ne comptent pas), les inscrits (présents, absents "
            "et inscrits à venir) et les présents notés par l'équipe."
        ),
        rows,
        "event__category__name",
    )


def events(centre, period):
    """The agenda's one-off events (no repetition) of the period, with their participants."""
    occurrences = _occurrences(centre, period).filter(event__recurrence="")
    rows = agenda_figures.totals(occurrences, "event__title", "event_id")
    return _agenda_table(
        "evenements",
        _("Événements et leurs participants"),
        _(
            "Les activités sans répétition (une date, ou quelques dates ajoutées à la main) ayant eu lieu dans la "
            "période ; les participants sont les présents notés par l'équipe."
        ),
        sorted(rows, key=lambda row: (-row["present"], row["event__title"])),
        "event__title",
    )


def _agenda_table(slug, title, how, rows, label):
    """Dates, registered and present per `label` of the agenda's totals, the present drawn as bars."""
    table = Table(slug, title, how, [_("Dates"), _("Inscrits"), _("Présents")])
    table.rows = [
        Row(row[label], [row["dates"], row["registered"], row["present"]], bar=row["present"]) for row in rows
    ]
    return table


def time_bank(centre, period):
    done = Agreement.objects.filter(_during("done_at", period), status=Agreement.Status.DONE)
    if centre is not None:
        done = done.filter(conversation__offer__centre=centre)
    counts = done.aggregate(
        agreements=Count("pk"),
        in_time=Count("transfer"),
        minutes=Sum("transfer__minutes"),
    )
    table = Table(
        "echanges",
        _("Échanges entre habitants"),
        _(
            "Les accords réalisés dans la période (confirmés par les deux personnes), dont ceux payés en temps, et "
            "les heures passées d'un compte à l'autre pour eux."
        ),
        [_("Nombre")],
    )
    if counts["agreements"]:
        table.rows = [
            Row(_("Échanges réalisés"), [counts["agreements"]]),
            Row(_("Dont échanges en temps"), [counts["in_time"]]),
            Row(_("Heures échangées"), [hours(counts["minutes"])]),
        ]
    return table


def by_centre(period):
    """For the network: each centre's sessions, people and hours."""
    rows = (
        _records(None, period)
        .values("centre_id", "centre__title")
        .annotate(sessions=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("centre__title")
    )
    table = Table(
        "centres",
        _("Accompagnements par centre"),
        _("Chaque accompagnement compte dans le centre qui l'a noté."),
        [_("Accompagnements"), _("Heures")],
    )
    table.rows = [
        Row(row["centre__title"], [row["sessions"], hours(row["minutes"])], bar=row["sessions"]) for row in rows
    ]
    return table


def compute(centre, period):
    """Every table of the dashboard for `centre` (None: the network) over `period`."""
    tables = [summary(centre, period)]
    if centre is None:
        tables.append(by_centre(period))
    tables += [by_band(centre, period, band) for band in BAND_TABLES]
    tables += [
        by_kind(centre, period),
        by_theme(centre, period),
        autonomy(centre, period),
        appointments(centre, period),
        activities(centre, period),
        events(centre, period),
        time_bank(centre, period),
    ]
    return Figures(tables=tables, computed_at=timezone.now())


# --- Cache ----------------------------------------------------------------------------------------------------


def _version_key(scope):
    return f"suivi-chiffres:v:{scope}"


def _cache_key(centre, period):
    """Where the figures of (scope, period) are kept under the scope's current version; None without a cache."""
    scope = scope_key(centre)
    version = cache.get(_version_key(scope))
    if version is None:
        cache.add(_version_key(scope), uuid.uuid4().hex[:12], timeout=None)
        version = cache.get(_version_key(scope))
    if version is None:  # the cache is out of reach
        return None
    return f"suivi-chiffres:{scope}:{period.key}:{version}"


def figures_for(centre, period):
    """The figures, from the cache when a reader or the worker computed them since the scope's last record."""
    key = _cache_key(centre, period)
    if key is None:  # count now, keep nothing
        return compute(centre, period)
    figures = cache.get(key)
    if figures is None:
        figures = compute(centre, period)
        cache.set(key, figures, timeout=CACHE_SECONDS)
    return figures


def warm_network_figures(today=None):
    """Compute the network's figures of the standard periods and keep them until after the next run.

    Run by the worker every WARM_EVERY (suivi/tasks.py), so that a network admin's visit always finds them: the
    yearly reports of this year and last year are the same periods, hence the same entries. Two runs at once (two
    workers, or a slow run overtaken by the next) write the same figures to the same keys: twice the work, nothing
    wrong. With the cache out of reach nothing could be kept, so nothing is computed; returns the periods kept.
    """
    today = today or timezone.localdate()
    warmed = []
    for choice in STANDARD_PERIODS:
        period = standard_period(choice, today)
        key = _cache_key(None, period)
        if key is None:
            break
        cache.set(key, compute(None, period), timeout=WARM_SECONDS)
        warmed.append(period.key)
    return warmed


def figures_changed(centre_id):
    """A centre's records changed: its figures are computed again at the next visit (the network's within
    CACHE_SECONDS: with a hundred centres noting sessions all day, a version per record would never be reused)."""
    key, version = _version_key(str(centre_id)), uuid.uuid4().hex[:12]
    transaction.on_commit(lambda: cache.set(key, version, timeout=None), robust=True)


@receiver([post_save, post_delete], sender=MediationRecord)
@receiver([post_save, post_delete], sender=Person)
def _record_changed(sender, instance, **kwargs):
    figures_changed(instance.centre_id)


@receiver([post_save, post_delete], sender=Appointment)
def _appointment_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "status" not in update_fields:
        return  # a reminder sent: nothing counted moved
    if Appointment.slot.is_cached(instance):
        centre_id = instance.slot.centre_id
    else:  # deleted in a cascade, or saved without its slot loaded
        centre_id = Slot.objects.filter(pk=instance.slot_id).values_list("centre_id", flat=True).first()
    if centre_id is not None:
        figures_changed(centre_id)


@receiver([post_save, post_delete], sender=Participant)
@receiver([post_save, post_delete], sender=RecordTheme)
def _part_of_record_changed(sender, instance, **kwargs):
    if sender.record.is_cached(instance):
        centre_id = instance.record.centre_id
    else:  # deleted with its record, which bumped the version already, or saved alone
        centre_id = MediationRecord.objects.filter(pk=instance.record_id).values_list("centre_id", flat=True).first()
    if centre_id is not None:
        figures_changed(centre_id)
