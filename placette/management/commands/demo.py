"""`manage.py demo`: idempotent demo data for a local run, then where to sign in.

With `--centres`, `--occurrences` and `--offers`, it then loads a network of that size on top (placette/volume.py):
the volume DESIGN.md's budgets are measured with is `--centres 100 --occurrences 20000 --offers 50000`;
`--places N` adds generated useful places to the map (carte/demo.py); `--records N` adds mediation records until
the network holds N (suivi/demo.py).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import create_people, give_second_factor
from agenda.demo import create_agenda
from carte.demo import create_generated_places, create_places, create_proposals, link_family_steps
from demarches.demo import create_mandates, create_procedures
from echanges.demo import create_exchanges
from echanges.models import Offer
from home.demo import create_information_pages
from home.models import HomePage
from lexique.demo import create_lexicon, create_tutorials
from lexique.models import TermPage, TutorialPage
from placette import volume
from quartier.demo import create_centres, create_editor
from quartier.models import CentrePage, Membership
from search.indexing import index_objects
from suivi.demo import create_appointments, create_records

DEMO_PASSWORD = "placette-demo"


class Command(BaseCommand):
    help = "Crée les données de démonstration (sans doublon si on la relance) et affiche les identifiants."

    def add_arguments(self, parser):
        volume.add_arguments(parser)
        parser.add_argument(
            "--places",
            type=int,
            metavar="N",
            help="nombre de lieux utiles sur la carte (hors centres) : des lieux générés s'ajoutent jusqu'à N",
        )
        parser.add_argument(
            "--records",
            type=int,
            metavar="N",
            help="nombre d'accompagnements notés en tout : des accompagnements générés s'ajoutent, répartis entre "
            "les centres, jusqu'à N",
        )

    def handle(self, *args, **options):
        volume.check(**options)
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
            # Relays and contributors write in the admin, which asks them the same second factor.
            writers = [membership.user for membership in Membership.objects.contributors().order_by("pk")]
            for writer in writers:
                give_second_factor(writer)
            self.stdout.write(
                f"Habitants : {len(centres) * 2 + 1}, dont un compte accompagné ; médiateurs : {len(mediators)}."
            )
            activities = create_agenda(centres)
            self.stdout.write(f"Agenda : {activities} activité(s) créée(s) dans les centres de démonstration.")
            terms = create_lexicon(home)
            index_objects(TermPage.objects.all())
            self.stdout.write(f"Lexique : {terms} mot(s) créé(s).")
            tutorials = create_tutorials(home)
            index_objects(TutorialPage.objects.all())
            self.stdout.write(f"Tutoriels : {tutorials} tutoriel(s) créé(s).")
            procedures = create_procedures(centres)
            self.stdout.write(f"Démarches en ligne : {procedures}, avec leurs dates limites.")
            self.stdout.write(f"Mandats pour les démarches : {create_mandates(centres)}.")
            offers = create_exchanges(centres)
            # Saving an offer queues its indexing for the worker; the demo is searchable at once, tags included.
            index_objects(Offer.objects.filter(centre__in=centres))
            self.stdout.write(f"Échanges : {offers} annonce(s) créée(s) dans les centres de démonstration.")
            places = create_places(centres)
            self.stdout.write(f"Carte : {places} lieu(x) utile(s) créé(s) autour des centres de démonstration.")
            self.stdout.write(f"Carte : {create_proposals(centres)} proposition(s) d'habitants à vérifier.")
            steps = link_family_steps()
            self.stdout.write(f"Parcours des familles : {steps} étape(s) reliée(s) à leur démarche en ligne.")
            records = create_records(centres)
            self.stdout.write(f"Accompagnements : {records} noté(s) sur l'année dans les centres de démonstration.")
            self.stdout.write(f"Rendez-vous : {create_appointments(centres)} pris (passés et à venir).")
        # Each part in a transaction of its own, with its progress: a big network takes minutes.
        volume.load_volume(self.stdout, self.stderr, **options)
        if options.get("places"):
            create_generated_places(options["places"], centres, self.stdout)
        if options.get("records"):
            # Over every centre, the volume's numbered ones too: the dashboard is measured at network scale.
            network = list(CentrePage.objects.order_by("pk"))
            records = create_records(network, total=options["records"])
            self.stdout.write(f"Accompagnements générés : {records}.")

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
        if writers:
            self.stdout.write(
                f"Habitants-relais : {base}/compte/connexion/ avec {writers[0].email}, puis {base}/admin/"
                " pour écrire un mot du lexique ou un tutoriel (un brouillon, relu par l'équipe du centre)."
            )

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
