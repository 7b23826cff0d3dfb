"""Factories for mediation records (people of a centre and what was done with them) and appointments."""

import datetime as dt
import uuid

import factory
from django.utils import timezone

from suivi import lists
from suivi.models import Appointment, MediationRecord, Participant, Person, RecordTheme, Slot, SlotPattern
from tests.factories import UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    """An anonymous person of `centre` (pass it); `with_bands` gives them bands with their consent."""

    class Meta:
        model = Person

    label = factory.Sequence(lambda n: f"P. {n}")

    class Params:
        with_bands = factory.Trait(
            consent_given_at=factory.LazyFunction(timezone.now),
            gender=lists.Gender.WOMAN,
            age_band=lists.AgeBand.FROM_60,
            commune="59512",
            situation=lists.Situation.RETIRED,
            first_visit=True,
        )


class RecordFactory(factory.django.DjangoModelFactory):
    """A one-to-one session today at `centre`, 30 minutes, on e-mail; `people` adds their participations."""

    class Meta:
        model = MediationRecord
        skip_postgeneration_save = True

    kind = lists.Kind.INDIVIDUAL
    date = factory.LazyFunction(timezone.localdate)
    duration_minutes = 30
    place_type = lists.PlaceType.CENTRE

    @factory.post_generation
    def people(record, create, extracted, **kwargs):
        for person in extracted or []:
            participant = Participant(record=record, person=person)
            if person.consent_given_at:
                for name in ("gender", "age_band", "commune", "situation", "first_visit"):
                    setattr(participant, name, getattr(person, name))
            participant.save()

    @factory.post_generation
    def themes(record, create, extracted, **kwargs):
        for theme in extracted or [lists.Theme.EMAIL]:
            RecordTheme.objects.create(record=record, theme=theme)

    @factory.post_generation
    def mediators(record, create, extracted, **kwargs):
        if extracted:
            record.mediators.set(extracted)


def appointment_at(centre, start, status=Appointment.Status.BOOKED):
    """An appointment of `centre` on a 30-minute slot at `start` (aware, past or not), written as it is: the figures'
    tests need past slots, which suivi.appointments.open_slots rightly refuses."""
    mediator = UserFactory()
    pattern = SlotPattern.objects.create(
        centre=centre,
        recurrence="FREQ=WEEKLY;COUNT=1",
        first_date=timezone.localdate(start),
        start_time=dt.time(7),
        end_time=dt.time(21),
        length_minutes=30,
    )
    slot = Slot.objects.create(
        pattern=pattern, centre=centre, mediator=mediator, start=start, end=start + dt.timedelta(minutes=30)
    )
    return Appointment.objects.create(
        slot=slot, person=PersonFactory(centre=centre), status=status, token=uuid.uuid4()
    )
