"""When is the centre open? The sentence people read on the home page and the centre's page."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from quartier.opening import next_opening, week_in_words

PARIS = ZoneInfo("Europe/Paris")


@dataclass
class Slot:
    weekday: int
    opens: dt.time
    closes: dt.time


WEEK = [Slot(day, dt.time(9), dt.time(12)) for day in range(5)] + [Slot(1, dt.time(13, 30), dt.time(18))]


def at(day, hour, minute=0):
    # 2026-11-23 is a Monday.
    return dt.datetime(2026, 11, 23 + day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(0, 10), "Ouvert maintenant, jusqu'à 12 h"),
        (at(0, 8, 15), "Ouvre aujourd'hui à 9 h"),
        (at(0, 12), "Ouvre demain à 9 h"),
        (at(1, 12, 30), "Ouvre aujourd'hui à 13 h 30"),
        (at(1, 17, 59), "Ouvert maintenant, jusqu'à 18 h"),
        (at(4, 12), "Ouvre lundi à 9 h"),
        (at(5, 10), "Ouvre lundi à 9 h"),
        (at(3, 18), "Ouvre demain à 9 h"),
    ],
)
def test_next_opening_in_words(now, expected):
    assert next_opening(WEEK, now).describe(now) == expected.replace(" h", "\u00a0h").replace("h 30", "h\u00a030")


def test_a_centre_without_hours_has_no_next_opening():
    assert next_opening([], at(0, 10)) is None


def test_a_centre_open_only_on_this_weekday_later_finds_next_week():
    only_monday_morning = [Slot(0, dt.time(9), dt.time(12))]
    state = next_opening(only_monday_morning, at(0, 13))
    assert state.start == at(7, 9)


def test_week_in_words_groups_slots_by_day_and_says_closed():
    week = dict(week_in_words(WEEK))
    assert week["Mardi"] == "9\u00a0h\u00a0–\u2060\u00a012\u00a0h, 13\u00a0h\u00a030\u00a0–\u2060\u00a018\u00a0h"
    assert week["Lundi"] == "9\u00a0h\u00a0–\u2060\u00a012\u00a0h"
    assert week["Dimanche"] == "Fermé"
    assert list(week) == ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]
