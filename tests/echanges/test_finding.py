"""The exchange's listing finds the way search does: words blind to accents and case, tags, and folded filters."""

import re
from html import unescape

import pytest
from django.urls import reverse

from echanges.models import Offer
from search.indexing import index_objects
from tests.echanges.factories import CategoryFactory, OfferFactory
from tests.echanges.test_offers import PUBLIC_PAGE_MAX_QUERIES, add_offers, offer_titles, queries_for
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="belencontre")


@pytest.fixture
def offers(centre):
    category = CategoryFactory(name="Bricolage", slug="bricolage")
    OfferFactory(centre=centre, category=category, title="Vélo à prêter", nature="good", mode="loan")
    OfferFactory(centre=centre, category=category, title="Matériel pour bébé", tags=["poussette", "vélo"])
    OfferFactory(centre=centre, category=category, title="Cours d'anglais", nature="skill")
    # Tags are set after the offer's first save: the worker indexes once the whole offer is written.
    index_objects(Offer.objects.all())


def listing(client, **query):
    response = client.get(reverse("echanges:listing"), query)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("typed", ["velo", "VÉLO", "Vélo", "vélo à"])
def test_words_are_found_whatever_their_accents_and_case(client, offers, typed):
    found = offer_titles(listing(client, q=typed))

    assert "Vélo à prêter" in found
    assert "Cours d'anglais" not in found


def test_a_tag_typed_in_the_words_finds_its_offers(client, offers):
    assert offer_titles(listing(client, q="Poussette")) == ["Matériel pour bébé"]


def test_every_word_must_be_found(client, offers):
    assert offer_titles(listing(client, q="velo anglais")) == []
    assert offer_titles(listing(client, q="vélo matériel")) == ["Matériel pour bébé"]


@pytest.mark.parametrize("tag", ["vélo", "Vélo", " vélo "])
def test_the_tag_filter_keeps_the_offers_with_that_tag(client, offers, tag):
    assert offer_titles(listing(client, tag=tag)) == ["Matériel pour bébé"]


def test_an_unknown_tag_finds_nothing_and_says_so(client, offers):
    html = unescape(listing(client, tag="trottinette").content.decode())

    assert "Aucune annonce ne correspond à ces choix." in html


def test_an_offers_tags_lead_to_the_listing_of_that_tag(client, offers):
    offer = Offer.objects.get(title="Matériel pour bébé")

    html = client.get(offer.get_absolute_url()).content.decode()
    tag_links = re.findall(r'<a href="([^"]*\?tag=[^"]*)">([^<]*)</a>', html)
    links = {unescape(name): unescape(href) for href, name in tag_links}

    assert set(links) == {"poussette", "vélo"}
    assert offer_titles(client.get(links["vélo"])) == ["Matériel pour bébé"]


def test_after_filtering_the_panel_is_folded_and_the_choices_are_said(client, offers):
    html = unescape(listing(client, q="velo", kind="offer", nature="good").content.decode())

    assert '<details class="filters__more form">' in html
    assert "<summary>Modifier les filtres</summary>" in html
    chosen = re.search(r'<div class="filters__chosen">(.*?)</div>', html, re.S).group(1)
    items = [item.strip() for item in re.findall(r"<li>(.*?)</li>", chosen)]
    assert items == ["Mots\xa0: velo", "Annonces\xa0: Ce que l'on propose", "Quoi\xa0: Des objets"]
    assert "Tout effacer" in chosen


def test_unfiltered_the_panel_is_folded_and_invites_to_choose(client, offers):
    html = unescape(listing(client).content.decode())

    assert '<details class="filters__more form">' in html
    assert "<summary>Choisir : objets, services, centre…</summary>" in html
    assert "filters__chosen" not in html


def test_a_bad_choice_opens_the_panel_on_its_message(client, offers):
    html = listing(client, category="inconnue").content.decode()

    assert '<details class="filters__more form" open>' in html
    assert 'class="errorlist"' in html


def test_words_and_tags_cost_the_same_queries_with_10_or_1000_offers(client, centre, offers):
    author, category = member_of(centre), CategoryFactory(slug="bricolage")
    urls = [
        f"{reverse('echanges:listing')}?q=velo&tag=v%C3%A9lo&kind=offer",
        f"{reverse('echanges:listing')}?q=annonce",
    ]
    add_offers(centre, category, author, 10)
    index_objects(Offer.objects.all())
    with_ten = [queries_for(client, url) for url in urls]

    add_offers(centre, category, author, 990)
    index_objects(Offer.objects.all())
    with_a_thousand = [queries_for(client, url) for url in urls]

    assert with_ten == with_a_thousand
    assert max(with_a_thousand) <= PUBLIC_PAGE_MAX_QUERIES
