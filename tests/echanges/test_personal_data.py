"""The exchange in "Mes données", and erasing an account: the person's words go, others' history stays."""

from accounts.personal_data import collect
from accounts.services import erase_account
from echanges.models import Account, Block, Conversation, Message, Offer, Transfer
from echanges.services import conversations, ledger
from tests.echanges.factories import AgreementFactory, OfferFactory
from tests.factories import ImageFactory
from tests.notifications.factories import member_of


def test_my_data_lists_my_offers_messages_hours_and_blocks(centre):
    me, other = member_of(centre), member_of(centre)
    offer = OfferFactory(centre=centre, author=me, title="Prêt de perceuse", time_bank=True)
    conversation = conversations.answer_offer(offer.pk, other, body="Bonjour")
    conversations.send_message(conversation.pk, me, body="Passez jeudi")
    agreement = AgreementFactory(conversation=conversation, accepted=True, minutes=30)
    conversations.confirm_done(agreement.pk, me)
    conversations.confirm_done(agreement.pk, other)
    conversations.block_person(me, other)

    sections = dict(collect(me))
    assert sections["Mes annonces d'échange"][0]["Annonce"] == "Prêt de perceuse"
    assert [row["Message"] for row in sections["Mes messages"]] == ["Passez jeudi"]
    rows = sections["Ma banque de temps, mes blocages et mes signalements"]
    assert rows[0]["Minutes"] == 30
    assert rows[1]["Personne bloquée"] == str(other)


def test_erasing_an_account_empties_its_offers_and_messages_and_keeps_the_ledger(centre):
    me, other = member_of(centre), member_of(centre)
    lonely = OfferFactory(centre=centre, author=me, photo=ImageFactory(), photo_alt="Une perceuse")
    answered = OfferFactory(centre=centre, author=me, title="Cours d'anglais", time_bank=True, tags=["anglais"])
    conversation = conversations.answer_offer(answered.pk, other, body="Je veux bien")
    conversations.send_message(conversation.pk, me, body="Mon adresse est 3 rue des Lilas")
    agreement = AgreementFactory(conversation=conversation, accepted=True, minutes=60)
    conversations.confirm_done(agreement.pk, me)
    conversations.confirm_done(agreement.pk, other)
    conversations.block_person(me, other)

    erase_account(me)

    assert not Offer.objects.filter(pk=lonely.pk).exists()
    answered.refresh_from_db()
    assert (answered.title, answered.status, list(answered.tags.names())) == ("Annonce retirée", "withdrawn", [])
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    assert Message.objects.get(sender=me).body == "Message effacé."
    assert Message.objects.get(sender=other).body == "Je veux bien"
    assert not Block.objects.exists()
    assert Transfer.objects.count() == 1
    assert ledger.balance(other) == -60
    assert sum(account.balance_minutes() for account in Account.objects.all()) == 0
