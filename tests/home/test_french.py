"""Dates, hours and spaces as French readers expect them, the same in templates and in texts built in Python."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from freezegun import freeze_time

from home.templatetags.french import NBSP, day, day_and_hours, hour, hour_range, moment, plain, short_day, typo

UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")


def spaced(text):
    """Write expected strings with "_" for a non-breaking space."""
    return text.replace("–_", "–\u2060_").replace("_", NBSP)


@freeze_time("2026-12-04 10:00")
def test_the_first_of_the_month_is_1er_and_the_year_shows_only_when_it_is_not_this_one():
    assert day(dt.date(2026, 12, 8)) == spaced("mardi 8_décembre")
    assert day(dt.date(2027, 1, 1)) == spaced("vendredi 1er_janvier 2027")
    assert short_day(dt.date(2026, 3, 1)) == spaced("1er_mars")
    assert short_day(dt.date(2026, 3, 1), "year") == spaced("1er_mars 2026")
    assert day(dt.date(2025, 12, 31), "no_year") == spaced("mercredi 31_décembre")


def test_whole_hours_have_no_minutes_and_others_have_two_digits():
    assert hour(dt.time(14)) == spaced("14_h")
    assert hour(dt.time(9, 5)) == spaced("9_h_05")
    assert hour(dt.time(14, 30)) == spaced("14_h_30")
    assert hour_range(dt.time(14), dt.time(16, 30)) == spaced("14_h_–_16_h_30")


def test_times_are_local_on_both_sides_of_the_change_to_summer_time():
    winter = dt.datetime(2026, 3, 28, 13, 0, tzinfo=UTC)
    summer = dt.datetime(2026, 3, 30, 13, 0, tzinfo=UTC)
    assert hour(winter) == spaced("14_h")
    assert hour(summer) == spaced("15_h")


@freeze_time("2026-12-04 10:00")
def test_a_utc_time_just_before_midnight_is_shown_on_the_next_local_day():
    start = dt.datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    assert day(start) == spaced("mardi 8_décembre")
    assert moment(start) == spaced("mardi 8_décembre à 0_h_30")


@freeze_time("2026-12-04 10:00")
def test_a_range_says_the_day_once_and_names_the_end_day_when_it_changes():
    start = dt.datetime(2026, 12, 8, 14, tzinfo=PARIS)
    assert day_and_hours(start, start + dt.timedelta(hours=2)) == spaced("mardi 8_décembre, 14_h_–_16_h")
    late = dt.datetime(2026, 12, 8, 22, tzinfo=PARIS)
    assert hour_range(late, late + dt.timedelta(hours=3)) == spaced("22_h_–_1_h (mercredi 9_décembre)")


def test_typo_keeps_french_spaces_unbroken():
    assert typo("Rappel : « Couture » ; vraiment ? oui !") == spaced("Rappel_: «_Couture_»_; vraiment_? oui_!")
    assert typo("3 places, le 1er mars à 14 h 30") == spaced("3_places, le 1er_mars à 14_h_30")
    assert typo("avec Ginette D.") == spaced("avec Ginette_D.")
    assert typo("https://placette.fr/?q=1") == "https://placette.fr/?q=1"


@freeze_time("2026-12-04 10:00")
def test_filters_show_local_time_in_templates_and_leave_escaping_alone():
    template = Template(
        "{% load french %}{{ start|day }}, {{ start|hour_range:end }} — {{ start|moment }} — {{ text|typo }}"
    )
    start = dt.datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    html = template.render(
        Context({"start": start, "end": start + dt.timedelta(minutes=90), "text": "<b>Salut</b> !"})
    )
    expected = "mardi 1er_décembre, 14_h_–_15_h_30 — mardi 1er_décembre à 14_h — &lt;b&gt;Salut&lt;/b&gt;_!"
    assert html == spaced(expected)


def test_plain_text_has_ordinary_spaces_for_sms():
    assert plain(hour_range(dt.time(14), dt.time(16, 30))) == "14 h – 16 h 30"


@pytest.mark.parametrize("empty", [None, ""])
def test_nothing_to_show_shows_nothing(empty):
    assert day(empty) == hour(empty) == hour_range(empty, empty) == moment(empty) == typo(empty) == ""
