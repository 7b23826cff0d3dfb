"""Answering, talking, blocking and agreeing, through the services and the pages people use."""

import html

import pytest
from django.urls import reverse

from core.errors import NotAllowed, PlacetteError
from echanges.models import Agreement, Block, Conversation, Message, Offer, Suspension
from echanges.services import conversations, offers
from echanges.services.conversations import Blocked
from notifications.models import Notification
from tests.echanges.factories import AgreementFactory, ConversationFactory, MessageFactory, OfferFactory
from tests.notifications.factories import member_of


@pytest.fixture
def offer(centre):
    return OfferFactory(centre=centre, author=member_of(centre), title="Réparer un vélo", time_bank=True)


def text_of(response):
    return html.unescape(response.content.decode())


# Answering an offer.


def test_answering_opens_a_conversation_and_tells_the_author(client, offer, centre):
    neighbour = member_of(centre)
    client.force_login(neighbour)
    response = client.post(reverse("echanges:answer", args=[offer.pk]), {"body": "Bonjour, je peux passer samedi."})

    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response.url == conversation.get_absolute_url()
    assert (conversation.offer, conversation.starter) == (offer, neighbour)
    assert conversation.messages.get().body == "Bonjour, je peux passer samedi."
    notification = Notification.objects.get(recipient=offer.author)
    assert notification.kind == "exchange_message"
    assert "Réparer un vélo" in notification.text
    assert notification.url == conversation.get_absolute_url()


def test_answering_again_continues_the_same_conversation(offer, centre):
    neighbour = member_of(centre)
    conversations.answer_offer(offer.pk, neighbour, body="Bonjour")
    conversations.answer_offer(offer.pk, neighbour, body="Vous êtes là ?")
    assert Conversation.objects.count() == 1
    assert Message.objects.count() == 2


def test_an_empty_or_too_long_answer_is_refused_with_the_text_kept(client, offer, centre):
    client.force_login(member_of(centre))
    response = client.post(reverse("echanges:answer", args=[offer.pk]), {"body": "   "})
    assert response.status_code == 200
    assert "Écrivez votre message avant de l'envoyer." in text_of(response)
    long_text = "a" * 2001
    response = client.post(reverse("echanges:answer", args=[offer.pk]), {"body": long_text})
    assert "2000 signes au plus" in text_of(response)
    assert long_text in response.content.decode()
    assert not Conversation.objects.exists()


def test_nobody_answers_their_own_offer_or_a_closed_one(client, offer, centre):
    with pytest.raises(NotAllowed):
        conversations.answer_offer(offer.pk, offer.author, body="Moi-même")
    withdrawn = OfferFactory(centre=centre, withdrawn=True)
    with pytest.raises(Offer.DoesNotExist):
        conversations.answer_offer(withdrawn.pk, member_of(centre), body="Encore là ?")
    client.force_login(member_of(centre))
    assert client.post(reverse("echanges:answer", args=[withdrawn.pk]), {"body": "Bonjour"}).status_code == 404
    assert not Conversation.objects.exists()


