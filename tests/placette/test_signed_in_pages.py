"""Signed-in residents read the parts of pages that are the same for everyone as written once, never stale."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agenda import services
from home.models import FooterLinks
from tests.agenda.factories import EventPageFactory, first_date
from tests.echanges.factories import OfferFactory
from tests.factories import CentrePageFactory, ContentPageFactory
from tests.notifications.factories import member_of
from tests.placette import test_page_cache

# The same settings and activity as the visitors' page cache's tests.
page_cache_on = test_page_cache.page_cache_on
event = test_page_cache.event


@pytest.fixture
def resident(client, event):
    person = member_of(event.get_parent().specific)
    client.force_login(person)
    return person


def read(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


@pytest.mark.parametrize("url", ["/agenda/", "/agenda/?free=on", "/echanges/"])
def test_a_listing_costs_a_signed_in_reader_their_session_account_and_inbox_only(client, resident, url):
    read(client, url)
    count, content = read(client, url)
    # The session, the person, their inbox's count: the listing itself comes written.
    assert count == 3
    assert "Sortie à la mer" in content or url == "/echanges/"


def test_an_activity_page_costs_a_signed_in_reader_their_session_account_and_inbox_more_than_a_visitor(
    client, event, resident, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the visitor's page rendered, not served from the cache
    services.register(first_date(event).pk, resident)
    visitor = Client()
    read(visitor, event.url)
    visitors_count, _ = read(visitor, event.url)
    read(client, event.url)
    count, content = read(client, event.url)
    # Their registrations and whether they run the centre come with the dates and the centre.
    assert count == visitors_count + 3
    assert "Vous avez une place." in content
    assert "Liste et présences" not in content


def test_a_registration_shows_at_once_in_the_listing_and_the_centre_page_a_resident_reads(
    client, event, resident, django_capture_on_commit_callbacks
):
    centre_url = event.get_parent().url
    for url in ("/agenda/", centre_url):
        read(client, url)
        assert "2\u00a0places restantes" in read(client, url)[1]

    with django_capture_on_commit_callbacks(execute=True):
        services.register(first_date(event).pk, member_of(event.get_parent().specific))

    for url in ("/agenda/", centre_url):
        content = read(client, url)[1]
        assert "1\u00a0place restante" in content and "2\u00a0places restantes" not in content, url


def test_another_centres_write_leaves_a_centre_pages_sections_written(
    client, event, home, resident, django_capture_on_commit_callbacks
):
    centre_url = event.get_parent().url
    read(client, centre_url)
    kept = read(client, centre_url)[0]
    elsewhere = EventPageFactory(parent=CentrePageFactory(parent=home), capacity=5)
    author = member_of(elsewhere.get_parent().specific)
    category = OfferFactory(centre=elsewhere.get_parent().specific, author=author).category
    read(client, centre_url)
    assert read(client, centre_url)[0] == kept

    with django_capture_on_commit_callbacks(execute=True):
        services.register(first_date(elsewhere).pk, author)
        OfferFactory(
            centre=elsewhere.get_parent().specific, author=author, category=category, title="Échelle à prêter"
        )

    assert read(client, centre_url)[0] == kept
    assert "Échelle à prêter" in read(client, "/echanges/")[1]


def test_a_new_offer_shows_at_once_on_its_centres_page_and_the_home_page(
    client, event, resident, django_capture_on_commit_callbacks
):
    centre = event.get_parent().specific
    for url in ("/", centre.url):
        read(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        OfferFactory(centre=centre, author=resident, title="Cours de couture")

    for url in ("/", centre.url):
        assert "Cours de couture" in read(client, url)[1], url


def test_the_footer_follows_its_setting_at_once(client, home, resident, django_capture_on_commit_callbacks):
    assert "Mentions légales" not in read(client, "/agenda/")[1]
    legal = ContentPageFactory(parent=home, title="Mentions légales", slug="mentions-legales")

    with django_capture_on_commit_callbacks(execute=True):
        links = FooterLinks.for_site(home.get_site())
        links.legal_page = legal
        links.save()

    assert '<a href="/mentions-legales/">Mentions légales</a>' in read(client, "/agenda/")[1]
