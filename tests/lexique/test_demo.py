"""The demo's lexicon: at least 40 terms in easy French, loaded twice without a duplicate, explained on its pages."""

import pytest
from django.utils.html import escape

from accounts.demo import create_people
from lexique.demo import create_lexicon
from lexique.models import TermPage, readability_hints
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


def test_the_demo_terms_are_credited_to_the_relays_and_the_young_contributor_by_first_name(client, home):
    centres = create_centres(home)
    create_people(centres)
    young = Membership.objects.get(user__username="jeune.contributeur")
    assert young.is_minor and young.referent.memberships.get(centre=young.centre).role == Membership.Role.MEDIATOR

    create_lexicon(home)
    create_lexicon(home)

    terms = TermPage.objects.live()
    assert not terms.filter(centre__isnull=True).exists()
    assert {term.owner for term in terms} == {m.user for m in Membership.objects.contributors()}
    term = terms.filter(owner=young.user).first()
    html = client.get(term.url).content.decode()
    assert f"Écrit par Inès (jeune contributeur, {escape(young.centre.title)})." in html
    contributions = client.get("/lexique/contributions/").content.decode()
    assert all(escape(centre.title) in contributions for centre in centres)
    assert not Notification.objects.filter(kind="contribution_published").exists()