def test_visitors_are_sent_to_sign_in_before_answering(client, offer):
    response = client.post(reverse("echanges:answer", args=[offer.pk]), {"body": "Bonjour"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_request_login_code"))
    assert not Conversation.objects.exists()


def test_html_in_a_message_is_shown_as_text_and_links_become_clickable(client, offer, centre):
    neighbour = member_of(centre)
    conversation = conversations.answer_offer(
        offer.pk, neighbour, body='<script>alert(1)</script> "><img src=x onerror=alert(1)> voir https://exemple.fr'
    )
    client.force_login(offer.author)
    content = client.get(conversation.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "<img src=x" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert '<a href="https://exemple.fr" rel="nofollow noopener">https://exemple.fr</a>' in content


# The conversation page and who may read it.


def test_both_people_read_the_conversation_and_nobody_else(client, offer, centre):
    message = MessageFactory(conversation=ConversationFactory(offer=offer), body="Le vélo a un pneu crevé")
    conversation = message.conversation
    for person in (offer.author, conversation.starter):
        client.force_login(person)
        assert "Le vélo a un pneu crevé" in text_of(client.get(conversation.get_absolute_url()))
    client.force_login(member_of(centre))
    for name in ("echanges:conversation", "echanges:conversation_messages"):
        assert client.get(reverse(name, args=[conversation.pk])).status_code == 404
    assert client.post(conversation.get_absolute_url(), {"body": "Je m'invite"}).status_code == 404
    assert Message.objects.count() == 1


def test_new_messages_come_as_list_items_after_a_given_one(client, offer):
    conversation = ConversationFactory(offer=offer)
    first = MessageFactory(conversation=conversation, body="Premier")
    MessageFactory(conversation=conversation, sender=offer.author, body="Deuxième")
    client.force_login(conversation.starter)
    response = client.get(reverse("echanges:conversation_messages", args=[conversation.pk]), {"apres": str(first.pk)})
    assert "Deuxième" in text_of(response)
    assert "Premier" not in text_of(response)


def test_a_reply_notifies_the_other_person_only(client, offer):
    conversation = ConversationFactory(offer=offer)
    client.force_login(offer.author)
    response = client.post(conversation.get_absolute_url(), {"body": "Oui, samedi 10 h au centre."})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=conversation.starter, kind="exchange_message").count() == 1
    assert not Notification.objects.filter(recipient=offer.author).exists()


def test_phone_and_email_never_show_in_a_conversation(client, offer):
    offer.author.email = "nadia@exemple.fr"
    offer.author.phone = "+33612345678"
    offer.author.save()
    conversation = ConversationFactory(offer=offer)
    client.force_login(conversation.starter)
    content = client.get(conversation.get_absolute_url()).content.decode()
    assert "nadia@exemple.fr" not in content
    assert "612345678" not in content
    assert str(offer.author) in html.unescape(content)


# Blocking.


def test_a_blocked_person_can_no_longer_write_either_way(client, offer):
    conversation = ConversationFactory(offer=offer)
    client.force_login(offer.author)
    client.post(reverse("echanges:block", args=[conversation.starter.pk]), {"confirm": "oui"})
    assert Block.objects.filter(blocker=offer.author, blocked=conversation.starter).exists()

    with pytest.raises(Blocked):
        conversations.send_message(conversation.pk, conversation.starter, body="Pourquoi ?")
    with pytest.raises(Blocked):
        conversations.send_message(conversation.pk, offer.author, body="Au revoir")
    client.force_login(conversation.starter)
    response = client.post(conversation.get_absolute_url(), {"body": "Répondez-moi"})
    assert "Vous ne pouvez plus écrire à cette personne." in text_of(response)
    assert not Message.objects.exists()
    assert not Notification.objects.filter(recipient=offer.author).exists()


def test_blocking_someone_i_never_talked_with_is_not_possible(client, centre):
    client.force_login(member_of(centre))
    stranger = member_of(centre)
    assert client.post(reverse("echanges:block", args=[stranger.pk]), {"confirm": "oui"}).status_code == 404
    assert client.get(reverse("echanges:block", args=[stranger.pk])).status_code == 404
    assert not Block.objects.exists()


def test_a_suspended_person_cannot_answer_or_write(offer, centre):
    neighbour = member_of(centre)
    Suspension.objects.create(person=neighbour, until="2999-01-01T00:00:00Z", reason="Propos insultants")
    with pytest.raises(NotAllowed, match="suspendu"):
        conversations.answer_offer(offer.pk, neighbour, body="Bonjour")
    assert not Conversation.objects.exists()


# Agreements.


def propose(client, conversation, person, **data):
    client.force_login(person)
    fields = {"who": "other", "what": "Réparer la chambre à air", "on": "", "hours": "1,5"} | data
    return client.post(reverse("echanges:propose", args=[conversation.pk]), fields)


def test_agreeing_and_confirming_through_the_pages(client, offer):
    conversation = ConversationFactory(offer=offer)
    neighbour = conversation.starter
    assert propose(client, conversation, neighbour).status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.giver, agreement.receiver, agreement.minutes) == (offer.author, neighbour, 90)
    assert Notification.objects.filter(recipient=offer.author, kind="exchange_agreement").exists()

    client.force_login(offer.author)
    client.post(reverse("echanges:accept", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACCEPTED
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.IN_PROGRESS

    client.post(reverse("echanges:confirm", args=[agreement.pk]))
    client.force_login(neighbour)
    response = client.post(reverse("echanges:confirm", args=[agreement.pk]), follow=True)
    assert "Les heures sont inscrites sur vos relevés." in text_of(response)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DONE
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DONE

    statement = text_of(client.get(reverse("echanges:statement")))
    assert "Réparer la chambre à air" in statement
    assert "−\u00a01\u00a0h\u00a030" in statement


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("-1", "plus grand que zéro"),
        ("0", "plus grand que zéro"),
        ("10,25", "10 heures au plus"),
        ("1,1", "Comptez par quart d'heure"),
        ("beaucoup", "Écrivez un nombre d'heures"),
        ("NaN", "plus grand que zéro"),
        ("", "Indiquez le nombre d'heures."),
    ],
)
def test_hours_must_be_quarters_above_zero_and_bounded(client, offer, hours, message):
    conversation = ConversationFactory(offer=offer)
    response = propose(client, conversation, conversation.starter, hours=hours)
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'value="Réparer la chambre à air"' in text_of(response)
    assert not Agreement.objects.exists()


def test_the_proposer_cannot_accept_their_own_proposal(offer):
    agreement = AgreementFactory(conversation=ConversationFactory(offer=offer), time_bank=True)
    with pytest.raises(PlacetteError, match="l'autre personne"):
        conversations.accept_agreement(agreement.pk, agreement.proposed_by)


def test_a_second_agreement_waits_for_the_first(offer):
    conversation = ConversationFactory(offer=offer)
    conversations.propose_agreement(conversation.pk, conversation.starter, what="Samedi", minutes=60, i_give=False)
    with pytest.raises(PlacetteError, match="déjà en cours"):
        conversations.propose_agreement(conversation.pk, offer.author, what="Dimanche", minutes=60, i_give=True)
    assert Agreement.objects.count() == 1


def test_declining_and_cancelling(client, offer):
    conversation = ConversationFactory(offer=offer)
    agreement = conversations.propose_agreement(
        conversation.pk, conversation.starter, what="Samedi", minutes=60, i_give=False
    )
    conversations.decline_agreement(agreement.pk, offer.author)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DECLINED
    again = conversations.propose_agreement(
        conversation.pk, conversation.starter, what="Dimanche", minutes=60, i_give=False
    )
    conversations.accept_agreement(again.pk, offer.author)
    conversations.decline_agreement(again.pk, conversation.starter)
    again.refresh_from_db()
    assert again.status == Agreement.Status.CANCELLED
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN


def test_a_gift_agreement_asks_no_hours(client, centre):
    gift = OfferFactory(centre=centre, title="Vêtements d'enfant")
    conversation = ConversationFactory(offer=gift)
    response = propose(client, conversation, conversation.starter, hours="")
    assert response.status_code == 302
    assert Agreement.objects.get().minutes is None


AGREEMENT_STEPS = ["echanges:accept", "echanges:decline", "echanges:confirm"]


@pytest.mark.parametrize("name", AGREEMENT_STEPS)
def test_nobody_else_answers_or_confirms_an_agreement(client, offer, centre, name):
    agreement = AgreementFactory(conversation=ConversationFactory(offer=offer), time_bank=True)
    client.force_login(member_of(centre))
    assert client.post(reverse(name, args=[agreement.pk])).status_code == 404
    client.logout()
    assert client.post(reverse(name, args=[agreement.pk])).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PROPOSED


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("echanges:conversation", "conversation"),
        ("echanges:conversation_messages", "conversation"),
        ("echanges:propose", "conversation"),
    ],
)
def test_anonymous_visitors_reach_no_conversation(client, offer, name, kwargs):
    conversation = ConversationFactory(offer=offer)
    response = client.get(reverse(name, args=[conversation.pk]))
    assert response.status_code in (302, 405)


