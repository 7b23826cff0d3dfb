"""Visitors without cookies share cached pages, fresh again as soon as anything they show changes."""

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda import services
from agenda.models import CalendarToken
from echanges.services import conversations
from placette import page_cache
from tests.agenda.factories import EventPageFactory, first_date
from tests.echanges.factories import ConversationFactory, OfferFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def event(home):
    return EventPageFactory(parent=CentrePageFactory(parent=home), title="Sortie à la mer", capacity=2)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def shared(client, url):
    """Visits `url` until a visit reads no table, and says how many renderings it took (at most three)."""
    for renderings in range(3):
        if queries_for(client, url)[0] == 0:
            return renderings
    raise AssertionError(f"{url} is not shared after three visits")


# A page about one centre learns its scope as it renders: it is stored from its second rendering on.
@pytest.mark.parametrize(
    ("url", "renderings"),
    [("/", 1), ("/agenda/", 1), ("/agenda/?free=on", 1), ("/agenda/calendrier.ics", 1), ("event", 2), ("centre", 2)],
)
def test_a_visitors_page_is_shared_and_reads_no_table(client, event, url, renderings):
    url = {"event": event.url, "centre": event.get_parent().url}.get(url, url)
    contents = []
    for _ in range(renderings):
        count, content = queries_for(client, url)
        assert count > 0
        contents.append(content)
    again, cached = queries_for(client, url)
    assert again == 0
    assert cached == contents[-1]


def test_a_committed_registration_shows_at_once_to_the_next_visitor(client, event, django_capture_on_commit_callbacks):
    assert "2 places restantes" in client.get(event.url).content.decode()
    shared(client, event.url)

    with django_capture_on_commit_callbacks(execute=True):
        services.register(first_date(event).pk, member_of(event.get_parent().specific))

    content = client.get(event.url).content.decode()
    assert "1 place restante" in content and "2 places restantes" not in content


def test_a_registration_stales_its_centre_and_the_lists_not_the_other_centres(
    client, event, home, django_capture_on_commit_callbacks
):
    elsewhere = EventPageFactory(parent=CentrePageFactory(parent=home), title="Atelier tricot", capacity=5)
    centre = event.get_parent().specific
    person = member_of(centre)
    urls = [event.url, centre.url, "/agenda/", elsewhere.url, elsewhere.get_parent().url]
    for url in urls:
        shared(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        services.register(first_date(event).pk, person)

    count, content = queries_for(client, event.url)
    assert count > 0 and "1 place restante" in content
    for url in (centre.url, "/agenda/"):
        assert queries_for(client, url)[0] > 0, url
    for url in (elsewhere.url, elsewhere.get_parent().url):
        assert queries_for(client, url)[0] == 0, url


def test_a_new_offer_shows_in_the_exchange_at_once_and_other_centres_offers_stay_shared(
    client, event, home, django_capture_on_commit_callbacks
):
    other = OfferFactory(centre=CentrePageFactory(parent=home), title="Prêt d'une perceuse")
    author = member_of(event.get_parent().specific)
    for url in ("/echanges/", other.get_absolute_url()):
        shared(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        OfferFactory(
            centre=event.get_parent().specific, author=author, category=other.category, title="Cours de couture"
        )

    count, content = queries_for(client, "/echanges/")
    assert count > 0 and "Cours de couture" in content
    assert queries_for(client, other.get_absolute_url())[0] == 0


def test_a_private_message_stales_no_page(client, event, django_capture_on_commit_callbacks):
    conversation = ConversationFactory(offer=OfferFactory(centre=event.get_parent().specific))
    urls = [event.url, event.get_parent().url, "/echanges/", conversation.offer.get_absolute_url()]
    for url in urls:
        shared(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        conversations.send_message(conversation.pk, conversation.starter, body="Toujours disponible ?")

    for url in urls:
        assert queries_for(client, url)[0] == 0, url


def test_signing_in_stales_no_page(client, event, django_capture_on_commit_callbacks):
    person = member_of(event.get_parent().specific)
    shared(client, "/agenda/")

    with django_capture_on_commit_callbacks(execute=True):
        Client().force_login(person)  # stamps last_login

    assert queries_for(client, "/agenda/")[0] == 0


def test_a_change_no_centre_owns_stales_every_centres_pages(client, event, django_capture_on_commit_callbacks):
    shared(client, event.url)

    with django_capture_on_commit_callbacks(execute=True):
        category = event.category
        category.name = "Sorties en famille"
        category.save()

    count, content = queries_for(client, event.url)
    assert count > 0 and "Sorties en famille" in content


def test_people_with_cookies_private_pages_and_posts_are_never_served_from_the_cache(client, event):
    person = member_of(event.get_parent().specific)
    client.get(event.url)
    client.force_login(person)
    count, content = queries_for(client, event.url)
    assert count > 0 and "Vous êtes inscrit" not in content and 'action="/agenda/dates/' in content

    client.logout()
    client.cookies.clear()
    feed = reverse("agenda:personal_feed", args=[CalendarToken.objects.create(person=person).token])
    client.get(feed)
    assert queries_for(client, feed)[0] > 0


def test_a_page_that_sets_a_cookie_is_not_shared(client, home):
    url = reverse("account_login")  # a form: its CSRF cookie is the visitor's own
    first = client.get(url)
    assert first.cookies
    client.cookies.clear()
    second = client.get(url)
    assert second.status_code == 200
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_the_writes_said_unshown_name_real_apps_and_models():
    """A misspelt label would make every such write stale the whole site, silently."""
    labels = {config.label for config in apps.get_app_configs()}
    models = {model._meta.label_lower for model in apps.get_models()}
    assert page_cache.UNSHOWN_APPS <= labels
    assert page_cache.UNSHOWN_MODELS <= models
