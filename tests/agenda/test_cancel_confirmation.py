"""Cancelling a registration asks first, on a page that works without JavaScript and says what it means."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ActingLog
from agenda import services
from agenda.models import Registration
from home.templatetags.french import day
from tests.accounts.factories import mediator_of, resident_of
from tests.accounts.pages import messages_of, signed_in, text_of
from tests.agenda.factories import EventPageFactory, first_date
from tests.notifications.factories import member_of

CONFIRM = {"confirm": "oui"}


@pytest.fixture
def workshop(centre):
    return EventPageFactory(parent=centre, title="Premiers pas sur le téléphone", capacity=1)


def cancel_url(registration, **query):
    url = reverse("agenda:cancel", args=[registration.pk])
    return f"{url}?next={query['next']}" if "next" in query else url


def plain(response):
    """The page's text with French non-breaking spaces as plain ones, to compare with sentences."""
    return text_of(response).replace("\xa0", " ")


def status_of(registration):
    return Registration.objects.get(pk=registration.pk).status


def test_the_event_page_links_to_a_question_not_a_one_tap_form(centre, workshop):
    person = member_of(centre)
    services.register(first_date(workshop).pk, person)

    page = signed_in(person).get(workshop.url).content.decode()

    registration = Registration.objects.get(person=person)
    assert f'action="{reverse("agenda:cancel", args=[registration.pk])}"' not in page
    assert f'href="{reverse("agenda:cancel", args=[registration.pk])}?next=' in page


def test_my_registrations_links_to_the_question_too(centre, workshop):
    person = member_of(centre)
    registration = services.register(first_date(workshop).pk, person)

    page = signed_in(person).get(reverse("agenda:my_registrations")).content.decode()

    assert f'href="{cancel_url(registration)}"' in page
    assert f'action="{cancel_url(registration)}"' not in page


def test_the_question_says_the_seat_goes_to_the_next_person_waiting(centre, workshop):
    occurrence = first_date(workshop)
    person = member_of(centre)
    registration = services.register(occurrence.pk, person)
    services.register(occurrence.pk, member_of(centre))
    client = signed_in(person)

    response = client.get(cancel_url(registration, next=workshop.url))

    text = plain(response)
    assert response.status_code == 200
    assert f"Annuler mon inscription du {day(occurrence.start)} ?".replace("\xa0", " ") in text
    assert "Votre place ira à la personne suivante sur la liste d'attente." in text
    assert "Oui, j'annule" in text and "Non, je garde ma place" in text
    content = html.unescape(response.content.decode())
    assert f'<a class="button button--secondary" href="{workshop.url}">' in content
    assert '<input type="hidden" name="confirm" value="oui">' in content
    assert status_of(registration) == Registration.Status.CONFIRMED


def test_without_anyone_waiting_the_seat_is_free_for_someone_else(centre, workshop):
    person = member_of(centre)
    registration = services.register(first_date(workshop).pk, person)

    text = plain(signed_in(person).get(cancel_url(registration)))

    assert "Votre place sera libre pour quelqu'un d'autre." in text
    assert "liste d'attente" not in text


def test_on_the_waitlist_the_question_is_about_leaving_the_list(centre, workshop):
    occurrence = first_date(workshop)
    services.register(occurrence.pk, member_of(centre))
    person = member_of(centre)
    registration = services.register(occurrence.pk, person)
    client = signed_in(person)

    text = plain(client.get(cancel_url(registration)))

    assert f"Quitter la liste d'attente du {day(occurrence.start)} ?".replace("\xa0", " ") in text
    assert "Nous ne vous préviendrons plus si une place se libère." in text
    assert "Oui, je quitte la liste" in text and "Non, je reste sur la liste" in text

    response = client.post(cancel_url(registration), CONFIRM, follow=True)

    assert ("success", "Vous n'êtes plus sur la liste d'attente.") in messages_of(response)
    assert status_of(registration) == Registration.Status.CANCELLED


def test_a_post_without_the_confirmation_cancels_nothing_and_asks(centre, workshop):
    person = member_of(centre)
    registration = services.register(first_date(workshop).pk, person)

    response = signed_in(person).post(cancel_url(registration), {"next": workshop.url})

    assert response.status_code == 200
    assert "Oui, j'annule" in plain(response)
    assert status_of(registration) == Registration.Status.CONFIRMED


