"""Demo content of the map: believable, fictional useful places around each demo centre, and generated ones.

Each demo centre gets a dozen places of its town (a France Services desk, the media library, schools, a crèche,
the PMI, homework help, a solidarity grocery…), a few hundred metres from it, with their hours; its own place
comes from its page (`carte.services.sync_centre_place`), and two residents' proposals wait in its team's queue.
`--places N` then adds generated places spread over
the demo centres until the map holds N places of its own, for the benchmark's volume. The families' steps whose
dates an online procedure of the demo holds (demarches/demo.py) are linked to it.
"""

import datetime as dt
import itertools
from decimal import Decimal

from django.db import transaction

from carte.models import FamilyStep, PlaceCategory, PlaceOpeningHours, PlaceProposal, UsefulPlace
from carte.services import sync_centre_place
from demarches.models import Procedure
from quartier.models import Membership

WEEK = range(5)
OFFICE = [(day, dt.time(9), dt.time(12)) for day in WEEK] + [(day, dt.time(13, 30), dt.time(17)) for day in WEEK]
SCHOOL = [(day, dt.time(8, 20), dt.time(16, 30)) for day in (0, 1, 3, 4)] + [(2, dt.time(8, 20), dt.time(11, 50))]
LIBRARY = [(day, dt.time(10), dt.time(18)) for day in (1, 2, 4, 5)] + [(3, dt.time(14), dt.time(19))]
AFTERNOONS = [(day, dt.time(16, 30), dt.time(18, 30)) for day in (0, 1, 3, 4)]
MORNINGS = [(day, dt.time(8, 30), dt.time(12)) for day in (0, 2, 4)]
DAYCARE = [(day, dt.time(7, 30), dt.time(18, 30)) for day in WEEK]
GROCERY = [(1, dt.time(14), dt.time(18)), (3, dt.time(9), dt.time(12)), (5, dt.time(9), dt.time(12))]

_THOUSANDTH = Decimal("0.001")
GENERATED = "Lieu généré n°"

