"""The time bank: transfers are written once, balances are their sums, and the sum of all balances is zero."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import NotAllowed, PlacetteError
from echanges.models import Account, Agreement, Transfer
from echanges.services import conversations, ledger
from tests.accounts.factories import mediator_of
from tests.echanges.factories import AgreementFactory, ConversationFactory, OfferFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import PersonFactory, member_of


def time_bank_agreement(centre, giver, receiver, minutes=120):
    offer = OfferFactory(centre=centre, author=giver, time_bank=True)
    conversation = ConversationFactory(offer=offer, starter=receiver)
    return AgreementFactory(conversation=conversation, accepted=True, minutes=minutes)


def all_balances_sum():
    return sum(account.balance_minutes() for account in Account.objects.all())


def test_confirming_by_both_moves_the_hours_once_from_who_received_to_who_gave(centre):
    giver, receiver = member_of(centre), member_of(centre)
    agreement = time_bank_agreement(centre, giver, receiver, minutes=90)

    conversations.confirm_done(agreement.pk, giver)
    assert Transfer.objects.count() == 0
    conversations.confirm_done(agreement.pk, receiver)

    transfer = Transfer.objects.get()
    assert (transfer.payer.owner, transfer.payee.owner, transfer.minutes) == (receiver, giver, 90)
    assert (ledger.balance(giver), ledger.balance(receiver)) == (90, -90)
    assert all_balances_sum() == 0
    with pytest.raises(PlacetteError, match="déjà confirmé"):
        conversations.confirm_done(agreement.pk, receiver)
    assert Transfer.objects.count() == 1


def test_confirming_twice_alone_is_refused_and_moves_nothing(centre):
    giver, receiver = member_of(centre), member_of(centre)
    agreement = time_bank_agreement(centre, giver, receiver)
    conversations.confirm_done(agreement.pk, giver)
    with pytest.raises(PlacetteError, match="déjà confirmé"):
        conversations.confirm_done(agreement.pk, giver)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACCEPTED
    assert Transfer.objects.count() == 0


def test_a_gift_done_moves_no_hours(centre):
    giver, receiver = member_of(centre), member_of(centre)
    offer = OfferFactory(centre=centre, author=giver)
    agreement = AgreementFactory(conversation=ConversationFactory(offer=offer, starter=receiver), accepted=True)
    conversations.confirm_done(agreement.pk, giver)
    conversations.confirm_done(agreement.pk, receiver)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DONE
    assert Transfer.objects.count() == 0


def test_transfers_are_never_changed_or_deleted(centre):
    giver, receiver = member_of(centre), member_of(centre)
    agreement = time_bank_agreement(centre, giver, receiver)
    conversations.confirm_done(agreement.pk, giver)
    conversations.confirm_done(agreement.pk, receiver)
    transfer = Transfer.objects.get()
    transfer.minutes = 600
    with pytest.raises(TypeError):
        transfer.save()
    with pytest.raises(TypeError):
        transfer.delete()
    with pytest.raises(TypeError):
        Transfer.objects.filter(pk=transfer.pk).update(minutes=15)
    with pytest.raises(TypeError):
        Transfer.objects.all().delete()
    assert Transfer.objects.get().minutes == 120


def test_the_database_refuses_a_second_transfer_for_one_agreement(centre):
    giver, receiver = member_of(centre), member_of(centre)
    agreement = time_bank_agreement(centre, giver, receiver)
    ledger.record_agreement_transfer(agreement)
    with pytest.raises(IntegrityError), transaction.atomic():
        ledger.record_agreement_transfer(agreement)
    assert Transfer.objects.count() == 1


@pytest.mark.parametrize("minutes", [0, -60, 5, 610, 10 * 60 + 15, None])
def test_the_database_refuses_hours_out_of_bounds_or_not_in_quarters(centre, minutes):
    giver, receiver = member_of(centre), member_of(centre)
    if minutes is None:
        with pytest.raises(PlacetteError):
            ledger.check_minutes(minutes)
        return
    with pytest.raises(IntegrityError), transaction.atomic():
        time_bank_agreement(centre, giver, receiver, minutes=minutes)


def test_staff_correct_with_a_new_transfer_both_people_see_it(centre):
    giver, receiver = member_of(centre), member_of(centre)
    agreement = time_bank_agreement(centre, giver, receiver, minutes=120)
    conversations.confirm_done(agreement.pk, giver)
    conversations.confirm_done(agreement.pk, receiver)
    wrong = Transfer.objects.get()
    mediator = mediator_of(centre)

    correction = ledger.record_correction(
        mediator, payer=giver, payee=receiver, minutes=60, note="Une heure comptée en trop", corrects=wrong
    )

    assert correction.corrects == wrong
    assert (ledger.balance(giver), ledger.balance(receiver)) == (60, -60)
    assert all_balances_sum() == 0
    assert Transfer.objects.count() == 2
    labels = [line.label for line in ledger.statement(giver)]
    assert labels == ["Une heure de repassage", "Correction par l'équipe : Une heure comptée en trop"]
    assert giver.notifications.filter(text__contains="Une heure comptée en trop").exists()


def test_only_the_team_of_a_centre_of_these_people_may_correct(centre, home):
    giver, receiver = member_of(centre), member_of(centre)
    elsewhere = mediator_of(CentrePageFactory(parent=home))
    with pytest.raises(NotAllowed):
        ledger.record_correction(elsewhere, payer=giver, payee=receiver, minutes=60, note="Pourquoi pas")
    with pytest.raises(NotAllowed):
        ledger.record_correction(receiver, payer=giver, payee=receiver, minutes=60, note="Je me sers")
    with pytest.raises(PlacetteError):
        ledger.record_correction(mediator_of(centre), payer=giver, payee=receiver, minutes=60, note="  ")
    with pytest.raises(PlacetteError):
        ledger.record_correction(mediator_of(centre), payer=giver, payee=receiver, minutes=7, note="Sept minutes")
    assert Transfer.objects.count() == 0


# Any sequence of agreements done and corrections keeps every balance equal to its transfers, and their sum at zero.

steps = st.lists(
    st.tuples(
        st.sampled_from(["agreement", "correction"]),
        st.integers(0, 3),
        st.integers(0, 3),
        st.sampled_from(list(range(15, 601, 15))),
    ),
    max_size=12,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_any_sequence_keeps_the_ledger_balanced(centre, steps):
    with transaction.atomic():
        people = [member_of(centre) for _ in range(4)]
        staff = mediator_of(centre)
        expected = dict.fromkeys(people, 0)
        for action, first, second, minutes in steps:
            if first == second:
                continue
            giver, receiver = people[first], people[second]
            if action == "agreement":
                agreement = time_bank_agreement(centre, giver, receiver, minutes=minutes)
                conversations.confirm_done(agreement.pk, receiver)
                conversations.confirm_done(agreement.pk, giver)
            else:
                ledger.record_correction(staff, payer=receiver, payee=giver, minutes=minutes, note="Correction")
            expected[giver] += minutes
            expected[receiver] -= minutes

            assert {person: ledger.balance(person) for person in people} == expected
            assert all_balances_sum() == 0
            for account in Account.objects.all():
                received = Transfer.objects.filter(payee=account).aggregate(total=Sum("minutes"))["total"] or 0
                given = Transfer.objects.filter(payer=account).aggregate(total=Sum("minutes"))["total"] or 0
                assert account.balance_minutes() == received - given
                lines = ledger.statement(account.owner)
                assert (lines[-1].balance if lines else 0) == account.balance_minutes()
        transaction.set_rollback(True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_confirming_at_the_same_moment_make_one_transfer(home):
    centre = CentrePageFactory(parent=home)
    errors = []
    rounds = 5
    for _ in range(rounds):
        giver, receiver = PersonFactory(), PersonFactory()
        agreement = time_bank_agreement(centre, giver, receiver, minutes=60)
        # Each person presses twice, as on a slow phone: four requests at the same moment.
        pressers = [giver, receiver, giver, receiver]
        start = threading.Barrier(len(pressers))

        def confirm(person, agreement_id=agreement.pk, barrier=start):
            try:
                barrier.wait()
                conversations.confirm_done(agreement_id, person)
            except PlacetteError:
                pass
            except Exception as error:  # noqa: BLE001  (any other failure is the test's finding)
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=confirm, args=(person,)) for person in pressers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        agreement.refresh_from_db()
        assert agreement.status == Agreement.Status.DONE
        assert Transfer.objects.filter(agreement=agreement).count() == 1

    assert errors == []
    assert Transfer.objects.count() == rounds
    assert all_balances_sum() == 0
