"""Demo content of the procedures' calendar: the procedures the centres' residents miss most, with their real rhythm.

Rhythms are the national ones as the centres explain them (dates of the income tax return move a little each
year and by département; school and canteen registrations are the towns', so they are dated periods). One
centre adds a procedure of its own, to show what a centre's team can publish, and its accompanied resident has
given a mandate (`create_mandates`). Idempotent: procedures are found again by their address, `materialise`
writes only the deadlines missing, and a resident's mandate is made once.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import User
from demarches import mandates
from demarches.models import Contact, DatedWindow, Domain, Follow, Mandate, MandateAction, Procedure, add_months
from demarches.rules import Rhythm
from demarches.services import materialise
from lexique.models import TutorialPage
from quartier.models import Membership


@dataclass(frozen=True)
class Demo:
    slug: str
    domain: str
    name: str
    purpose: str
    url: str
    to_bring: str
    duration: str
    audiences: tuple
    rhythm: str
    opens: tuple = ()  # (day,) or (day, month)
    closes: tuple = ()
    # A dated period, as (month, day) pairs, placed in the next year it is not yet over.
    period: tuple | None = None


PROCEDURES = [
    Demo(
        slug="declaration-trimestrielle-caf",
        domain=Domain.FAMILY,
        name="Déclaration trimestrielle CAF (RSA, prime d'activité)",
        purpose=(
            "Tous les 3 mois, vous dites à la CAF ce que vous avez gagné. Sans cette déclaration, le RSA ou la "
            "prime d'activité s'arrête.\nLes mois exacts dépendent de la date de votre demande : la CAF vous "
            "prévient par message dans votre espace « Mon Compte »."
        ),
        url="https://www.caf.fr/allocataires/mon-compte",
        to_bring="Numéro d'allocataire\nMot de passe CAF\nSalaires et autres revenus des 3 derniers mois",
        duration="15 minutes",
        audiences=("allocataires CAF", "personnes en recherche d'emploi"),
        rhythm=Rhythm.QUARTERLY,
        opens=(1, 1),
        closes=(15, 1),
    ),
    Demo(
        slug="actualisation-france-travail",
        domain=Domain.WORK,
        name="Actualisation France Travail",
        purpose=(
            "Chaque mois, vous dites à France Travail que vous cherchez toujours un emploi et si vous avez "
            "travaillé. Sans actualisation, vous êtes radié et vos allocations s'arrêtent."
        ),
        url="https://www.francetravail.fr/",
        to_bring="Identifiant France Travail\nMot de passe\nHeures travaillées et salaires du mois",
        duration="5 à 10 minutes, chaque mois",
        audiences=("personnes en recherche d'emploi",),
        rhythm=Rhythm.MONTHLY,
        opens=(28,),
        closes=(15,),
    ),
    Demo(
        slug="declaration-de-revenus",
        domain=Domain.MONEY,
        name="Déclaration de revenus (impôts)",
        purpose=(
            "Chaque printemps, chaque foyer déclare ses revenus de l'année passée, même sans payer d'impôt. "
            "L'avis d'impôt qui en sort est demandé pour le logement social, la CAF, les bourses."
        ),
        url="https://www.impots.gouv.fr/",
        to_bring="Numéro fiscal (sur un ancien avis d'impôt)\nMot de passe impots.gouv\nRevenus de l'année passée",
        duration="20 minutes à 1 heure",
        audiences=("tous les foyers",),
        rhythm=Rhythm.YEARLY,
        opens=(10, 4),
        closes=(5, 6),
    ),
    Demo(
        slug="bourse-de-college-et-de-lycee",
        domain=Domain.FAMILY,
        name="Bourse de collège et de lycée",
        purpose=(
            "Une aide de l'État pour les familles aux revenus modestes, pour les frais de scolarité. La demande "
            "se fait en ligne à la rentrée, avec le compte ÉduConnect des parents."
        ),
        url="https://www.education.gouv.fr/les-bourses-de-college-et-de-lycee-326728",
        to_bring="Identifiants ÉduConnect\nAvis d'impôt de l'année dernière\nRIB",
        duration="15 minutes",
        audiences=("familles",),
        rhythm=Rhythm.YEARLY,
        opens=(1, 9),
        closes=(15, 10),
    ),
    Demo(
        slug="cheque-energie",
        domain=Domain.HOUSING,
        name="Chèque énergie",
        purpose=(
            "Le chèque énergie arrive par courrier au printemps, sans démarche, pour les foyers aux revenus "
            "modestes. Il aide à payer l'électricité, le gaz ou le fioul. Il faut l'utiliser avant le 31 mars "
            "de l'année suivante, sinon il est perdu."
        ),
        url="https://chequeenergie.gouv.fr/",
        to_bring="Le chèque énergie reçu par courrier\nUne facture d'énergie (numéro de client)",
        duration="10 minutes",
        audiences=("tous les foyers", "retraités"),
        rhythm=Rhythm.YEARLY,
        opens=(1, 4),
        closes=(31, 3),
    ),
    Demo(
        slug="inscription-scolaire",
        domain=Domain.FAMILY,
        name="Inscription à l'école (maternelle et CP)",
        purpose=(
            "Pour une première rentrée en maternelle ou un passage au CP, on inscrit l'enfant à la mairie, "
            "souvent en ligne sur le portail famille de la ville, puis à l'école."
        ),
        url="https://www.service-public.fr/particuliers/vosdroits/F1865",
        to_bring="Livret de famille\nJustificatif de domicile de moins de 3 mois\nCarnet de santé (vaccins)",
        duration="30 minutes",
        audiences=("familles",),
        rhythm=Rhythm.DATES,
        period=((1, 5), (3, 31)),
    ),
    Demo(
        slug="inscription-cantine",
        domain=Domain.FAMILY,
        name="Inscription à la cantine et au périscolaire",
        purpose=(
            "Avant chaque rentrée, on inscrit ses enfants à la cantine et à la garderie sur le portail famille "
            "de la ville. Le prix dépend du quotient familial de la CAF."
        ),
        url="https://www.service-public.fr/particuliers/vosdroits/F33651",
        to_bring="Identifiants du portail famille\nNuméro d'allocataire CAF (quotient familial)\nRIB",
        duration="20 minutes",
        audiences=("familles",),
        rhythm=Rhythm.DATES,
        period=((6, 1), (7, 10)),
    ),
    Demo(
        slug="parcoursup",
        domain=Domain.FAMILY,
        name="Parcoursup : choisir ses études après le bac",
        purpose=(
            "Les élèves de terminale (et ceux qui veulent reprendre des études) choisissent leurs formations "
            "sur Parcoursup. Les vœux se font en hiver ; après la date, on ne peut plus en ajouter."
        ),
        url="https://www.parcoursup.gouv.fr/",
        to_bring="Identifiant national élève (INE)\nAdresse e-mail consultée souvent\nBulletins scolaires",
        duration="Plusieurs fois 1 heure",
        audiences=("jeunes", "familles"),
        rhythm=Rhythm.YEARLY,
        opens=(15, 1),
        closes=(12, 3),
    ),
]

CENTRE_PROCEDURE = Demo(
    slug="inscription-accueil-de-loisirs-ete",
    domain=Domain.LEISURE,
    name="Inscription à l'accueil de loisirs de l'été",
    purpose=(
        "Le centre accueille les enfants de 3 à 12 ans en juillet. Les places partent vite : inscrivez-vous "
        "pendant la période, à l'accueil ou en ligne."
    ),
    url="https://www.service-public.fr/particuliers/vosdroits/F2300",
    to_bring="Carnet de santé\nAttestation de quotient familial CAF\nAttestation d'assurance",
    duration="15 minutes",
    audiences=("familles",),
    rhythm=Rhythm.DATES,
    period=((4, 1), (5, 15)),
)


def next_period(period, today):
    """The period's dates in the first year it is not over yet (this year's, or next year's)."""
    (opens_month, opens_day), (closes_month, closes_day) = period
    year = today.year
    if dt.date(year, closes_month, closes_day) < today:
        year += 1
    return dt.date(year, opens_month, opens_day), dt.date(year, closes_month, closes_day)


