"""The national lists map onto the Coop de la médiation numérique's values, so that an export adds up with theirs.

The sets below are the Coop's enums as its database schema declares them (apps/web/prisma/schema.prisma of
github.com/inclusion-numerique/coop-mediation-numerique, commit 46aa33b): the reference a list is checked against.
"""

import importlib

import pytest

from suivi import lists
from suivi.models import Participant, Person
from tests.suivi.factories import PersonFactory

COOP_ENUMS = {
    lists.Kind: {"individuel", "collectif"},
    lists.PlaceType: {"lieu_activite", "domicile", "a_distance", "autre"},
    lists.Equipment: {"ordinateur", "telephone", "tablette", "autre", "aucun"},
    lists.Autonomy: {"entierement_accompagne", "partiellement_autonome", "autonome"},
    lists.Redirection: {
        "administration",
        "mediation_numerique",
        "operateur_ou_organisme_en_charge",
        "aide_sociale",
        "insertion_professionnelle",
        "aide_aux_demarches_administratives",
        "autre",
    },
    lists.WorkshopLevel: {"debutant", "intermediaire", "avance"},
    lists.Gender: {"masculin", "feminin", "non_communique"},
    lists.AgeBand: {
        "moins_de_douze",
        "douze_dix_huit",
        "dix_huit_vingt_quatre",
        "vingt_cinq_trente_neuf",
        "quarante_cinquante_neuf",
        "soixante_soixante_neuf",
        "soixante_dix_plus",
        "non_communique",
    },
    lists.Situation: {"scolarise", "sans_emploi", "en_emploi", "retraite", "non_communique"},
}
COOP_DIGITAL_THEMES = {
    "diagnostic_numerique",
    "prendre_en_main_du_materiel",
    "maintenance_de_materiel",
    "gere_ses_contenus_numeriques",
    "navigation_sur_internet",
    "email",
    "bureautique",
    "reseaux_sociaux",
    "sante",
    "banque_et_achats_en_ligne",
    "entrepreneuriat",
    "insertion_professionnelle",
    "securite_numerique",
    "parentalite",
    "scolarite_et_numerique",
    "creer_avec_le_numerique",
    "culture_numerique",
    "intelligence_artificielle",
}
COOP_PROCEDURE_THEMES = {
    "papiers_elections_citoyennete",
    "famille_scolarite",
    "social_sante",
    "travail_formation",
    "logement",
    "transports_mobilite",
    "argent_impots",
    "justice",
    "etrangers_europe",
    "loisirs_sports_culture",
    "associations",
}
COOP_ENUMS[lists.Theme] = COOP_DIGITAL_THEMES
COOP_ENUMS[lists.ProcedureTheme] = COOP_PROCEDURE_THEMES


@pytest.mark.parametrize("choices", list(COOP_ENUMS), ids=lambda choices: choices.__name__)
def test_every_code_has_a_coop_value_and_every_coop_value_a_code(choices):
    mapped = lists.COOP_VALUES[choices]

    assert set(mapped) == set(choices.values)
    assert set(mapped.values()) <= COOP_ENUMS[choices]
    # Two of Placette's kinds are the Coop's "individuel"; elsewhere nothing of the Coop's list is left out.
    if choices is not lists.Kind:
        assert set(mapped.values()) == COOP_ENUMS[choices]


def test_a_procedure_stands_under_the_coops_procedure_theme():
    assert lists.coop_themes(lists.Kind.PROCEDURE, [lists.ProcedureTheme.FAMILY]) == [
        "aide_aux_demarches_administratives",
        "famille_scolarite",
    ]
    assert lists.coop_themes(lists.Kind.INDIVIDUAL, [lists.Theme.EMAIL, lists.ProcedureTheme.MONEY]) == [
        "aide_aux_demarches_administratives",
        "email",
        "argent_impots",
    ]
    assert lists.coop_themes(lists.Kind.WORKSHOP, [lists.Theme.AI]) == ["intelligence_artificielle"]
    assert lists.coop_value(lists.Gender, "") == ""


@pytest.mark.django_db
def test_a_stored_under_18_band_becomes_unsaid_rather_than_a_guess(centre):
    split = importlib.import_module("suivi.migrations.0002_coop_lists_workshop_and_procedure").split_minor_band
    person = PersonFactory(centre=centre, with_bands=True)
    Person.objects.filter(pk=person.pk).update(age_band="mineur")
    kept = PersonFactory(centre=centre, with_bands=True)

    split(_Apps(), None)

    assert Person.objects.get(pk=person.pk).age_band == lists.AgeBand.UNSAID
    assert Person.objects.get(pk=kept.pk).age_band == lists.AgeBand.FROM_60


class _Apps:
    """The migration's model lookup, answered by the current models: the step touches no field that changed."""

    def get_model(self, app_label, name):
        return {"Person": Person, "Participant": Participant}[name]
