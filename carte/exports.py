"""The network's places in the national open data standards, vendored in carte/standards/.

- standard-mediation-num (LaMednum, v1.0.2): the places of digital help, as CSV (the standard's format) and JSON.
- data·inclusion's structures (v1.0.8): JSON, the shape its schema describes.

Each place is first an `OpenPlace`, what Placette knows of it in the standards' words; writers turn places into
rows. Which places: every centre that is live and public, and the map's useful places (not the centres' own,
which are the centres). Each centre of this network helps people with the internet and online procedures (the
reason Placette exists: help sessions, tutorials, the procedures' pages), so every one is a place of digital
help, declared as `NETWORK_OFFER`. A useful place is one when one of its categories is (`CATEGORY_SERVICES`):
only those go in standard-mediation-num; data·inclusion, the map of social inclusion, takes every place.

standard-mediation-num requires a `pivot` (SIRET or RNA) and its description offers no placeholder: a place
without one is left out of that file, and /carte/donnees/ names it with the reason, for the network to fill in
(data·inclusion does not require it).

Text typed by people goes out as plain text: tags are removed (other sites show these files, not always
escaped), and in CSV a cell a spreadsheet would read as a formula (=, +, -, @ first) starts with an apostrophe.
"""

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import phonenumbers
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from carte.models import UsefulPlace
from carte.osm_hours import to_osm
from quartier.models import CentrePage

STANDARDS = Path(__file__).resolve().parent / "standards"
MEDIATION_NUM_SCHEMA = STANDARDS / "mediation-num" / "schema.json"
DATA_INCLUSION_SCHEMA = STANDARDS / "data-inclusion" / "structure.json"
# The package version of the vendored commit (its README): the JSON Schema itself carries none.
DATA_INCLUSION_VERSION = "1.0.8"
SOURCE = "Placette"

# What every centre of the network offers, in standard-mediation-num's fixed lists: help with online procedures
# and with everyday digital tools, person to person (the help sessions and tutorials of `demarches`, `lexique`).
NETWORK_OFFER = {
    "services": ("Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"),
    "modalites_accompagnement": ("Accompagnement individuel",),
}

# standard-mediation-num's fixed lists, in its order (its patterns' spelling: "Compréhension", with its accent).
SERVICES = (
    "Aide aux démarches administratives",
    "Maîtrise des outils numériques du quotidien",
    "Insertion professionnelle via le numérique",
    "Utilisation sécurisée du numérique",
    "Parentalité et éducation avec le numérique",
    "Loisirs et créations numériques",
    "Compréhension du monde numérique",
    "Accès internet et matériel informatique",
    "Acquisition de matériel informatique à prix solidaire",
)
SUPPORT = (
    "Surdité",
    "Handicaps moteurs",
    "Handicaps mentaux",
    "Illettrisme",
    "Langues étrangères (anglais)",
    "Langues étrangères (autres)",
    "Déficience visuelle",
)
FEES = ("Gratuit", "Gratuit sous condition", "Payant")

# The map's categories that make a place one of digital help, and the service of the standard each offers.
# Wi-Fi, printing, open computers and the media library's computers are all "access to the internet and to
# computers"; France Services helps with procedures and is, besides, a national programme the standard lists.
CATEGORY_SERVICES = {
    "aide-aux-demarches": "Aide aux démarches administratives",
    "france-services": "Aide aux démarches administratives",
    "accompagnement-au-numerique": "Maîtrise des outils numériques du quotidien",
    "wi-fi-gratuit": "Accès internet et matériel informatique",
    "impression-et-scan": "Accès internet et matériel informatique",
    "ordinateurs-en-acces-libre": "Accès internet et matériel informatique",
    "mediatheque": "Accès internet et matériel informatique",
}
CATEGORY_PROGRAMMES = {"france-services": "France Services"}
# A place's accessibility in the standard's "prise en charge spécifique": what its reception can take on.
ACCESSIBILITY_SUPPORT = {
    "hearing_loop": "Surdité",
    "wheelchair": "Handicaps moteurs",
    "easy_read_reception": "Illettrisme",
}
FRENCH = {"français", "francais", "french"}
ENGLISH = {"anglais", "english"}

# data·inclusion's typology codes (its structures' referential), which the national map of digital mediation
# reads in standard-mediation-num's free `typologie` field.
TYPOLOGIES = {
    CentrePage.Typology.CENTRE_SOCIAL: "CS",
    CentrePage.Typology.ESPACE_DE_VIE_SOCIALE: "EVS",
    CentrePage.Typology.MAISON_DE_QUARTIER: "MQ",
}

# standard-mediation-num's phone pattern: the mainland's and the overseas territories' country codes.
STANDARD_COUNTRY_CODES = {33, 590, 594, 262, 596, 269, 687, 689, 508, 681}
SUMMARY_LENGTH = 280


