"""Dates written at publishing and kept ahead by the nightly task; reminders sent once, at their time."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from agenda import services
from agenda.models import EventPage, Occurrence, Registration
from notifications.models import Delivery, Notification
from tests.agenda.factories import EventPageFactory, first_date
from tests.factories import CentrePageFactory
from tests.notifications.factories import PersonFactory, member_of

MONDAY = dt.date(2027, 3, 1)


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home)


def paris(moment):
    """freezegun reads times as UTC; tests speak the centres' local time."""
    return timezone.make_aware(dt.datetime.fromisoformat(moment))


def at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@freeze_time(paris("2027-03-01 08:00"))
def test_publishing_writes_the_dates_up_to_the_horizon_only(centre, settings):
    settings.AGENDA_HORIZON_DAYS = 30
    event = EventPageFactory(parent=centre, start_date=MONDAY, recurrence="FREQ=WEEKLY;BYDAY=MO,TH;COUNT=40")

    days = list(event.occurrences.values_list("planned_date", flat=True))

    assert days[0] == MONDAY and days[-1] <= MONDAY + dt.timedelta(days=30)
    assert len(days) == 9
    assert {day.weekday() for day in days} == {0, 3}
    assert first_date(event).start == at(MONDAY, 14)


def test_the_nightly_task_writes_one_more_day_and_nothing_twice(centre, settings):
    settings.AGENDA_HORIZON_DAYS = 30
    with freeze_time(paris("2027-03-01 08:00")):
        event = EventPageFactory(parent=centre, start_date=MONDAY, recurrence="FREQ=WEEKLY;BYDAY=MO,TH;COUNT=40")
    with freeze_time(paris("2027-03-05 02:00")):
        added = services.extend_horizon()
        again = services.extend_horizon()

    assert (added, again) == (1, 0)
    assert event.occurrences.order_by("planned_date").last().planned_date == dt.date(2027, 4, 1)


def test_a_new_time_moves_the_dates_and_tells_who_registered(centre):
    event = EventPageFactory(parent=centre, weekly=True)
    person = member_of(centre)
    registration = services.register(first_date(event).pk, person)
    event = EventPage.objects.get(pk=event.pk)
    event.start_time, event.end_time = dt.time(15), dt.time(17)
    event.save_revision().publish()

    occurrence = Occurrence.objects.get(pk=registration.occurrence_id)
    assert timezone.localtime(occurrence.start).time() == dt.time(15)
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED
    assert "change d'horaire" in Notification.objects.filter(recipient=person).latest("pk").text
    assert event.occurrences.count() == 8


def test_a_date_removed_from_the_rule_is_cancelled_when_people_registered_deleted_otherwise(centre):
    event = EventPageFactory(parent=centre, weekly=True)
    dates = list(event.occurrences.order_by("start"))
    person = member_of(centre)
    services.register(dates[1].pk, person)
    event = EventPage.objects.get(pk=event.pk)
    event.recurrence = "FREQ=WEEKLY;BYDAY=TU;COUNT=1"
    event.start_date = dates[0].planned_date
    event.save_revision().publish()

    assert Occurrence.objects.get(pk=dates[1].pk).status == Occurrence.Status.CANCELLED
    assert not Occurrence.objects.filter(pk=dates[2].pk).exists()
    assert "est annulé" in Notification.objects.filter(recipient=person, kind="occurrence_changed").get().text


def test_an_exception_date_skips_the_rule(centre):
    event = EventPageFactory(parent=centre, weekly=True)
    skipped = event.occurrences.order_by("start")[2].planned_date
    event = EventPage.objects.get(pk=event.pk)
    event.exceptions.create(date=skipped)
    services.materialise(event)
    assert not event.occurrences.filter(planned_date=skipped).exists()


# Reminders: the day before at 18:00 by default, by the person's channel, once.


@pytest.fixture
def tuesday_workshop(centre):
    with freeze_time(paris("2027-03-01 08:00")):
        event = EventPageFactory(parent=centre, start_date=dt.date(2027, 3, 2), capacity=1)
    return first_date(event)


def test_a_reminder_goes_once_at_its_time_by_the_persons_channel(centre, tuesday_workshop):
    by_email = member_of(centre)
    waiting = member_of(centre)
    with freeze_time(paris("2027-03-01 09:00")):
        services.register(tuesday_workshop.pk, by_email)
        services.register(tuesday_workshop.pk, waiting)

    with freeze_time(paris("2027-03-01 17:59")):
        assert services.send_due_reminders() == 0
    with freeze_time(paris("2027-03-01 18:00")):
        assert services.send_due_reminders() == 1
    with freeze_time(paris("2027-03-01 18:05")):
        assert services.send_due_reminders() == 0

    reminder = Notification.objects.get(kind="reminder")
    assert reminder.recipient == by_email
    assert reminder.text.startswith("Rappel : «") and "à 14\u00a0h." in reminder.text
    assert Delivery.objects.filter(notification=reminder, channel="email").count() == 1
    assert not Notification.objects.filter(recipient=waiting, kind="reminder").exists()


def test_a_moved_date_is_reminded_again_and_a_cancelled_one_never(centre, tuesday_workshop):
    person = member_of(centre)
    editor = PersonFactory()
    editor.groups.add(centre.team.editors)
    with freeze_time(paris("2027-03-01 09:00")):
        services.register(tuesday_workshop.pk, person)
    with freeze_time(paris("2027-03-01 18:00")):
        services.send_due_reminders()
    with freeze_time(paris("2027-03-01 19:00")):
        services.move_occurrence(
            tuesday_workshop.pk, by=editor, start=at(dt.date(2027, 3, 4), 10), end=at(dt.date(2027, 3, 4), 12)
        )
    with freeze_time(paris("2027-03-03 18:00")):
        assert services.send_due_reminders() == 1
    assert Notification.objects.filter(recipient=person, kind="reminder").count() == 2

    with freeze_time(paris("2027-03-03 19:00")):
        services.cancel_occurrence(tuesday_workshop.pk, by=editor)
        Registration.objects.update(reminded_at=None)
        assert services.send_due_reminders() == 0


def test_an_activity_without_reminder_sends_none(centre):
    with freeze_time(paris("2027-03-01 08:00")):
        event = EventPageFactory(parent=centre, start_date=dt.date(2027, 3, 2), reminder_days_before=None)
        services.register(first_date(event).pk, member_of(centre))
    with freeze_time(paris("2027-03-02 13:00")):
        assert services.send_due_reminders() == 0
