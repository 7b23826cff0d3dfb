"""Nothing destructive in one tap: a withdrawn offer can be put back online, blocking someone asks first."""

import datetime as dt
import threading
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ActingLog
from core.errors import NotAllowed
from echanges.models import Agreement, Block, Offer, Suspension
from echanges.services import offers
from notifications.models import Notification
from tests.accounts.factories import mediator_of, resident_of
from tests.accounts.pages import messages_of, signed_in, text_of
from tests.echanges.factories import AgreementFactory, CategoryFactory, ConversationFactory, OfferFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import PersonFactory, member_of

CONFIRM = {"confirm": "oui"}


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="belencontre")


@pytest.fixture
def author(centre):
    return member_of(centre, display_name="Awa")


@pytest.fixture
def offer(author, centre):
    return OfferFactory(author=author, centre=centre, category=CategoryFactory(), title="Perceuse à prêter")


def restore_url(offer):
    return reverse("echanges:restore", args=[offer.pk])


def status_of(offer):
    return Offer.objects.get(pk=offer.pk).status


# Putting a withdrawn offer back online.


def test_withdrawing_by_mistake_is_undone_from_the_offer_page(client, offer, author):
    me = signed_in(author)
    withdrawn = me.post(reverse("echanges:withdraw", args=[offer.pk]), follow=True)
    assert client.get(offer.get_absolute_url()).status_code == 404

    assert f'action="{restore_url(offer)}"' in withdrawn.content.decode()
    response = me.post(restore_url(offer), follow=True)

    assert response.redirect_chain == [(offer.get_absolute_url(), 302)]
    [(level, text)] = messages_of(response)
    assert (level, text[:45]) == ("success", "Votre annonce est de nouveau en ligne, jusqu'")
    assert status_of(offer) == Offer.Status.OPEN
    assert client.get(offer.get_absolute_url()).status_code == 200
    assert "Perceuse à prêter" in text_of(client.get(reverse("echanges:listing")))


def test_my_exchanges_offers_to_put_a_withdrawn_offer_back_online(author, centre):
    withdrawn = OfferFactory(author=author, centre=centre, title="Retirée", withdrawn=True)
    too_old = OfferFactory(
        author=author,
        centre=centre,
        title="Retirée depuis longtemps",
        withdrawn=True,
        expires_at=timezone.now() - dt.timedelta(days=1),
    )
    hidden = OfferFactory(author=author, centre=centre, title="Masquée", withdrawn=True, hidden=True)

    html = unescape(signed_in(author).get(reverse("echanges:mine")).content.decode())

    assert f'action="{restore_url(withdrawn)}"' in html
    assert f'action="{restore_url(too_old)}"' not in html
    assert f'action="{restore_url(hidden)}"' not in html
    assert 'Remettre en ligne<span class="visually-hidden"> « Retirée »</span>' in html


def test_putting_back_online_tells_those_who_answered_once(offer, author):
    conversation = ConversationFactory(offer=offer)
    offers.withdraw_offer(offer.pk, author)

    offers.restore_offer(offer.pk, author)
    with pytest.raises(offers.OfferRefused):
        offers.restore_offer(offer.pk, author)

    [back] = Notification.objects.filter(recipient=conversation.starter, text__contains="remis en ligne")
    assert back.text == "Awa a remis en ligne l'annonce « Perceuse à prêter »."
    assert back.url == conversation.get_absolute_url()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_taps_at_the_same_moment_put_it_back_once_and_tell_once(offer, author):
    conversation = ConversationFactory(offer=offer)
    offers.withdraw_offer(offer.pk, author)
    # A slow phone: "Remettre en ligne" pressed three times, the requests arriving together.
    start = threading.Barrier(3)
    outcomes, errors = [], []

    def press():
        try:
            start.wait()
            offers.restore_offer(offer.pk, author)
            outcomes.append("restored")
        except offers.OfferRefused:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001  (any other failure is the test's finding)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == ["refused", "refused", "restored"]
    assert status_of(offer) == Offer.Status.OPEN
    assert Notification.objects.filter(recipient=conversation.starter, text__contains="remis en ligne").count() == 1


def test_an_agreement_still_running_puts_the_offer_back_in_progress(offer, author):
    agreement = AgreementFactory(conversation=ConversationFactory(offer=offer), accepted=True)
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.IN_PROGRESS)
    offers.withdraw_offer(offer.pk, author)

    offers.restore_offer(offer.pk, author)

    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.ACCEPTED
    assert status_of(offer) == Offer.Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (
            {"expires_at": timezone.now() - dt.timedelta(minutes=1)},
            "Cette annonce a passé ses 60 jours : elle ne peut plus revenir. Publiez-en une nouvelle.",
        ),
        (
            {"hidden": True},
            "La modération a masqué cette annonce. Parlez-en à un médiateur de votre centre.",
        ),
    ],
    ids=["expired", "hidden by moderation"],
)
def test_an_expired_or_hidden_offer_does_not_come_back(offer, author, change, refusal):
    offers.withdraw_offer(offer.pk, author)
    Offer.objects.filter(pk=offer.pk).update(**change)

    response = signed_in(author).post(restore_url(offer), follow=True)

    assert ("error", refusal) in messages_of(response)
    assert status_of(offer) == Offer.Status.WITHDRAWN


def test_an_offer_that_is_not_withdrawn_is_left_as_it_is(offer, author):
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.DONE)

    response = signed_in(author).post(restore_url(offer), follow=True)

    assert (
        "error",
        "Cette annonce n'est pas retirée : elle n'a pas besoin d'être remise en ligne.",
    ) in messages_of(response)
    assert status_of(offer) == Offer.Status.DONE


