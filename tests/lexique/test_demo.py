"""The demo's lexicon: at least 40 terms in easy French, loaded twice without a duplicate, explained on its pages."""

import pytest

from lexique.demo import create_lexicon
from lexique.models import TermPage, readability_hints

pytestmark = pytest.mark.django_db


def test_the_demo_loads_forty_terms_in_easy_french_with_their_pictures_and_related_terms(client, home):
    created = create_lexicon(home)

    terms = TermPage.objects.live()
    assert created == terms.count() >= 40
    for term in terms:
        assert len(term.definition) <= 400
        assert not [hint for hint in readability_hints(term.definition) if "phrase" in hint], term.title
        term.clean()  # no word or variant shared by two terms
    assert all(term.photo_alt for term in terms.filter(photo__isnull=False))
    assert terms.filter(photo__isnull=False).count() >= 5
    identifiant = terms.get(slug="identifiant")
    assert {related.title for related in identifiant.related_terms.all()} == {
        "mot de passe",
        "compte",
        "adresse e-mail",
    }
    html = client.get("/lexique/").content.decode()
    assert html.count('class="lexicon__term"') == terms.count()


def test_the_demo_can_be_loaded_again_without_duplicates(home):
    create_lexicon(home)
    count = TermPage.objects.count()

    assert create_lexicon(home) == 0
    assert TermPage.objects.count() == count
