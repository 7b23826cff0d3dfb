"""A visitor taps "Je m'inscris": sign-in or sign-up by code, the date remembered, one button to confirm."""

import datetime as dt
import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from agenda import services
from agenda.models import Occurrence, Registration
from home.templatetags.french import day
from tests.agenda.factories import EventPageFactory, first_date
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import member_of

pytestmark = pytest.mark.django_db

REQUEST_CODE = "/compte/connexion/"
CONFIRM_CODE = "/compte/connexion/code/"
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre")


@pytest.fixture
def workshop(centre):
    return EventPageFactory(parent=centre, title="Premiers pas sur le téléphone", weekly=True)


def text_of(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def last_code():
    return CODE.findall(mail.outbox[-1].body)[0]


def confirm_url(occurrence):
    return reverse("agenda:confirm_registration", args=[occurrence.pk])


def test_a_visitors_je_minscris_leads_to_the_confirm_page_of_that_date_not_to_the_password_form(client, workshop):
    second = workshop.occurrences.order_by("start")[1]

    page = client.get(workshop.url).content.decode()

    links = re.findall(r'<a class="button" href="([^"]+)">Je m\'inscris<span', page)
    assert links[1] == confirm_url(second) == f"/agenda/inscription/{second.pk}/"
    assert "connexion/mot-de-passe" not in page

    response = client.get(links[1], follow=True)

    assert response.redirect_chain == [(f"{REQUEST_CODE}?next=/agenda/inscription/{second.pk}/", 302)]
    assert "Pour vous inscrire, connectez-vous ou créez votre compte." in messages_of(response)[0]
    html = response.content.decode()
    assert f'href="/compte/inscription/?next=%2Fagenda%2Finscription%2F{second.pk}%2F">Je crée mon compte' in html
    assert f'href="/compte/connexion/mot-de-passe/?next=%2Fagenda%2Finscription%2F{second.pk}%2F"' in html
    assert f'<input type="hidden" name="next" value="/agenda/inscription/{second.pk}/">' in html


def test_a_new_person_signs_up_by_code_then_confirms_the_date_with_one_button(client, workshop):
    occurrence = first_date(workshop)
    start = f"/compte/inscription/?next=/agenda/inscription/{occurrence.pk}/"

    response = client.post(start, {"display_name": "Fatou", "email": "fatou@exemple.test"})
    assert response.url.startswith(CONFIRM_CODE)
    response = client.post(response.url, {"code": last_code()})

    assert response.status_code == 302
    assert response.url == confirm_url(occurrence)
    page = client.get(response.url)
    assert page.status_code == 200
    words = text_of(page)
    assert "Je m'inscris à « Premiers pas sur le téléphone »" in words
    assert f"Confirmer mon inscription du {day(occurrence.start)}".replace("\xa0", " ") in words
    assert not Registration.objects.exists(), "a GET never registers"

    form = re.search(r'<form method="post" action="([^"]+)">', page.content.decode()).group(1)
    response = client.post(form, {"next": workshop.url}, follow=True)

    registration = Registration.objects.get()
    assert registration.person == User.objects.get(email="fatou@exemple.test")
    assert registration.occurrence == occurrence
    assert registration.status == Registration.Status.CONFIRMED
    assert response.redirect_chain[-1][0] == workshop.url
    assert any("Vous le retrouvez dans « Mes inscriptions »" in message for message in messages_of(response))


def test_a_resident_signs_in_by_sms_and_lands_on_the_confirm_page(client, workshop, sms_outbox):
    UserFactory(phone="+33612340001", phone_verified=True, notify_by=User.Channel.SMS)
    occurrence = first_date(workshop)

    response = client.post(
        f"{REQUEST_CODE}?next=/agenda/inscription/{occurrence.pk}/", {"phone": "06 12 34 00 01"}, follow=True
    )
    assert "06\xa012\xa034\xa000\xa001" in response.content.decode()
    code = CODE.findall(sms_outbox[-1].body)[0]
    response = client.post(f"{CONFIRM_CODE}?next=/agenda/inscription/{occurrence.pk}/", {"code": code})

    assert response.url == confirm_url(occurrence)


def test_the_confirm_page_offers_the_waitlist_when_the_date_is_full(client, centre):
    event = EventPageFactory(parent=centre, capacity=1)
    occurrence = first_date(event)
    services.register(occurrence.pk, member_of(centre))
    person = member_of(centre)
    client.force_login(person)

    page = client.get(confirm_url(occurrence))

    words = text_of(page)
    assert "C'est complet." in words
    assert "Me mettre sur la liste d'attente du" in words
    form = re.search(r'<form method="post" action="([^"]+)">', page.content.decode()).group(1)
    response = client.post(form, {"next": event.url}, follow=True)

    assert Registration.objects.get(person=person).status == Registration.Status.WAITLISTED
    assert any("liste d'attente" in message for message in messages_of(response))


def test_the_visitors_button_says_waitlist_when_the_date_is_full(client, centre):
    event = EventPageFactory(parent=centre, capacity=1)
    services.register(first_date(event).pk, member_of(centre))

    page = client.get(event.url).content.decode()

    assert "Je m'inscris sur la liste d'attente<span" in page


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("cancelled", "Cette date est annulée : on ne peut plus s'y inscrire."),
        ("past", "Cette date est passée : on ne peut plus s'y inscrire."),
        ("open_door", "Cette activité est sans inscription : venez directement."),
    ],
)
def test_a_closed_date_sends_back_to_the_activity_with_the_reason_and_registers_nobody(client, centre, state, message):
    event = EventPageFactory(parent=centre, open_door=state == "open_door")
    occurrence = first_date(event)
    if state == "cancelled":
        Occurrence.objects.filter(pk=occurrence.pk).update(status=Occurrence.Status.CANCELLED)
    if state == "past":
        now = timezone.now()
        Occurrence.objects.filter(pk=occurrence.pk).update(start=now - dt.timedelta(hours=1), end=now)
    client.force_login(member_of(centre))

    response = client.get(confirm_url(occurrence), follow=True)

    assert response.redirect_chain[-1][0] == event.url
    assert message in messages_of(response)
    assert not Registration.objects.exists()


