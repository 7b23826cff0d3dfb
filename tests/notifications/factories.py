"""Factories for notifications: people reachable by e-mail or SMS, notifications and their deliveries."""

import factory
from django.utils import timezone

from accounts.notices import WELCOME
from notifications.models import Channel, Delivery, Notification
from tests.accounts.factories import MembershipFactory
from tests.factories import UserFactory


class PersonFactory(UserFactory):
    """Someone who wants e-mails and has a mobile phone; traits for the other choices and missing addresses."""

    display_name = factory.Sequence(lambda n: f"Awa {n}")
    phone = factory.Sequence(lambda n: f"+3361{n:07d}")
    notify_by = Channel.EMAIL

    class Params:
        by_sms = factory.Trait(notify_by=Channel.SMS)
        site_only = factory.Trait(notify_by=Channel.SITE)
        no_phone = factory.Trait(phone=None)
        no_email = factory.Trait(email="")


def member_of(centre, **traits):
    """A new person (see PersonFactory's traits) who belongs to `centre`, which then pays for their SMS."""
    return MembershipFactory(centre=centre, user=PersonFactory(**traits)).user


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(PersonFactory)
    kind = WELCOME.key
    text = "Karim a répondu à votre offre d'aide aux devoirs."
    url = "/notifications/"


class DeliveryFactory(factory.django.DjangoModelFactory):
    """A delivery due now, written directly (notify() is what plans real ones)."""

    class Meta:
        model = Delivery

    notification = factory.SubFactory(NotificationFactory)
    channel = Channel.EMAIL
    centre = factory.SelfAttribute("notification.centre")
    idempotency_key = factory.LazyAttribute(
        lambda delivery: f"notification-{delivery.notification.pk}-{delivery.channel}"
    )
    due_at = factory.LazyFunction(timezone.now)

    class Params:
        sms = factory.Trait(channel=Channel.SMS)
        failed = factory.Trait(
            status=Delivery.Status.FAILED,
            attempts=5,
            last_error="SmsError: Brevo a refusé le SMS (400) : numéro inconnu",
        )


class TextDeliveryFactory(factory.django.DjangoModelFactory):
    """An SMS to a number without an account (what queue_texts writes), already sent unless a trait says."""

    class Meta:
        model = Delivery

    notification = None
    channel = Channel.SMS
    to = factory.Sequence(lambda n: f"+3362{n:07d}")
    text = "Le centre social vous rappelle : actualisation France Travail avant le 15. Besoin d'aide ? Répondez OUI."
    centre = None
    idempotency_key = factory.Sequence(lambda n: f"texte-{n}")
    due_at = factory.LazyFunction(timezone.now)
    status = Delivery.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(status=Delivery.Status.PENDING, sent_at=None)
