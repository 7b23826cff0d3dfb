"""Places read from a file in a national standard, shown as a dry run, then written exactly as shown.

Two steps, for the `import_places` command and the admin's import page alike:

- `plan_import(content, standard, centre=None)` reads a standard-mediation-num file (CSV or JSON) or a
  data·inclusion structures file (JSON or CSV) and compares each line with the map: which places it would create,
  update (field by field, old → new), leave unchanged, and the errors, each with its line. Nothing is written.
- `apply_plan(plan, ...)` writes that plan in one transaction: a failure leaves nothing half-imported. The admin's
  page plans again before writing and refuses if the plan differs from the one shown (`ImportPlan.fingerprint`).

Rules (docs/adr/0012-open-data-exports.md):
- A line is matched to a place by the file's `id` stored on it (`source_id`, per `source`), then by `pivot`
  (SIRET/RNA), then by name and postcode; a centre's own place is never written (its page is its source).
- An empty cell says nothing: it never erases what a place has.
- HTML in a cell the map takes is refused (the line is in error), not stripped: the admin sees what the file holds.
- A place its centre has checked (`last_checked_on`) keeps its fields unless the admin explicitly replaces them,
  for that place or for all; replaced, it is no longer "checked" (the centre checks it again).
- The standard's services come back as the map's categories (`CATEGORY_SERVICES` read backwards); categories the
  standard does not speak of (school, PMI…) are kept.
"""

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

from carte import exports
from carte.models import PlaceCategory, PlaceOpeningHours, UsefulPlace, coordinates_errors
from carte.osm_hours import parse_osm, to_osm
from quartier.identifiers import validate_pivot

MEDIATION = "mediation"
DATA_INCLUSION = "data-inclusion"
STANDARDS = {MEDIATION: "standard-mediation-num", DATA_INCLUSION: "data·inclusion (structures)"}

# The standard's services in the map's categories: the category that says most of each, the same for the six
# kinds of learning; "Acquisition de matériel informatique à prix solidaire" has none and is not kept.
SERVICE_CATEGORY = {
    "Aide aux démarches administratives": "aide-aux-demarches",
    "Maîtrise des outils numériques du quotidien": "accompagnement-au-numerique",
    "Insertion professionnelle via le numérique": "accompagnement-au-numerique",
    "Utilisation sécurisée du numérique": "accompagnement-au-numerique",
    "Parentalité et éducation avec le numérique": "accompagnement-au-numerique",
    "Loisirs et créations numériques": "accompagnement-au-numerique",
    "Compréhension du monde numérique": "accompagnement-au-numerique",
    "Accès internet et matériel informatique": "ordinateurs-en-acces-libre",
}
PROGRAMME_CATEGORY = {programme: slug for slug, programme in exports.CATEGORY_PROGRAMMES.items()}
DIGITAL_CATEGORIES = set(exports.CATEGORY_SERVICES) | set(exports.CATEGORY_PROGRAMMES)
SUPPORT_FIELDS = {label: name for name, label in exports.ACCESSIBILITY_SUPPORT.items()}

# Which cell of each standard holds what the map keeps.
COLUMNS = {
    MEDIATION: {
        "name": "nom",
        "street_address": "adresse",
        "postcode": "code_postal",
        "town": "commune",
        "pivot": "pivot",
        "latitude": "latitude",
        "longitude": "longitude",
        "phone": "telephone",
        "website": "site_web",
        "hours": "horaires",
        "services": "services",
        "programmes": "dispositif_programmes_nationaux",
        "support": "prise_en_charge_specifique",
        "fees": "frais_a_charge",
    },
    DATA_INCLUSION: {
        "name": "nom",
        "street_address": "adresse",
        "postcode": "code_postal",
        "town": "commune",
        "pivot": "siret",
        "latitude": "latitude",
        "longitude": "longitude",
        "phone": "telephone",
        "website": "site_web",
        "hours": "horaires_accueil",
    },
}
HTML = re.compile(r"<\s*[a-zA-Z!/?]")
POSTCODE = re.compile(r"[0-9]{5}", re.ASCII)
# What our own CSV puts before a cell a spreadsheet would read as a formula (exports.csv_cell), taken off again.
FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")
MAX_LENGTHS = {"name": 150, "street_address": 200, "town": 100, "website": 200}
DEFAULT_PROGRESS_EVERY = 500

Slot = namedtuple("Slot", "weekday opens closes")


