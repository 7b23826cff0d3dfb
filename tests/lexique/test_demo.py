"""The demo's lexicon and tutorials: 40 terms and 8 tutorials in easy French, loaded twice without a duplicate."""

import pytest
from django.utils.html import escape

from accounts.demo import create_people
from accounts.models import first_name
from lexique.demo import create_lexicon, create_tutorials
from lexique.models import TermPage, TutorialPage, readability_hints
from notifications.models import Notification
from quartier.demo import create_centres
from quartier.models import Membership

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


def test_the_demo_loads_eight_tutorials_in_easy_french_with_their_lexicon_words(client, home):
    create_lexicon(home)

    created = create_tutorials(home)

    tutorials = TutorialPage.objects.live()
    assert created == tutorials.count() >= 8
    for tutorial in tutorials:
        steps = tutorial.numbered_steps()
        assert 4 <= len(steps) <= 9, tutorial.title
        assert tutorial.linked_terms.count() >= 3, tutorial.title
        texts = [block.value for _number, step in steps for block in step["body"]]
        assert all(not [hint for hint in readability_hints(text) if "phrase" in hint] for text in texts), (
            tutorial.title
        )
    blocks = {
        block.block_type for tutorial in tutorials for _n, step in tutorial.numbered_steps() for block in step["body"]
    }
    assert {"text", "attention", "tip"} <= blocks
    html = client.get("/tutoriels/").content.decode()
    assert html.count('class="tutorials__item"') == tutorials.count()
    assert client.get("/tutoriels/creer-une-adresse-e-mail/etape/7/").status_code == 200


def test_the_tutorials_can_be_loaded_again_without_duplicates(home):
    create_lexicon(home)
    create_tutorials(home)
    before = content_of_tutorials()

    assert create_tutorials(home) == 0
    assert content_of_tutorials() == before


def content_of_tutorials():
    return {
        tutorial.slug: (
            tutorial.summary,
            [
                (step["title"], [(b.block_type, b.value) for b in step["body"]])
                for _n, step in tutorial.numbered_steps()
            ],
            sorted(term.slug for term in tutorial.linked_terms.all()),
        )
        for tutorial in TutorialPage.objects.all()
    }


def test_the_demo_terms_and_tutorials_are_credited_to_the_relays_and_the_young_contributor_by_first_name(client, home):
    centres = create_centres(home)
    create_people(centres)
    young = Membership.objects.get(user__username="jeune.contributeur")
    assert young.is_minor and young.referent.memberships.get(centre=young.centre).role == Membership.Role.MEDIATOR

    create_lexicon(home)
    create_lexicon(home)
    create_tutorials(home)
    create_tutorials(home)

    terms = TermPage.objects.live()
    assert not terms.filter(centre__isnull=True).exists()
    assert {term.owner for term in terms} == {m.user for m in Membership.objects.contributors()}
    term = terms.filter(owner=young.user).first()
    html = client.get(term.url).content.decode()
    assert f"Écrit par Inès (jeune contributeur, {escape(young.centre.title)})." in html
    contributions = client.get("/lexique/contributions/").content.decode()
    assert all(escape(centre.title) in contributions for centre in centres)
    tutorials = TutorialPage.objects.live()
    assert not tutorials.filter(centre__isnull=True).exists()
    assert {tutorial.owner for tutorial in tutorials} <= {m.user for m in Membership.objects.contributors()}
    tutorial = tutorials.select_related("owner", "centre").first()
    html = client.get(tutorial.url).content.decode()
    assert f"Écrit par {escape(first_name(tutorial.owner))} (" in html and escape(tutorial.centre.title) in html
    assert not Notification.objects.filter(kind="contribution_published").exists()
