"""STOP: once a number says it (by reply, by the short link, from the account), no SMS leaves for it, and the
change is recorded once (who, when, how); the person can ask for SMS again from their account."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts.notices import WELCOME
from notifications import deliveries, sms_numbers
from notifications.models import Channel, Delivery, SmsNumber, SmsNumberChange
from notifications.services import notify
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import DeliveryFactory, PersonFactory, TextDeliveryFactory, member_of

pytestmark = pytest.mark.django_db

PHONE = "+33612345678"
NOW = "2026-12-05 10:15:00+01:00"
PREFERENCES = reverse("notifications:preferences")


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


def reloaded(row):
    row.refresh_from_db()
    return row


# sms_numbers.stop and resume.


def test_stop_cancels_every_sms_waiting_for_the_number_and_nothing_else(home):
    person = PersonFactory(phone=PHONE)
    direct = TextDeliveryFactory(to=PHONE, pending=True)
    notification_sms = DeliveryFactory(notification__recipient=person, sms=True)
    email = DeliveryFactory(notification__recipient=person)
    sent = TextDeliveryFactory(to=PHONE)
    someone_else = TextDeliveryFactory(to="+33699999999", pending=True)

    assert sms_numbers.stop(PHONE, how=SmsNumber.How.SMS) is True

    assert reloaded(direct).status == Delivery.Status.CANCELLED
    assert reloaded(direct).last_error == "STOP"
    assert reloaded(notification_sms).status == Delivery.Status.CANCELLED
    assert reloaded(email).status == Delivery.Status.PENDING
    assert reloaded(sent).status == Delivery.Status.SENT
    assert reloaded(someone_else).status == Delivery.Status.PENDING


def test_stop_is_recorded_once_with_who_when_and_how(frozen):
    mediator = UserFactory()

    first = sms_numbers.stop(PHONE, how=SmsNumber.How.TEAM, by=mediator)
    frozen.tick(timedelta(hours=1))
    again = sms_numbers.stop(PHONE, how=SmsNumber.How.SMS)

    assert (first, again) == (True, False)
    number = SmsNumber.objects.get(phone=PHONE)
    assert number.stopped_at == timezone.now() - timedelta(hours=1)
    [change] = SmsNumberChange.objects.filter(number=number)
    assert (change.stopped, change.how, change.by, change.at) == (
        True,
        SmsNumber.How.TEAM,
        mediator,
        timezone.now() - timedelta(hours=1),
    )


def test_resume_is_recorded_and_a_stop_after_it_counts_again():
    sms_numbers.stop(PHONE, how=SmsNumber.How.LINK)

    assert sms_numbers.resume(PHONE, how=SmsNumber.How.TEAM) is True
    assert sms_numbers.resume(PHONE, how=SmsNumber.How.TEAM) is False
    assert not sms_numbers.is_stopped(PHONE)
    assert sms_numbers.stop(PHONE, how=SmsNumber.How.SMS) is True
    assert list(SmsNumberChange.objects.order_by("pk").values_list("stopped", "how")) == [
        (True, "link"),
        (False, "team"),
        (True, "sms"),
    ]


def test_stopped_among_answers_for_many_numbers_in_one_query(django_assert_num_queries):
    sms_numbers.stop(PHONE, how=SmsNumber.How.SMS)
    sms_numbers.number_for("+33611111111")

    with django_assert_num_queries(1):
        stopped = sms_numbers.stopped_among([PHONE, "+33611111111", "+33622222222"])

    assert stopped == {PHONE}


def test_every_sms_ends_with_how_to_stop_and_the_numbers_own_short_link():
    body = sms_numbers.with_stop("Atelier jeudi.", PHONE)

    code = SmsNumber.objects.get(phone=PHONE).code
    assert body == f"Atelier jeudi.\nSTOP : répondez STOP ou http://127.0.0.1:8000/s/{code}"
    assert len(body) - len("Atelier jeudi.") == sms_numbers.stop_line_length()
    assert sms_numbers.with_stop("Autre.", PHONE).endswith(f"/s/{code}"), "one code per number"


# What leaves, and what does not.


def test_an_sms_queued_before_the_stop_is_cancelled_as_it_would_leave(sms_outbox):
    delivery = TextDeliveryFactory(to=PHONE, pending=True)
    # Said STOP between queueing and sending, without cancelling the queue (as if the STOP raced the queue).
    SmsNumber.objects.create(phone=PHONE, code="abcdefg", stopped_at=timezone.now())

    status = deliveries.deliver(delivery.pk)

    assert status == Delivery.Status.CANCELLED
    assert "STOP" in reloaded(delivery).last_error
    assert sms_outbox == []


def test_a_notification_for_a_stopped_number_goes_by_email(home, sms_outbox):
    centre = CentrePageFactory(parent=home)
    person = member_of(centre, by_sms=True, phone=PHONE)
    sms_numbers.stop(PHONE, how=SmsNumber.How.SMS)

    notification = notify(person, WELCOME.key, "Bienvenue au centre.", centre=centre)

    assert list(notification.deliveries.values_list("channel", flat=True)) == [Channel.EMAIL]


def test_a_stopped_number_without_email_is_told_on_the_site_only(home):
    centre = CentrePageFactory(parent=home)
    person = member_of(centre, by_sms=True, no_email=True, phone=PHONE)
    sms_numbers.stop(PHONE, how=SmsNumber.How.SMS)

    notification = notify(person, WELCOME.key, "Bienvenue au centre.", centre=centre)

    assert not notification.deliveries.exists()


# The short link of every SMS.


def test_opening_the_stop_link_does_not_stop_link_previews_open_it_too(client):
    number = sms_numbers.number_for(PHONE)

    response = client.get(reverse("sms_stop", args=[number.code]))

    assert response.status_code == 200
    assert "Je ne veux plus de SMS" in response.content.decode()
    assert "06\N{NO-BREAK SPACE}12\N{NO-BREAK SPACE}34" in response.content.decode()
    assert not sms_numbers.is_stopped(PHONE)


def test_confirming_on_the_stop_link_stops_at_once_and_says_so(client):
    number = sms_numbers.number_for(PHONE)
    waiting = TextDeliveryFactory(to=PHONE, pending=True)

    response = client.post(reverse("sms_stop", args=[number.code]))

    assert response.status_code == 200
    assert "<h1>C'est noté : plus de SMS</h1>" in response.content.decode()
    assert sms_numbers.is_stopped(PHONE)
    assert SmsNumberChange.objects.get().how == SmsNumber.How.LINK
    assert reloaded(waiting).status == Delivery.Status.CANCELLED


def test_the_stop_link_of_a_number_already_stopped_says_it_is_done(client):
    number = sms_numbers.number_for(PHONE)
    sms_numbers.stop(PHONE, how=SmsNumber.How.SMS)

    response = client.get(reverse("sms_stop", args=[number.code]))
    again = client.post(reverse("sms_stop", args=[number.code]))

    assert "plus de SMS" in response.content.decode()
    assert "Je ne veux plus de SMS" not in response.content.decode()
    assert again.status_code == 200
    assert SmsNumberChange.objects.count() == 1


@pytest.mark.parametrize("code", ["inconnu", "abcdefg", "x" * 300, "<script>"])
def test_an_unknown_stop_code_is_not_found(client, code):
    sms_numbers.number_for(PHONE)

    response = client.get(f"/s/{code}")

    assert response.status_code == 404
    assert not SmsNumber.objects.filter(stopped_at__isnull=False).exists()


# From one's account (Comment être prévenu).


def test_my_preferences_say_when_my_number_said_stop_and_offer_sms_again(client):
    person = PersonFactory(phone=PHONE)
    sms_numbers.stop(PHONE, how=SmsNumber.How.SMS)
    client.force_login(person)

    content = client.get(PREFERENCES).content.decode()

    assert "Vous avez demandé à ne plus recevoir de SMS le 5\N{NO-BREAK SPACE}décembre 2026" in content
    assert "Recevoir de nouveau des SMS" in content
    assert reverse("notifications:stop_sms") not in content


def test_asking_for_sms_again_resumes_the_number_recorded_as_mine(client, home, sms_outbox):
    person = PersonFactory(phone=PHONE, notify_by=Channel.SMS)
    sms_numbers.stop(PHONE, how=SmsNumber.How.SMS)
    client.force_login(person)

    response = client.post(reverse("notifications:resume_sms"), follow=True)

    assert response.redirect_chain == [(PREFERENCES, 302)]
    assert not sms_numbers.is_stopped(PHONE)
    change = SmsNumberChange.objects.filter(stopped=False).get()
    assert (change.how, change.by) == (SmsNumber.How.ACCOUNT, person)
    assert "Vous avez demandé à ne plus recevoir de SMS" not in response.content.decode()


def test_i_can_stop_every_sms_from_my_preferences(client):
    person = PersonFactory(phone=PHONE)
    waiting = TextDeliveryFactory(to=PHONE, pending=True)
    client.force_login(person)
    assert "Ne plus recevoir de SMS" in client.get(PREFERENCES).content.decode()

    client.post(reverse("notifications:stop_sms"))

    change = SmsNumberChange.objects.get()
    assert (change.stopped, change.how, change.by) == (True, SmsNumber.How.ACCOUNT, person)
    assert reloaded(waiting).status == Delivery.Status.CANCELLED


def test_without_a_phone_there_is_nothing_to_stop_or_resume(client):
    person = PersonFactory(no_phone=True)
    client.force_login(person)

    content = client.get(PREFERENCES).content.decode()
    client.post(reverse("notifications:stop_sms"))
    client.post(reverse("notifications:resume_sms"))

    assert "Ne plus recevoir de SMS" not in content
    assert not SmsNumber.objects.exists()


@pytest.mark.parametrize("name", ["notifications:stop_sms", "notifications:resume_sms"])
def test_stopping_and_resuming_are_posts_of_a_signed_in_person(client, name):
    person = PersonFactory(phone=PHONE)
    sms_numbers.stop(PHONE, how=SmsNumber.How.SMS)

    anonymous = client.post(reverse(name))
    client.force_login(person)
    read = client.get(reverse(name))

    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/compte/connexion/")
    assert read.status_code == 405
    assert SmsNumberChange.objects.count() == 1
