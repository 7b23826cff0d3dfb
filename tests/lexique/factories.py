"""Factories for the lexicon: its index (the data migration's, or a new one after a flush) and its terms."""

import factory
import wagtail_factories

from lexique.demo import lexicon_index
from lexique.models import TermPage
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
