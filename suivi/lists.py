"""The national fixed lists a mediation record is written in, so that Placette's figures add up with the network's.

Source: the activity report (compte rendu d'activité, CRA) of the Coop de la médiation numérique, the ANCT's tool
that replaced the conseillers numériques' CRA: its activity types, places, durations, equipment, themes (digital
and administrative procedures), autonomy levels, redirection structures and workshop levels, and its beneficiary
bands (gender, age band, social situation). Checked value by value against the Coop's database schema
(github.com/inclusion-numerique/coop-mediation-numerique, apps/web/prisma/schema.prisma, commit 46aa33b of
2026-06-30). Codes are Placette's own, lower case, and stay stable; `COOP_VALUES` gives each the Coop's value for
the export. Labels follow the Coop's words, in plain French. Change a list here only, with a data migration.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # The Coop has two types; a procedure done for the person is its "individuel" with the theme "aide aux
    # démarches administratives" (see COOP_VALUES and coop_themes()).
    INDIVIDUAL = "individuel", _("Accompagnement individuel")
    WORKSHOP = "atelier", _("Atelier collectif")
    PROCEDURE = "demarche", _("Démarche faite pour la personne")


class PlaceType(models.TextChoices):
    # The Coop's "lieu d'activité" is the centre; its "autre lieu" of workshops is Placette's "hors les murs".
    CENTRE = "centre", _("Au centre")
    OUTREACH = "hors_les_murs", _("Hors les murs")
    HOME = "domicile", _("À domicile")
    REMOTE = "distance", _("À distance (téléphone, visio)")


# The Coop's preset durations (15 min to 2 h, then "personnaliser"), in minutes; a workshop may last longer.
DURATIONS = [15, 30, 45, 60, 90, 120, 180]


class Equipment(models.TextChoices):
    COMPUTER = "ordinateur", _("Ordinateur")
    PHONE = "telephone", _("Téléphone")
    TABLET = "tablette", _("Tablette")
    OTHER = "autre", _("Autre matériel")
    NONE = "aucun", _("Pas de matériel")


class Theme(models.TextChoices):
    """What was learnt or done with digital tools (the Coop's "thématiques d'accompagnement")."""

    DIAGNOSTIC = "diagnostic", _("Faire le point sur ce que la personne sait faire")
    DEVICE = "materiel", _("Prendre en main du matériel")
    MAINTENANCE = "entretien", _("Entretenir et mettre à jour son matériel")
    CONTENT = "fichiers", _("Ranger et retrouver ses fichiers")
    BROWSING = "internet", _("Naviguer sur internet")
    EMAIL = "email", _("E-mail")
    OFFICE = "bureautique", _("Bureautique")
    SOCIAL = "reseaux_sociaux", _("Réseaux sociaux, communiquer")
    HEALTH = "sante", _("Santé")
    BANKING = "banque_achats", _("Banque et achats en ligne")
    ENTERPRISE = "entrepreneuriat", _("Entreprise, activité professionnelle")
    JOBS = "insertion_pro", _("Trouver un emploi, une formation")
    SECURITY = "securite", _("Sécurité numérique")
    PARENTING = "parentalite", _("Parentalité")
    SCHOOL = "scolarite", _("Scolarité et numérique")
    CREATING = "creer", _("Créer avec le numérique")
    CULTURE = "culture_numerique", _("Culture numérique")
    AI = "ia", _("Intelligence artificielle (IA)")


class ProcedureTheme(models.TextChoices):
    """What an administrative procedure was about (the Coop's "thématiques de démarche administrative")."""

    PAPERS = "papiers", _("Papiers, élections, citoyenneté")
    FAMILY = "famille", _("Famille, scolarité (CAF…)")
    SOCIAL_HEALTH = "social_sante", _("Social, santé (ameli, RSA…)")
    WORK = "travail", _("Travail, formation, retraite")
    HOUSING = "logement", _("Logement")
    TRANSPORT = "transports", _("Transports, carte grise, permis")
    MONEY = "argent_impots", _("Argent, impôts")
    JUSTICE = "justice", _("Justice")
    FOREIGNERS = "etrangers", _("Étrangers, titre de séjour, Europe")
    LEISURE = "loisirs", _("Loisirs, sports, culture")
    ASSOCIATIONS = "associations", _("Associations")


# Both lists' labels by code, for pages that show a record's themes whichever list they come from.
THEME_LABELS = {**dict(Theme.choices), **dict(ProcedureTheme.choices)}


class Autonomy(models.TextChoices):
    # In the Coop's order, from the least to the most autonomous: the dashboard compares first and last levels.
    ACCOMPANIED = "accompagne", _("A eu besoin d'être guidée tout du long")
    PARTLY = "participe", _("Autonome, avec de l'aide si besoin")
    AUTONOMOUS = "autonome", _("Autonome")


class Redirection(models.TextChoices):
    OPERATOR = "organisme", _("L'organisme de la démarche (CAF, impôts…)")
    PROCEDURE_HELP = "aide_demarches", _("Une structure d'aide aux démarches (France Services…)")
    ADMINISTRATION = "administration", _("Une administration (mairie, préfecture…)")
    MEDIATION = "mediation", _("Un autre lieu de médiation numérique")
    SOCIAL = "aide_sociale", _("Une structure d'aide sociale (maison des solidarités, CCAS…)")
    JOBS = "insertion_pro", _("Une structure pour l'emploi (France Travail, mission locale…)")
    OTHER = "autre", _("Ailleurs")


class WorkshopLevel(models.TextChoices):
    BEGINNER = "debutant", _("Débutant")
    INTERMEDIATE = "intermediaire", _("Intermédiaire")
    ADVANCED = "avance", _("Avancé")


class Gender(models.TextChoices):
    WOMAN = "femme", _("Femme")
    MAN = "homme", _("Homme")
    UNSAID = "non_communique", _("Non communiqué")


class AgeBand(models.TextChoices):
    UNDER_12 = "moins_12", _("Moins de 12 ans")
    FROM_12 = "12_17", _("12 à 17 ans")
    FROM_18 = "18_24", _("18 à 24 ans")
    FROM_25 = "25_39", _("25 à 39 ans")
    FROM_40 = "40_59", _("40 à 59 ans")
    FROM_60 = "60_69", _("60 à 69 ans")
    FROM_70 = "70_plus", _("70 ans et plus")
    UNSAID = "non_communique", _("Non communiqué")


class Situation(models.TextChoices):
    SCHOOL = "scolarise", _("Élève ou étudiant")
    JOBLESS = "sans_emploi", _("Sans emploi")
    EMPLOYED = "en_emploi", _("En emploi")
    RETIRED = "retraite", _("Retraité")
    UNSAID = "non_communique", _("Non communiqué")


# The Coop's value for each of Placette's codes, list by list, for the activity-report export.
COOP_VALUES = {
    Kind: {Kind.INDIVIDUAL: "individuel", Kind.WORKSHOP: "collectif", Kind.PROCEDURE: "individuel"},
    PlaceType: {
        PlaceType.CENTRE: "lieu_activite",
        PlaceType.OUTREACH: "autre",
        PlaceType.HOME: "domicile",
        PlaceType.REMOTE: "a_distance",
    },
    Equipment: {code: code.value for code in Equipment},
    Theme: {
        Theme.DIAGNOSTIC: "diagnostic_numerique",
        Theme.DEVICE: "prendre_en_main_du_materiel",
        Theme.MAINTENANCE: "maintenance_de_materiel",
        Theme.CONTENT: "gere_ses_contenus_numeriques",
        Theme.BROWSING: "navigation_sur_internet",
        Theme.EMAIL: "email",
        Theme.OFFICE: "bureautique",
        Theme.SOCIAL: "reseaux_sociaux",
        Theme.HEALTH: "sante",
        Theme.BANKING: "banque_et_achats_en_ligne",
        Theme.ENTERPRISE: "entrepreneuriat",
        Theme.JOBS: "insertion_professionnelle",
        Theme.SECURITY: "securite_numerique",
        Theme.PARENTING: "parentalite",
        Theme.SCHOOL: "scolarite_et_numerique",
        Theme.CREATING: "creer_avec_le_numerique",
        Theme.CULTURE: "culture_numerique",
        Theme.AI: "intelligence_artificielle",
    },
    ProcedureTheme: {
        ProcedureTheme.PAPERS: "papiers_elections_citoyennete",
        ProcedureTheme.FAMILY: "famille_scolarite",
        ProcedureTheme.SOCIAL_HEALTH: "social_sante",
        ProcedureTheme.WORK: "travail_formation",
        ProcedureTheme.HOUSING: "logement",
        ProcedureTheme.TRANSPORT: "transports_mobilite",
        ProcedureTheme.MONEY: "argent_impots",
        ProcedureTheme.JUSTICE: "justice",
        ProcedureTheme.FOREIGNERS: "etrangers_europe",
        ProcedureTheme.LEISURE: "loisirs_sports_culture",
        ProcedureTheme.ASSOCIATIONS: "associations",
    },
    Autonomy: {
        Autonomy.ACCOMPANIED: "entierement_accompagne",
        Autonomy.PARTLY: "partiellement_autonome",
        Autonomy.AUTONOMOUS: "autonome",
    },
    Redirection: {
        Redirection.OPERATOR: "operateur_ou_organisme_en_charge",
        Redirection.PROCEDURE_HELP: "aide_aux_demarches_administratives",
        Redirection.ADMINISTRATION: "administration",
        Redirection.MEDIATION: "mediation_numerique",
        Redirection.SOCIAL: "aide_sociale",
        Redirection.JOBS: "insertion_professionnelle",
        Redirection.OTHER: "autre",
    },
    WorkshopLevel: {code: code.value for code in WorkshopLevel},
    Gender: {Gender.WOMAN: "feminin", Gender.MAN: "masculin", Gender.UNSAID: "non_communique"},
    AgeBand: {
        AgeBand.UNDER_12: "moins_de_douze",
        AgeBand.FROM_12: "douze_dix_huit",
        AgeBand.FROM_18: "dix_huit_vingt_quatre",
        AgeBand.FROM_25: "vingt_cinq_trente_neuf",
        AgeBand.FROM_40: "quarante_cinquante_neuf",
        AgeBand.FROM_60: "soixante_soixante_neuf",
        AgeBand.FROM_70: "soixante_dix_plus",
        AgeBand.UNSAID: "non_communique",
    },
    Situation: {code: code.value for code in Situation},
}
# The Coop's theme that a procedure, or any procedure theme, stands under.
COOP_PROCEDURE_THEME = "aide_aux_demarches_administratives"


def coop_value(choices, code):
    """The Coop's value of `code` in the list `choices`; empty stays empty."""
    return COOP_VALUES[choices][code] if code else ""


def coop_themes(kind, codes):
    """The Coop's themes of a record: its own, plus "aide aux démarches" for a procedure or a procedure theme."""
    values = [coop_value(Theme, code) if code in Theme.values else coop_value(ProcedureTheme, code) for code in codes]
    if kind == Kind.PROCEDURE or any(code in ProcedureTheme.values for code in codes):
        values.insert(0, COOP_PROCEDURE_THEME)
    return values
