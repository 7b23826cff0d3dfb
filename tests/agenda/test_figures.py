"""Figures for funders: registrations, attendance and people reached, by month, centre and activity, and their
report in the admin, which each team reads for its own centres only."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from agenda import figures
from agenda.models import Occurrence, Registration
from tests.agenda.factories import EventPageFactory, RegistrationFactory
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import PersonFactory, member_of

Status = Registration.Status


def paris(*args):
    return timezone.make_aware(dt.datetime(*args))


def dated(occurrence, start):
    Occurrence.objects.filter(pk=occurrence.pk).update(start=start, end=start + dt.timedelta(hours=1))
    return occurrence


def register(occurrence, status, person=None, **fields):
    return RegistrationFactory(occurrence=occurrence, person=person, status=status, **fields)


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social des Oliviers")


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Canal")


@pytest.fixture
def network(centre, other_centre):
    """March and April 2026 in two centres, with everything that can happen to a registration.

    Oliviers, March: "Atelier tablette" on two dates, "Café numérique" on one; Awa comes to both activities,
    Mme Lefèvre (no account) comes twice to the workshop, once typed with other spaces and capitals.
    The last date of March, at 23 h 30 in Paris, is already April in UTC: it counts in March.
    """
    tablet = EventPageFactory(parent=centre, title="Atelier tablette", weekly=True, capacity=10)
    cafe = EventPageFactory(parent=centre, title="Café numérique", capacity=10)
    canal = EventPageFactory(parent=other_centre, title="Sortie au musée", capacity=10)
    first, second, third, *later = tablet.occurrences.order_by("start")
    Occurrence.objects.filter(pk__in=[occurrence.pk for occurrence in later]).delete()
    dated(first, paris(2026, 3, 3, 14))
    dated(second, paris(2026, 3, 31, 23, 30))
    dated(third, paris(2026, 4, 7, 14))
    coffee = dated(cafe.occurrences.get(), paris(2026, 3, 12, 10))
    museum = dated(canal.occurrences.get(), paris(2026, 3, 20, 9))
    cancelled = dated(EventPageFactory(parent=centre, title="Loto").occurrences.get(), paris(2026, 3, 25, 14))
    Occurrence.objects.filter(pk=cancelled.pk).update(status=Occurrence.Status.CANCELLED)

    awa, bernard, chloe, driss = (
        member_of(centre, display_name=name) for name in ("Awa", "Bernard", "Chloé", "Driss")
    )
    register(first, Status.ATTENDED, awa)
    register(first, Status.ABSENT, bernard)
    register(first, Status.ATTENDED, name="Mme Lefèvre", phone="+33612345678")
    register(first, Status.WAITLISTED, chloe)
    register(first, Status.CANCELLED, driss)
    register(second, Status.ATTENDED, awa)
    register(second, Status.ATTENDED, name="  mme Lefèvre ", phone="+33612345678")
    register(second, Status.ATTENDED, name="Mme Lefèvre", phone="+33699999999")
    register(second, Status.CONFIRMED, bernard)
    register(coffee, Status.ATTENDED, awa)
    register(third, Status.ATTENDED, awa)
    register(museum, Status.ATTENDED, PersonFactory())
    register(cancelled, Status.CONFIRMED, chloe)
    return {"tablet": tablet, "cafe": cafe, "canal": canal}


def rows_by(rows, *keys):
    return {tuple(row[key] for key in keys): row for row in rows}


def month(row):
    return timezone.localtime(row["month"]).strftime("%Y-%m")


COUNTS = ["dates", "registered", "present", "absent", "waitlisted", "cancelled", "people_reached"]


def counts(row):
    return [row[key] for key in COUNTS]


def test_figures_by_activity_count_each_status_and_the_people_reached(network):
    rows = list(figures.by_activity(Occurrence.objects.all()))

    by_key = {(month(row), row["event__title"]): counts(row) for row in rows}
    assert by_key == {
        # dates, registered, present, absent, waitlisted, cancelled, people reached
        ("2026-03", "Atelier tablette"): [2, 7, 5, 1, 1, 1, 3],
        ("2026-03", "Café numérique"): [1, 1, 1, 0, 0, 0, 1],
        ("2026-03", "Sortie au musée"): [1, 1, 1, 0, 0, 0, 1],
        ("2026-04", "Atelier tablette"): [1, 1, 1, 0, 0, 0, 1],
    }


def test_someone_who_came_to_two_activities_is_one_person_reached_in_the_centres_month(network, centre):
    rows = list(figures.by_centre(Occurrence.objects.all()))

    by_key = {(month(row), row["centre__title"]): counts(row) for row in rows}
    # Awa (tablet and coffee) and Mme Lefèvre with her number are one person each; her namesake is another.
    assert by_key[("2026-03", centre.title)] == [3, 8, 6, 1, 1, 1, 3]
    assert by_key[("2026-03", "Centre social du Canal")] == [1, 1, 1, 0, 0, 0, 1]
    assert by_key[("2026-04", centre.title)] == [1, 1, 1, 0, 0, 0, 1]
    assert len(rows) == 3


def test_the_figures_are_one_query_whatever_the_number_of_rows(network, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(figures.by_activity(Occurrence.objects.all()))
    with django_assert_num_queries(1):
        list(figures.by_centre(Occurrence.objects.filter(centre__title__startswith="Centre")))


# The report in the admin.


def editor_of(centre):
    editor = PersonFactory()
    editor.groups.add(centre.team.editors)
    return editor


def staff_without_centre():
    user = UserFactory()
    group = Group.objects.create(name="Accès à l'administration")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user.groups.add(group)
    return user


REPORT = "agenda_attendance_report"


def test_a_team_reads_the_figures_of_its_own_centres_only(client, staff_login, network, centre, other_centre):
    staff_login(client, editor_of(centre))

    response = client.get(reverse(REPORT))

    assert response.status_code == 200
    rows = response.context["object_list"]
    assert {row["centre__title"] for row in rows} == {centre.title}
    assert {row["month_label"] for row in rows} == {"mars 2026", "avril 2026"}
    filter_form = response.context["filters"].form
    assert list(filter_form.fields["centre"].queryset) == [centre]
    assert "Sortie au musée" not in response.content.decode()


def test_a_network_admin_filters_by_month_and_centre(client, staff_login, network, centre, other_centre):
    staff_login(client, UserFactory(network_admin=True))

    everything = client.get(reverse(REPORT)).context["object_list"]
    april = client.get(reverse(REPORT), {"month": "2026-04"}).context["object_list"]
    canal = client.get(reverse(REPORT), {"centre": other_centre.pk}).context["object_list"]
    whole_centres = client.get(reverse(REPORT), {"detail": "centre", "month": "2026-03"}).context["object_list"]

    assert len(everything) == 4
    assert [(row["event__title"], row["present"]) for row in april] == [("Atelier tablette", 1)]
    assert [row["event__title"] for row in canal] == ["Sortie au musée"]
    assert {(row["centre__title"], row["event__title"], row["people_reached"]) for row in whole_centres} == {
        (centre.title, "Toutes les activités", 3),
        (other_centre.title, "Toutes les activités", 1),
    }


def test_the_report_exports_a_spreadsheet_in_french(client, staff_login, network, centre):
    staff_login(client, editor_of(centre))

    response = client.get(reverse(REPORT), {"export": "csv", "month": "2026-03"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "Mois",
        "Centre",
        "Activité",
        "Séances",
        "Inscriptions",
        "Présences",
        "Absences",
        "En liste d'attente",
        "Désinscriptions",
        "Personnes touchées",
    ]
    assert sorted(rows[1:]) == [
        ["mars 2026", centre.title, "Atelier tablette", "2", "7", "5", "1", "1", "1", "3"],
        ["mars 2026", centre.title, "Café numérique", "1", "1", "1", "0", "0", "0", "1"],
    ]


def test_staff_who_run_no_centre_do_not_get_the_report(client, staff_login, network):
    staff_login(client, staff_without_centre())

    response = client.get(reverse(REPORT))
    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert reverse(REPORT) not in home
    assert reverse("agenda:team") not in home


def test_the_report_is_in_the_reports_menu_of_a_centres_team(client, staff_login, network, centre):
    staff_login(client, editor_of(centre))

    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse(REPORT) in home
    assert reverse("agenda:team") in home


@pytest.mark.parametrize("who", ["resident", "anonymous"])
def test_residents_and_visitors_are_sent_to_sign_in(client, network, centre, who):
    if who == "resident":
        client.force_login(member_of(centre))

    response = client.get(reverse(REPORT))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
