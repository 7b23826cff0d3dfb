"""The centre team's pages: dates, lists, attendance, the front desk, cancelling and moving, exports; and the
agenda's snippets in the admin. A team sees and changes its own centres' dates only."""

import csv
import datetime as dt
import io
from contextlib import nullcontext

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from freezegun import freeze_time
from openpyxl import load_workbook

from agenda import services
from agenda.models import Occurrence, Place, Registration
from agenda.views import team
from agenda.wagtail_hooks import place_policy
from home.french_dates import DATE_ERROR
from home.templatetags.french import MONTHS
from notifications.models import Notification
from tests.accounts.factories import mediator_of, resident_of
from tests.agenda.factories import EventPageFactory, PlaceFactory, RegistrationFactory, first_date
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import PersonFactory, member_of

Status = Registration.Status


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social des Oliviers")


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Canal")


def editor_of(centre, **fields):
    editor = PersonFactory(display_name="Samia (animatrice)", **fields)
    editor.groups.add(centre.team.editors)
    return editor


@pytest.fixture
def editor(centre):
    return editor_of(centre)


@pytest.fixture
def event(centre):
    """An activity tomorrow, 14 h – 16 h, two seats."""
    return EventPageFactory(parent=centre, title="Atelier tablette", capacity=2)


@pytest.fixture
def occurrence(event):
    return first_date(event)


def on_the_day(occurrence):
    """While the activity is on (the day attendance can be marked)."""
    return freeze_time(occurrence.start + dt.timedelta(minutes=30))


def reloaded(occurrence):
    return Occurrence.objects.get(pk=occurrence.pk)


def page_of(occurrence):
    return reverse("agenda:team_occurrence", args=[occurrence.pk])