def create_procedure(demo, *, centre=None, today=None):
    today = today or timezone.localdate()
    opens, closes = demo.opens or (None,), demo.closes or (None,)
    procedure, _ = Procedure.objects.update_or_create(
        slug=demo.slug,
        defaults={
            "name": demo.name,
            "domain": demo.domain,
            "centre": centre,
            "purpose": demo.purpose,
            "official_url": demo.url,
            "to_bring": demo.to_bring,
            "duration": demo.duration,
            "rhythm": demo.rhythm,
            "opens_day": opens[0],
            "opens_month": opens[1] if len(opens) > 1 else None,
            "closes_day": closes[0],
            "closes_month": closes[1] if len(closes) > 1 else None,
        },
    )
    procedure.audiences.set(list(demo.audiences))
    procedure.save()
    if demo.period is not None:
        opens_on, closes_on = next_period(demo.period, today)
        DatedWindow.objects.get_or_create(procedure=procedure, opens_on=opens_on, closes_on=closes_on)
    materialise(procedure, today=today)
    return procedure


# A procedure's tutorial in the demo (lexique/demo.py writes it), by their addresses.
TUTORIALS = {"declaration-trimestrielle-caf": "faire-sa-declaration-trimestrielle-caf"}


def link_tutorials(procedures):
    for procedure in procedures:
        tutorial = TutorialPage.objects.filter(slug=TUTORIALS.get(procedure.slug, "")).first()
        if tutorial is not None and procedure.tutorial_id != tutorial.pk:
            procedure.tutorial = tutorial
            procedure.save(update_fields=["tutorial"])