# (names: one per demo centre in turn, "{town}" the centre's town; street, categories, hours, offset north and east
# in thousandths of a degree, fields)
PLACES = [
    (
        ("Espace France Services de {town}",),
        "12 rue de la République",
        ["france-services", "aide-aux-demarches"],
        OFFICE,
        (3, -2),
        {"wheelchair": True, "hearing_loop": True, "languages": "français, anglais, arabe"},
    ),
    (("Mairie annexe de {town}",), "1 place du Marché", ["caf-cpam-mairie"], OFFICE, (-4, 3), {"wheelchair": True}),
    (
        (
            "Médiathèque Louise-Michel",
            "Médiathèque La Grand-Plage",
            "Médiathèque Till-l'Espiègle",
            "Médiathèque Jules-Verne",
            "Médiathèque de l'Hôtel de ville",
        ),
        "8 rue Victor-Hugo",
        ["mediatheque", "wi-fi-gratuit", "ordinateurs-en-acces-libre"],
        LIBRARY,
        (2, 5),
        {"wheelchair": True, "easy_read_reception": True},
    ),
    (
        (
            "Cyber-espace du Pont",
            "Point numérique des Hauts-Champs",
            "Cyber-base du Triolo",
            "Espace multimédia de la Lionderie",
            "Cyber-espace du Centre",
        ),
        "27 rue du Pont",
        ["impression-et-scan", "wi-fi-gratuit"],
        AFTERNOONS,
        (-1, -6),
        {"is_free": False, "price": "10 centimes la page imprimée"},
    ),
    (
        (
            "École maternelle Les Coquelicots",
            "École maternelle Anne-Frank",
            "École maternelle Pasteur",
            "École maternelle Les Tilleuls",
            "École maternelle Jules-Ferry",
        ),
        "3 rue des Écoles",
        ["ecole"],
        SCHOOL,
        (5, 1),
        {"for_maternelle": True},
    ),
    (
        (
            "École élémentaire Jean-Macé",
            "École élémentaire Condorcet",
            "École élémentaire Paul-Bert",
            "École élémentaire Louise-Michel",
            "École élémentaire Voltaire",
        ),
        "5 rue des Écoles",
        ["ecole"],
        SCHOOL,
        (5, 2),
        {"for_elementaire": True},
    ),
    (
        (
            "Collège Albert-Camus",
            "Collège Jean-Jaurès",
            "Collège Théodore-Monod",
            "Collège Émile-Zola",
            "Collège Pierre-de-Ronsard",
        ),
        "40 avenue de la Liberté",
        ["ecole"],
        SCHOOL,
        (-7, -4),
        {"for_college": True},
    ),
    (
        (
            "Crèche Les P'tits Loups",
            "Crèche Les Lucioles",
            "Multi-accueil Les Marmousets",
            "Crèche Pomme d'Api",
            "Multi-accueil Les Petits Pas",
        ),
        "14 rue des Lilas",
        ["creche"],
        DAYCARE,
        (1, -3),
        {"for_under_3": True, "is_free": False, "price": "Selon les revenus de la famille"},
    ),
    (("PMI de {town}",), "2 rue Pasteur", ["pmi", "sante"], MORNINGS, (-3, -1), {"for_under_3": True}),
    (
        (
            "Accueil de loisirs Pablo-Picasso",
            "Accueil de loisirs Les Castors",
            "Accueil de loisirs du Triolo",
            "Accueil de loisirs Les Hirondelles",
            "Accueil de loisirs Saint-Exupéry",
        ),
        "19 rue Jean-Jaurès",
        ["accueil-periscolaire"],
        AFTERNOONS,
        (4, -5),
        {"for_maternelle": True, "for_elementaire": True, "is_free": False, "price": "De 0,50 € à 3 € la séance"},
    ),
    (
        (
            "Coup de pouce devoirs",
            "Aide aux devoirs de la Fosse-aux-Chênes",
            "Accompagnement scolaire Le Cartable",
            "Aide aux devoirs du Hem-Lenglet",
            "Les Devoirs faits ensemble",
        ),
        "6 rue Gambetta",
        ["aide-aux-devoirs"],
        AFTERNOONS,
        (-2, 4),
        {"for_elementaire": True, "for_college": True, "languages": "français, turc"},
    ),
    (
        (
            "Épicerie solidaire La Passerelle",
            "Épicerie sociale Le Panier",
            "Épicerie solidaire L'Escale",
            "Épicerie solidaire La Ruche",
            "Épicerie sociale Le Relais",
        ),
        "33 rue de Lannoy",
        ["alimentation-solidaire"],
        GROCERY,
        (0, 7),
        {"is_free": False, "price": "Environ 10 % du prix en magasin, sur orientation"},
    ),
]


def create_places(centres):
    """The demo places around each centre, and each centre's own place; returns how many places were created."""
    categories = {category.slug: category for category in PlaceCategory.objects.all()}
    created = 0
    for number, centre in enumerate(centres):
        sync_centre_place(centre)
        for names, street, slugs, hours, (north, east), fields in PLACES:
            name = names[number % len(names)].format(town=centre.town)
            if UsefulPlace.objects.filter(centre=centre, name=name).exists():
                continue
            place = UsefulPlace.objects.create(
                centre=centre,
                name=name,
                street_address=street,
                postcode=centre.postcode,
                town=centre.town,
                latitude=centre.latitude + north * _THOUSANDTH,
                longitude=centre.longitude + east * _THOUSANDTH,
                last_checked_on=dt.date.today() - dt.timedelta(days=10 * created % 200),
                **fields,
            )
            place.categories.set([categories[slug] for slug in slugs])
            place.save()
            _add_hours([place], hours)
            created += 1
    return created


# The seeded families' steps (carte/migrations/0008) and the demo's online procedures that hold their dates.
STEP_PROCEDURES = {
    "Inscrire l'enfant à l'école maternelle": "inscription-scolaire",
    "Inscrire l'enfant à l'école": "inscription-scolaire",
    "Inscrire l'enfant au CP": "inscription-scolaire",
    "Inscrire à la cantine et à la garderie": "inscription-cantine",
    "Inscrire à la cantine et au périscolaire": "inscription-cantine",
    "Demander la bourse de collège": "bourse-de-college-et-de-lycee",
    "Demander la bourse de lycée": "bourse-de-college-et-de-lycee",
    "Faire les vœux Parcoursup (terminale)": "parcoursup",
}


