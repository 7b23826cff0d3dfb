"""The exchange's demo: offers in every centre, a done agreement that balances, nothing doubled."""

import io
import itertools

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from accounts.demo import create_people
from echanges.demo import CATEGORIES, create_exchanges
from echanges.models import (
    ALLOWED_MINUTES,
    Account,
    Agreement,
    Category,
    Conversation,
    Message,
    Offer,
    OfferTag,
    Transfer,
)
from quartier.demo import create_centres
from quartier.models import Membership
from search.indexing import index_objects

pytestmark = pytest.mark.django_db

EXCHANGE_MODELS = (Category, Offer, OfferTag, Conversation, Message, Agreement, Account, Transfer)


@pytest.fixture
def centres(home):
    centres = create_centres(home)
    create_people(centres)
    return centres


def counts():
    return {model.__name__: model.objects.count() for model in EXCHANGE_MODELS}


def run_demo(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def found(words, queryset):
    return {offer.pk for offer in get_search_backend().search(words, queryset)}


def test_every_demo_centre_gets_varied_offers_by_its_residents(centres):
    assert create_exchanges(centres) == Offer.objects.count()

    network = {slug for slug, _name in CATEGORIES}
    assert set(Category.objects.values_list("slug", flat=True)) == network
    assert set(Offer.objects.values_list("category__slug", flat=True)) == network
    for centre in centres:
        offers = Offer.objects.filter(centre=centre)
        assert offers.count() >= 15, centre
        assert {offer.kind for offer in offers} == set(Offer.Kind.values)
        assert {offer.nature for offer in offers} == set(Offer.Nature.values)
        assert {offer.mode for offer in offers} == set(Offer.Mode.values)
        assert offers.open().count() >= 15
        assert not offers.open().filter(expires_at__lte=timezone.now()).exists()
        # Posted by the centre's residents, never by its team.
        roles = set(Membership.objects.filter(centre=centre, user__offers__in=offers).values_list("role", flat=True))
        assert roles == {Membership.Role.RESIDENT, Membership.Role.RELAY}
    # The same catalogue, but not the same offers everywhere.
    titles = [set(Offer.objects.filter(centre=centre).values_list("title", flat=True)) for centre in centres]
    assert all(mine != next for mine, next in itertools.pairwise(titles))
    assert not Offer.objects.filter(tags__isnull=True).exists()
    assert Offer.objects.filter(title="Réparer un vélo", tags__name="vélo").exists()
    # An accompanied resident has an offer too, posted for her by the mediator.
    assert Offer.objects.filter(author__accompanied=True).count() == 1
    # Indexed with their tags (as `manage.py demo` does): a tag alone finds them.
    index_objects(Offer.objects.all())
    assert found("poussette", Offer.objects.open()) == set(
        Offer.objects.open().filter(tags__name="poussette").values_list("pk", flat=True)
    )


def test_the_done_agreement_moved_its_hours_and_balances_still_sum_to_zero(centres):
    create_exchanges(centres)

    done = Agreement.objects.get(status=Agreement.Status.DONE)
    assert done.minutes in ALLOWED_MINUTES
    assert done.conversation.offer.mode == Offer.Mode.TIME
    transfer = Transfer.objects.get()
    assert transfer.agreement == done
    assert (transfer.payer.owner, transfer.payee.owner, transfer.minutes) == (done.receiver, done.giver, 60)
    assert transfer.payee.balance_minutes() == 60
    assert transfer.payer.balance_minutes() == -60
    assert sum(account.balance_minutes() for account in Account.objects.all()) == 0
    assert Transfer.objects.aggregate(total=Sum("minutes"))["total"] == 60

    accepted = Agreement.objects.get(status=Agreement.Status.ACCEPTED)
    assert accepted.minutes is None and accepted.accepted_at is not None
    assert accepted.conversation.offer.status == Offer.Status.IN_PROGRESS
    # Both people write in each conversation, and the conversation knows when the last message came.
    assert Conversation.objects.count() == 3
    for conversation in Conversation.objects.all():
        messages = list(conversation.messages.all())
        assert {message.sender for message in messages} == set(conversation.people)
        assert conversation.last_message_at == messages[-1].sent_at
        assert conversation.offer.centre in centres


def test_running_it_again_adds_nothing(centres):
    create_exchanges(centres)
    before = counts()

    assert create_exchanges(centres) == 0
    assert counts() == before
    assert before["Offer"] > 90 and before["Transfer"] == 1
