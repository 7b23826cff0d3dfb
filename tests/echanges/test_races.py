"""Two clicks at the same moment make one agreement, one conversation, one report, one block, and one transfer.

The tests marked `postgres` fire real concurrent requests (threads released together, each on its own
connection); the others check, on any database, what a second call answers and what the database refuses.
"""

from functools import partial

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from core.errors import PlacetteError
from echanges.models import Account, Agreement, Block, Conversation, Message, Report, Transfer
from echanges.services import conversations, moderation
from echanges.services.conversations import AgreementError
from echanges.services.moderation import AlreadyReported
from tests.concurrency import at_once, unexpected
from tests.echanges.factories import AgreementFactory, ConversationFactory, OfferFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of

ROUNDS = 10
PROPOSAL = {"who": "other", "what": "Réparer la chambre à air", "on": "", "hours": "1"}


def open_agreements(conversation):
    return Agreement.objects.filter(
        conversation=conversation, status__in=[Agreement.Status.PROPOSED, Agreement.Status.ACCEPTED]
    )


# Agreements: any database.


def test_a_second_proposal_gets_the_clear_answer_and_the_first_stays(centre):
    conversation = ConversationFactory(offer=OfferFactory(centre=centre, author=member_of(centre), time_bank=True))
    first = conversations.propose_agreement(
        conversation.pk, conversation.starter, what="Samedi", minutes=60, i_give=False
    )
    with pytest.raises(AgreementError, match="Un accord est déjà en cours dans cette conversation"):
        conversations.propose_agreement(conversation.pk, conversation.starter, what="Samedi", minutes=60, i_give=False)
    assert list(open_agreements(conversation)) == [first]


def test_the_database_refuses_a_second_open_agreement_in_a_conversation(centre):
    conversation = ConversationFactory(offer=OfferFactory(centre=centre, author=member_of(centre)))
    AgreementFactory(conversation=conversation)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(conversation=conversation, accepted=True)
    # Done, declined or cancelled ones do not count: a new agreement may follow them.
    for status in (Agreement.Status.DONE, Agreement.Status.DECLINED, Agreement.Status.CANCELLED):
        AgreementFactory(conversation=conversation, status=status)
    assert open_agreements(conversation).count() == 1


def test_when_the_database_refuses_the_person_reads_the_same_sentence(centre, monkeypatch):
    """The lock makes the check see the first proposal; were it missed, the constraint answers in the same words."""
    conversation = ConversationFactory(offer=OfferFactory(centre=centre, author=member_of(centre)))
    AgreementFactory(conversation=conversation)
    monkeypatch.setattr(conversations, "_has_open_agreement", lambda conversation: False)
    with pytest.raises(AgreementError, match="Un accord est déjà en cours dans cette conversation"):
        conversations.propose_agreement(conversation.pk, conversation.starter, what="Dimanche", i_give=False)
    assert Agreement.objects.count() == 1


def test_the_proposal_page_answers_a_second_click_in_french(client, centre):
    conversation = ConversationFactory(offer=OfferFactory(centre=centre, author=member_of(centre), time_bank=True))
    client.force_login(conversation.starter)
    url = reverse("echanges:propose", args=[conversation.pk])
    assert client.post(url, PROPOSAL).status_code == 302
    response = client.post(url, PROPOSAL)
    assert response.status_code == 400
    assert "Un accord est déjà en cours dans cette conversation." in response.content.decode()
    assert Agreement.objects.count() == 1


# Agreements: real concurrent requests.


