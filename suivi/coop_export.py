"""The mediation records in the fields of the national activity report (the Coop de la médiation numérique's export),
for a centre's team or, without anything that could single a person out, for the network.

Each national list is written twice: the Coop's value (lists.COOP_VALUES, checked against the Coop's own schema)
and Placette's French label; docs/suivi-export.md explains each column.
"""

import datetime as dt
from collections import Counter

from django.utils.translation import gettext as _

from core.spreadsheets import FORMATS, csv_bytes, workbook_bytes
from suivi import lists
from suivi.communes import COMMUNES
from suivi.models import MediationRecord, Participant

# Fewer people than this in a network total is written "moins de 5": a count of 1 in a small centre is someone.
SMALL_COUNT = 5

# Each record or participant field with a national list, and that list (its Coop values: lists.COOP_VALUES).
LISTS = {
    "kind": lists.Kind,
    "place_type": lists.PlaceType,
    "equipment": lists.Equipment,
    "autonomy": lists.Autonomy,
    "redirected_to": lists.Redirection,
    "workshop_level": lists.WorkshopLevel,
    "gender": lists.Gender,
    "age_band": lists.AgeBand,
    "situation": lists.Situation,
}


class Scope:
    """Whose records: one centre's, for its team (with the participants), or the network's (totals only)."""

    def __init__(self, centres=(), *, network=False):
        self.centres, self.network = list(centres), network

    @property
    def tables(self):
        return ("activites", "totaux") if self.network else ("activites", "participants")


def coop_code(field, value):
    return lists.coop_value(LISTS[field], value)


def label(field, value):
    return str(LISTS[field](value).label) if value else ""


def yes_no(value):
    return "" if value is None else _("oui") if value else _("non")


def records_in(scope, start, end):
    """The records of the scope's centres dated from `start` to `end`, with what the rows read, in 3 queries."""
    records = MediationRecord.objects.filter(date__gte=start, date__lte=end)
    if not scope.network:
        records = records.filter(centre__in=scope.centres)
    return (
        records.select_related("centre", "occurrence__event")
        .prefetch_related("themes", "participants")
        .order_by("date", "pk")
    )


def _themes(record):
    codes = [row.theme for row in record.themes.all()]
    return lists.coop_themes(record.kind, codes), [str(lists.THEME_LABELS[code]) for code in codes]


def _record_row(record, *, with_notes):
    theme_codes, theme_labels = _themes(record)
    workshop = record.workshop_title or (record.occurrence.event.title if record.occurrence_id else "")
    row = [
        record.pk,
        record.centre.title,
        coop_code("kind", record.kind),
        label("kind", record.kind),
        record.date,
        record.duration_minutes,
        coop_code("place_type", record.place_type),
        label("place_type", record.place_type),
        record.centre.postcode,
        record.centre.insee_code,
        record.centre.town,
        ", ".join(dict.fromkeys(theme_codes)),
        ", ".join(theme_labels),
        ", ".join(coop_code("equipment", code) for code in record.equipment),
        ", ".join(label("equipment", code) for code in record.equipment),
        workshop,
        coop_code("workshop_level", record.workshop_level),
        label("workshop_level", record.workshop_level),
        coop_code("autonomy", record.autonomy),
        label("autonomy", record.autonomy),
        yes_no(record.redirected),
        coop_code("redirected_to", record.redirected_to),
        label("redirected_to", record.redirected_to),
        record.procedure_detail,
        len(record.participants.all()),
    ]
    return [*row, record.remaining] if with_notes else row


def _record_headings(*, with_notes):
    headings = [
        _("N° Placette"),
        _("Centre"),
        _("Type (code Coop)"),
        _("Type"),
        _("Date"),
        _("Durée (min)"),
        _("Type de lieu (code Coop)"),
        _("Type de lieu"),
        _("Code postal du lieu"),
        _("Code INSEE du lieu"),
        _("Commune du lieu"),
        _("Thématiques (codes Coop)"),
        _("Thématiques"),
        _("Matériel (codes Coop)"),
        _("Matériel"),
        _("Nom de l'atelier"),
        _("Niveau de l'atelier (code Coop)"),
        _("Niveau de l'atelier"),
        _("Autonomie (code Coop)"),
        _("Autonomie"),
        _("Orientée ailleurs"),
        _("Structure de redirection (code Coop)"),
        _("Structure de redirection"),
        _("Précisions sur la démarche"),
        _("Participants"),
    ]
    return [*headings, _("Ce qui reste à faire")] if with_notes else headings


