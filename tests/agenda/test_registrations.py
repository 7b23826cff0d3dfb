"""Registering, the waitlist and cancelling: never more seats than capacity, the waitlist served in order."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.personal_data import collect
from accounts.services import erase_account, give_consent
from agenda import services
from agenda.models import Occurrence, Registration
from core.errors import NotAllowed, PlacetteError
from notifications.models import Notification
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import EventPageFactory, first_date
from tests.factories import CentrePageFactory
from tests.notifications.factories import PersonFactory, member_of

Status = Registration.Status


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home)


def small_event(centre, capacity=2, **kwargs):
    return EventPageFactory(parent=centre, capacity=capacity, **kwargs)


def reloaded(occurrence):
    return Occurrence.objects.get(pk=occurrence.pk)


def statuses(occurrence):
    return list(occurrence.registrations.order_by("pk").values_list("person__display_name", "status"))


def test_registering_confirms_a_seat_and_tells_the_person(centre):
    occurrence = first_date(small_event(centre))
    person = member_of(centre)

    registration = services.register(occurrence.pk, person)

    assert registration.status == Status.CONFIRMED
    assert (reloaded(occurrence).confirmed_count, reloaded(occurrence).seats_left) == (1, 1)
    notification = Notification.objects.get(recipient=person)
    assert notification.kind == "registration"
    assert notification.text.startswith("Inscription confirmée") and occurrence.event.title in notification.text


def test_when_full_people_join_the_waitlist_and_a_freed_seat_goes_to_the_first_of_them(centre):
    occurrence = first_date(small_event(centre, capacity=1))
    first, second, third = (member_of(centre) for _ in range(3))
    held = services.register(occurrence.pk, first)
    services.register(occurrence.pk, second)
    services.register(occurrence.pk, third)
    assert [status for _name, status in statuses(occurrence)] == ["confirmed", "waitlisted", "waitlisted"]
    assert "liste d'attente" in Notification.objects.get(recipient=second).text

    services.cancel_registration(held.pk, first)

    assert [status for _name, status in statuses(occurrence)] == ["cancelled", "confirmed", "waitlisted"]
    assert (reloaded(occurrence).confirmed_count, reloaded(occurrence).waitlist_count) == (1, 1)
    promoted = Notification.objects.filter(recipient=second).latest("pk")
    assert promoted.text.startswith("Une place s'est libérée")
    assert Notification.objects.filter(recipient=third).count() == 1


@pytest.mark.parametrize(
    ("situation", "message"),
    [
        ("twice", "déjà notée"),
        ("cancelled", "annulée"),
        ("past", "passée"),
        ("open_door", "sans inscription"),
    ],
)
def test_registrations_that_cannot_be_are_refused_in_french_and_write_nothing(centre, situation, message):
    event = small_event(centre, **({"open_door": True} if situation == "open_door" else {}))
    occurrence = first_date(event)
    person = member_of(centre)
    if situation == "twice":
        services.register(occurrence.pk, person)
    if situation == "cancelled":
        Occurrence.objects.filter(pk=occurrence.pk).update(status=Occurrence.Status.CANCELLED)
    if situation == "past":
        Occurrence.objects.filter(pk=occurrence.pk).update(
            start=timezone.now() - dt.timedelta(hours=3), end=timezone.now() + dt.timedelta(hours=1)
        )
    before = (Registration.objects.count(), Notification.objects.count())

    with pytest.raises(PlacetteError, match=message):
        services.register(occurrence.pk, person)

    assert (Registration.objects.count(), Notification.objects.count()) == before


def test_a_mediator_registers_a_resident_only_with_their_consent(centre):
    occurrence = first_date(small_event(centre))
    mediator = MembershipFactory(centre=centre, role="mediator").user
    resident = member_of(centre)

    with pytest.raises(NotAllowed, match="accord"):
        services.register(occurrence.pk, resident, by=mediator)

    give_consent(resident, centre, explained="Inscriptions aux ateliers.")
    registration = services.register(occurrence.pk, resident, by=mediator)
    assert (registration.person, registration.registered_by) == (resident, mediator)
    assert Notification.objects.filter(recipient=resident, kind="registration").get().actor == mediator


def test_someone_else_cannot_cancel_my_registration_by_its_id(centre):
    occurrence = first_date(small_event(centre))
    mine = services.register(occurrence.pk, member_of(centre))
    stranger = member_of(centre)

    with pytest.raises(Registration.DoesNotExist):
        services.cancel_registration(mine.pk, stranger)

    assert Registration.objects.get(pk=mine.pk).status == Status.CONFIRMED


def test_cancelling_an_occurrence_tells_everyone_registered_and_closes_it(centre):
    occurrence = first_date(small_event(centre, capacity=1))
    editor = PersonFactory()
    editor.groups.add(centre.team.editors)
    confirmed, waiting = member_of(centre), member_of(centre)
    services.register(occurrence.pk, confirmed)
    services.register(occurrence.pk, waiting)

    services.cancel_occurrence(occurrence.pk, by=editor, reason="L'animatrice est malade.")

    for person in (confirmed, waiting):
        text = Notification.objects.filter(recipient=person, kind="occurrence_changed").get().text
        assert "est annulé" in text and "L'animatrice est malade." in text
    with pytest.raises(PlacetteError, match="annulée"):
        services.register(occurrence.pk, member_of(centre))


def test_an_editor_of_another_centre_cannot_cancel_or_move_a_date(centre, home):
    occurrence = first_date(small_event(centre))
    other_editor = PersonFactory()
    other_editor.groups.add(CentrePageFactory(parent=home).team.editors)
    later = occurrence.start + dt.timedelta(days=1)

    with pytest.raises(NotAllowed):
        services.cancel_occurrence(occurrence.pk, by=other_editor)
    with pytest.raises(NotAllowed):
        services.move_occurrence(occurrence.pk, by=other_editor, start=later, end=later + dt.timedelta(hours=1))
    assert reloaded(occurrence).status == Occurrence.Status.SCHEDULED
    assert reloaded(occurrence).start == occurrence.start


# Any sequence of registrations and cancellations, against a model of what should happen.

operations = st.lists(st.tuples(st.sampled_from(["register", "cancel"]), st.integers(0, 5)), max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(capacity=st.integers(1, 3), steps=operations)
def test_no_sequence_overbooks_and_the_waitlist_is_served_in_order(centre, capacity, steps):
    with transaction.atomic():
        occurrence = first_date(small_event(centre, capacity=capacity))
        people = [member_of(centre) for _ in range(6)]
        confirmed, waitlist = [], []
        for action, index in steps:
            person = people[index]
            active = person in confirmed or person in waitlist
            if action == "register":
                if active:
                    with pytest.raises(PlacetteError):
                        services.register(occurrence.pk, person)
                    continue
                services.register(occurrence.pk, person)
                (confirmed if len(confirmed) < capacity else waitlist).append(person)
            else:
                registration = Registration.objects.active().filter(occurrence=occurrence, person=person).first()
                if registration is None:
                    continue
                services.cancel_registration(registration.pk, person)
                if person in confirmed:
                    confirmed.remove(person)
                    if waitlist:
                        confirmed.append(waitlist.pop(0))
                else:
                    waitlist.remove(person)

            current = reloaded(occurrence)
            rows = Registration.objects.filter(occurrence=occurrence)
            assert current.confirmed_count == rows.filter(status=Status.CONFIRMED).count() <= capacity
            assert current.waitlist_count == rows.filter(status=Status.WAITLISTED).count()
            assert set(rows.filter(status=Status.CONFIRMED).values_list("person", flat=True)) == {
                person.pk for person in confirmed
            }
            queued = rows.filter(status=Status.WAITLISTED).order_by("queued_at", "pk")
            assert list(queued.values_list("person", flat=True)) == [person.pk for person in waitlist]
        transaction.set_rollback(True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_people_registering_at_once_never_take_more_seats_than_there_are(home):
    occurrence = first_date(small_event(CentrePageFactory(parent=home), capacity=10))
    people = PersonFactory.create_batch(40)
    start = threading.Barrier(len(people))
    errors = []

    def register(person):
        try:
            start.wait()
            services.register(occurrence.pk, person)
        except Exception as error:  # noqa: BLE001  (any failure is the test's finding)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    rows = Registration.objects.filter(occurrence=occurrence)
    assert rows.filter(status=Status.CONFIRMED).count() == 10
    assert rows.filter(status=Status.WAITLISTED).count() == 30
    assert (reloaded(occurrence).confirmed_count, reloaded(occurrence).waitlist_count) == (10, 30)


def test_erasing_an_account_frees_its_seats_for_the_waitlist_and_shows_in_my_data(centre):
    occurrence = first_date(small_event(centre, capacity=1))
    leaving, waiting = member_of(centre), member_of(centre)
    services.register(occurrence.pk, leaving)
    services.register(occurrence.pk, waiting)
    titles = [title for title, _rows in collect(leaving)]
    assert "Mes inscriptions aux activités" in titles

    erase_account(leaving)

    assert Registration.objects.get(person=waiting).status == Status.CONFIRMED
    assert Registration.objects.get(person=leaving).status == Status.CANCELLED


def test_someone_arriving_late_is_still_added_at_the_desk_until_the_end(centre):
    occurrence = first_date(small_event(centre))
    editor = PersonFactory()
    editor.groups.add(centre.team.editors)
    now = timezone.now()
    Occurrence.objects.filter(pk=occurrence.pk).update(
        start=now - dt.timedelta(minutes=20), end=now + dt.timedelta(hours=1)
    )

    late = services.register_at_front_desk(occurrence.pk, name="Mme Lefèvre", by=editor)
    assert late.status == Status.CONFIRMED
    with pytest.raises(PlacetteError, match="passée"):
        services.register(occurrence.pk, member_of(centre))

    Occurrence.objects.filter(pk=occurrence.pk).update(
        end=now - dt.timedelta(minutes=1), start=now - dt.timedelta(hours=2)
    )
    with pytest.raises(PlacetteError, match="passée"):
        services.register_at_front_desk(occurrence.pk, name="M. Martin", by=editor)