@dataclass(frozen=True)
class OpenPlace:
    """A place as the standards see it; "" or () where Placette does not know."""

    id: str
    nom: str
    commune: str
    code_postal: str
    adresse: str
    date_maj: dt.date
    kind: str = "lieu"  # or "centre": where the network fills in what is missing
    pivot: str = ""
    code_insee: str = ""
    latitude: float | None = None
    longitude: float | None = None
    telephone: str = ""  # +33… (E.164), the standard's form
    courriel: str = ""
    site_web: str = ""
    horaires: str = ""  # OpenStreetMap opening_hours
    presentation: str = ""
    typologie: str = ""
    services: tuple = ()
    publics: tuple = ()
    frais: tuple = ()
    modalites_acces: tuple = ()
    modalites_accompagnement: tuple = ()
    prise_en_charge: tuple = ()
    dispositifs: tuple = ()
    accessibilite: str = ""  # an Acceslibre page
    prise_rdv: str = ""


def plain(text):
    """Typed text as one plain line: no tags, no runs of spaces or line breaks."""
    return " ".join(strip_tags(str(text)).split())


def international_phone(number):
    """The number in +33… form, or "" for none or for a country the standard does not list."""
    if not number:
        return ""
    if number.country_code not in STANDARD_COUNTRY_CODES:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def summary(text):
    """At most SUMMARY_LENGTH characters, cut between words."""
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _coordinate(value):
    return None if value is None else float(value)


def centre_as_open_place(centre, request=None):
    """A centre, with its opening hours and its page's address, as an OpenPlace."""
    modalites = []
    if centre.opening_slots:
        modalites.append("Se présenter")
    if centre.phone:
        modalites.append("Téléphoner")
    if centre.email:
        modalites.append("Contacter par mail")
    updated = centre.last_published_at or centre.latest_revision_created_at or centre.first_published_at
    return OpenPlace(
        id=f"centre-{centre.pk}",
        kind="centre",
        pivot=centre.pivot,
        nom=plain(centre.title),
        commune=plain(centre.town),
        code_postal=centre.postcode,
        code_insee=centre.insee_code,
        adresse=plain(centre.street_address),
        latitude=_coordinate(centre.latitude),
        longitude=_coordinate(centre.longitude),
        telephone=international_phone(centre.phone),
        courriel=centre.email,
        site_web=centre.get_full_url(request) or "",
        horaires=to_osm(centre.opening_slots),
        presentation=plain(centre.introduction),
        typologie=TYPOLOGIES.get(centre.typology, ""),
        services=NETWORK_OFFER["services"],
        modalites_acces=tuple(modalites),
        modalites_accompagnement=NETWORK_OFFER["modalites_accompagnement"],
        date_maj=timezone.localdate(updated) if updated else timezone.localdate(),
    )


def in_order(values, order):
    """The values of a fixed list found in `values`, once each, in the list's order."""
    return tuple(value for value in order if value in values)


def languages_support(languages):
    """The standard's foreign languages in a place's "langues parlées" (French is no foreign language)."""
    words = {word.strip().lower() for word in re.split(r"[,;/]| et ", languages) if word.strip()}
    support = set()
    if words & ENGLISH:
        support.add("Langues étrangères (anglais)")
    if words - ENGLISH - FRENCH:
        support.add("Langues étrangères (autres)")
    return support


def place_support(place):
    support = {label for name, label in ACCESSIBILITY_SUPPORT.items() if getattr(place, name)}
    return in_order(support | languages_support(place.languages), SUPPORT)


def place_fees(place):
    """Free, or what its price says of the standard's two other words ("Payant" unless it says otherwise)."""
    if place.is_free:
        return ("Gratuit",)
    return in_order({fee for fee in FEES[1:] if fee.lower() in place.price.lower()}, FEES) or ("Payant",)


def place_services(slugs):
    return in_order({CATEGORY_SERVICES[slug] for slug in slugs if slug in CATEGORY_SERVICES}, SERVICES)


def useful_place_as_open_place(place, request=None):
    """A useful place of the map, with its categories and hours (prefetched), as an OpenPlace."""
    slugs = {category.slug for category in place.categories.all()}
    slots = list(place.opening_hours.all())
    modalites = []
    if slots:
        modalites.append("Se présenter")
    if place.phone:
        modalites.append("Téléphoner")
    return OpenPlace(
        id=f"lieu-{place.pk}",
        kind="lieu",
        pivot=place.pivot,
        nom=plain(place.name),
        commune=plain(place.town),
        code_postal=place.postcode,
        adresse=plain(place.street_address),
        latitude=_coordinate(place.latitude),
        longitude=_coordinate(place.longitude),
        telephone=international_phone(place.phone),
        site_web=place.website,
        horaires=to_osm(slots),
        services=place_services(slugs),
        dispositifs=tuple(sorted({CATEGORY_PROGRAMMES[slug] for slug in slugs if slug in CATEGORY_PROGRAMMES})),
        frais=place_fees(place),
        prise_en_charge=place_support(place),
        modalites_acces=tuple(modalites),
        date_maj=timezone.localdate(place.updated_at),
    )


