"""Factories for the procedures' calendar: a procedure (every month from the 1st to the 15th by default), its
deadlines written as saving it in the admin writes them; front-desk contacts and follows."""

import datetime as dt

import factory
from django.utils import timezone

from demarches import services
from demarches.models import Contact, DatedWindow, Domain, Follow, Mandate, MandateAction, Procedure, add_months
from demarches.rules import Rhythm


class ProcedureFactory(factory.django.DjangoModelFactory):
    """Traits: `yearly` (10 April – 5 June), `dated` (no rule: periods given with `periods=[(opens, closes)]`).

    `audiences=["familles"]` tags it; the deadlines are written unless `materialised=False`.
    """

    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Démarche n°{n}")
    slug = factory.Sequence(lambda n: f"demarche-{n}")
    purpose = "Déclarer ses ressources pour garder ses droits."
    official_url = "https://www.caf.fr/"
    domain = Domain.FAMILY
    to_bring = "Numéro d'allocataire\nMot de passe"
    duration = "10 minutes"
    rhythm = Rhythm.MONTHLY
    opens_day = 1
    closes_day = 15

    class Params:
        yearly = factory.Trait(rhythm=Rhythm.YEARLY, opens_day=10, opens_month=4, closes_day=5, closes_month=6)
        dated = factory.Trait(rhythm=Rhythm.DATES, opens_day=None, closes_day=None)

    @factory.post_generation
    def audiences(procedure, create, extracted, **kwargs):
        if create and extracted:
            procedure.audiences.add(*extracted)
            procedure.save()

    @factory.post_generation
    def periods(procedure, create, extracted, **kwargs):
        if create and extracted:
            for opens_on, closes_on in extracted:
                DatedWindow.objects.create(procedure=procedure, opens_on=opens_on, closes_on=closes_on)

    @factory.post_generation
    def materialised(procedure, create, extracted, **kwargs):
        if create and extracted is not False:
            services.materialise(procedure)


class MandateFactory(factory.django.DjangoModelFactory):
    """A mandate given on the mediator's screen, for the family domain, from today for three months.

    Pass `centre`, `resident` (a member of it) and `recorded_by`. Traits: `revoked`, `ended` (given a year ago).
    """

    class Meta:
        model = Mandate

    scopes = factory.LazyFunction(lambda: [Domain.FAMILY])
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda mandate: add_months(mandate.starts_on, 3))
    consent_mode = Mandate.ConsentMode.SCREEN
    consent_shown = "Moi, je donne mandat au centre pour mes démarches de famille."

    class Params:
        revoked = factory.Trait(revoked_at=factory.LazyFunction(timezone.now))
        ended = factory.Trait(
            starts_on=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365)),
            ends_on=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1)),
        )


class MandateActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MandateAction

    procedure_name = factory.LazyAttribute(lambda action: action.procedure.name if action.procedure else "Démarche")
    done_on = factory.LazyFunction(timezone.localdate)
    outcome = MandateAction.Outcome.DONE


class ContactFactory(factory.django.DjangoModelFactory):
    """Someone without an account the front desk of `centre` (to pass) reminds by SMS, consent taken today."""

    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Fatima n°{n}")
    phone = factory.Sequence(lambda n: f"+3376{n:07d}")


class FollowFactory(factory.django.DjangoModelFactory):
    """A follow of `procedure` by `user` or `contact` (pass one), a week before each deadline."""

    class Meta:
        model = Follow

    days_before = Follow.DaysBefore.SEVEN