def state():
    """Everything a refused request must leave as it was."""
    return (
        list(Registration.objects.order_by("pk").values_list("pk", "status", "name")),
        list(Occurrence.objects.order_by("pk").values_list("pk", "status", "start", "end", "confirmed_count")),
        Notification.objects.count(),
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# Who may reach the pages. Every staff address is listed here: a new one missing from the list fails below.

LATER = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
STAFF_REQUESTS = {
    "agenda:team_occurrence": ("get", "occurrence", {}),
    "agenda:attendance": ("post", "registration", {"present": "1"}),
    "agenda:front_desk": ("post", "occurrence", {"name": "Intrus"}),
    "agenda:cancel_occurrence": ("post", "occurrence", {"reason": "Je n'ai pas le droit."}),
    "agenda:move_occurrence": ("post", "occurrence", {"date": LATER, "start": "10:00", "end": "11:00"}),
    "agenda:export": ("get", "occurrence", {}),
}


def staff_url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from staff_url_names(pattern.url_patterns, inner)
        elif pattern.callback.__module__ == team.__name__:
            yield namespace + pattern.name


def test_every_staff_address_is_in_the_permission_tests():
    assert set(staff_url_names(get_resolver().url_patterns)) == {*STAFF_REQUESTS, "agenda:team"}


def staff_url(name, occurrence, registration, format="csv"):
    if name == "agenda:export":
        return reverse(name, args=[occurrence.pk, format])
    target = registration if STAFF_REQUESTS[name][1] == "registration" else occurrence
    return reverse(name, args=[target.pk])


@pytest.mark.parametrize("name", list(STAFF_REQUESTS))
def test_the_team_of_another_centre_gets_not_found_and_changes_nothing(
    client, staff_login, name, centre, other_centre, occurrence
):
    registration = services.register(occurrence.pk, member_of(centre))
    staff_login(client, editor_of(other_centre))
    before = state()
    method, _target, data = STAFF_REQUESTS[name]

    # On the day, so that the date itself would not stop the attendance.
    with on_the_day(occurrence) if name == "agenda:attendance" else nullcontext():
        response = getattr(client, method)(staff_url(name, occurrence, registration), data)

    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("name", list(STAFF_REQUESTS))
def test_a_resident_of_the_centre_gets_not_found_and_changes_nothing(client, name, centre, occurrence):
    resident = member_of(centre)
    registration = services.register(occurrence.pk, resident)
    client.force_login(resident)
    before = state()
    method, _target, data = STAFF_REQUESTS[name]

    response = getattr(client, method)(staff_url(name, occurrence, registration), data)

    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("name", [*STAFF_REQUESTS, "agenda:team"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name, centre, occurrence):
    registration = services.register(occurrence.pk, member_of(centre))
    url = reverse(name) if name == "agenda:team" else staff_url(name, occurrence, registration)
    before = state()
    method = "get" if name == "agenda:team" else STAFF_REQUESTS[name][0]

    response = getattr(client, method)(url, {} if name == "agenda:team" else STAFF_REQUESTS[name][2])

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_request_login_code"))
    assert state() == before


def test_a_resident_is_told_in_french_that_the_dashboard_is_for_the_teams(client, centre, occurrence):
    client.force_login(member_of(centre))

    response = client.get(reverse("agenda:team"))

    assert response.status_code == 403
    assert "réservée aux équipes des centres" in response.content.decode()
    assert occurrence.event.title not in response.content.decode()


# The dashboard.


def test_the_dashboard_lists_the_next_two_weeks_of_my_centre_only(
    client, staff_login, centre, other_centre, editor, event
):
    theirs = EventPageFactory(parent=other_centre, title="Sortie au musée")
    far = EventPageFactory(
        parent=centre, title="Loto de printemps", start_date=timezone.localdate() + dt.timedelta(days=30)
    )
    staff_login(client, editor)

    response = client.get(reverse("agenda:team"))

    content = response.content.decode()
    assert response.status_code == 200
    assert event.title in content
    assert reverse("agenda:team_occurrence", args=[first_date(event).pk]) in content
    assert theirs.title not in content
    assert far.title not in content
    assert "0\u00a0place prise sur 2" in content


def test_the_dashboard_shows_one_activity_when_asked_from_the_admin(
    client, staff_login, centre, other_centre, editor, event
):
    weekly = EventPageFactory(parent=centre, title="Café numérique", weekly=True)
    staff_login(client, editor)

    response = client.get(reverse("agenda:team"), {"activite": weekly.pk})

    shown = [occurrence.event_id for occurrence in response.context["occurrences"]]
    assert shown and set(shown) == {weekly.pk}
    assert "<h1>Café numérique</h1>" in response.content.decode()
    theirs = EventPageFactory(parent=other_centre)
    assert client.get(reverse("agenda:team"), {"activite": theirs.pk}).status_code == 404
    assert client.get(reverse("agenda:team"), {"activite": "abc"}).status_code == 404


def test_a_mediator_runs_the_dashboard_of_their_centre(client, staff_login, centre, occurrence):
    staff_login(client, mediator_of(centre))

    response = client.get(reverse("agenda:team"))

    assert response.status_code == 200
    assert [shown.pk for shown in response.context["occurrences"]] == [occurrence.pk]


# One date's page.


def test_the_date_page_lists_the_registered_with_their_phone_and_the_waitlist_in_order(
    client, staff_login, centre, editor, occurrence
):
    first, second = member_of(centre, display_name="Awa"), member_of(centre, display_name="Bernard")
    waiting_first, waiting_second = member_of(centre, display_name="Chloé"), member_of(centre, display_name="Driss")
    for person in (first, second, waiting_first, waiting_second):
        services.register(occurrence.pk, person)
    staff_login(client, editor)

    response = client.get(page_of(occurrence))

    content = response.content.decode()
    assert [registration.person for registration in response.context["holding"]] == [first, second]
    assert [registration.person for registration in response.context["waiting"]] == [waiting_first, waiting_second]
    assert f'href="tel:{first.phone.as_e164}"' in content and first.phone.as_national in content
    assert "2 sur 2" in content
    assert "Les présences se notent le jour de l'activité." in content
    assert "aria-pressed" not in content


def test_on_the_day_each_registered_person_has_two_big_toggle_buttons(client, staff_login, centre, editor, occurrence):
    registration = services.register(occurrence.pk, member_of(centre, display_name="Awa"))
    staff_login(client, editor)

    with on_the_day(occurrence):
        services.mark_attendance(registration.pk, by=editor, present=True)
        content = client.get(page_of(occurrence)).content.decode()

    action = reverse("agenda:attendance", args=[registration.pk])
    assert f'action="{action}"' in content
    assert 'name="present" value="1" aria-pressed="true">Présent' in content
    assert 'name="present" value="0" aria-pressed="false">Absent' in content
    assert 'src="/static/js/attendance.js"' in content


def test_the_date_page_costs_the_same_queries_for_3_or_30_registrations(client, staff_login, centre, editor, home):
    def queries_for(count):
        event = EventPageFactory(parent=centre, capacity=40)
        occurrence = first_date(event)
        for number in range(count):
            if number % 3 == 0:
                RegistrationFactory(occurrence=occurrence, name=f"Personne {number}", registered_by=editor)
            elif number % 3 == 1:
                RegistrationFactory(occurrence=occurrence, person=PersonFactory(), registered_by=editor)
            else:
                RegistrationFactory(occurrence=occurrence, person=PersonFactory(), status=Status.WAITLISTED)
        client.get(page_of(occurrence))  # sessions and caches warmed up
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_of(occurrence))
        assert response.status_code == 200
        assert len(response.context["holding"]) + len(response.context["waiting"]) == count
        return len(queries)

    mediator = mediator_of(centre)
    resident_of(centre, consent=True)
    staff_login(client, mediator)

    assert queries_for(3) == queries_for(30)


# Attendance.


def test_attendance_is_refused_before_the_day_with_a_french_message(client, staff_login, centre, editor, occurrence):
    registration = services.register(occurrence.pk, member_of(centre))
    staff_login(client, editor)

    response = client.post(reverse("agenda:attendance", args=[registration.pk]), {"present": "1"}, follow=True)

    assert "La présence se note le jour de l'activité, pas avant." in messages_of(response)
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED


def test_attendance_toggles_between_present_and_absent_on_the_day(client, staff_login, centre, editor, occurrence):
    registration = services.register(occurrence.pk, member_of(centre, display_name="Awa"))
    staff_login(client, editor)
    url = reverse("agenda:attendance", args=[registration.pk])

    with on_the_day(occurrence):
        present = client.post(url, {"present": "1"})
        assert Registration.objects.get(pk=registration.pk).status == Status.ATTENDED
        absent = client.post(url, {"present": "0"}, follow=True)

    assert present.status_code == 302
    assert present.url == f"{page_of(occurrence)}#inscription-{registration.pk}"
    assert Registration.objects.get(pk=registration.pk).status == Status.ABSENT
    assert "Absence notée : Awa." in messages_of(absent)
    assert reloaded(occurrence).confirmed_count == 1


def test_attendance_answers_json_to_the_pages_script(client, staff_login, centre, editor, occurrence):
    registration = services.register(occurrence.pk, member_of(centre, display_name="Awa"))
    waiting = Registration.objects.create(occurrence=occurrence, name="Zoé", status=Status.WAITLISTED)
    staff_login(client, editor)
    url = reverse("agenda:attendance", args=[registration.pk])

    with on_the_day(occurrence):
        answer = client.post(url, {"present": "1"}, headers={"Accept": "application/json"})
        refused = client.post(
            reverse("agenda:attendance", args=[waiting.pk]), {"present": "1"}, headers={"Accept": "application/json"}
        )
        malformed = client.post(url, {"present": "peut-être"})

    assert answer.json() == {
        "ok": True,
        "present": True,
        "status": "attended",
        "status_label": "présent",
        "message": "Présence notée : Awa.",
    }
    assert refused.status_code == 409
    assert refused.json()["message"].startswith("Seules les personnes inscrites")
    assert Registration.objects.get(pk=waiting.pk).status == Status.WAITLISTED
    assert malformed.status_code == 400
    assert Registration.objects.get(pk=registration.pk).status == Status.ATTENDED


# The front desk.


def test_the_front_desk_registers_someone_without_an_account(client, staff_login, editor, occurrence):
    staff_login(client, editor)

    response = client.post(
        reverse("agenda:front_desk", args=[occurrence.pk]), {"name": "  Mme Lefèvre ", "phone": "06 12 34 56 78"}
    )

    assert response.status_code == 302
    registration = Registration.objects.get(occurrence=occurrence)
    assert (registration.name, registration.phone.as_e164, registration.person) == (
        "Mme Lefèvre",
        "+33612345678",
        None,
    )
    assert (registration.status, registration.registered_by) == (Status.CONFIRMED, editor)
    assert reloaded(occurrence).confirmed_count == 1


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"name": "", "phone": "06 12 34 56 78"}, "name", "Indiquez le nom de la personne."),
        ({"name": "   ", "phone": ""}, "name", "Indiquez le nom de la personne."),
        ({"name": "Mme Lefèvre", "phone": "12"}, "phone", "Ce numéro de téléphone n'est pas valide."),
        ({"name": "x" * 101, "phone": ""}, "name", "Assurez-vous que cette valeur comporte au plus 100 caractères"),
    ],
)
def test_the_front_desk_answers_bad_input_in_french_and_keeps_what_was_typed(
    client, staff_login, editor, occurrence, data, field, error
):
    staff_login(client, editor)
    before = state()

    response = client.post(reverse("agenda:front_desk", args=[occurrence.pk]), data)

    assert response.status_code == 400
    form = response.context["front_desk_form"]
    assert any(error in message for message in form.errors[field])
    content = response.content.decode()
    assert 'href="#accueil"' in content
    if data["phone"]:
        assert f'value="{data["phone"]}"' in content
    assert state() == before


