"""Slots across the clock changes, for any weekly pattern; and one booking per slot under concurrent requests."""

import datetime as dt
import uuid
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agenda.recurrence import Frequency, Schedule
from suivi import appointments
from suivi.models import Appointment
from tests.accounts.factories import mediator_of
from tests.concurrency import at_once, unexpected
from tests.factories import CentrePageFactory
from tests.suivi.factories import PersonFactory

PARIS = ZoneInfo("Europe/Paris")
# The weeks around both clock changes of 2026 (29 March, 25 October) and 2027 (28 March).
AROUND_CHANGES = [dt.date(2026, 3, 22), dt.date(2026, 10, 18), dt.date(2027, 3, 21)]


@settings(max_examples=150, deadline=None)
@given(
    first=st.sampled_from(AROUND_CHANGES).flatmap(lambda day: st.integers(0, 13).map(lambda n: day + dt.timedelta(n))),
    weekdays=st.sets(st.integers(0, 6), min_size=1),
    weeks=st.integers(1, 4),
    start_hour=st.integers(7, 19),
    start_minute=st.sampled_from([0, 15, 30, 45]),
    length=st.sampled_from([15, 20, 30, 45, 60, 90]),
    hours=st.integers(1, 3),
)
def test_every_slot_keeps_its_wall_clock_time_across_clock_changes(
    first, weekdays, weeks, start_hour, start_minute, length, hours
):
    start_time = dt.time(start_hour, start_minute)
    end_time = dt.time(min(start_hour + hours, 21), start_minute if start_hour + hours < 21 else 0)
    until = first + dt.timedelta(weeks=weeks)
    rule = Schedule(frequency=Frequency.WEEKLY, weekdays=sorted(weekdays), until=until).to_rrule()

    times = appointments.slot_times(
        first_date=first, recurrence=rule, start_time=start_time, end_time=end_time, length_minutes=length
    )

    days = [
        first + dt.timedelta(n)
        for n in range((until - first).days + 1)
        if (first + dt.timedelta(n)).weekday() in weekdays
    ]
    minutes = (dt.datetime.combine(first, end_time) - dt.datetime.combine(first, start_time)).seconds // 60
    per_day = minutes // length
    # No slot vanishes or doubles: each day has exactly its slots, each start once.
    assert len(times) == len(days) * per_day
    assert len({start for start, _end in times}) == len(times)
    for index, (start, end) in enumerate(times):
        local = start.astimezone(PARIS)
        assert local.date() == days[index // per_day]
        # A 10:00 slot stays 10:00 local, before and after the change; and lasts its length in real time.
        assert (
            local.time()
            == (dt.datetime.combine(first, start_time) + dt.timedelta(minutes=length * (index % per_day))).time()
        )
        assert end - start == dt.timedelta(minutes=length)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_people_booking_the_same_slot_at_once_get_one_booking_and_the_others_a_french_refusal(home):
    centre = CentrePageFactory(parent=home, title="Centre social Belencontre")
    mediator = mediator_of(centre)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    pattern = appointments.open_slots(
        centre,
        mediator,
        first_date=tomorrow,
        recurrence=f"FREQ=WEEKLY;BYDAY={['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'][tomorrow.weekday()]};COUNT=1",
        start_time=dt.time(10),
        end_time=dt.time(12),
        length_minutes=30,
        mediators=[mediator],
        themes=["email"],
    )
    for slot in pattern.slots.all():
        people = [PersonFactory(centre=centre) for _index in range(6)]
        calls = [partial(appointments.book, slot.pk, person, token=uuid.uuid4(), by=mediator) for person in people]
        outcomes = at_once(*calls)

        assert unexpected(outcomes, appointments.SlotTaken) == []
        booked = [outcome for outcome in outcomes if isinstance(outcome, Appointment)]
        refused = [outcome for outcome in outcomes if isinstance(outcome, appointments.SlotTaken)]
        assert len(booked) == 1 and len(refused) == 5
        assert "Quelqu'un vient de prendre cette heure" in str(refused[0])
        assert Appointment.objects.filter(slot=slot).count() == 1