class ImportFileError(Exception):
    """The file cannot be read at all: its errors, each (line, message)."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def known_fields(standard):
    if standard == MEDIATION:
        return exports.mediation_num_fields()
    return list(exports.schema(exports.DATA_INCLUSION_SCHEMA)["properties"])


def required_fields(standard):
    if standard == MEDIATION:
        fields = exports.schema(exports.MEDIATION_NUM_SCHEMA)["fields"]
        return [spec["name"] for spec in fields if spec.get("constraints", {}).get("required")]
    return list(exports.schema(exports.DATA_INCLUSION_SCHEMA)["required"])


# Reading the file: [(line, {column: text})], whatever its form.


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(_text(item) for item in value)
    return str(value).strip()


def _csv_records(text):
    # The standard's files are comma-separated; a French spreadsheet saves with semicolons.
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = None
    records = []
    line = 1
    for cells in reader:
        if header is None:
            header = [cell.strip().strip("\ufeff") for cell in cells]
            line = reader.line_num + 1
            continue
        if any(cell.strip() for cell in cells):
            if len(cells) != len(header):
                records.append((line, None, len(cells)))
            else:
                cells = {
                    name: FORMULA_GUARD.sub("", cell.strip(), count=1)
                    for name, cell in zip(header, cells, strict=True)
                }
                records.append((line, cells, None))
        line = reader.line_num + 1
    return header or [], records


def _json_records(text):
    """Each object of the top-level list, with the line it starts on."""
    decoder = json.JSONDecoder()
    position = len(text) - len(text.lstrip())
    if not text[position:].startswith("["):
        raise ImportFileError([(1, _("Le fichier JSON doit être une liste de lieux : [ {…}, {…} ]."))])
    position += 1
    records = []
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text):
            raise ImportFileError([(text.count("\n") + 1, _("Le fichier JSON s'arrête avant la fin de la liste."))])
        if text[position] == "]":
            return records
        line = text.count("\n", 0, position) + 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise ImportFileError([(error.lineno, _("JSON illisible : %(error)s") % {"error": error.msg})]) from None
        records.append((line, value))


def read_records(content, standard):
    """[(line, {column: text} or None, [problems])] of a CSV or JSON file's bytes; ImportFileError if unreadable."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError([(1, _("Le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 »."))]) from None
    known, required = known_fields(standard), required_fields(standard)
    rows = []
    if text.lstrip().startswith(("[", "{")):
        for line, value in _json_records(text):
            if not isinstance(value, dict):
                rows.append((line, None, [_("ce n'est pas un lieu entre accolades { }")]))
                continue
            problems = []
            unknown = [name for name in value if name not in known]
            missing = [name for name in required if name not in value]
            if unknown:
                problems.append(_("champs inconnus du standard : %(names)s") % {"names": ", ".join(unknown)})
            if missing:
                problems.append(_("champs obligatoires absents : %(names)s") % {"names": ", ".join(missing)})
            rows.append((line, None if problems else {name: _text(cell) for name, cell in value.items()}, problems))
        return rows
    header, records = _csv_records(text)
    unknown = [name for name in header if name not in known]
    missing = [name for name in required if name not in header]
    errors = []
    if unknown:
        errors.append((1, _("colonnes inconnues du standard : %(names)s") % {"names": ", ".join(unknown)}))
    if missing:
        errors.append((1, _("colonnes obligatoires absentes : %(names)s") % {"names": ", ".join(missing)}))
    if errors:
        raise ImportFileError(errors)
    for line, cells, count in records:
        problem = [_("%(count)s cases au lieu de %(expected)s") % {"count": count, "expected": len(header)}]
        rows.append((line, cells, [] if cells is not None else problem))
    return rows


# One line, in the map's words.


@dataclass
class LineValues:
    """What one line says of a place, in the map's fields: only what the file fills in."""

    source: str
    source_id: str
    fields: dict = field(default_factory=dict)  # model field -> value
    hours: list | None = None  # [(weekday, opens, closes)]
    services: set | None = None
    programmes: set | None = None
    support: set | None = None
    fees: tuple | None = None


def _values(cells, names):
    """{standard's value}: the set of a multiple cell, checked against the standard's fixed list."""
    values = {value.strip() for value in cells.split("|") if value.strip()}
    unknown = sorted(values - set(names))
    return values, unknown


