"""Factories for the exchange: categories, offers (with traits), conversations, messages and agreements."""

import datetime as dt

import factory
from django.utils import timezone

from echanges.models import Agreement, Category, Conversation, Message, Offer
from tests.factories import CentrePageFactory
from tests.notifications.factories import PersonFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Catégorie d'échange {n}")
    slug = factory.Sequence(lambda n: f"categorie-echange-{n}")


class OfferFactory(factory.django.DjangoModelFactory):
    """An open offer of a service for nothing in return, published now, in a new centre unless given one.

    Traits: `request`, `time_bank`, `expired`, `withdrawn`, `expiring` (in three days); `hidden=True` hides it.
    """

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    author = factory.SubFactory(PersonFactory)
    centre = factory.SubFactory(CentrePageFactory)
    kind = Offer.Kind.OFFER
    nature = Offer.Nature.SERVICE
    mode = Offer.Mode.GIFT
    title = factory.Sequence(lambda n: f"Coup de main n°{n}")
    description = "Je peux vous aider une heure le samedi matin."
    category = factory.SubFactory(CategoryFactory)
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        request = factory.Trait(kind=Offer.Kind.REQUEST)
        time_bank = factory.Trait(mode=Offer.Mode.TIME)
        expired = factory.Trait(
            status=Offer.Status.EXPIRED,
            published_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=61)),
        )
        withdrawn = factory.Trait(status=Offer.Status.WITHDRAWN)
        expiring = factory.Trait(expires_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3)))

    @factory.post_generation
    def tags(offer, create, extracted, **kwargs):
        if create and extracted:
            offer.tags.add(*extracted)


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    offer = factory.SubFactory(OfferFactory)
    starter = factory.SubFactory(PersonFactory)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    sender = factory.LazyAttribute(lambda message: message.conversation.starter)
    body = "Bonjour, votre annonce m'intéresse."


class AgreementFactory(factory.django.DjangoModelFactory):
    """An agreement proposed by the person who answered: the offer's author gives, the other receives.

    Traits: `accepted`, `time_bank` (two hours).
    """

    class Meta:
        model = Agreement

    conversation = factory.SubFactory(ConversationFactory)
    proposed_by = factory.LazyAttribute(lambda agreement: agreement.conversation.starter)
    giver = factory.LazyAttribute(lambda agreement: agreement.conversation.offer.author)
    receiver = factory.LazyAttribute(lambda agreement: agreement.conversation.starter)
    what = "Une heure de repassage"
    on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=2))

    class Params:
        accepted = factory.Trait(status=Agreement.Status.ACCEPTED, accepted_at=factory.LazyFunction(timezone.now))
        time_bank = factory.Trait(minutes=120)
