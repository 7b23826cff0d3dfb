"""Visitors without cookies share cached pages, fresh again as soon as anything they show changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda import services
from agenda.models import CalendarToken
from tests.agenda.factories import EventPageFactory, first_date
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


@pytest.mark.parametrize("url", ["/", "/agenda/", "/agenda/?free=on", "event", "centre", "/agenda/calendrier.ics"])
def test_a_visitors_second_visit_reads_no_table(client, event, url):
    url = {"event": event.url, "centre": event.get_parent().url}.get(url, url)
    first, content = queries_for(client, url)
    again, cached = queries_for(client, url)
    assert first > 0 and again == 0
    assert cached == content


def test_a_committed_registration_shows_at_once_to_the_next_visitor(client, event, django_capture_on_commit_callbacks):
    assert "2 places restantes" in client.get(event.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.register(first_date(event).pk, member_of(event.get_parent().specific))

    content = client.get(event.url).content.decode()
    assert "1 place restante" in content and "2 places restantes" not in content


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
