"""`manage.py demo`: idempotent demo data for a local run, then where to sign in.

`--centres N --occurrences N` load the volume DESIGN.md's budgets are measured with (100 centres,
20 000 upcoming dates): numbered centres beside the five demo ones, and generated activities until the
network has that many upcoming dates. Both count what already exists, so running it again adds nothing.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify
from wagtail.rich_text import RichText

from accounts.demo import create_people, give_second_factor
from agenda.demo import create_agenda, load_occurrences
from echanges.demo import create_exchanges, load_offers
from home.demo import create_information_pages
from home.models import HomePage
from placette import page_cache
from quartier.demo import CENTRES, WEEKDAYS_AND_AFTERNOONS, create_centres, create_editor
from quartier.models import CentrePage, OpeningHours

DEMO_PASSWORD = "placette-demo"

# Towns of the Lille metropolis for the numbered centres: (town, postcode, latitude, longitude).
TOWNS = [
    ("Lille", "59000", "50.629250", "3.057256"),
    ("Roubaix", "59100", "50.690000", "3.181700"),
    ("Tourcoing", "59200", "50.723900", "3.161200"),
    ("Villeneuve-d'Ascq", "59650", "50.623300", "3.145000"),
    ("Wattrelos", "59150", "50.701800", "3.216600"),
    ("Hem", "59510", "50.655800", "3.188000"),
    ("Croix", "59170", "50.678300", "3.149400"),
    ("Lys-lez-Lannoy", "59390", "50.669700", "3.215600"),
    ("Loos", "59120", "50.613700", "3.016900"),
    ("Mons-en-Barœul", "59370", "50.641100", "3.110600"),
    ("Faches-Thumesnil", "59155", "50.589700", "3.073600"),
    ("Armentières", "59280", "50.688600", "2.880000"),
    ("Halluin", "59250", "50.784400", "3.126100"),
    ("Seclin", "59113", "50.548900", "3.029700"),
    ("Wasquehal", "59290", "50.668600", "3.130800"),
    ("Ronchin", "59790", "50.604700", "3.090300"),
    ("Lambersart", "59130", "50.650000", "3.025000"),
    ("Haubourdin", "59320", "50.608900", "2.986900"),
    ("Marcq-en-Barœul", "59700", "50.673600", "3.098900"),
    ("Wattignies", "59139", "50.586100", "3.043100"),
]
STREETS = [
    "rue de la Solidarité",
    "avenue Jean-Lebas",
    "rue Pasteur",
    "place de la Mairie",
    "rue des Écoles",
    "rue Victor-Hugo",
    "allée des Tilleuls",
    "rue du Progrès",
    "rue de la Filature",
    "boulevard de la Liberté",
]
INTRODUCTIONS = [
    "Un centre ouvert à tous les habitants : démarches en ligne, ateliers et sorties en famille.",
    "Ici, on apprend le numérique à son rythme et on se retrouve entre voisins.",
    "Le centre accompagne les familles, les jeunes et les aînés du quartier.",
    "Un lieu de rencontre et d'entraide, avec une médiatrice numérique sur place.",
]


class ProgressBar:
    """ "Activités : [#####.....] 45 % (9 000 / 20 000)", redrawn in place on a terminal, else every tenth."""

    WIDTH = 30

    def __init__(self, out, label):
        self.out = out
        self.label = label
        self.tty = out.isatty()
        self.shown = None

    def __call__(self, done, total):
        share = min(done / total, 1) if total else 1
        step = int(share * 100) if self.tty else int(share * 10)
        if step == self.shown:
            return
        self.shown = step
        filled = round(share * self.WIDTH)
        line = (
            f"{self.label} : [{'#' * filled}{'.' * (self.WIDTH - filled)}] {int(share * 100)} % "
            f"({grouped(done)} / {grouped(total)})"
        )
        # Progress goes to stderr, unstyled (stderr's default style is the error colour).
        if self.tty:
            self.out.write("\r" + line, style_func=str, ending="\n" if done >= total else "")
            self.out.flush()
        else:
            self.out.write(line, style_func=str)


def grouped(number):
    """9 000, as French writes it."""
    return f"{number:,}".replace(",", "\N{NO-BREAK SPACE}")


class Command(BaseCommand):
    help = "Crée les données de démonstration (sans doublon si on la relance) et affiche les identifiants."

    def add_arguments(self, parser):
        parser.add_argument(
            "--centres",
            type=int,
            metavar="N",
            help=f"nombre de centres de démonstration en tout (au moins {len(CENTRES)}) : les centres "
            f"n°{len(CENTRES) + 1} à N s'ajoutent",
        )
        parser.add_argument(
            "--occurrences",
            type=int,
            metavar="N",
            help="nombre de dates en tout, d'aujourd'hui à l'horizon de l'agenda : des activités s'ajoutent, "
            "réparties entre les centres, jusqu'à ce nombre",
        )
        parser.add_argument(
            "--offers",
            type=int,
            metavar="N",
            help="nombre d'annonces générées en tout, en plus de celles de la démonstration : des annonces "
            "s'ajoutent, réparties entre les centres et indexées pour la recherche, jusqu'à ce nombre",
        )

    def handle(self, *args, **options):
        if options["centres"] is not None and options["centres"] < len(CENTRES):
            raise CommandError(f"--centres : au moins {len(CENTRES)}, les centres de la démonstration.")
        with transaction.atomic():
            home = HomePage.objects.get()
            pages = create_information_pages(home)
            self.stdout.write(f"Pages d'information : {pages} créée(s).")
            centres = create_centres(home)
            self.stdout.write(f"Centres sociaux : {len(centres)}.")
            editors = [create_editor(centre, DEMO_PASSWORD) for centre in centres]
            admin = self.create_network_admin()
            for staff in [admin, *editors]:
                give_second_factor(staff)
            mediators = create_people(centres)
            # Mediators open the team pages, which ask for the same second factor as the admin.
            for mediator in mediators:
                give_second_factor(mediator)
            self.stdout.write(
                f"Habitants : {len(centres) * 2 + 1}, dont un compte accompagné ; médiateurs : {len(mediators)}."
            )
            activities = create_agenda(centres)
            self.stdout.write(f"Agenda : {activities} activité(s) créée(s) dans les centres de démonstration.")
            offers = create_exchanges(centres)
            self.stdout.write(f"Échanges : {offers} annonce(s) créée(s) dans les centres de démonstration.")
        if options["centres"]:
            self.load_centres(home, options["centres"])
        if options["occurrences"]:
            self.load_occurrences(options["occurrences"])
        if options["offers"]:
            self.load_offers(options["offers"])
        if options["centres"] or options["occurrences"] or options["offers"]:
            # Fresh statistics after a bulk load, or PostgreSQL plans the listings for empty tables until
            # autovacuum comes round (minutes later, or never for a database loaded just before a benchmark).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        base = settings.WAGTAILADMIN_BASE_URL
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Site : {base}/")
        self.stdout.write(f"Administration : {base}/admin/")
        self.stdout.write(f"  Administrateur du réseau : {admin.username} / {DEMO_PASSWORD}")
        for editor, centre in zip(editors, centres, strict=True):
            self.stdout.write(f"  Animateur ({centre.title}) : {editor.username} / {DEMO_PASSWORD}")
        bypass = settings.MFA_TOTP_INSECURE_BYPASS_CODE
        if bypass:
            self.stdout.write(
                f"  Double vérification demandée ensuite : tapez {bypass} (code de démonstration, local seulement)."
            )
        self.stdout.write(f"Habitants : {base}/compte/connexion/ avec une adresse e-mail, par exemple")
        self.stdout.write(f"  {mediators[0].email} (médiatrice) ; le code s'affiche dans ce terminal.")
        if bypass:
            self.stdout.write(f"  Pages de l'équipe : double vérification, tapez {bypass}.")

    def create_network_admin(self):
        admin, created = get_user_model().objects.get_or_create(
            username="admin",
            defaults={
                "first_name": "Fédération",
                "email": "admin@placette.example",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        return admin

    def load_centres(self, home, total):
        started = time.monotonic()
        with transaction.atomic():
            added = create_numbered_centres(home, total, progress=ProgressBar(self.stderr, "Centres"))
        self.stdout.write(f"Centres numérotés : {added} ajouté(s) en {time.monotonic() - started:.0f} s.")

    def load_occurrences(self, total):
        started = time.monotonic()
        centres = list(CentrePage.objects.live().order_by("path"))
        with transaction.atomic():
            added = load_occurrences(centres, total, progress=ProgressBar(self.stderr, "Activités"))
        self.stdout.write(
            f"Dates à venir : {grouped(added)} ajoutée(s) en {time.monotonic() - started:.0f} s, "
            f"réparties entre {len(centres)} centres."
        )

    def load_offers(self, total):
        started = time.monotonic()
        centres = list(CentrePage.objects.live().order_by("path"))
        with transaction.atomic():
            added, indexing = load_offers(centres, total, progress=ProgressBar(self.stderr, "Annonces"))
        # Bulk writes send no signal: the pages cached for visitors would not show the new offers.
        page_cache.invalidate()
        self.stdout.write(
            f"Annonces générées : {grouped(added)} ajoutée(s) en {time.monotonic() - started:.0f} s "
            f"(dont {indexing:.0f} s d'indexation pour la recherche), réparties entre {len(centres)} centres."
        )


def create_numbered_centres(home, total, *, progress=None):
    """Centres n°6 to n°`total` ("Centre social n°37 — Wattrelos"), published, without photos; returns how many."""
    first = len(CENTRES) + 1
    numbers = range(first, total + 1)
    slugs = {number: f"centre-social-{number}-{slugify(TOWNS[number % len(TOWNS)][0])}" for number in numbers}
    existing = set(CentrePage.objects.child_of(home).filter(slug__in=slugs.values()).values_list("slug", flat=True))
    added = 0
    for done, number in enumerate(numbers, start=1):
        if slugs[number] not in existing:
            town, postcode, latitude, longitude = TOWNS[number % len(TOWNS)]
            centre = CentrePage(
                title=f"Centre social n°{number} — {town}",
                slug=slugs[number],
                town=town,
                postcode=postcode,
                street_address=f"{number % 90 + 2} {STREETS[number % len(STREETS)]}",
                latitude=latitude,
                longitude=longitude,
                phone=f"+3335301{number:04d}",
                email=f"contact@{slugs[number]}.placette.example",
                introduction=INTRODUCTIONS[number % len(INTRODUCTIONS)],
                presentation=RichText("<p>Accueil sans rendez-vous aux heures d'ouverture.</p>").source,
                opening_hours=[
                    OpeningHours(weekday=day, opens=opens, closes=closes)
                    for day, opens, closes in WEEKDAYS_AND_AFTERNOONS
                ],
            )
            home.add_child(instance=centre)
            centre.save_revision().publish()
            added += 1
        if progress:
            progress(done, len(numbers))
    return added