def read_line(cells, standard):
    """(LineValues, [problems]) of one record."""
    columns = COLUMNS[standard]
    problems = []

    def cell(key):
        return cells.get(columns[key], "") if key in columns else ""

    for column in columns.values():
        if HTML.search(cells.get(column, "")):
            problems.append(
                _("« %(column)s » contient du HTML, refusé : écrivez du texte simple") % {"column": column}
            )
    if problems:
        return None, problems
    line = LineValues(source=cells.get("source", ""), source_id=cells.get("id", ""))
    if not line.source_id:
        problems.append(_("« id » est vide"))
    for key in ("name", "street_address", "town"):
        value = " ".join(cell(key).split())
        if len(value) > MAX_LENGTHS[key]:
            problems.append(
                _("« %(column)s » a plus de %(limit)s caractères")
                % {"column": columns[key], "limit": MAX_LENGTHS[key]}
            )
        elif value:
            line.fields[key] = value
    if standard == DATA_INCLUSION and 0 < len(line.fields.get("name", "")) < 3:
        problems.append(_("« nom » a moins de 3 caractères"))
    postcode = cell("postcode")
    if postcode:
        if POSTCODE.fullmatch(postcode):
            line.fields["postcode"] = postcode
        else:
            problems.append(_("code postal « %(value)s » : il faut 5 chiffres") % {"value": postcode})
    pivot = cell("pivot").replace(" ", "")
    if pivot:
        try:
            validate_pivot(pivot)
            line.fields["pivot"] = pivot
        except ValidationError as error:
            problems.append(_("« %(column)s » : %(error)s") % {"column": columns["pivot"], "error": error.messages[0]})
    problems += _read_coordinates(cell("latitude"), cell("longitude"), line)
    phone = cell("phone")
    if phone:
        try:
            number = PhoneNumber.from_string(phone, region="FR")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not number.is_valid():
            problems.append(
                _("téléphone « %(value)s » illisible : écrivez par exemple +33320000000 ou 03 20 00 00 00")
                % {"value": phone}
            )
        else:
            line.fields["phone"] = number
    website = cell("website").split("|")[0].strip()
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
            if len(website) > MAX_LENGTHS["website"]:
                raise ValidationError("too long")
            line.fields["website"] = website
        except ValidationError:
            problems.append(_("site web « %(value)s » : il faut une adresse en http(s)://") % {"value": website})
    hours = cell("hours")
    if hours:
        try:
            line.hours = parse_osm(hours)
        except ValidationError as error:
            problems.append(_("horaires illisibles : %(error)s") % {"error": error.messages[0]})
    for key, names in (("services", exports.SERVICES), ("support", exports.SUPPORT), ("fees", exports.FEES)):
        if cell(key):
            values, unknown = _values(cell(key), names)
            if unknown:
                problems.append(
                    _("« %(column)s » : valeur inconnue du standard « %(value)s »")
                    % {"column": columns[key], "value": unknown[0]}
                )
            setattr(line, key, exports.in_order(values, names) if key == "fees" else values)
    if cell("programmes"):
        line.programmes = {value.strip() for value in cell("programmes").split("|")}
    date_maj = cells.get("date_maj", "")
    try:
        dt.date.fromisoformat(date_maj[:10])
    except ValueError:
        problems.append(_("date_maj « %(value)s » : il faut une date comme 2026-12-06") % {"value": date_maj})
    return line, problems


def _read_coordinates(latitude, longitude, line):
    if not latitude and not longitude:
        return []
    try:
        point = [
            Decimal(value.replace(",", ".")).quantize(Decimal("0.000001")) if value else None
            for value in (latitude, longitude)
        ]
    except InvalidOperation:
        return [_("latitude et longitude doivent être des nombres, par exemple 50.69 et 3.18")]
    errors = coordinates_errors(*point)
    if errors:
        return [str(message) for message in errors.values()]
    line.fields["latitude"], line.fields["longitude"] = point
    return []


# Comparing a line with the place it matches.


@dataclass
class Change:
    name: str  # the place's attribute, or "hours", "categories"
    label: str
    old: str
    new: str
    value: object


@dataclass
class Entry:
    line: int
    name: str
    action: str  # CREATE, UPDATE, UNCHANGED, CENTRE
    values: LineValues
    place: UsefulPlace | None = None
    changes: list = field(default_factory=list)

    @property
    def checked_on(self):
        return self.place.last_checked_on if self.place is not None else None

    @property
    def protected(self):
        """A place its centre checked, which this line would change."""
        return self.action == UPDATE and self.checked_on is not None


CREATE, UPDATE, UNCHANGED, CENTRE = "create", "update", "unchanged", "centre"


