"""An editor types the activity's dates and hours in French in the admin: they are the ones saved, or refused aloud."""

import datetime as dt

import pytest
from django import forms
from django.utils import timezone
from django.utils.html import escape
from freezegun import freeze_time
from wagtail.models import get_page_models
from wagtail.snippets.models import get_snippet_models

from agenda.models import EventPage
from home.french_dates import DATE_ERROR, TIME_ERROR, FrenchTemporalMixin
from tests.agenda.factories import admin_form_data
from tests.factories import CentrePageFactory, UserFactory

pytestmark = pytest.mark.django_db

DECEMBER_8 = dt.date(2026, 12, 8)


@pytest.fixture(autouse=True)
def three_weeks_before():
    """8 December 2026 stays a date to come, whenever the tests run."""
    with freeze_time("2026-11-20 10:00"):
        yield


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home)


@pytest.fixture
def editor(client, centre, staff_login):
    person = UserFactory()
    person.groups.add(centre.team.editors)
    return staff_login(client, person)


def admin_form(**changes):
    return admin_form_data(**{"start_date": "09/12/2026", **changes})


def add(client, centre, **changes):
    return client.post(f"/admin/pages/add/agenda/eventpage/{centre.pk}/", admin_form(**changes))


@pytest.mark.parametrize(
    "typed", ["08/12/2026", "8 décembre 2026", "8 DEC. 2026", "mardi 8 décembre 2026", "8-12-2026", "08/12/26"]
)
def test_a_date_typed_in_french_is_the_date_saved(client, centre, editor, typed):
    response = add(client, centre, start_date=typed, start_time="14h30", end_time="16 h")

    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(slug="premiers-pas")
    assert (event.start_date, event.start_time, event.end_time) == (DECEMBER_8, dt.time(14, 30), dt.time(16))


def test_the_other_dates_the_end_of_a_repetition_and_the_reminder_read_french_too(client, centre, editor):
    response = add(
        client,
        centre,
        repeat="weekly",
        weekdays=["2"],
        until="1er janvier 2027",
        reminder_time="9h",
        **{
            "extra_dates-TOTAL_FORMS": "1",
            "extra_dates-0-date": "samedi 2 janv. 2027",
            "extra_dates-0-ORDER": "1",
            "extra_dates-0-id": "",
            "exceptions-TOTAL_FORMS": "1",
            "exceptions-0-date": "23/12/26",
            "exceptions-0-ORDER": "1",
            "exceptions-0-id": "",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(slug="premiers-pas")
    assert event.recurrence.endswith("UNTIL=20270101")
    assert event.reminder_time == dt.time(9)
    assert [extra.date for extra in event.extra_dates.all()] == [dt.date(2027, 1, 2)]
    assert [exception.date for exception in event.exceptions.all()] == [dt.date(2026, 12, 23)]


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("start_date", "32/13/2026", DATE_ERROR),
        ("start_date", "demain", DATE_ERROR),
        ("start_date", "<script>alert(1)</script>", DATE_ERROR),
        ("start_date", "lundi 8 décembre 2026", "Le 8\u00a0décembre 2026 est un mardi, pas un lundi."),
        ("until", "30 février 2027", DATE_ERROR),
        ("start_time", "14h75", TIME_ERROR),
        ("end_time", "l'après-midi", TIME_ERROR),
    ],
)
def test_anything_else_is_refused_next_to_the_field_keeping_what_was_typed(
    client, centre, editor, field, typed, error
):
    changes = {field: typed}
    if field == "until":
        changes.update(repeat="weekly", weekdays=["1"])

    response = add(client, centre, **changes)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    html = response.content.decode()
    assert escape(str(error)) in html
    assert f'value="{escape(typed)}"' in html
    assert "<script>alert(1)</script>" not in html
    assert not EventPage.objects.exists()


def test_the_admin_shows_the_saved_date_the_french_way(client, centre, editor):
    add(client, centre, start_date="8 décembre 2026")
    event = EventPage.objects.get(slug="premiers-pas")

    html = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()

    assert 'value="08/12/2026"' in html
    assert '"format": "d/m/Y"' in html


def test_publishing_later_reads_a_french_date_and_hour(client, centre, editor):
    response = add(client, centre, go_live_at="jeudi 10 décembre 2026 à 9 h")

    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(slug="premiers-pas")
    assert timezone.localtime(event.go_live_at).replace(tzinfo=None) == dt.datetime(2026, 12, 10, 9)


def admin_forms():
    """Every form of the admin that edits a page or a snippet, with the forms of their inline panels."""
    for model in get_page_models():
        form_class = model.get_edit_handler().get_form_class()
        yield model.__name__, form_class
        for name, formset in form_class.formsets.items():
            yield f"{model.__name__}.{name}", formset.form
    for model in get_snippet_models():
        yield model.__name__, model.snippet_viewset.get_form_class()


@pytest.mark.parametrize(
    ("name", "form_class"), list(admin_forms()), ids=lambda value: getattr(value, "__name__", value)
)
def test_every_date_and_hour_the_admin_asks_for_is_read_the_french_way(name, form_class):
    temporal = {
        field_name: field
        for field_name, field in form_class.base_fields.items()
        if isinstance(field, forms.DateField | forms.TimeField)
    }
    assert all(isinstance(field, FrenchTemporalMixin) for field in temporal.values()), (name, temporal)