@pytest.mark.parametrize("status", ["confirmed", "waitlisted"])
def test_someone_already_registered_is_told_so_on_the_activity(client, centre, status):
    event = EventPageFactory(parent=centre, capacity=1)
    occurrence = first_date(event)
    if status == "waitlisted":
        services.register(occurrence.pk, member_of(centre))
    person = member_of(centre)
    services.register(occurrence.pk, person)
    client.force_login(person)

    response = client.get(confirm_url(occurrence), follow=True)

    assert response.redirect_chain[-1][0] == event.url
    expected = {
        "confirmed": "Vous avez déjà une place à cette date.",
        "waitlisted": "Vous êtes déjà sur la liste d'attente de cette date.",
    }[status]
    assert expected in messages_of(response)
    assert Registration.objects.filter(person=person).count() == 1


def test_a_date_of_an_unpublished_or_unknown_activity_is_not_found(client, centre):
    draft = EventPageFactory(parent=centre)
    occurrence = first_date(draft)
    draft.unpublish()
    Occurrence.objects.filter(pk=occurrence.pk).update(listed=False)
    client.force_login(member_of(centre))

    assert client.get(confirm_url(occurrence)).status_code == 404
    assert client.get(reverse("agenda:confirm_registration", args=[999999])).status_code == 404


def test_the_sign_in_does_not_follow_a_next_address_to_another_site(client, workshop):
    person = UserFactory(email="fatou@exemple.test")

    client.post(f"{REQUEST_CODE}?next=https://ailleurs.example/", {"email": person.email})
    response = client.post(f"{CONFIRM_CODE}?next=https://ailleurs.example/", {"code": last_code()})

    assert response.status_code == 302
    assert not response.url.startswith("https://ailleurs.example")


@pytest.mark.parametrize(
    ("next_url", "link"),
    [
        ("/agenda/inscription/7/", "https://testserver/compte/inscription/?next=%2Fagenda%2Finscription%2F7%2F"),
        ("https://ailleurs.example/", "https://testserver/compte/inscription/\n"),
    ],
)
def test_someone_with_no_account_asking_a_code_gets_a_sign_up_link_back_to_the_date(client, home, next_url, link):
    client.post(f"{REQUEST_CODE}?next={next_url}", {"email": "personne@exemple.test", "next": next_url})

    assert mail.outbox[-1].to == ["personne@exemple.test"]
    assert link in mail.outbox[-1].body