def test_the_front_desk_escapes_what_is_typed(client, staff_login, editor, occurrence):
    staff_login(client, editor)

    client.post(reverse("agenda:front_desk", args=[occurrence.pk]), {"name": '"><img src=x onerror=alert(1)>'})
    content = client.get(page_of(occurrence)).content.decode()

    assert "<img src=x" not in content
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in content


def test_when_full_the_front_desk_puts_the_person_on_the_waitlist(client, staff_login, centre, editor, occurrence):
    for _ in range(2):
        services.register(occurrence.pk, member_of(centre))
    staff_login(client, editor)

    response = client.post(reverse("agenda:front_desk", args=[occurrence.pk]), {"name": "M. Petit"}, follow=True)

    assert Registration.objects.get(name="M. Petit").status == Status.WAITLISTED
    assert "C'est complet : M. Petit est sur la liste d'attente." in messages_of(response)
    assert reloaded(occurrence).waitlist_count == 1


def test_the_front_desk_refuses_a_cancelled_date_in_french_next_to_the_form(client, staff_login, editor, occurrence):
    Occurrence.objects.filter(pk=occurrence.pk).update(status=Occurrence.Status.CANCELLED)
    staff_login(client, editor)
    before = state()

    response = client.post(reverse("agenda:front_desk", args=[occurrence.pk]), {"name": "M. Petit"})

    assert response.status_code == 400
    assert response.context["front_desk_form"].non_field_errors() == [
        "Cette date est annulée : on ne peut plus s'y inscrire."
    ]
    assert state() == before