BAND_COLUMNS = ("gender", "age_band", "situation")


def _participant_headings():
    return [
        _("N° Placette de l'accompagnement"),
        _("Date"),
        _("Type (code Coop)"),
        _("Genre (code Coop)"),
        _("Genre"),
        _("Tranche d'âge (code Coop)"),
        _("Tranche d'âge"),
        _("Statut (code Coop)"),
        _("Statut"),
        _("Code INSEE de la commune"),
        _("Commune"),
        _("Première venue"),
    ]


def _participant_row(participant):
    record = participant.record
    bands = []
    for field in BAND_COLUMNS:
        bands += [coop_code(field, getattr(participant, field)), label(field, getattr(participant, field))]
    return [
        record.pk,
        record.date,
        coop_code("kind", record.kind),
        *bands,
        participant.commune,
        COMMUNES.get(participant.commune, ""),
        yes_no(participant.first_visit),
    ]


def _totals(participants):
    """How many participations in each band, over the network: "moins de 5" below SMALL_COUNT."""
    counts = {field: Counter() for field in (*BAND_COLUMNS, "commune", "first_visit")}
    for row in participants.values(*BAND_COLUMNS, "commune", "first_visit"):
        for field, counter in counts.items():
            counter[row[field]] += 1
    rows = []
    names = {
        "gender": _("Genre"),
        "age_band": _("Tranche d'âge"),
        "situation": _("Statut"),
        "commune": _("Commune"),
        "first_visit": _("Première venue"),
    }
    for field, counter in counts.items():
        for value, count in sorted(counter.items(), key=lambda item: str(item[0])):
            if field == "commune":
                code, text = value, COMMUNES.get(value, "")
            elif field == "first_visit":
                code, text = "", yes_no(value)
            else:
                code, text = coop_code(field, value), label(field, value)
            rows.append([names[field], code, text or _("Non noté"), _("moins de 5") if count < SMALL_COUNT else count])
    return rows


def tables(scope, start, end):
    """{table: (title, headings, rows)} for the scope over the period, the records' table first."""
    records = list(records_in(scope, start, end))
    with_notes = not scope.network
    result = {
        "activites": (
            _("Activités"),
            _record_headings(with_notes=with_notes),
            [_record_row(record, with_notes=with_notes) for record in records],
        )
    }
    participants = Participant.objects.filter(record__in=[record.pk for record in records])
    if scope.network:
        result["totaux"] = (
            _("Participants (totaux)"),
            [_("Catégorie"), _("Code Coop"), _("Valeur"), _("Participations")],
            _totals(participants),
        )
    else:
        result["participants"] = (
            _("Participants"),
            _participant_headings(),
            [
                _participant_row(participant)
                for participant in participants.select_related("record").order_by("record__date", "record_id", "pk")
            ],
        )
    return result


def export(scope, start, end, *, format, table):
    """The file's bytes, content type and name: one table as CSV for French Excel, or every table as XLSX."""
    all_tables = tables(scope, start, end)
    name = "reseau" if scope.network else scope.centres[0].slug
    stem = f"accompagnements-{name}-{start:%Y-%m-%d}-{end:%Y-%m-%d}"
    if format == "csv":
        _title, headings, rows = all_tables[table]
        body = csv_bytes(headings, [[_cell_text(value) for value in row] for row in rows])
        return body, FORMATS["csv"], f"{stem}-{table}.csv"
    return workbook_bytes(all_tables.values()), FORMATS["xlsx"], f"{stem}.xlsx"


def _cell_text(value):
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)