def create_procedures(centres):
    """The network's procedures, and the first demo centre's own; returns how many procedures exist for the demo."""
    procedures = [create_procedure(demo) for demo in PROCEDURES]
    link_tutorials(procedures)
    if centres:
        procedures.append(create_procedure(CENTRE_PROCEDURE, centre=centres[0]))
        create_follows(centres)
    return len(procedures)


def create_mandates(centres):
    """The first centre's accompanied resident gave its team a mandate for family and housing procedures, under
    which the CAF declaration was done; returns how many demo mandates exist. Idempotent."""
    if not centres:
        return 0
    centre = centres[0]
    resident = User.objects.filter(accompanied=True, memberships__centre=centre).first()
    mediator = User.objects.filter(
        memberships__centre=centre, memberships__role=Membership.Role.MEDIATOR, is_active=True
    ).first()
    if resident is None or mediator is None:
        return 0
    if not Mandate.objects.filter(resident=resident, centre=centre).exists():
        today = timezone.localdate()
        scopes, ends_on = [Domain.FAMILY, Domain.HOUSING], add_months(today, 6)
        mandate = mandates.record_mandate(
            mediator,
            centre=centre,
            resident=resident,
            scopes=scopes,
            starts_on=today,
            ends_on=ends_on,
            consent_mode=Mandate.ConsentMode.SCREEN,
            consent_shown=mandates.terms_in_words(centre, resident, scopes, today, ends_on),
        )
        mandates.record_action(
            mediator,
            mandate.pk,
            procedure=Procedure.objects.get(slug="declaration-trimestrielle-caf"),
            done_on=today,
            outcome=MandateAction.Outcome.WAITING,
            next_step="Attendre le courrier de la CAF, puis revenir le montrer.",
        )
    return Mandate.objects.filter(centre__in=centres).count()


# Two people without an account at the first centre's front desk (numbers of the range kept for fiction, 06 39 98).
FRONT_DESK_CONTACTS = [
    ("Fatima Benali", "+33639980101", ["actualisation-france-travail", "declaration-trimestrielle-caf"], False),
    ("Gérard Lefebvre", "+33639980102", ["cheque-energie", "declaration-de-revenus"], True),
]


def create_follows(centres):
    """Demo residents follow the procedures that concern them; the first centre's desk reminds two people by SMS.

    Found again by their pairs, so a second run writes nothing more.
    """
    by_slug = {procedure.slug: procedure for procedure in Procedure.objects.all()}
    residents = get_user_model().objects.filter(username__startswith="habitant.", memberships__centre__in=centres)
    for resident in residents.distinct():
        Follow.objects.get_or_create(procedure=by_slug["actualisation-france-travail"], user=resident)
        Follow.objects.get_or_create(
            procedure=by_slug["declaration-trimestrielle-caf"], user=resident, defaults={"days_before": 3}
        )
    first = centres[0]
    mediator = Membership.objects.filter(centre=first, role=Membership.Role.MEDIATOR).select_related("user").first()
    taken_by = mediator.user if mediator else None
    # The accompanied resident's follow was set up by the mediator who helps her.
    for accompanied in get_user_model().objects.filter(accompanied=True, memberships__centre=first):
        Follow.objects.get_or_create(
            procedure=by_slug["cheque-energie"], user=accompanied, defaults={"days_before": 14, "created_by": taken_by}
        )
    for name, phone, slugs, campaigns in FRONT_DESK_CONTACTS:
        contact, _ = Contact.objects.get_or_create(
            centre=first,
            phone=phone,
            defaults={"name": name, "consent_taken_by": taken_by, "accepts_campaigns": campaigns},
        )
        for slug in slugs:
            Follow.objects.get_or_create(procedure=by_slug[slug], contact=contact, defaults={"created_by": taken_by})
