"""Appointments: the team opens hours (bad input refused in French), a resident books in three taps, nobody books a
slot twice, cancel and rebook, reminders, the mediator's day and calendar, and each id tried from another centre."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from freezegun import freeze_time

from notifications.models import Notification
from suivi import appointment_views, appointments, lists
from suivi.models import Appointment, MediationRecord, Person, Slot
from tests.accounts.factories import mediator_of, resident_of
from tests.factories import CentrePageFactory
from tests.suivi.factories import PersonFactory

pytestmark = pytest.mark.django_db

HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
# Tuesday 10 March 2026, 15:00 in Paris.
NOW = "2026-03-10 14:00:00+00:00"
WEEKLY_TUESDAY = "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260430"


@pytest.fixture(autouse=True)
def tuesday_the_10th_of_march():
    with freeze_time(NOW):
        yield


def open_tuesdays(centre, mediator, **changes):
    values = {
        "first_date": dt.date(2026, 3, 17),
        "recurrence": WEEKLY_TUESDAY,
        "start_time": dt.time(14),
        "end_time": dt.time(16),
        "length_minutes": 30,
        "mediators": [mediator],
        "themes": [lists.ProcedureTheme.FAMILY, lists.Theme.EMAIL],
    }
    return appointments.open_slots(centre, mediator, **(values | changes))


@pytest.fixture
def pattern(centre, mediator):
    return open_tuesdays(centre, mediator)


def first_slot(pattern):
    return pattern.slots.order_by("start").first()


def spaced(text):
    """French typography puts non-breaking spaces in dates and hours; the tests read plain spaces."""
    return str(text).replace("\xa0", " ")


def book(slot, person, **changes):
    return appointments.book(slot.pk, person, **({"theme": "", "token": uuid.uuid4(), "by": None} | changes))


# Opening hours.


def test_a_weekly_pattern_gives_its_slots_in_paris_time_minus_the_exceptions(centre, mediator):
    pattern = open_tuesdays(centre, mediator, exceptions=[dt.date(2026, 4, 7)])

    starts = [timezone.localtime(slot.start) for slot in pattern.slots.all()]
    # 17/3 to 28/4: 7 Tuesdays, one skipped, 4 slots each; 31/3 is after the clock change and still 14:00.
    assert len(starts) == 6 * 4
    assert {start.strftime("%H:%M") for start in starts} == {"14:00", "14:30", "15:00", "15:30"}
    assert dt.date(2026, 4, 7) not in {start.date() for start in starts}
    assert (
        spaced(pattern.describe())
        == "Chaque semaine le mardi, jusqu'au 30 avril 2026, de 14 h à 16 h : rendez-vous de 30 minutes"
    )


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"first_date": dt.date(2026, 3, 3)}, "Cette date est passée"),
        ({"start_time": dt.time(5)}, "entre 7 h et 21 h"),
        ({"first_date": dt.date(2026, 3, 10), "start_time": dt.time(9), "end_time": dt.time(10)}, "déjà passé"),
        ({"length_minutes": 180}, "aucun rendez-vous"),
    ],
)
def test_bad_hours_are_refused_and_nothing_is_opened(centre, mediator, changes, refusal):
    with pytest.raises(appointments.SlotRefused, match=refusal):
        open_tuesdays(centre, mediator, **changes)
    assert not Slot.objects.exists()


def test_hours_overlapping_the_same_mediators_are_refused_another_mediator_may_take_them(centre, mediator, pattern):
    with pytest.raises(appointments.SlotRefused) as refusal:
        open_tuesdays(centre, mediator, start_time=dt.time(15, 15), end_time=dt.time(17))
    assert spaced(refusal.value).startswith("Nadia a déjà un rendez-vous ouvert le mardi 17 mars à 15 h 15")
    other = mediator_of(centre, display_name="Karim")

    open_tuesdays(centre, other, mediators=[other])

    assert Slot.objects.filter(mediator=other).count() == pattern.slots.count()


def test_someone_outside_the_team_cannot_be_given_hours(centre, mediator, home):
    outsider = mediator_of(CentrePageFactory(parent=home, title="Centre du Canal"))
    with pytest.raises(appointments.NotAllowed):
        open_tuesdays(centre, mediator, mediators=[outsider])


def test_the_team_opens_hours_in_words_and_bad_input_is_answered_in_french(client, staff_login, centre, mediator):
    staff_login(client, mediator)
    url = reverse("suivi:open_hours", args=[centre.pk])
    data = {
        "weekdays": ["1"],
        "interval": "1",
        "first_date": "03/03/2026",
        "until": "30/04/2026",
        "start_time": "14 h",
        "end_time": "13 h",
        "length_minutes": "30",
        "mediators": [mediator.pk],
        "themes": ["famille"],
        "exceptions": "pas une date",
    }

    response = client.post(url, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Cette date est passée" in html
    assert "L&#x27;heure de fin doit venir après l&#x27;heure de début." in html
    assert "« pas une date » n&#x27;est pas une date" in html
    assert not Slot.objects.exists()

    response = client.post(
        url, data | {"first_date": "17/03/2026", "end_time": "16 h", "exceptions": "07/04/2026, 14/04/2026"}
    )

    assert response.status_code == 302
    assert Slot.objects.count() == 5 * 4


# Booking.


def test_a_visitor_sees_the_free_times_and_is_sent_to_sign_in_by_code_to_confirm(client, centre, pattern):
    times = client.get(reverse("rdv:times", args=[centre.pk]))
    assert "Famille, scolarité (CAF…)" in times.content.decode()
    assert "Je ne sais pas" in times.content.decode()
    chosen = client.get(reverse("rdv:times", args=[centre.pk]), {"theme": "famille"})
    slot = first_slot(pattern)
    confirm = f"{reverse('rdv:confirm', args=[slot.pk])}?theme=famille"
    assert confirm.replace("&", "&amp;") in chosen.content.decode()

    response = client.get(confirm)

    assert response.status_code == 302
    assert response.url.startswith("/compte/connexion/?next=")
    assert "mot-de-passe" not in response.url


def test_a_resident_books_in_three_taps_and_is_told_what_to_bring(client, centre, pattern):
    resident = resident_of(centre)
    client.force_login(resident)
    slot = first_slot(pattern)

    client.get(reverse("rdv:times", args=[centre.pk]))
    client.get(reverse("rdv:times", args=[centre.pk]), {"theme": "famille"})
    page = client.get(reverse("rdv:confirm", args=[slot.pk]), {"theme": "famille"})
    token = page.context["form"]["token"].value()
    response = client.post(reverse("rdv:confirm", args=[slot.pk]), {"theme": "famille", "token": token})

    appointment = Appointment.objects.get()
    assert response.url == reverse("rdv:appointment", args=[appointment.pk])
    assert (appointment.person.user, appointment.theme, appointment.slot) == (resident, "famille", slot)
    shown = client.get(response.url).content.decode()
    assert "numéro d&#x27;allocataire CAF" in shown
    notice = Notification.objects.get(recipient=resident)
    assert notice.kind == "appointment"
    assert spaced(notice.text).startswith("Rendez-vous pris : mardi 17 mars à 14 h")
    assert "allocataire CAF" in notice.text


def test_the_same_form_sent_twice_is_one_appointment(client, centre, pattern):
    client.force_login(resident_of(centre))
    slot = first_slot(pattern)
    data = {"theme": "", "token": str(uuid.uuid4())}

    first = client.post(reverse("rdv:confirm", args=[slot.pk]), data)
    second = client.post(reverse("rdv:confirm", args=[slot.pk]), data)

    assert first.url == second.url
    assert Appointment.objects.count() == 1


def test_a_taken_slot_is_refused_with_other_free_times(client, centre, pattern):
    slot = first_slot(pattern)
    book(slot, PersonFactory(centre=centre))
    client.force_login(resident_of(centre))

    response = client.post(
        reverse("rdv:confirm", args=[slot.pk]), {"theme": "", "token": str(uuid.uuid4())}, follow=True
    )

    assert response.redirect_chain[-1][0] == f"{reverse('rdv:times', args=[centre.pk])}?theme="
    assert "Quelqu'un vient de prendre cette heure." in str(next(iter(response.context["messages"])))
    assert slot not in response.context["slots"] and response.context["slots"]
    assert Appointment.objects.count() == 1


def test_the_database_refuses_two_active_appointments_on_one_slot(centre, pattern):
    slot = first_slot(pattern)
    Appointment.objects.create(slot=slot, person=PersonFactory(centre=centre), token=uuid.uuid4())
    Appointment.objects.create(
        slot=slot, person=PersonFactory(centre=centre), token=uuid.uuid4(), status=Appointment.Status.CANCELLED
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(slot=slot, person=PersonFactory(centre=centre), token=uuid.uuid4())


def test_a_person_already_booked_at_that_time_in_another_centre_is_refused(centre, pattern, home):
    resident = resident_of(centre)
    other = CentrePageFactory(parent=home, title="Centre du Canal")
    there = open_tuesdays(other, mediator_of(other, display_name="Karim"))
    book(first_slot(there), PersonFactory(centre=other, user=resident, label=""))

    with pytest.raises(appointments.PersonBusy):
        book(first_slot(pattern), PersonFactory(centre=centre, user=resident, label=""))


def test_a_cancelled_slot_is_free_again_and_the_resident_rebooks(client, centre, pattern):
    resident = resident_of(centre)
    client.force_login(resident)
    slot = first_slot(pattern)
    appointment = book(slot, Person.objects.create(centre=centre, user=resident))

    asked = client.post(reverse("rdv:cancel_mine", args=[appointment.pk]))
    assert asked.status_code == 200
    response = client.post(reverse("rdv:cancel_mine", args=[appointment.pk]), {"confirm": "oui"})

    assert response.url == f"{reverse('rdv:times', args=[centre.pk])}"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert slot in appointments.free_slots(centre.pk)
    assert book(slot, appointment.person).status == Appointment.Status.BOOKED


def test_the_desk_books_for_someone_without_an_account_and_the_label_is_text(client, staff_login, centre, pattern):
    staff_login(client, pattern.mediators.get())
    slot = first_slot(pattern)

    response = client.post(
        reverse("suivi:book_for", args=[centre.pk]),
        {"new_label": "AB" + HOSTILE[:20], "theme": "", "slot": slot.pk, "token": str(uuid.uuid4())},
    )

    assert response.status_code == 302
    day = client.get(response.url).content.decode()
    assert "<img src=x" not in day
    assert "AB&quot;&gt;&lt;img src=x" in day
    assert Appointment.objects.get().booked_by == pattern.mediators.get()


# Reminders, the day, kept or missed.


def test_the_reminder_goes_once_the_day_before_with_what_to_bring(centre, pattern):
    resident = resident_of(centre)
    book(first_slot(pattern), Person.objects.create(centre=centre, user=resident), theme="email")

    with freeze_time("2026-03-15 14:00:00+00:00"):
        assert appointments.send_due_reminders() == 0
    with freeze_time("2026-03-16 14:00:00+00:00"):
        assert appointments.send_due_reminders() == 1
        assert appointments.send_due_reminders() == 0

    reminder = Notification.objects.get(kind="appointment_reminder")
    assert spaced(reminder.text).startswith("Rappel : rendez-vous mardi 17 mars à 14 h")
    assert "l'adresse e-mail et son mot de passe" in reminder.text


def test_the_mediator_marks_kept_then_notes_the_session_prefilled(client, staff_login, centre, pattern):
    mediator = pattern.mediators.get()
    staff_login(client, mediator)
    person = PersonFactory(centre=centre, label="G. B.")
    appointment = book(first_slot(pattern), person, theme="famille")
    mark = reverse("suivi:mark_appointment", args=[appointment.pk])

    assert client.post(mark, {"kept": "oui"}).status_code == 302
    assert Appointment.objects.get().status == Appointment.Status.BOOKED  # not yet happened: refused

    with freeze_time("2026-03-17 14:00:00+00:00"):
        client.post(mark, {"kept": "oui"})
        day = client.get(reverse("suivi:day"), {"jour": "2026-03-17"}).content.decode()
        form = client.get(reverse("suivi:new_record", args=[centre.pk]), {"rdv": appointment.pk}).context["form"]

    assert Appointment.objects.get().status == Appointment.Status.KEPT
    assert f"{reverse('suivi:new_record', args=[centre.pk])}?rdv={appointment.pk}" in day
    assert form.initial["person"] == person.pk
    assert form.initial["procedure_themes"] == ["famille"]
    assert form.initial["date"] == dt.date(2026, 3, 17)
    assert form.initial["duration_minutes"] == 30
    assert not MediationRecord.objects.exists()


def test_the_mediators_calendar_lists_their_coming_appointments(client, staff_login, centre, pattern):
    staff_login(client, pattern.mediators.get())
    book(first_slot(pattern), PersonFactory(centre=centre, label="G. B."))

    response = client.get(reverse("suivi:calendar"))

    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Rendez-vous : G. B." in body
    assert "DTSTART;TZID=Europe/Paris:20260317T140000" in body


# Permissions: every address of the module is in one of these lists.

TEAM_BY_APPOINTMENT = {"suivi:mark_appointment", "suivi:team_cancel"}
TEAM_BY_CENTRE = {"suivi:open_hours", "suivi:book_for"}
TEAM_LISTS = {"suivi:day", "suivi:calendar"}
RESIDENT_BY_APPOINTMENT = {"rdv:appointment", "rdv:cancel_mine"}
RESIDENT_LISTS = {"rdv:mine"}
PUBLIC = {"rdv:times", "rdv:confirm"}


def names_of_views(patterns, module, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from names_of_views(pattern.url_patterns, module, inner)
        elif pattern.callback.__module__ == module.__name__:
            yield namespace + pattern.name


def test_every_address_is_in_the_permission_tests():
    names = set(names_of_views(get_resolver().url_patterns, appointment_views))
    assert (
        names == TEAM_BY_APPOINTMENT | TEAM_BY_CENTRE | TEAM_LISTS | RESIDENT_BY_APPOINTMENT | RESIDENT_LISTS | PUBLIC
    )


@pytest.mark.parametrize("name", sorted(TEAM_BY_APPOINTMENT | TEAM_BY_CENTRE | RESIDENT_BY_APPOINTMENT))
def test_another_centres_team_and_another_resident_get_not_found(client, staff_login, home, centre, pattern, name):
    appointment = book(first_slot(pattern), Person.objects.create(centre=centre, user=resident_of(centre)))
    arg = centre.pk if name in TEAM_BY_CENTRE else appointment.pk
    other = CentrePageFactory(parent=home, title="Centre du Canal")
    if name.startswith("rdv:"):
        client.force_login(resident_of(other))
    else:
        staff_login(client, mediator_of(other))

    send = client.get if name == "rdv:appointment" else client.post
    response = send(reverse(name, args=[arg]), {"kept": "oui", "confirm": "oui"})

    assert response.status_code == 404
    assert Appointment.objects.get().status == Appointment.Status.BOOKED


@pytest.mark.parametrize("name", sorted(TEAM_LISTS | RESIDENT_LISTS | RESIDENT_BY_APPOINTMENT | TEAM_BY_CENTRE))
def test_signed_out_visitors_are_sent_to_sign_in(client, centre, name):
    args = [] if name in TEAM_LISTS | RESIDENT_LISTS else [centre.pk]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response.url.startswith("/compte/connexion/")


# Query counts: the booking pages do not grow with the number of slots.


@pytest.mark.parametrize("weeks", [1, 6])
def test_the_booking_pages_answer_in_a_fixed_number_of_queries(
    client, centre, mediator, django_assert_max_num_queries, weeks
):
    pattern = open_tuesdays(centre, mediator, recurrence=f"FREQ=WEEKLY;BYDAY=TU,WE,TH;COUNT={3 * weeks}")
    client.force_login(resident_of(centre))
    slot = first_slot(pattern)
    with django_assert_max_num_queries(12):
        client.get(reverse("rdv:times", args=[centre.pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("rdv:times", args=[centre.pk]), {"theme": "famille"})
    with django_assert_max_num_queries(12):
        client.get(reverse("rdv:confirm", args=[slot.pk]), {"theme": "famille"})
