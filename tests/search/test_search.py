"""The site search: one box over published pages and open offers, grouped, paginated, blind to accents and case."""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from freezegun import freeze_time
from wagtail.models import Page, PageViewRestriction
from wagtail.search.models import IndexEntry

from agenda.models import Occurrence
from echanges.models import OFFER_LIFETIME, Offer
from search.indexing import index_objects
from tests.agenda.factories import EventPageFactory
from tests.echanges.factories import CategoryFactory, OfferFactory
from tests.factories import CentrePageFactory, ContentPageFactory
from tests.notifications.factories import PersonFactory

URL = "/recherche/"


@pytest.fixture(autouse=True)
def index_on_save(settings):
    """Saving indexes at once, as the worker does in production a moment later (see the last test)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", town="Tourcoing")


def search(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response


def group_titles(response):
    """{group key: [titles shown]} for the groups on the page."""
    html = response.content.decode()
    groups = {}
    for key, body in re.findall(
        r'<section class="search-group" aria-labelledby="groupe-([a-z]+)">(.*?)</section>', html, re.S
    ):
        groups[key] = [
            unescape(title) for title in re.findall(r'class="search-result__title"><a href="[^"]*">([^<]*)</a>', body)
        ]
    return groups


def bulk_offers(centre, titles):
    """Open offers written the way the demo data writes them: in bulk, without signals, so not indexed yet."""
    author, category, expires_at = PersonFactory(), CategoryFactory(), timezone.now() + OFFER_LIFETIME
    return Offer.objects.bulk_create(
        OfferFactory.build(author=author, centre=centre, category=category, title=title, expires_at=expires_at)
        for title in titles
    )


def counts(response):
    return {entry["group"].key: entry["count"] for entry in response.context["groups"]}


def test_the_address_and_an_empty_box_ask_what_to_look_for(client, home):
    assert reverse("search:results") == URL
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Que cherchez-vous ?" in html
    assert '<form class="search-page-form" role="search" method="get" action="/recherche/"' in html
    assert 'name="q" value=""' in html
    assert response.context["groups"] == []
    assert "Nous n'avons rien trouvé." not in html


@pytest.mark.parametrize("typed", ["velo", "VÉLO", "Vélo", "vÉlo", "réparer", "REPARER vélo"])
def test_an_offer_is_found_whatever_the_accents_and_case(client, centre, typed):
    offer = OfferFactory(centre=centre, title="Réparer un vélo", description="Chambre à air, freins, chaîne.")
    OfferFactory(centre=centre, title="Cours de couture")

    response = search(client, typed)

    assert group_titles(response)["annonces"] == ["Réparer un vélo"]
    assert f'href="{offer.get_absolute_url()}"' in response.content.decode()
    assert counts(response)["annonces"] == 1


def test_answers_are_grouped_by_kind_with_their_counts_context_and_links(client, home, centre):
    other = CentrePageFactory(parent=home, title="Maison du vélo", town="Roubaix", postcode="59100")
    event = EventPageFactory(parent=centre, title="Atelier vélo", summary="On répare ensemble, outils prêtés.")
    help_page = ContentPageFactory(parent=home, title="Venir à vélo", summary="Où garer son vélo près des centres.")
    OfferFactory(centre=centre, title="Je prête un vélo", description="Un vélo de ville, pour une journée.")
    OfferFactory(centre=centre, title="Garde d'enfants", kind=Offer.Kind.REQUEST)

    response = search(client, "vélo")
    html = response.content.decode()

    assert group_titles(response) == {
        "centres": ["Maison du vélo"],
        "activites": ["Atelier vélo"],
        "pages": ["Venir à vélo"],
        "annonces": ["Je prête un vélo"],
    }
    assert counts(response) == {"centres": 1, "activites": 1, "pages": 1, "annonces": 1}
    assert "4 résultats." in html
    assert "<h1>Résultats pour «&nbsp;vélo&nbsp;»</h1>" in html
    assert f'<a href="{other.url}">Maison du vélo</a>' in html and "Centre social · 59100 Roubaix" in html
    assert f'<a href="{event.url}">Atelier vélo</a>' in html and "On répare ensemble, outils prêtés." in html
    assert f'<a href="{help_page.url}">Venir à vélo</a>' in html and "Où garer son vélo près des centres." in html
    assert f"Je propose · {centre.title}" in html and "Un vélo de ville, pour une journée." in html
    for title in ("Centres sociaux", "Activités", "Pages d&#x27;aide et autres pages", "Annonces d&#x27;échange"):
        assert title in html


def test_what_is_not_published_or_not_open_is_never_found(client, home, centre):
    EventPageFactory(parent=centre, title="Brouillon tricot", draft=True)
    private = ContentPageFactory(parent=home, title="Tricot entre bénévoles")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for trait in ("hidden", "withdrawn", "expired"):
        OfferFactory(centre=centre, title=f"Tricot {trait}", **{trait: True})
    OfferFactory(centre=centre, title="Tricot en cours", status=Offer.Status.IN_PROGRESS)
    OfferFactory(centre=centre, title="Tricot ouvert")

    response = search(client, "tricot")

    assert group_titles(response) == {"centres": [], "activites": [], "pages": [], "annonces": ["Tricot ouvert"]}
    assert "Aucune activité trouvée." in response.content.decode()


def test_offers_with_the_same_title_are_one_answer_leading_to_the_listing_of_them(client, centre):
    with freeze_time(timezone.now() - dt.timedelta(days=2)):
        index_objects(bulk_offers(centre, ["Réparer un vélo"] * 4))
    newest = OfferFactory(centre=centre, title="Réparer un vélo", description="Le plus récent.")
    OfferFactory(centre=centre, title="Vélo d'enfant à donner")

    response = search(client, "velo")
    html = unescape(response.content.decode())

    assert sorted(group_titles(response)["annonces"]) == ["Réparer un vélo — 5 annonces", "Vélo d'enfant à donner"]
    assert counts(response)["annonces"] == 2
    listing = f"/echanges/?{urlencode({'q': 'Réparer un vélo'})}"
    assert f'<a href="{listing}">Réparer un vélo — 5 annonces</a>' in html
    assert f"la plus récente : Je propose · {centre.title}" in html and newest.description in html
    # The listing it leads to shows the five.
    assert len(re.findall(r'class="offer-item__title"', client.get(listing).content.decode())) == 5


def test_activities_whose_dates_are_all_past_are_left_out(client, centre):
    coming = EventPageFactory(parent=centre, title="Atelier vélo du mardi")
    past = EventPageFactory(parent=centre, title="Atelier vélo de l'été")
    past.occurrences.update(start=timezone.now() - dt.timedelta(days=30), end=timezone.now() - dt.timedelta(days=30))
    cancelled = EventPageFactory(parent=centre, title="Atelier vélo annulé")
    cancelled.occurrences.update(status=Occurrence.Status.CANCELLED)

    response = search(client, "velo")

    assert group_titles(response)["activites"] == [coming.title]
    assert counts(response)["activites"] == 1


@pytest.mark.postgres
def test_on_postgresql_french_words_are_found_by_their_stem(client, centre):
    OfferFactory(centre=centre, title="Réparer un vélo")
    for typed in ("réparation", "REPARATIONS", "vélo réparé"):
        assert group_titles(search(client, typed))["annonces"] == ["Réparer un vélo"]


def test_no_answer_shows_an_empty_state_with_ideas(client, centre):
    OfferFactory(centre=centre, title="Cours de couture")

    response = search(client, "trottinette")
    html = response.content.decode()

    assert "Nous n'avons rien trouvé." in html
    assert 'class="empty-state"' in html
    assert f'href="{reverse("agenda:listing")}"' in html and f'href="{reverse("echanges:listing")}"' in html
    assert 'name="q" value="trottinette"' in html
    assert "search-group" not in html


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ('"><img src=x onerror=alert(1)>', []),
        ("<script>alert('vélo')</script>", []),
        ('vélo" OR "a', []),
        ("NEAR(vélo", []),
        ("(vélo)", ["Réparer un vélo"]),
        ("vélo*", ["Réparer un vélo"]),
        ("'; DROP TABLE echanges_offer; --", []),
        ("!!! ??? ...", []),
        ("x" * 500, []),
    ],
)
def test_hostile_or_odd_input_is_read_as_plain_words_and_shown_escaped(client, centre, typed, found):
    OfferFactory(centre=centre, title="Réparer un vélo")

    response = search(client, typed)
    html = response.content.decode()

    assert "<img src=x" not in html and "<script>alert" not in html
    assert response.context["typed"] == typed[:100]
    assert Offer.objects.count() == 1
    assert [title for titles in group_titles(response).values() for title in titles] == found


def test_one_group_alone_is_paginated_and_keeps_the_query(client, centre):
    index_objects(bulk_offers(centre, [f"Poussette n°{n}" for n in range(25)]))

    overview = search(client, "poussette")
    assert len(group_titles(overview)["annonces"]) == 5
    assert counts(overview)["annonces"] == 25
    assert 'href="?q=poussette&amp;type=annonces">Voir les 25 annonces</a>' in overview.content.decode()

    first = search(client, "poussette", type="annonces")
    html = first.content.decode()
    assert list(group_titles(first)) == ["annonces"]
    assert len(group_titles(first)["annonces"]) == 20
    assert "Voir les 25" not in html
    assert 'href="?q=poussette&amp;type=annonces&amp;page=2"' in html
    assert 'href="?q=poussette">Tous les résultats pour «&nbsp;poussette&nbsp;»</a>' in html
    assert 'name="q" value="poussette"' in html

    second = search(client, "poussette", type="annonces", page=2)
    assert len(group_titles(second)["annonces"]) == 5
    assert "(page 2)" in second.content.decode()
    shown = group_titles(first)["annonces"] + group_titles(second)["annonces"]
    assert sorted(shown) == sorted(f"Poussette n°{n}" for n in range(25))

    assert len(group_titles(search(client, "poussette", type="annonces", page="abc"))["annonces"]) == 20
    # An unknown kind shows every group, those with answers first.
    assert list(group_titles(search(client, "poussette", type="inconnu"))) == [
        "annonces",
        "centres",
        "activites",
        "pages",
    ]


def test_the_number_of_queries_is_the_same_with_ten_and_a_thousand_answers(
    client, home, centre, django_assert_max_num_queries
):
    # Every group full, and pages of two types in "autres pages": the most queries a search makes.
    home.introduction = "Placette réunit les centres sociaux, à pied ou à vélo."
    home.save()

    def queries(**params):
        with django_assert_max_num_queries(15) as captured:
            search(client, "velo", **params)
        return len(captured)

    def add(count, start):
        offers = bulk_offers(centre, [f"Vélo n°{n}" for n in range(start, start + count)])
        index_objects(Offer.objects.filter(pk__in=[offer.pk for offer in offers]))
        for n in range(start, start + count // 10):
            CentrePageFactory(parent=home, title=f"Vélo-club n°{n}")
            ContentPageFactory(parent=home, title=f"Aide vélo n°{n}")
            EventPageFactory(parent=centre, title=f"Atelier vélo n°{n}")

    add(10, 0)
    search(client, "velo")  # warm-up: the site's root paths, content types
    small, small_group = queries(), queries(type="pages")

    add(990, 10)
    large, large_group = queries(), queries(type="pages")

    assert counts(search(client, "velo")) == {"centres": 100, "activites": 100, "pages": 101, "annonces": 1000}
    assert small == large
    assert small_group == large_group


def test_index_objects_indexes_rows_written_without_signals(client, home, centre):
    offers = bulk_offers(centre, ["Réparer un vélo", "Prêter un vélo"])
    page = ContentPageFactory(parent=home, title="Venir à vélo")
    IndexEntry.objects.filter(object_id=str(page.pk)).delete()  # as if written in bulk too
    assert group_titles(search(client, "velo")) == {}

    assert index_objects(offers) == 2
    assert index_objects(Page.objects.filter(pk=page.pk)) == 1  # indexed as a ContentPage, with its summary

    found = group_titles(search(client, "velo"))
    assert sorted(found["annonces"]) == ["Prêter un vélo", "Réparer un vélo"]
    assert found["pages"] == ["Venir à vélo"]
    assert group_titles(search(client, "information"))["pages"] == ["Venir à vélo"]


def test_a_visitor_without_cookies_gets_a_shared_cached_page(client, centre, settings):
    settings.PAGE_CACHE_SECONDS = 60
    OfferFactory(centre=centre, title="Réparer un vélo")

    first = client.get(URL, {"q": "velo"})
    assert not first.cookies and "csrfmiddlewaretoken" not in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, {"q": "velo"})
    assert len(queries) == 0 and again.content == first.content


def test_every_page_has_the_search_box_in_its_header(client, home):
    for url in ("/", reverse("agenda:listing"), URL):
        html = client.get(url).content.decode()
        assert '<form class="site-search search-box" role="search" method="get" action="/recherche/"' in html
        assert '<label class="visually-hidden" for="site-search-q">Rechercher sur le site</label>' in html
        assert '<button class="button button--small" type="submit">Chercher</button>' in html


@pytest.mark.django_db(transaction=True)
def test_the_worker_indexes_what_people_save(client, home, settings, run_db_worker):
    """In production a save queues the indexing; `manage.py db_worker` does it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with transaction.atomic():
        centre = CentrePageFactory(parent=home, title="Centre social du Pont")
        OfferFactory(centre=centre, title="Réparer un vélo")
    assert group_titles(search(client, "velo")) == {}

    run_db_worker()

    assert group_titles(search(client, "velo"))["annonces"] == ["Réparer un vélo"]