def test_the_yes_cancels_gives_the_seat_away_and_goes_back(centre, workshop):
    occurrence = first_date(workshop)
    person = member_of(centre)
    registration = services.register(occurrence.pk, person)
    waiting = services.register(occurrence.pk, member_of(centre))

    response = signed_in(person).post(cancel_url(registration), {**CONFIRM, "next": workshop.url}, follow=True)

    assert response.redirect_chain == [(workshop.url, 302)]
    assert ("success", "Votre inscription est annulée. Merci d'avoir prévenu !") in messages_of(response)
    assert status_of(registration) == Registration.Status.CANCELLED
    assert status_of(waiting) == Registration.Status.CONFIRMED


def test_a_cancelled_registration_is_not_asked_about_again(centre, workshop):
    person = member_of(centre)
    registration = services.register(first_date(workshop).pk, person)
    services.cancel_registration(registration.pk, person)

    response = signed_in(person).get(cancel_url(registration), follow=True)

    assert response.redirect_chain == [(reverse("agenda:my_registrations"), 302)]
    assert ("info", "Cette inscription est déjà annulée.") in messages_of(response)


def test_after_cancelling_the_same_date_can_be_registered_to_again(centre, workshop):
    occurrence = first_date(workshop)
    person = member_of(centre)
    client = signed_in(person)
    registration = services.register(occurrence.pk, person)
    client.post(cancel_url(registration), CONFIRM)

    client.post(reverse("agenda:register", args=[occurrence.pk]))

    assert Registration.objects.active().get(person=person).status == Registration.Status.CONFIRMED


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["anonymous", "someone else", "the centre's mediator"])
def test_someone_elses_registration_is_neither_shown_nor_cancelled(centre, workshop, method, who):
    registration = services.register(first_date(workshop).pk, member_of(centre))
    client = {
        "anonymous": Client,
        "someone else": lambda: signed_in(member_of(centre)),
        "the centre's mediator": lambda: signed_in(mediator_of(centre)),
    }[who]()

    response = getattr(client, method)(cancel_url(registration), CONFIRM)

    if who == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("account_request_login_code"))
    else:
        assert response.status_code == 404
    assert status_of(registration) == Registration.Status.CONFIRMED


def test_a_mediator_acting_for_a_resident_is_asked_too_and_only_the_yes_is_logged(centre, workshop):
    resident = resident_of(centre, consent=True, display_name="Marcelle")
    registration = services.register(first_date(workshop).pk, resident)
    client = signed_in(mediator_of(centre))
    client.post(reverse("accounts:act_for", args=[resident.pk]))
    ActingLog.objects.all().delete()

    question = client.get(cancel_url(registration))
    unconfirmed = client.post(cancel_url(registration))

    assert "Oui, j'annule" in plain(question) and "Oui, j'annule" in plain(unconfirmed)
    assert status_of(registration) == Registration.Status.CONFIRMED
    assert not ActingLog.objects.filter(succeeded=True).exists()

    client.post(cancel_url(registration), CONFIRM)

    assert status_of(registration) == Registration.Status.CANCELLED
    [log] = ActingLog.objects.filter(succeeded=True)
    assert log.resident == resident
    assert log.action.startswith("Inscription annulée : « Premiers pas sur le téléphone »")


@pytest.mark.parametrize("elsewhere", ["https://ailleurs.example/", "//ailleurs.example/", "/\\ailleurs.example/"])
def test_the_way_back_never_leads_to_another_site(centre, workshop, elsewhere):
    person = member_of(centre)
    registration = services.register(first_date(workshop).pk, person)
    client = signed_in(person)

    question = client.get(cancel_url(registration), {"next": elsewhere})
    done = client.post(cancel_url(registration), {**CONFIRM, "next": elsewhere})

    assert "ailleurs.example" not in question.content.decode()
    assert f'href="{reverse("agenda:my_registrations")}">Non, je garde ma place' in question.content.decode()
    assert done.url == reverse("agenda:my_registrations")