def test_a_mediator_registers_a_resident_who_consented(client, staff_login, centre, occurrence):
    mediator = mediator_of(centre)
    resident = resident_of(centre, consent=True, display_name="Odette")
    staff_login(client, mediator)

    page = client.get(page_of(occurrence)).content.decode()
    response = client.post(reverse("agenda:front_desk", args=[occurrence.pk]), {"resident": resident.pk}, follow=True)

    assert "Odette" in page
    registration = Registration.objects.get(occurrence=occurrence)
    assert (registration.person, registration.registered_by) == (resident, mediator)
    assert Notification.objects.filter(recipient=resident, kind="registration").exists()
    assert "C'est noté : Odette a une place." in messages_of(response)


def test_a_mediator_cannot_register_a_resident_who_did_not_consent(client, staff_login, centre, occurrence):
    staff_login(client, mediator_of(centre))
    stranger = resident_of(centre)
    before = state()

    response = client.post(reverse("agenda:front_desk", args=[occurrence.pk]), {"resident": stranger.pk})

    assert response.status_code == 400
    assert response.context["helped_form"].errors["resident"] == ["Cette personne ne vous a pas donné son accord."]
    assert state() == before


# Cancelling and moving a date.


def test_cancelling_a_date_tells_everyone_registered(client, staff_login, centre, editor, occurrence):
    people = [member_of(centre) for _ in range(3)]
    for person in people:
        services.register(occurrence.pk, person)
    services.register_at_front_desk(occurrence.pk, name="Mme Lefèvre", phone="+33612345678", by=editor)
    staff_login(client, editor)

    response = client.post(
        reverse("agenda:cancel_occurrence", args=[occurrence.pk]), {"reason": "L'animatrice est malade."}, follow=True
    )

    assert reloaded(occurrence).status == Occurrence.Status.CANCELLED
    assert reloaded(occurrence).cancel_reason == "L'animatrice est malade."
    for person in people:
        notice = Notification.objects.get(recipient=person, kind="occurrence_changed")
        assert "est annulé" in notice.text and "L'animatrice est malade." in notice.text
    assert any("Appelez la personne inscrite à l'accueil." in message for message in messages_of(response))
    assert "Cette date est annulée." in response.content.decode()