def test_a_suspended_author_cannot_put_an_offer_back_online(offer, author):
    offers.withdraw_offer(offer.pk, author)
    Suspension.objects.create(person=author, until=timezone.now() + dt.timedelta(days=3), reason="Spam")

    with pytest.raises(NotAllowed):
        offers.restore_offer(offer.pk, author)
    assert status_of(offer) == Offer.Status.WITHDRAWN


@pytest.mark.parametrize("who", ["anonymous", "someone else"])
def test_someone_elses_withdrawn_offer_stays_withdrawn(offer, author, who):
    offers.withdraw_offer(offer.pk, author)
    client = Client() if who == "anonymous" else signed_in(PersonFactory())

    response = client.post(restore_url(offer))

    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(f"{reverse('account_request_login_code')}?next=")
    else:
        assert response.status_code == 404
    assert status_of(offer) == Offer.Status.WITHDRAWN


def test_putting_back_online_answers_only_post(offer, author):
    offers.withdraw_offer(offer.pk, author)

    assert signed_in(author).get(restore_url(offer)).status_code == 405
    assert status_of(offer) == Offer.Status.WITHDRAWN


def test_a_mediator_acting_for_the_author_puts_it_back_and_it_is_logged(centre):
    resident = resident_of(centre, consent=True, display_name="Marcelle")
    offer = OfferFactory(author=resident, centre=centre, title="Cours de tricot", withdrawn=True)
    client = signed_in(mediator_of(centre))
    client.post(reverse("accounts:act_for", args=[resident.pk]))

    client.post(restore_url(offer))

    assert status_of(offer) == Offer.Status.OPEN
    assert ActingLog.objects.filter(resident=resident, action="Annonce remise en ligne", succeeded=True).exists()


# Blocking someone.


@pytest.fixture
def conversation(offer):
    return ConversationFactory(offer=offer)


def block_url(person, conversation=None):
    url = reverse("echanges:block", args=[person.pk])
    return f"{url}?next={conversation.get_absolute_url()}" if conversation else url


def test_the_conversation_links_to_a_question_not_a_one_tap_form(author, conversation):
    html = signed_in(author).get(conversation.get_absolute_url()).content.decode()

    assert f'action="{reverse("echanges:block", args=[conversation.starter.pk])}"' not in html
    assert f'href="{reverse("echanges:block", args=[conversation.starter.pk])}?next=' in html


def test_blocking_asks_first_and_says_what_it_does(author, conversation):
    client = signed_in(author)

    response = client.get(block_url(conversation.starter, conversation))

    text = text_of(response).replace("\xa0", " ")
    assert response.status_code == 200
    assert f"Bloquer {conversation.starter} ?" in text
    assert "Vous ne pourrez plus vous écrire, ni l'un ni l'autre." in text
    assert "Placette ne le dit pas à cette personne." in text
    assert f"Oui, je bloque {conversation.starter}" in text
    assert f'<a class="button button--secondary" href="{conversation.get_absolute_url()}">Non, revenir</a>' in text
    assert not Block.objects.exists()


def test_a_post_without_the_confirmation_blocks_nobody(author, conversation):
    response = signed_in(author).post(block_url(conversation.starter), {"next": conversation.get_absolute_url()})

    assert response.status_code == 200
    assert f"Oui, je bloque {conversation.starter}" in text_of(response)
    assert not Block.objects.exists()


def test_the_yes_blocks_and_goes_back_to_the_conversation(author, conversation):
    response = signed_in(author).post(
        block_url(conversation.starter), {**CONFIRM, "next": conversation.get_absolute_url()}, follow=True
    )

    assert response.redirect_chain == [(conversation.get_absolute_url(), 302)]
    assert Block.objects.filter(blocker=author, blocked=conversation.starter).exists()
    assert f"Débloquer {conversation.starter}" in text_of(response)


@pytest.mark.parametrize("method", ["get", "post"])
def test_blocking_needs_an_account(conversation, method):
    response = getattr(Client(), method)(block_url(conversation.starter), CONFIRM)

    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('account_request_login_code')}?next=")
    assert not Block.objects.exists()


def test_a_mediator_acting_for_a_resident_is_asked_too(centre):
    resident = resident_of(centre, consent=True, display_name="Marcelle")
    offer = OfferFactory(author=resident, centre=centre)
    conversation = ConversationFactory(offer=offer)
    client = signed_in(mediator_of(centre))
    client.post(reverse("accounts:act_for", args=[resident.pk]))
    ActingLog.objects.all().delete()

    client.get(block_url(conversation.starter))
    client.post(block_url(conversation.starter))

    assert not Block.objects.exists()
    assert not ActingLog.objects.filter(succeeded=True).exists()

    client.post(block_url(conversation.starter), CONFIRM)

    assert Block.objects.filter(blocker=resident, blocked=conversation.starter).exists()
    [log] = ActingLog.objects.filter(succeeded=True)
    assert log.action == f"Personne bloquée : {conversation.starter}"


@pytest.mark.parametrize("elsewhere", ["https://ailleurs.example/", "//ailleurs.example/", "/\\ailleurs.example/"])
def test_the_way_back_from_blocking_never_leads_to_another_site(author, conversation, elsewhere):
    client = signed_in(author)

    question = client.get(block_url(conversation.starter), {"next": elsewhere})
    done = client.post(block_url(conversation.starter), {**CONFIRM, "next": elsewhere})

    assert "ailleurs.example" not in question.content.decode()
    assert done.url == reverse("echanges:conversations")
