"""Open now, in Paris time, whatever the day and across the clock changes; the SQL test agrees with the Python one."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carte.models import PlaceOpeningHours, UsefulPlace
from carte.opening import PARIS, is_open_at, open_at
from tests.carte.factories import UsefulPlaceFactory

UTC = dt.UTC
slot_times = st.tuples(st.times(), st.times()).filter(lambda pair: pair[0] < pair[1])
slots = st.lists(
    st.builds(
        lambda weekday, times: SimpleNamespace(weekday=weekday, opens=times[0], closes=times[1]),
        st.integers(0, 6),
        slot_times,
    ),
    max_size=6,
)
# Instants around 2020–2030, which holds ten spring and ten autumn clock changes.
instants = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31), timezones=st.just(UTC))


@given(slots, instants)
def test_open_exactly_when_the_paris_wall_clock_falls_in_a_slot_of_that_weekday(week, moment):
    local = moment.astimezone(ZoneInfo("Europe/Paris"))
    expected = any(s.weekday == local.weekday() and s.opens <= local.time() < s.closes for s in week)
    assert is_open_at(week, moment) is expected


@given(slots, instants)
def test_the_same_instant_in_any_time_zone_gives_the_same_answer(week, moment):
    elsewhere = moment.astimezone(ZoneInfo("America/Cayenne"))
    assert is_open_at(week, moment) is is_open_at(week, elsewhere)


def last_sunday(year, month):
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() - 6) % 7)


SUNDAY_MORNING = [SimpleNamespace(weekday=6, opens=dt.time(1, 30), closes=dt.time(3, 30))]


@given(st.integers(2020, 2035))
def test_on_the_spring_change_the_slot_follows_the_wall_clock(year):
    sunday = last_sunday(year, 3)
    # 01:00 UTC is 03:00 in Paris once the clocks went forward (an hour skipped at 02:00 local time).
    assert is_open_at(SUNDAY_MORNING, dt.datetime.combine(sunday, dt.time(0, 45), UTC))  # 01:45 local
    assert is_open_at(SUNDAY_MORNING, dt.datetime.combine(sunday, dt.time(1, 15), UTC))  # 03:15 local
    assert not is_open_at(SUNDAY_MORNING, dt.datetime.combine(sunday, dt.time(1, 45), UTC))  # 03:45 local


@given(st.integers(2020, 2035))
def test_on_the_autumn_change_the_repeated_hour_is_open_both_times(year):
    sunday = last_sunday(year, 10)
    # 02:30 local happens twice: 00:30 UTC (summer time) and 01:30 UTC (winter time).
    assert is_open_at(SUNDAY_MORNING, dt.datetime.combine(sunday, dt.time(0, 30), UTC))
    assert is_open_at(SUNDAY_MORNING, dt.datetime.combine(sunday, dt.time(1, 30), UTC))
    assert not is_open_at(SUNDAY_MORNING, dt.datetime.combine(sunday, dt.time(2, 45), UTC))  # 03:45 local


def test_on_a_clock_change_day_the_paris_wall_clock_is_used():
    # The last Sunday of March 2026 is the 29th: 10:00 in Paris is 08:00 UTC.
    assert dt.datetime(2026, 3, 29, 8, tzinfo=UTC).astimezone(PARIS).hour == 10
    week = [SimpleNamespace(weekday=6, opens=dt.time(10), closes=dt.time(12))]
    assert is_open_at(week, dt.datetime(2026, 3, 29, 8, tzinfo=UTC))
    assert not is_open_at(week, dt.datetime(2026, 3, 29, 7, 59, tzinfo=UTC))


@pytest.mark.django_db
def test_the_sql_test_agrees_with_the_python_one_on_every_hour_of_a_week_across_a_clock_change():
    place = UsefulPlaceFactory(
        hours=[(0, dt.time(9), dt.time(12)), (0, dt.time(14), dt.time(17)), (6, dt.time(1, 30), dt.time(3, 30))]
    )
    week = list(place.opening_hours.all())
    start = dt.datetime(2026, 10, 24, 0, 0, tzinfo=UTC)
    for hour in range(24 * 6):
        moment = start + dt.timedelta(minutes=30 * hour)
        in_sql = UsefulPlace.objects.filter(pk=place.pk).filter(open_at(PlaceOpeningHours, moment)).exists()
        assert in_sql is is_open_at(week, moment), moment