def test_cancelling_needs_a_reason_in_french(client, staff_login, centre, editor, occurrence):
    services.register(occurrence.pk, member_of(centre))
    staff_login(client, editor)
    before = state()

    response = client.post(reverse("agenda:cancel_occurrence", args=[occurrence.pk]), {"reason": "  "})

    assert response.status_code == 400
    assert response.context["cancel_form"].errors["reason"] == [
        "Dites pourquoi : chaque personne inscrite lira ce message."
    ]
    assert state() == before


def test_moving_a_date_tells_everyone_registered(client, staff_login, centre, editor, occurrence):
    person = member_of(centre)
    services.register(occurrence.pk, person)
    staff_login(client, editor)
    day = timezone.localdate() + dt.timedelta(days=5)

    response = client.post(
        reverse("agenda:move_occurrence", args=[occurrence.pk]),
        {"date": day.isoformat(), "start": "10:00", "end": "11:30"},
    )

    assert response.status_code == 302
    moved = reloaded(occurrence)
    assert timezone.localtime(moved.start) == timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    assert timezone.localtime(moved.end) == timezone.make_aware(dt.datetime.combine(day, dt.time(11, 30)))
    assert moved.moved
    notice = Notification.objects.get(recipient=person, kind="occurrence_changed")
    assert "change d'horaire" in notice.text and "à 10\u00a0h." in notice.text


@pytest.mark.parametrize(
    ("when", "field", "error"),
    [
        ({"days": 5, "start": "11:00", "end": "10:00"}, "end", "L'heure de fin doit venir après l'heure de début."),
        ({"days": 5, "start": "11:00", "end": "11:00"}, "end", "L'heure de fin doit venir après l'heure de début."),
        (
            {"days": -1, "start": "10:00", "end": "11:00"},
            "date",
            "Cette date est passée. Choisissez une date à venir.",
        ),
        (
            {"days": 5, "start": "25:00", "end": "11:00"},
            "start",
            "Saisissez une heure comme 14\u00a0h\u00a030 ou 14:30.",
        ),
        ({"date": "32/13/2026", "start": "10:00", "end": "11:00"}, "date", DATE_ERROR),
        ({"date": "demain", "start": "10:00", "end": "11:00"}, "date", DATE_ERROR),
        ({"date": "<script>alert(1)</script>", "start": "10:00", "end": "11:00"}, "date", DATE_ERROR),
        ({"date": "", "start": "10:00", "end": "11:00"}, "date", "Indiquez la nouvelle date."),
    ],
)
def test_moving_answers_bad_dates_in_french_next_to_the_field(
    client, staff_login, centre, editor, occurrence, when, field, error
):
    services.register(occurrence.pk, member_of(centre))
    staff_login(client, editor)
    day = when.get("date", (timezone.localdate() + dt.timedelta(days=when.get("days", 0))).isoformat())
    before = state()

    response = client.post(
        reverse("agenda:move_occurrence", args=[occurrence.pk]),
        {"date": day, "start": when["start"], "end": when["end"]},
    )

    assert response.status_code == 400
    assert response.context["move_form"].errors[field] == [error]
    assert f'value="{when["start"]}"' in response.content.decode()
    assert f'value="{escape(day)}"' in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("typed", ["{day:%d/%m/%Y}", "{day:%d/%m/%y}", "{day.day}-{day.month}-{day.year}", "{words}"])