def link_family_steps():
    """Links each seeded step not yet linked to the demo procedure holding its dates; returns how many it linked."""
    slugs = set(STEP_PROCEDURES.values())
    procedures = Procedure.objects.filter(centre__isnull=True).in_bulk(slugs, field_name="slug")
    linked = 0
    for step in FamilyStep.objects.filter(procedure__isnull=True, title__in=STEP_PROCEDURES):
        step.procedure = procedures.get(STEP_PROCEDURES[step.title])
        if step.procedure is not None:
            step.save(update_fields=["procedure"])
            linked += 1
    return linked


def _add_hours(places, hours):
    PlaceOpeningHours.objects.bulk_create(
        PlaceOpeningHours(place=place, weekday=day, opens=opens, closes=closes, sort_order=n)
        for place in places
        for n, (day, opens, closes) in enumerate(hours)
    )


def create_generated_places(total, centres, stdout, *, batch=1000):
    """Generated places spread over `centres` until the map holds `total` places not of a centre; prints progress."""
    existing = UsefulPlace.objects.filter(for_centre__isnull=True).count()
    categories = list(PlaceCategory.objects.exclude(slug="centre-social"))
    shapes = itertools.cycle(PLACES)
    number = UsefulPlace.objects.filter(name__startswith=GENERATED).count()
    while existing < total:
        size = min(batch, total - existing)
        with transaction.atomic():
            places = []
            for _ in range(size):
                number += 1
                centre = centres[number % len(centres)]
                _name, street, _slugs, _hours, _offset, fields = next(shapes)
                places.append(
                    UsefulPlace(
                        centre=centre,
                        name=f"{GENERATED}{number}",
                        street_address=street,
                        postcode=centre.postcode,
                        town=centre.town,
                        latitude=centre.latitude + (number * 7 % 41 - 20) * _THOUSANDTH,
                        longitude=centre.longitude + (number * 13 % 41 - 20) * _THOUSANDTH,
                        **fields,
                    )
                )
            places = UsefulPlace.objects.bulk_create(places)
            through = UsefulPlace.categories.through
            through.objects.bulk_create(
                through(usefulplace=place, placecategory=categories[place.pk % len(categories)]) for place in places
            )
            _add_hours(places, OFFICE)
        existing += size
        stdout.write(f"Lieux utiles : {existing} sur {total}.\n")
    return existing


def create_proposals(centres):
    """Two proposals waiting for each centre's team: a resident's correction and a visitor's new place."""
    created = 0
    wifi = PlaceCategory.objects.filter(slug="wi-fi-gratuit").first()
    for centre in centres:
        if PlaceProposal.objects.filter(centre=centre).exists():
            continue
        place = UsefulPlace.objects.filter(centre=centre, for_centre__isnull=True).order_by("pk").first()
        resident = Membership.objects.filter(centre=centre, role=Membership.Role.RESIDENT).order_by("pk").first()
        if place is not None:
            PlaceProposal.objects.create(
                kind=PlaceProposal.Kind.CORRECTION,
                place=place,
                centre=centre,
                person=resident.user if resident else None,
                wrong_fields=["hours"],
                details="Le samedi matin, c'est fermé maintenant. J'y suis allée deux fois.",
            )
            created += 1
        proposal = PlaceProposal.objects.create(
            kind=PlaceProposal.Kind.NEW,
            centre=centre,
            name="Café associatif Le Lien",
            street_address="9 rue de la Gare",
            postcode=centre.postcode,
            town=centre.town,
            hours_text="Du mardi au samedi, de 14 h à 18 h. Wi-Fi gratuit et une imprimante.",
            contact="06 12 34 56 78",
        )
        if wifi is not None:
            proposal.categories.set([wifi])
        created += 1
    return created