def double_click(person, url, data, times=2):
    """`times` browsers of the same person posting the same form at the same moment."""
    clients = [Client() for _ in range(times)]
    for client in clients:
        client.force_login(person)
    return at_once(*[partial(client.post, url, data) for client in clients])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_propose_makes_one_agreement(home):
    centre = CentrePageFactory(parent=home)
    duplicates, answers = 0, []
    for _ in range(ROUNDS):
        conversation = ConversationFactory(offer=OfferFactory(centre=centre, author=member_of(centre), time_bank=True))
        outcomes = double_click(conversation.starter, reverse("echanges:propose", args=[conversation.pk]), PROPOSAL)
        assert unexpected(outcomes) == []
        answers.append(sorted(response.status_code for response in outcomes))
        duplicates += open_agreements(conversation).count() - 1
    assert duplicates == 0, f"{duplicates} agreements too many in {ROUNDS} double clicks"
    # One click is taken, the other is told an agreement is under way: no error page.
    assert answers == [[302, 400]] * ROUNDS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_double_clicks_all_the_way_make_one_transfer_per_exchange(home):
    """Propose, accept and confirm, each pressed twice at once by each person: the hours move once."""
    centre = CentrePageFactory(parent=home)
    for _ in range(ROUNDS):
        conversation = ConversationFactory(offer=OfferFactory(centre=centre, author=member_of(centre), time_bank=True))
        neighbour, author = conversation.starter, conversation.offer.author
        propose = partial(
            conversations.propose_agreement, conversation.pk, neighbour, what="Vélo", minutes=60, i_give=False
        )
        assert unexpected(at_once(propose, propose), PlacetteError) == []
        # The author accepts every proposal the page would show, each with two quick presses.
        ids = list(open_agreements(conversation).values_list("pk", flat=True))
        accepts = [partial(conversations.accept_agreement, pk, author) for pk in ids for _ in range(2)]
        assert unexpected(at_once(*accepts), PlacetteError) == []
        pressers = (neighbour, author) * 2
        confirms = [partial(conversations.confirm_done, pk, person) for pk in ids for person in pressers]
        assert unexpected(at_once(*confirms), PlacetteError) == []
        assert Transfer.objects.filter(agreement__conversation=conversation).count() == 1
    assert Transfer.objects.count() == ROUNDS


# Answers to an offer.


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_answering_an_offer_twice_at_once_opens_one_conversation(home):
    centre = CentrePageFactory(parent=home)
    for _ in range(ROUNDS):
        offer = OfferFactory(centre=centre, author=member_of(centre))
        neighbour = member_of(centre)
        answer = partial(conversations.answer_offer, offer.pk, neighbour, body="Bonjour, je suis intéressée.")
        outcomes = at_once(answer, answer)
        assert unexpected(outcomes) == []
        assert Conversation.objects.filter(offer=offer).count() == 1
        assert Message.objects.filter(conversation__offer=offer).count() == 2


# Reports.


