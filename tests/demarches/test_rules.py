"""A procedure's rule in words gives the right windows: across months and years, short months, an end date."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from demarches.rules import DeadlineRule, Rhythm, RuleError

D = dt.date


def test_a_monthly_window_closing_before_it_opens_ends_the_next_month():
    rule = DeadlineRule(Rhythm.MONTHLY, opens_day=28, closes_day=15)

    assert rule.windows(D(2026, 12, 6), D(2027, 1, 31)) == [
        (D(2026, 11, 28), D(2026, 12, 15)),  # opened last month, still open
        (D(2026, 12, 28), D(2027, 1, 15)),
        (D(2027, 1, 28), D(2027, 2, 15)),
    ]
    assert rule.describe() == "Chaque mois, du 28 au 15 du mois suivant"


def test_a_day_missing_from_a_short_month_is_its_last_day():
    rule = DeadlineRule(Rhythm.MONTHLY, opens_day=1, closes_day=31)

    assert rule.windows(D(2027, 2, 1), D(2027, 4, 1)) == [
        (D(2027, 2, 1), D(2027, 2, 28)),
        (D(2027, 3, 1), D(2027, 3, 31)),
        (D(2027, 4, 1), D(2027, 4, 30)),
    ]


def test_a_quarterly_rule_comes_back_every_three_months_from_its_first_month():
    rule = DeadlineRule(Rhythm.QUARTERLY, opens_day=1, closes_day=15, opens_month=1, closes_month=1)

    assert [opens for opens, _closes in rule.windows(D(2026, 12, 6), D(2027, 12, 31))] == [
        D(2027, 1, 1),
        D(2027, 4, 1),
        D(2027, 7, 1),
        D(2027, 10, 1),
    ]
    assert rule.describe() == "Chaque trimestre, du 1er au 15 : en janvier, avril, juillet et octobre"


def test_a_yearly_window_may_end_the_next_year_and_is_found_while_open():
    energy_cheque = DeadlineRule(Rhythm.YEARLY, opens_day=1, closes_day=31, opens_month=4, closes_month=3)

    assert energy_cheque.windows(D(2026, 12, 6), D(2027, 12, 31)) == [
        (D(2026, 4, 1), D(2027, 3, 31)),
        (D(2027, 4, 1), D(2028, 3, 31)),
    ]
    assert energy_cheque.describe() == "Chaque année, du 1er\u00a0avril au 31\u00a0mars de l'année suivante"


def test_a_rule_stops_at_its_end_date():
    rule = DeadlineRule(
        Rhythm.YEARLY, opens_day=10, closes_day=5, opens_month=4, closes_month=6, ends_on=D(2027, 12, 31)
    )

    assert rule.windows(D(2026, 12, 6), D(2029, 1, 1)) == [(D(2027, 4, 10), D(2027, 6, 5))]
    assert rule.describe().endswith(", jusqu'au 31\u00a0décembre 2027")


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        (DeadlineRule(Rhythm.MONTHLY, closes_day=15), "opens_day", "Indiquez le jour où la démarche ouvre."),
        (DeadlineRule(Rhythm.YEARLY, opens_day=1, closes_day=15, closes_month=6), "opens_month", "Indiquez le mois"),
        (DeadlineRule(Rhythm.YEARLY, opens_day=30, closes_day=15, opens_month=2, closes_month=6), "opens_day", "30"),
        (
            DeadlineRule(Rhythm.QUARTERLY, opens_day=1, closes_day=15, opens_month=1, closes_month=5),
            "closes_month",
            "moins de trois mois",
        ),
    ],
)
def test_an_incomplete_or_impossible_rule_names_the_field_to_correct(rule, field, message):
    with pytest.raises(RuleError) as error:
        rule.check()

    assert error.value.field == field
    assert message in error.value.message


def test_the_29th_of_february_is_a_real_day_moved_to_the_28th_in_other_years():
    rule = DeadlineRule(Rhythm.YEARLY, opens_day=1, closes_day=29, opens_month=2, closes_month=2)
    rule.check()

    assert rule.windows(D(2027, 1, 1), D(2028, 12, 31)) == [
        (D(2027, 2, 1), D(2027, 2, 28)),
        (D(2028, 2, 1), D(2028, 2, 29)),
    ]


@given(
    rhythm=st.sampled_from([Rhythm.MONTHLY, Rhythm.QUARTERLY, Rhythm.YEARLY]),
    opens_day=st.integers(1, 31),
    closes_day=st.integers(1, 31),
    opens_month=st.integers(1, 12),
    span=st.integers(0, 11),
    since=st.dates(D(2020, 1, 1), D(2040, 1, 1)),
)
def test_any_valid_rule_gives_ordered_windows_still_open_and_within_the_horizon(
    rhythm, opens_day, closes_day, opens_month, span, since
):
    if rhythm == Rhythm.QUARTERLY:
        span %= 3
    closes_month = (opens_month + span - 1) % 12 + 1
    rule = DeadlineRule(rhythm, opens_day, closes_day, opens_month, closes_month)
    try:
        rule.check()
    except RuleError:
        return
    until = since + dt.timedelta(days=400)

    windows = rule.windows(since, until)

    assert windows, "a rule without an end gives a window every year"
    assert windows == sorted(set(windows))
    for (opens_on, closes_on), following in zip(windows, [*windows[1:], None], strict=True):
        assert opens_on <= closes_on and closes_on >= since and opens_on <= until
        if following is not None:
            assert following[0] > opens_on
