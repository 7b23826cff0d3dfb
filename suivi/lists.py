"""The national fixed lists a mediation record is written in, so that Placette's figures add up with the network's.

Source: the activity report (compte rendu d'activité, CRA) of the Coop de la médiation numérique, the ANCT's tool
that replaced the conseillers numériques' CRA: its activity types, places, durations, equipment, themes (digital
and administrative procedures), autonomy levels and redirection structures, and its beneficiary bands (gender, age
band, social situation). Codes are Placette's own, lower case; labels follow the Coop's words, in plain French.
These lists were copied from the Coop's code as published in 2025: check them against the Coop's current export
before an export to it is built (issue 21, later slice), and change them here only, with a data migration.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INDIVIDUAL = "individuel", _("Accompagnement individuel")
    WORKSHOP = "atelier", _("Atelier collectif")
    PROCEDURE = "demarche", _("Démarche faite pour la personne")


class PlaceType(models.TextChoices):
    # The Coop's "lieu d'activité" is the centre; its "autre lieu" of workshops is Placette's "hors les murs".
    CENTRE = "centre", _("Au centre")
    OUTREACH = "hors_les_murs", _("Hors les murs")
    HOME = "domicile", _("À domicile")
    REMOTE = "distance", _("À distance (téléphone, visio)")


# The Coop's preset durations, in minutes; a workshop may last longer.
DURATIONS = [15, 30, 45, 60, 90, 120, 180]


class Equipment(models.TextChoices):
    COMPUTER = "ordinateur", _("Ordinateur")
    PHONE = "telephone", _("Téléphone")
    TABLET = "tablette", _("Tablette")
    OTHER = "autre", _("Autre matériel")
    NONE = "aucun", _("Pas de matériel")


class Theme(models.TextChoices):
    """What was learnt or done with digital tools (the Coop's "thématiques d'accompagnement")."""

    DEVICE = "materiel", _("Prendre en main du matériel")
    BROWSING = "internet", _("Naviguer sur internet")
    EMAIL = "email", _("E-mail")
    OFFICE = "bureautique", _("Bureautique")
    SOCIAL = "reseaux_sociaux", _("Réseaux sociaux, communiquer")
    HEALTH = "sante", _("Santé")
    BANKING = "banque_achats", _("Banque et achats en ligne")
    ENTERPRISE = "entrepreneuriat", _("Créer son entreprise")
    JOBS = "insertion_pro", _("Trouver un emploi, une formation")
    SECURITY = "securite", _("Sécurité numérique")
    PARENTING = "parentalite", _("Parentalité")
    SCHOOL = "scolarite", _("Scolarité et numérique")
    CREATING = "creer", _("Créer avec le numérique")
    CULTURE = "culture_numerique", _("Culture numérique")


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
    FOREIGNERS = "etrangers", _("Étrangers, titre de séjour")
    LEISURE = "loisirs", _("Loisirs, sports, culture")


# Both lists' labels by code, for pages that show a record's themes whichever list they come from.
THEME_LABELS = {**dict(Theme.choices), **dict(ProcedureTheme.choices)}


class Autonomy(models.TextChoices):
    # In the Coop's order, from the least to the most autonomous: the dashboard compares first and last levels.
    ACCOMPANIED = "accompagne", _("Entièrement accompagnée")
    PARTLY = "participe", _("A participé")
    AUTONOMOUS = "autonome", _("Plutôt autonome")


class Redirection(models.TextChoices):
    OPERATOR = "organisme", _("L'organisme de la démarche (CAF, impôts…)")
    PROCEDURE_HELP = "aide_demarches", _("Une structure d'aide aux démarches (France Services…)")
    ADMINISTRATION = "administration", _("Une administration (mairie, préfecture…)")
    MEDIATION = "mediation", _("Un autre lieu de médiation numérique")
    OTHER = "autre", _("Ailleurs")


class Gender(models.TextChoices):
    WOMAN = "femme", _("Femme")
    MAN = "homme", _("Homme")
    UNSAID = "non_communique", _("Non communiqué")


class AgeBand(models.TextChoices):
    MINOR = "mineur", _("Moins de 18 ans")
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
