"""Dates in words → RRULE → dates: what editors choose is what gets written, within the horizon."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from agenda.recurrence import Frequency, Schedule, expand, first_dates, last_date

START = dt.date(2027, 1, 4)  # a Monday

weekly = st.builds(
    Schedule,
    frequency=st.just(Frequency.WEEKLY),
    interval=st.integers(1, 4),
    weekdays=st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(sorted),
    count=st.integers(1, 60),
)
monthly = st.builds(
    Schedule,
    frequency=st.just(Frequency.MONTHLY),
    interval=st.integers(1, 3),
    month_position=st.sampled_from([1, 2, 3, 4, -1]),
    month_weekday=st.integers(0, 6),
    until=st.dates(dt.date(2027, 8, 1), dt.date(2028, 12, 31)),
)


@given(weekly)
def test_a_weekly_rule_gives_its_days_every_n_weeks_and_stops_after_count(schedule):
    rule = schedule.to_rrule()
    assert Schedule.from_rrule(rule) == schedule
    dates = expand(START, rule, since=START, until=START + dt.timedelta(days=5 * 366))
    assert len(dates) == schedule.count
    assert {day.weekday() for day in dates} <= set(schedule.weekdays)
    for day in dates:
        # Weeks counted from the first date's week: only every `interval`-th week has dates.
        assert ((day - START).days // 7) % schedule.interval == 0


@given(monthly)
def test_a_monthly_rule_gives_the_nth_weekday_until_its_end(schedule):
    rule = schedule.to_rrule()
    assert Schedule.from_rrule(rule) == schedule
    dates = expand(START, rule, since=START, until=dt.date(2030, 1, 1))
    assert dates, "a rule running over 7 months gives a date, whatever its interval"
    assert all(day <= schedule.until for day in dates)
    for day in dates:
        assert day.weekday() == schedule.month_weekday
        if schedule.month_position == -1:
            assert (day + dt.timedelta(days=7)).month != day.month
        else:
            assert (day.day - 1) // 7 + 1 == schedule.month_position
    assert len({(day.year, day.month) for day in dates}) == len(dates)


@given(weekly, st.integers(0, 200), st.integers(1, 120))
def test_expansion_stays_between_since_and_until(schedule, offset, span):
    rule = schedule.to_rrule()
    since = START + dt.timedelta(days=offset)
    until = since + dt.timedelta(days=span)
    everything = expand(START, rule, since=START, until=dt.date(2035, 1, 1))
    window = expand(START, rule, since=since, until=until)
    assert window == [day for day in everything if since <= day <= until]


@given(weekly, st.sets(st.integers(0, 100), max_size=5), st.sets(st.integers(0, 100), max_size=5))
def test_extra_dates_are_added_and_exceptions_removed(schedule, extra_offsets, exception_offsets):
    rule = schedule.to_rrule()
    extras = {START + dt.timedelta(days=offset) for offset in extra_offsets}
    exceptions = {START + dt.timedelta(days=offset) for offset in exception_offsets}
    until = START + dt.timedelta(days=400)
    plain = set(expand(START, rule, since=START, until=until))
    dates = expand(START, rule, extra_dates=extras, exceptions=exceptions, since=START, until=until)
    assert set(dates) == (plain | extras) - exceptions
    assert dates == sorted(dates)


def test_a_single_date_outside_the_window_gives_nothing():
    assert expand(START, "", since=START + dt.timedelta(days=1), until=START + dt.timedelta(days=9)) == []
    assert expand(START, "", since=START, until=START) == [START]


def test_rules_read_in_plain_french():
    assert Schedule(Frequency.WEEKLY, 1, [1, 3], count=10).describe() == "Chaque semaine le mardi et le jeudi, 10 fois"
    assert (
        Schedule(Frequency.WEEKLY, 2, [0], until=dt.date(2027, 6, 30)).describe()
        == "Toutes les 2 semaines le lundi, jusqu'au 30\u00a0juin 2027"
    )
    assert (
        Schedule(Frequency.MONTHLY, 1, month_position=1, month_weekday=5, count=6).describe()
        == "Chaque mois, le premier samedi du mois, 6 fois"
    )
    assert Schedule().describe() == ""


def test_first_and_last_dates_of_a_rule():
    rule = Schedule(Frequency.WEEKLY, 1, [0, 2], count=4).to_rrule()
    assert rule == "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4"
    assert first_dates(START, rule, limit=2) == [START, START + dt.timedelta(days=2)]
    assert last_date(START, rule) == START + dt.timedelta(days=9)
