"""The inbox a person reads without JavaScript, the header's unread count, and how to be told."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import kinds
from notifications.models import Notification, Preference
from tests.accounts.factories import mediator_of, resident_of
from tests.accounts.pages import field_errors, messages_of, signed_in, text_of
from tests.factories import CentrePageFactory, UserFactory

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'<span class="badge" data-unread-count( hidden)?>(\d+)</span>')


def notification(user, text="Karim a répondu à votre offre.", **fields):
    return Notification.objects.create(recipient=user, kind="welcome", text=text, **fields)


def badge(response):
    """The unread count the header shows, or None when it is hidden."""
    match = BADGE.search(text_of(response))
    assert match, "no unread badge in the header"
    return None if match.group(1) else int(match.group(2))


def listed(response):
    return re.findall(r'<a href="/notifications/\d+/">(.*?)</a>', text_of(response))


@pytest.fixture
def fatou():
    return UserFactory(display_name="Fatou", email="fatou@exemple.test", phone=None)


def test_the_inbox_needs_an_account(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_request_login_code"))


def test_the_inbox_lists_my_notifications_newest_first_with_the_unread_marked(fatou):
    notification(fatou, "La plus ancienne.", read_at="2026-11-01T10:00:00+01:00")
    notification(fatou, "La plus récente.")
    notification(UserFactory(), "Celle de quelqu'un d'autre.")

    response = signed_in(fatou).get(reverse("notifications:inbox"))

    assert listed(response) == ["La plus récente.", "La plus ancienne."]
    html = text_of(response)
    assert html.count('class="notification notification--unread"') == 1
    assert html.count('<strong class="notification__new">Nouveau</strong>') == 1
    assert "Tout marquer comme lu" in html


def test_an_empty_inbox_says_what_will_come(fatou):
    html = text_of(signed_in(fatou).get(reverse("notifications:inbox")))
    assert "Vous n'avez pas encore de notification." in html
    assert "Tout marquer comme lu" not in html


def test_the_inbox_is_paginated(fatou):
    for number in range(25):
        notification(fatou, f"Notification {number}.")
    client = signed_in(fatou)

    first, second = client.get(reverse("notifications:inbox")), client.get(reverse("notifications:inbox") + "?page=2")

    assert len(listed(first)) == 20
    assert listed(first)[0] == "Notification 24."
    assert listed(second) == [f"Notification {number}." for number in range(4, -1, -1)]
    assert 'rel="next"' in text_of(first)
    assert "Page 2 sur 2" in text_of(second)


def test_every_page_shows_my_unread_count_in_the_header(fatou, home):
    notification(fatou)
    notification(fatou)
    notification(fatou, read_at="2026-11-01T10:00:00+01:00")
    client = signed_in(fatou)

    assert badge(client.get("/")) == 2
    assert " non lues</span>" in text_of(client.get("/"))
    assert 'data-live-user data-live-last="' in text_of(client.get("/"))


def test_no_count_is_shown_when_all_is_read(fatou, home):
    notification(fatou, read_at="2026-11-01T10:00:00+01:00")
    assert badge(signed_in(fatou).get("/")) is None


def test_a_visitor_has_no_private_socket_nor_count(client, home):
    html = text_of(client.get("/"))
    assert "data-live-user" not in html
    assert "data-unread-count" not in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(fatou):
    opened = notification(fatou, url="/compte/")
    other = notification(fatou)
    client = signed_in(fatou)

    response = client.get(reverse("notifications:open", args=[opened.pk]))

    assert response.status_code == 302
    assert response.url == "/compte/"
    opened.refresh_from_db()
    other.refresh_from_db()
    assert opened.is_read
    assert not other.is_read


@pytest.mark.parametrize("url", ["https://ailleurs.example/piege", "//ailleurs.example/", "javascript:alert(1)", ""])
def test_a_notification_never_sends_anyone_elsewhere(fatou, url):
    opened = notification(fatou, url=url)
    response = signed_in(fatou).get(reverse("notifications:open", args=[opened.pk]))
    assert response.url == reverse("notifications:inbox")


def test_someone_elses_notification_cannot_be_opened(fatou):
    theirs = notification(UserFactory(), url="/compte/")

    response = signed_in(fatou).get(reverse("notifications:open", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_opening_needs_an_account(client, fatou):
    mine = notification(fatou)
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert not mine.is_read


def test_all_can_be_marked_read_at_once_and_only_mine(fatou):
    for _ in range(3):
        notification(fatou)
    theirs = notification(UserFactory())
    client = signed_in(fatou)

    response = client.post(reverse("notifications:all_read"), follow=True)

    assert ("success", "Toutes vos notifications sont marquées comme lues.") in messages_of(response)
    assert not Notification.objects.filter(recipient=fatou, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert not theirs.is_read
    assert badge(response) is None


def test_marking_all_read_is_a_form_not_a_link(fatou):
    notification(fatou)
    assert signed_in(fatou).get(reverse("notifications:all_read")).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def inbox_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notifications:inbox")).status_code == 200
    return len(queries)


def test_the_inbox_query_count_does_not_grow_with_notifications(fatou):
    client = signed_in(fatou)
    client.get("/")  # the first visit of the day notes it (LastSeenMiddleware)
    notification(fatou)
    few = inbox_queries(client)
    for number in range(60):
        notification(fatou, f"Notification {number}.")
    many = inbox_queries(client)

    assert few == many
    assert many <= 12


# How to be told, kind by kind


def preference_fields(response):
    return sorted(set(re.findall(r'<input type="radio" name="([a-z_]+)"', text_of(response))))


def test_a_resident_chooses_for_each_kind_among_the_channels_they_have(fatou):
    response = signed_in(fatou).get(reverse("notifications:preferences"))

    fields = preference_fields(response)
    # Essential notices (the warning before erasure) go by e-mail or SMS whatever the person chose: no question.
    assert set(fields) == {kind.key for kind in kinds.KINDS.values() if not kind.for_staff and not kind.essential}
    assert {"acted_for", "welcome", "registration", "reminder"} <= set(fields)
    html = text_of(response)
    assert "Quand je rejoins un centre" in html
    assert 'value="email"' in html
    assert 'value="sms"' not in html  # no phone
    assert "ajoutez une adresse ou un portable" in html


def test_staff_also_choose_for_staff_notices(home):
    mediator = mediator_of(CentrePageFactory(parent=home))
    fields = preference_fields(signed_in(mediator).get(reverse("notifications:preferences")))
    assert {"sms_budget_spent", "delivery_failed"} <= set(fields)


def test_choices_are_saved_and_shown_again(fatou):
    fatou.phone = "+33612345678"
    fatou.save()
    client = signed_in(fatou)

    choices = dict.fromkeys(preference_fields(client.get(reverse("notifications:preferences"))), "site")
    choices.update(welcome="sms", acted_for="email")

    response = client.post(reverse("notifications:preferences"), choices, follow=True)

    assert ("success", "C'est noté : vos choix sont enregistrés.") in messages_of(response)
    saved = dict(Preference.objects.filter(user=fatou).values_list("kind", "channel"))
    assert (saved["welcome"], saved["acted_for"]) == ("sms", "email")
    assert re.search(r'name="welcome" value="sms"[^>]*checked', text_of(response))


def test_a_channel_the_person_does_not_have_is_refused_in_french(fatou):
    response = signed_in(fatou).post(reverse("notifications:preferences"), {"welcome": "sms", "acted_for": "site"})

    assert response.status_code == 200
    assert field_errors(response, "welcome") == [
        "Ce choix n'est pas possible : ajoutez d'abord une adresse e-mail ou un portable dans Mon compte."
    ]
    assert not Preference.objects.exists()


def test_a_mediator_acting_for_someone_cannot_change_how_they_are_told(home):
    centre = CentrePageFactory(parent=home)
    mediator, resident = mediator_of(centre), resident_of(centre, consent=True)
    client = signed_in(mediator)
    client.post(reverse("accounts:act_for", args=[resident.pk]))

    response = client.post(reverse("notifications:preferences"), {"welcome": "site", "acted_for": "site"}, follow=True)

    assert ("error", "Cette page n'est pas accessible quand vous agissez pour quelqu'un.") in messages_of(response)
    assert not Preference.objects.exists()


def test_an_essential_notice_is_no_question_in_the_preferences(fatou):
    fields = preference_fields(signed_in(fatou).get(reverse("notifications:preferences")))

    assert "erasure_notice" not in fields