def test_moving_reads_the_date_and_hours_as_typed_in_french(client, staff_login, centre, editor, occurrence, typed):
    day = timezone.localdate() + dt.timedelta(days=5)
    words = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    staff_login(client, editor)

    response = client.post(
        reverse("agenda:move_occurrence", args=[occurrence.pk]),
        {"date": typed.format(day=day, words=words), "start": "10h", "end": "11 h 30"},
    )

    assert response.status_code == 302
    moved = reloaded(occurrence)
    assert timezone.localtime(moved.start) == timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    assert timezone.localtime(moved.end) == timezone.make_aware(dt.datetime.combine(day, dt.time(11, 30)))


def test_a_past_date_can_no_longer_be_cancelled_or_moved(client, staff_login, editor, occurrence):
    Occurrence.objects.filter(pk=occurrence.pk).update(
        start=timezone.now() - dt.timedelta(days=2), end=timezone.now() - dt.timedelta(days=2, hours=-2)
    )
    staff_login(client, editor)
    before = state()

    page = client.get(page_of(occurrence))
    response = client.post(reverse("agenda:cancel_occurrence", args=[occurrence.pk]), {"reason": "Trop tard."})

    assert 'id="annuler"' not in page.content.decode()
    assert response.context["cancel_form"].non_field_errors() == [
        "Cette date est passée : elle ne peut plus être annulée."
    ]
    assert state() == before


# Exports.


@pytest.fixture
def listed(centre, editor, occurrence):
    """Two people with accounts (one helped by a mediator), one at the desk with a hostile name, one waiting."""
    services.register(occurrence.pk, member_of(centre, display_name="Awa", phone="+33612345601"))
    services.register_at_front_desk(occurrence.pk, name="=HYPERLINK(1)", phone="+33612345602", by=editor)
    services.register_at_front_desk(occurrence.pk, name="Mme Lefèvre", by=editor)
    return occurrence


def test_the_csv_export_opens_in_french_excel(client, staff_login, editor, listed, event):
    staff_login(client, editor)

    response = client.get(reverse("agenda:export", args=[listed.pk, "csv"]))

    assert response.status_code == 200
    day = timezone.localtime(listed.start).date().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-{day}.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nom", "Téléphone", "État", "Inscription le", "Inscription faite par"]
    assert [row[:3] for row in rows[1:]] == [
        ["Awa", "06 12 34 56 01", "inscrit"],
        ["'=HYPERLINK(1)", "06 12 34 56 02", "inscrit"],
        ["Mme Lefèvre", "", "en liste d'attente"],
    ]
    assert rows[1][4] == "En ligne"
    assert rows[2][4] == "À l'accueil (Samia (animatrice))"
    assert dt.datetime.strptime(rows[1][3], "%d/%m/%Y %H:%M")


def test_the_xlsx_export_opens_with_openpyxl(client, staff_login, editor, listed):
    staff_login(client, editor)

    response = client.get(reverse("agenda:export", args=[listed.pk, "xlsx"]))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Nom", "Téléphone", "État", "Inscription le", "Inscription faite par")
    assert [row[0] for row in rows[1:]] == ["Awa", "=HYPERLINK(1)", "Mme Lefèvre"]
    assert sheet["A3"].data_type == "s"
    assert isinstance(rows[1][3], dt.datetime)


