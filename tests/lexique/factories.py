"""Factories for the lexicon: its index (the data migration's, or a new one after a flush) and its terms."""

import factory
import wagtail_factories

from lexique.demo import lexicon_index, tutorial_index
from lexique.models import TermPage, TutorialPage
from tests.conftest import network_home


def the_lexicon():
    return lexicon_index(network_home())


class TermPageFactory(wagtail_factories.PageFactory):
    """A published term under the network's lexicon; `variants` one per line."""

    class Meta:
        model = TermPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"motdulexique{n}")
    variants = ""
    definition = "Un mot expliqué simplement. Une idée par phrase."
    example = ""
    parent = factory.LazyFunction(the_lexicon)


def the_tutorials():
    return tutorial_index(network_home())


def steps_data(count, *, text="Appuyez sur le bouton."):
    """`count` steps as a StreamField takes them: a title and one paragraph of plain text each."""
    return [
        ("step", {"title": f"Étape numéro {number}", "body": [("text", f"{text} Étape {number}.")]})
        for number in range(1, count + 1)
    ]


class TutorialPageFactory(wagtail_factories.PageFactory):
    """A published tutorial under the network's list of tutorials, with three steps unless `steps` is given."""

    class Meta:
        model = TutorialPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tutoriel {n}")
    summary = "Vous saurez le faire seul."
    level = "debutant"
    duration = "10 minutes"
    needs = "Un téléphone\nVotre mot de passe"
    steps = factory.LazyFunction(lambda: steps_data(3))
    parent = factory.LazyFunction(the_tutorials)