def test_the_database_refuses_a_second_open_report_of_the_same_thing(centre):
    conversation = ConversationFactory(offer=OfferFactory(centre=centre, author=member_of(centre)))
    offer, reporter = conversation.offer, conversation.starter
    fields = {"reporter": reporter, "person": offer.author, "centre": centre, "reason": Report.Reason.SPAM}
    Report.objects.create(offer=offer, **fields)
    Report.objects.create(**fields)  # the person, not the offer: another thing
    for duplicate in ({"offer": offer}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Report.objects.create(**duplicate, **fields)
    Report.objects.update(status=Report.Status.CLOSED)
    Report.objects.create(offer=offer, **fields)  # once closed, it may be reported again
    assert Report.objects.count() == 3


def test_when_the_database_refuses_a_report_the_person_reads_already_reported(centre, monkeypatch):
    offer = OfferFactory(centre=centre, author=member_of(centre))
    reporter = member_of(centre)
    moderation.report_offer(reporter, offer.pk, reason=Report.Reason.SPAM)
    monkeypatch.setattr(moderation, "_has_open_report", lambda *args, **kwargs: False)
    with pytest.raises(AlreadyReported, match="Vous avez déjà signalé"):
        moderation.report_offer(reporter, offer.pk, reason=Report.Reason.SPAM)
    assert Report.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reporting_the_same_offer_three_times_at_once_files_one_report(home):
    centre = CentrePageFactory(parent=home)
    for _ in range(ROUNDS):
        offer = OfferFactory(centre=centre, author=member_of(centre))
        reporter = member_of(centre)
        report = partial(moderation.report_offer, reporter, offer.pk, reason=Report.Reason.SPAM)
        outcomes = at_once(report, report, report)
        assert unexpected(outcomes, AlreadyReported) == []
        assert Report.objects.filter(offer=offer).count() == 1


# Blocks.


def test_blocking_twice_keeps_one_block(centre):
    blocker, person = member_of(centre), member_of(centre)
    conversations.block_person(blocker, person)
    conversations.block_person(blocker, person)
    assert Block.objects.filter(blocker=blocker, blocked=person).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_blocking_twice_at_once_makes_one_block(home):
    centre = CentrePageFactory(parent=home)
    for _ in range(ROUNDS):
        blocker, person = member_of(centre), member_of(centre)
        block = partial(conversations.block_person, blocker, person)
        assert unexpected(at_once(block, block)) == []
        assert Block.objects.filter(blocker=blocker, blocked=person).count() == 1


# Duplicates left by double clicks before the constraints existed.


@pytest.mark.django_db(transaction=True)
def test_the_migration_closes_existing_duplicates_instead_of_failing(home):
    centre = CentrePageFactory(parent=home)
    executor = MigrationExecutor(connection)
    before, after = [("echanges", "0001_initial")], executor.loader.graph.leaf_nodes("echanges")
    executor.migrate(before)
    try:
        conversation = ConversationFactory(offer=OfferFactory(centre=centre, author=member_of(centre), time_bank=True))
        proposed = AgreementFactory(conversation=conversation)
        accepted = AgreementFactory(conversation=conversation, accepted=True)
        later = AgreementFactory(conversation=conversation)
        done = AgreementFactory(conversation=conversation, status=Agreement.Status.DONE)
        offer, reporter = conversation.offer, conversation.starter
        fields = {"reporter": reporter, "person": offer.author, "centre": centre, "reason": Report.Reason.SPAM}
        first, second = Report.objects.create(offer=offer, **fields), Report.objects.create(offer=offer, **fields)
        person_first, person_second = Report.objects.create(**fields), Report.objects.create(**fields)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)

    statuses = dict(Agreement.objects.values_list("pk", "status"))
    # The one furthest along stays; the others are cancelled; a finished one is left alone.
    assert statuses == {
        proposed.pk: Agreement.Status.CANCELLED,
        accepted.pk: Agreement.Status.ACCEPTED,
        later.pk: Agreement.Status.CANCELLED,
        done.pk: Agreement.Status.DONE,
    }
    reports = dict(Report.objects.values_list("pk", "status"))
    assert reports == {
        first.pk: Report.Status.OPEN,
        second.pk: Report.Status.CLOSED,
        person_first.pk: Report.Status.OPEN,
        person_second.pk: Report.Status.CLOSED,
    }
    assert "Doublon" in Report.objects.get(pk=second.pk).note


# The time bank's accounts: made on a person's first transfer.


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_exchanges_done_at_once_make_one_account_per_person(home):
    """The same newcomer's first two exchanges end at the same moment: one account each, two transfers."""
    centre = CentrePageFactory(parent=home)
    for _ in range(ROUNDS):
        newcomer = member_of(centre)
        agreements = []
        for _helper in range(2):
            offer = OfferFactory(centre=centre, author=member_of(centre), time_bank=True)
            conversation = ConversationFactory(offer=offer, starter=newcomer)
            agreement = AgreementFactory(conversation=conversation, accepted=True, time_bank=True)
            conversations.confirm_done(agreement.pk, agreement.giver)
            agreements.append(agreement)
        outcomes = at_once(*[partial(conversations.confirm_done, agreement.pk, newcomer) for agreement in agreements])
        assert unexpected(outcomes) == []
        assert Account.objects.filter(owner=newcomer).count() == 1
        assert Transfer.objects.filter(payer__owner=newcomer).count() == 2