def test_an_unknown_export_format_is_not_found(client, staff_login, editor, listed):
    staff_login(client, editor)

    assert client.get(reverse("agenda:export", args=[listed.pk, "pdf"])).status_code == 404


# In the admin: categories are the network's, places their centre's.


def test_editors_manage_the_places_of_their_centre_only(client, staff_login, centre, other_centre, editor):
    ours, theirs = PlaceFactory(centre=centre, name="Salle bleue"), PlaceFactory(centre=other_centre, name="Préau")
    staff_login(client, editor)

    listing = client.get(reverse("wagtailsnippets_agenda_place:list"))
    edit_theirs = client.get(reverse("wagtailsnippets_agenda_place:edit", args=[theirs.pk]))
    delete_theirs = client.post(reverse("wagtailsnippets_agenda_place:delete", args=[theirs.pk]))
    form = client.get(reverse("wagtailsnippets_agenda_place:add")).context["form"]

    assert listing.status_code == 200
    assert [place.name for place in listing.context["object_list"]] == ["Salle bleue"]
    assert client.get(reverse("wagtailsnippets_agenda_place:edit", args=[ours.pk])).status_code == 200
    assert (edit_theirs.status_code, delete_theirs.status_code) == (404, 404)
    assert Place.objects.filter(pk=theirs.pk).exists()
    assert list(form.fields["centre"].queryset) == [centre]
    assert form.initial["centre"] == centre.pk


def test_an_editor_creates_places_for_their_centre_not_for_another(client, staff_login, centre, other_centre, editor):
    staff_login(client, editor)
    place = {"name": "Salle", "street_address": "1 rue des Arts", "postcode": "59100", "town": "Roubaix"}

    refused = client.post(reverse("wagtailsnippets_agenda_place:add"), {**place, "centre": other_centre.pk})
    client.post(reverse("wagtailsnippets_agenda_place:add"), {**place, "centre": centre.pk})

    assert refused.status_code == 200
    assert "centre" in refused.context["form"].errors
    assert list(Place.objects.values_list("centre", "name")) == [(centre.pk, "Salle")]


def test_the_place_policy_names_the_teams_and_the_network_admins(centre, editor):
    admin, resident = UserFactory(network_admin=True), member_of(centre)
    mediator = mediator_of(centre)

    assert set(place_policy.users_with_permission("change")) == {admin, editor, mediator}
    assert resident not in place_policy.users_with_any_permission(["add", "delete"])


def test_the_place_chooser_offers_the_places_of_my_centres(client, staff_login, centre, other_centre, editor):
    PlaceFactory(centre=centre, name="Salle bleue")
    PlaceFactory(centre=other_centre, name="Préau")
    staff_login(client, editor)

    response = client.get(reverse("wagtailsnippetchoosers_agenda_place:choose"))

    assert [place.name for place in response.context["items"]] == ["Salle bleue"]


def test_only_network_admins_edit_categories_which_editors_choose_on_their_activities(
    client, staff_login, centre, editor, event
):
    staff_login(client, editor)
    assert client.get(reverse("wagtailsnippets_agenda_category:add")).status_code == 302
    assert client.get(reverse("wagtailsnippets_agenda_category:edit", args=[event.category_id])).status_code == 302
    form = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).context["form"]
    assert event.category in form.fields["category"].queryset

    staff_login(client, UserFactory(network_admin=True))
    assert client.get(reverse("wagtailsnippets_agenda_category:add")).status_code == 200


def test_an_activity_in_the_admin_links_to_its_dates_for_its_team_only(
    client, staff_login, centre, other_centre, editor, event
):
    staff_login(client, editor)
    link = f"{reverse('agenda:team')}?activite={event.pk}"

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    listing = client.get(reverse("wagtailadmin_explore", args=[centre.pk])).content.decode()

    assert link in edit and link in listing
    staff_login(client, editor_of(other_centre))
    assert link not in client.get(reverse("wagtailadmin_explore", args=[centre.pk])).content.decode()
