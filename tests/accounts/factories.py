"""Factories for people's ties to centres: memberships, consents to be helped, the acting log."""

import factory
from django.utils import timezone

from accounts.models import ActingLog, Consent
from quartier.models import Membership
from tests.factories import UserFactory


class MembershipFactory(factory.django.DjangoModelFactory):
    """A person in a centre; pass `centre`, which needs the home page as its parent."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.RESIDENT

    class Params:
        mediator = factory.Trait(role=Membership.Role.MEDIATOR)
        relay = factory.Trait(role=Membership.Role.RELAY)


class ConsentFactory(factory.django.DjangoModelFactory):
    """A resident's active accord for the mediators of `centre` (given online unless `recorded_by`)."""

    class Meta:
        model = Consent

    resident = factory.SubFactory(UserFactory)
    explained = "Les médiateurs peuvent m'aider sur le site quand je le demande."

    class Params:
        withdrawn = factory.Trait(withdrawn_at=factory.LazyFunction(timezone.now))


class ActingLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActingLog

    mediator = factory.SubFactory(UserFactory)
    resident = factory.SubFactory(UserFactory)
    action = factory.Sequence(lambda n: f"Inscription à l'atelier n°{n}")
    path = "/compte/centres/1/rejoindre/"


def mediator_of(centre, **user_fields):
    """A new user who is a mediator of `centre`."""
    return MembershipFactory(centre=centre, mediator=True, **_user({"display_name": "Médiatrice", **user_fields})).user


def resident_of(centre, *, consent=False, **user_fields):
    """A new user who is a resident of `centre`, who allows its mediators to act for them if `consent`."""
    resident = MembershipFactory(centre=centre, **_user(user_fields)).user
    if consent:
        ConsentFactory(resident=resident, centre=centre)
    return resident


def _user(fields):
    return {f"user__{name}": value for name, value in fields.items()}
