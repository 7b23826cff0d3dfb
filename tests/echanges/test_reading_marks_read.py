"""Reading a conversation reads what told of it: its notifications are no longer counted unread."""

import pytest
from django.urls import reverse

from echanges import notices
from echanges.models import Message
from echanges.services import conversations
from notifications.models import Notification
from tests.echanges.factories import OfferFactory
from tests.notifications.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def nadia(centre):
    return member_of(centre, display_name="Nadia")


@pytest.fixture
def karim(centre):
    return member_of(centre, display_name="Karim")


def unread(person):
    return list(Notification.objects.filter(recipient=person, read_at__isnull=True).values_list("text", flat=True))


def test_opening_a_conversation_reads_its_notifications_and_no_other(client, centre, nadia, karim):
    conversation = conversations.answer_offer(OfferFactory(centre=centre, author=nadia).pk, karim, body="Bonjour")
    conversations.propose_agreement(conversation.pk, karim, what="Samedi matin", i_give=False)
    elsewhere = conversations.answer_offer(
        OfferFactory(centre=centre, author=nadia, title="Poussette").pk, member_of(centre), body="Libre ?"
    )
    assert len(unread(nadia)) == 3
    client.force_login(nadia)

    response = client.get(conversation.get_absolute_url())

    assert response.status_code == 200
    assert unread(nadia) == [Notification.objects.get(url=elsewhere.get_absolute_url()).text]


def test_the_new_messages_a_page_fetches_are_read_with_their_notifications(client, centre, nadia, karim):
    conversation = conversations.answer_offer(OfferFactory(centre=centre, author=nadia).pk, karim, body="Bonjour")
    client.force_login(nadia)
    client.get(conversation.get_absolute_url())
    last = Message.objects.filter(conversation=conversation).latest("pk").pk
    conversations.send_message(conversation.pk, karim, body="Samedi, ça vous va ?")
    conversations.propose_agreement(conversation.pk, karim, what="Samedi matin", i_give=False)
    url = reverse("echanges:conversation_messages", args=[conversation.pk])

    nothing_new = client.get(url, {"apres": Message.objects.filter(conversation=conversation).latest("pk").pk})
    assert nothing_new.status_code == 200
    assert len(unread(nadia)) == 2

    fetched = client.get(url, {"apres": last})

    assert "Samedi, ça vous va ?" in fetched.content.decode()
    # The message is shown where she reads; the proposal is not in the thread, so it stays to be told.
    kinds = set(Notification.objects.filter(recipient=nadia, read_at__isnull=True).values_list("kind", flat=True))
    assert kinds == {notices.AGREEMENT.key}


def test_someone_else_reading_the_conversation_reads_nothing_of_mine(client, centre, nadia, karim):
    conversation = conversations.answer_offer(OfferFactory(centre=centre, author=nadia).pk, karim, body="Bonjour")
    client.force_login(karim)

    assert client.get(conversation.get_absolute_url()).status_code == 200
    assert len(unread(nadia)) == 1