@dataclass
class ImportPlan:
    standard: str
    digest: str  # of the file's bytes
    entries: list
    errors: list  # [(line, message)]
    centre: object = None

    def of(self, action):
        return [entry for entry in self.entries if entry.action == action]

    @property
    def created(self):
        return self.of(CREATE)

    @property
    def updated(self):
        return self.of(UPDATE)

    @property
    def unchanged(self):
        return self.of(UNCHANGED)

    @property
    def centres(self):
        return self.of(CENTRE)

    @property
    def protected(self):
        return [entry for entry in self.entries if entry.protected]

    @property
    def fingerprint(self):
        """A hash of everything the dry run shows: what is written must hash the same."""
        shown = [
            [e.line, e.action, e.place.pk if e.place else None, [[c.name, c.old, c.new] for c in e.changes]]
            for e in self.entries
        ]
        payload = json.dumps([self.standard, self.digest, getattr(self.centre, "pk", None), shown, self.errors])
        return hashlib.sha256(payload.encode()).hexdigest()


def _display(name, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return str(value)


def _label(name):
    labels = {"hours": _("horaires"), "categories": _("catégories")}
    return labels.get(name) or str(UsefulPlace._meta.get_field(name).verbose_name)


def target_categories(current, line):
    """The slugs a place has after the line: the ones the standard does not speak of kept, the digital ones as said."""
    if line.services is None and line.programmes is None:
        return set(current)
    services = line.services if line.services is not None else set()
    programmes = line.programmes
    kept = set(current) - DIGITAL_CATEGORIES
    for slug in set(current) & DIGITAL_CATEGORIES:
        programme = exports.CATEGORY_PROGRAMMES.get(slug)
        if programme is not None and programmes is not None and programme not in programmes:
            continue
        if line.services is None or exports.CATEGORY_SERVICES.get(slug) in services:
            kept.add(slug)
    for programme in programmes or ():
        if programme in PROGRAMME_CATEGORY:
            kept.add(PROGRAMME_CATEGORY[programme])
    covered = {exports.CATEGORY_SERVICES[slug] for slug in kept if slug in exports.CATEGORY_SERVICES}
    for service in services - covered:
        if service in SERVICE_CATEGORY:
            kept.add(SERVICE_CATEGORY[service])
    return kept


def target_fees(place, fees):
    """(is_free, price) a place has after a line saying `fees`; its own when they say the same."""
    if exports.place_fees(place) == fees:
        return place.is_free, place.price
    if fees == ("Gratuit",):
        return True, ""
    words = " ou ".join(fee.lower() for fee in fees)
    return False, words[0].upper() + words[1:]


def target_languages(place, support):
    foreign = {value for value in support if value.startswith("Langues")}
    if exports.languages_support(place.languages) == foreign:
        return place.languages
    words = []
    if "Langues étrangères (anglais)" in foreign:
        words.append(_("anglais"))
    if "Langues étrangères (autres)" in foreign:
        words.append(_("autres langues"))
    return ", ".join(words)


def compare(place, current_slugs, current_hours, line, category_names):
    """The changes a line brings to a place (a new, unsaved one for a creation)."""
    targets = dict(line.fields)
    if line.support is not None:
        for label, name in SUPPORT_FIELDS.items():
            targets[name] = label in line.support
        targets["languages"] = target_languages(place, line.support)
    if line.fees is not None:
        targets["is_free"], targets["price"] = target_fees(place, line.fees)
    changes = []
    for name, new in targets.items():
        old = getattr(place, name)
        if name == "phone":
            same = str(old or "") == str(new)
        else:
            same = old == new
        if not same:
            changes.append(Change(name, _label(name), _display(name, old), _display(name, new), new))
    if line.hours is not None and sorted(line.hours) != sorted(current_hours):
        old, new = to_osm(Slot(*slot) for slot in current_hours), to_osm(Slot(*slot) for slot in line.hours)
        changes.append(Change("hours", _label("hours"), old or "—", new, line.hours))
    slugs = target_categories(current_slugs, line)
    if slugs != set(current_slugs):

        def names(values):
            return ", ".join(sorted(category_names.get(slug, slug) for slug in values)) or "—"

        changes.append(Change("categories", _label("categories"), names(current_slugs), names(slugs), slugs))
    return changes


class Matcher:
    """The map's places, read once, found by the file's id, then pivot, then name and postcode."""

    def __init__(self):
        places = list(UsefulPlace.objects.prefetch_related("categories", "opening_hours"))
        self.by_source_id = {(p.source, p.source_id): p for p in places if p.source_id}
        self.by_pivot, self.by_name = {}, {}
        for place in places:
            if place.pivot:
                self.by_pivot.setdefault(place.pivot, []).append(place)
            self.by_name.setdefault((place.name.casefold(), place.postcode), []).append(place)

    def find(self, line):
        found = self.by_source_id.get((line.source, line.source_id))
        if found is not None:
            return found
        same_pivot = self.by_pivot.get(line.fields.get("pivot"), [])
        if len(same_pivot) == 1:
            return same_pivot[0]
        name, postcode = line.fields.get("name", ""), line.fields.get("postcode", "")
        same_name = self.by_name.get((name.casefold(), postcode), [])
        candidates = [place for place in same_name if not same_pivot or place in same_pivot]
        return candidates[0] if len(candidates) == 1 else None


def plan_import(content, standard, *, centre=None):
    """What importing the file would do, written nowhere; ImportFileError when the file cannot be read."""
    digest = hashlib.sha256(content).hexdigest()
    records = read_records(content, standard)
    matcher = Matcher()
    category_names = dict(PlaceCategory.objects.values_list("slug", "name"))
    entries, errors = [], []
    seen_ids, seen_places = {}, {}
    for number, cells, problems in records:
        if problems:
            errors.extend((number, problem) for problem in problems)
            continue
        line, problems = read_line(cells, standard)
        if line is not None:
            key = (line.source, line.source_id)
            if key in seen_ids:
                problems.append(
                    _("l'id « %(id)s » est déjà celui de la ligne %(line)s")
                    % {"id": line.source_id, "line": seen_ids[key]}
                )
            seen_ids.setdefault(key, number)
        if problems:
            errors.extend((number, problem) for problem in problems)
            continue
        place = matcher.find(line)
        if place is None:
            missing = [
                COLUMNS[standard][key]
                for key in ("name", "street_address", "postcode", "town")
                if key not in line.fields
            ]
            if missing:
                errors.append((number, _("pour un nouveau lieu, il faut : %(names)s") % {"names": ", ".join(missing)}))
                continue
            new = UsefulPlace(centre=centre)
            changes = compare(new, set(), [], line, category_names)
            entries.append(Entry(number, line.fields["name"], CREATE, line, changes=changes))
            continue
        if place.pk in seen_places:
            errors.append(
                (
                    number,
                    _("même lieu que la ligne %(line)s (« %(name)s »)")
                    % {"line": seen_places[place.pk], "name": place.name},
                )
            )
            continue
        seen_places[place.pk] = number
        if place.for_centre_id is not None:
            entries.append(Entry(number, place.name, CENTRE, line, place=place))
            continue
        slugs = {category.slug for category in place.categories.all()}
        hours = [(slot.weekday, slot.opens, slot.closes) for slot in place.opening_hours.all()]
        changes = compare(place, slugs, hours, line, category_names)
        entries.append(Entry(number, place.name, UPDATE if changes else UNCHANGED, line, place=place, changes=changes))
    errors.sort()
    return ImportPlan(standard, digest, entries, errors, centre)


def _write(place, changes, categories):
    hours = None
    slugs = None
    for change in changes:
        if change.name == "hours":
            hours = change.value
        elif change.name == "categories":
            slugs = change.value
        else:
            setattr(place, change.name, change.value)
    place.save()
    if slugs is not None:
        place.categories.set([categories[slug] for slug in sorted(slugs) if slug in categories])
        place.save()  # a ParentalManyToManyField writes its rows when the place is saved
    if hours is not None:
        place.opening_hours.all().delete()
        PlaceOpeningHours.objects.bulk_create(
            PlaceOpeningHours(place=place, weekday=day, opens=opens, closes=closes, sort_order=n)
            for n, (day, opens, closes) in enumerate(sorted(hours))
        )


@transaction.atomic
def apply_plan(plan, *, replace_checked=False, replace_lines=frozenset(), progress=None, every=DEFAULT_PROGRESS_EVERY):
    """Write the plan: creations, and updates except a checked place's unless it is replaced. {action: count}."""
    categories = {category.slug: category for category in PlaceCategory.objects.all()}
    counts = {CREATE: 0, UPDATE: 0, "kept": 0}
    for done, entry in enumerate(plan.entries, start=1):
        if entry.action == CREATE:
            place = UsefulPlace(centre=plan.centre, source=entry.values.source, source_id=entry.values.source_id)
            _write(place, entry.changes, categories)
            counts[CREATE] += 1
        elif entry.action == UPDATE:
            place = entry.place
            if entry.protected:
                if not (replace_checked or entry.line in replace_lines):
                    counts["kept"] += 1
                    continue
                # The centre vouched for the values this replaces, not for the file's.
                place.last_checked_on, place.last_checked_by = None, None
            if not place.source_id:
                place.source, place.source_id = entry.values.source, entry.values.source_id
            _write(place, entry.changes, categories)
            counts[UPDATE] += 1
        if progress is not None and (done % every == 0 or done == len(plan.entries)):
            progress(done, len(plan.entries))
    return counts