def test_my_conversations_lists_mine_only(client, offer, centre):
    mine = ConversationFactory(offer=offer)
    ConversationFactory(offer=OfferFactory(centre=centre, title="Prêt de poussette"))
    client.force_login(mine.starter)
    content = text_of(client.get(reverse("echanges:conversations")))
    assert "Réparer un vélo" in content
    assert "Prêt de poussette" not in content


def test_the_conversation_page_query_count_does_not_grow_with_messages(client, offer, django_assert_max_num_queries):
    conversation = ConversationFactory(offer=offer)
    client.force_login(conversation.starter)
    client.get(conversation.get_absolute_url())
    with django_assert_max_num_queries(20) as small:
        client.get(conversation.get_absolute_url())
    MessageFactory.create_batch(30, conversation=conversation)
    AgreementFactory(conversation=conversation, time_bank=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(conversation.get_absolute_url())


def test_withdrawing_an_offer_tells_those_who_answered_and_keeps_their_conversation(client, offer):
    conversation = ConversationFactory(offer=offer)
    offers.withdraw_offer(offer.pk, offer.author)

    notification = Notification.objects.get(recipient=conversation.starter)
    assert "a retiré l'annonce « Réparer un vélo »" in notification.text
    assert notification.url == conversation.get_absolute_url()
    client.force_login(conversation.starter)
    assert client.get(conversation.get_absolute_url()).status_code == 200


def test_a_long_conversation_shows_its_latest_messages_and_a_link_to_the_earlier_ones(client, offer):
    conversation = ConversationFactory(offer=offer)
    sent = [
        MessageFactory(conversation=conversation, sender=conversation.starter, body=f"Message numéro {number}.")
        for number in range(1, 46)
    ]
    client.force_login(conversation.starter)

    latest = text_of(client.get(conversation.get_absolute_url()))
    assert "Message numéro 45." in latest
    assert "Message numéro 16." in latest
    assert "Message numéro 15." not in latest
    assert f'href="?avant={sent[15].pk}#messages-titre"' in latest
    assert "Revenir aux derniers messages" not in latest

    earlier = text_of(client.get(conversation.get_absolute_url(), {"avant": sent[15].pk}))
    assert "Message numéro 15." in earlier
    assert "Message numéro 1." in earlier
    assert "Message numéro 16." not in earlier
    assert "Voir les messages plus anciens" not in earlier
    assert "Revenir aux derniers messages" in earlier
    # New messages arrive on the latest page only: this one is not the live thread.
    assert "data-thread=" not in earlier


def test_a_message_number_that_is_not_one_shows_the_latest_messages(client, offer):
    conversation = ConversationFactory(offer=offer)
    MessageFactory(conversation=conversation, sender=conversation.starter, body="Bonjour, toujours disponible ?")
    client.force_login(conversation.starter)
    response = client.get(conversation.get_absolute_url(), {"avant": "abc"})
    assert response.status_code == 200
    assert "Bonjour, toujours disponible ?" in text_of(response)