def published_places():
    """The map's places, not the centres' own (their centre is exported as itself), in three queries."""
    return (
        UsefulPlace.objects.filter(for_centre__isnull=True)
        .prefetch_related("categories", "opening_hours")
        .order_by("pk")
    )


def published_centres():
    """The centres anyone may see, with their hours, in two queries."""
    return CentrePage.objects.live().public().prefetch_related("opening_hours").order_by("pk")


def open_places(request=None):
    """Every place the network publishes in open data: the centres, then the map's places."""
    return [centre_as_open_place(centre, request) for centre in published_centres()] + [
        useful_place_as_open_place(place, request) for place in published_places()
    ]


@cache
def schema(path):
    return json.loads(path.read_text(encoding="utf-8"))


def mediation_num_fields():
    """The standard's column names, in its order."""
    return [field["name"] for field in schema(MEDIATION_NUM_SCHEMA)["fields"]]


def mediation_num_concerns(place):
    """Whether the place helps with digital tools: the standard is about those only."""
    return bool(place.services)


def mediation_num_refusal(place):
    """Why a place of digital help cannot be in the standard-mediation-num file, or None."""
    if not place.pivot:
        if place.kind == "centre":
            return _("il manque son SIRET ou son numéro RNA (à remplir dans « Données ouvertes » de sa page)")
        return _("il manque son SIRET ou son numéro RNA (à remplir dans sa fiche, menu Carte de l'administration)")
    return None


def data_inclusion_concerns(place):
    return True


def data_inclusion_refusal(place):
    if len(place.nom) < 3:
        return _("son nom a moins de 3 lettres")
    return None


def _joined(values):
    return "|".join(values) or None


def mediation_num_rows(places):
    """standard-mediation-num's rows, {column: value or None} in the standard's order, for the places it accepts."""
    rows = []
    for place in places:
        if not mediation_num_concerns(place) or mediation_num_refusal(place):
            continue
        values = {
            "id": place.id,
            "pivot": place.pivot,
            "nom": place.nom,
            "commune": place.commune,
            "code_postal": place.code_postal,
            "code_insee": place.code_insee or None,
            "adresse": place.adresse,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "typologie": place.typologie or None,
            "telephone": place.telephone or None,
            "courriels": place.courriel or None,
            "site_web": place.site_web or None,
            "horaires": place.horaires or None,
            "presentation_resume": summary(place.presentation) or None,
            "source": SOURCE,
            "itinerance": "Fixe",
            "date_maj": place.date_maj.isoformat(),
            "services": _joined(place.services),
            "publics_specifiquement_adresses": _joined(place.publics),
            "prise_en_charge_specifique": _joined(place.prise_en_charge),
            "frais_a_charge": _joined(place.frais),
            "dispositif_programmes_nationaux": _joined(place.dispositifs),
            "modalites_acces": _joined(place.modalites_acces),
            "modalites_accompagnement": _joined(place.modalites_accompagnement),
            "fiche_acces_libre": place.accessibilite or None,
            "prise_rdv": place.prise_rdv or None,
        }
        rows.append({name: values.get(name) for name in mediation_num_fields()})
    return rows


def data_inclusion_rows(places):
    """data·inclusion's structures, for the places it accepts."""
    rows = []
    for place in places:
        if data_inclusion_refusal(place):
            continue
        rows.append(
            {
                "source": SOURCE.lower(),
                "id": place.id,
                "nom": place.nom[:150],
                "date_maj": place.date_maj.isoformat(),
                "siret": place.pivot if re.fullmatch(r"[0-9]{14}", place.pivot) else None,
                "commune": place.commune or None,
                "code_postal": place.code_postal or None,
                "code_insee": place.code_insee or None,
                "adresse": place.adresse or None,
                "complement_adresse": None,
                "latitude": place.latitude,
                "longitude": place.longitude,
                "telephone": place.telephone or None,
                "courriel": place.courriel or None,
                "site_web": place.site_web or None,
                "lien_source": place.site_web or None,
                "description": place.presentation if len(place.presentation) >= 5 else None,
                "horaires_accueil": place.horaires or None,
                "accessibilite_lieu": place.accessibilite or None,
                "reseaux_porteurs": None,
            }
        )
    return rows


# A number (a negative longitude) is harmless in a spreadsheet; anything else starting so is read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?", re.ASCII)


def csv_cell(value):
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(rows, fields):
    """UTF-8 CSV, comma-separated (the standard's format), with the header in `fields`' order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([csv_cell(row[name]) for name in fields])
    return out.getvalue().encode("utf-8")


def to_json(rows):
    return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")
