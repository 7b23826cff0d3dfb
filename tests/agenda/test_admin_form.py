"""The activity's admin form: dates in words become an RRULE; impossible dates and seats are refused in French."""

import datetime as dt

import pytest
from django.utils import timezone

from agenda.models import EventPage
from tests.agenda.factories import PlaceFactory, admin_form_data
from tests.factories import CentrePageFactory, UserFactory

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home)


def form_for(centre, **changes):
    data = admin_form_data(**{"audiences": "seniors, débutants", **changes})
    form_class = EventPage.get_edit_handler().get_form_class()
    return form_class(data, instance=EventPage(), parent_page=centre, for_user=UserFactory(network_admin=True))


def test_every_second_tuesday_and_thursday_until_june_is_written_as_a_rule(centre):
    form = form_for(centre, repeat="weekly", interval="2", weekdays=["1", "3"], until="2027-06-30")
    assert form.is_valid(), form.errors
    assert form.instance.recurrence == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270630"


def test_the_last_friday_of_each_month_six_times(centre):
    form = form_for(centre, repeat="monthly", month_position="-1", month_weekday="4", count="6")
    assert form.is_valid(), form.errors
    assert form.instance.recurrence == "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"


def test_the_form_shows_the_rule_back_in_words(centre):
    event = EventPage(recurrence="FREQ=MONTHLY;INTERVAL=2;BYDAY=+1SA;COUNT=6")
    form_class = EventPage.get_edit_handler().get_form_class()
    form = form_class(instance=event, parent_page=centre, for_user=UserFactory(network_admin=True))
    assert (form.initial["repeat"], form.initial["interval"], form.initial["count"]) == ("monthly", 2, 6)
    assert (form.initial["month_position"], form.initial["month_weekday"]) == ("1", "5")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"capacity": "0"}, "capacity", "Il faut au moins une place."),
        ({"capacity": "-3"}, "capacity", "Il faut au moins une place."),
        ({"capacity": ""}, "capacity", "Indiquez le nombre de places"),
        ({"end_time": "13:00"}, "end_time", "L'heure de fin doit venir après l'heure de début."),
        ({"start_date": "2020-01-01"}, "start_date", "Cette date est passée."),
        ({"repeat": "weekly", "weekdays": ["1"]}, "until", "Indiquez quand la répétition s'arrête"),
        ({"repeat": "weekly", "count": "3"}, "weekdays", "Cochez au moins un jour"),
        ({"repeat": "weekly", "weekdays": ["1"], "count": "3", "until": "2027-06-30"}, "count", "pas les deux"),
        ({"repeat": "weekly", "weekdays": ["1"], "until": "2020-01-01"}, "until", "après la première date"),
        ({"repeat": "monthly", "count": "3"}, "month_position", "Choisissez lequel"),
        ({"repeat": "weekly", "weekdays": ["1"], "count": "500"}, "count", "inférieure ou égale à 200"),
        ({"summary": "x" * 201}, "summary", "au plus 200"),
        ({"price": "-2"}, "price", "supérieure ou égale à 0"),
    ],
)
def test_impossible_dates_and_seats_are_refused_next_to_the_field(centre, changes, field, message):
    form = form_for(centre, **changes)
    assert not form.is_valid()
    assert any(message in error for error in form.errors.get(field, [])), form.errors


def test_places_offered_are_the_centres_own(centre, home):
    mine = PlaceFactory(centre=centre)
    PlaceFactory(centre=CentrePageFactory(parent=home))
    form = form_for(centre)
    assert list(form.fields["place"].queryset) == [mine]


def test_an_editor_adds_an_activity_under_their_centre_with_dates_in_words(client, centre, staff_login):
    editor = UserFactory()
    editor.groups.add(centre.team.editors)
    staff_login(client, editor)

    response = client.get(f"/admin/pages/add/agenda/eventpage/{centre.pk}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Se répète" in content and "Toutes les semaines, ou toutes les N semaines" in content
    assert "FREQ=" not in content
