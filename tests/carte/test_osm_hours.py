"""OSM opening hours written from a centre's week and read back (carte/osm_hours.py)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from carte.osm_hours import parse_osm, to_osm


def slot(weekday, opens, closes):
    return SimpleNamespace(weekday=weekday, opens=opens, closes=closes)


def hm(text):
    return dt.time.fromisoformat(text)


def test_consecutive_days_with_the_same_hours_make_a_range():
    week = [slot(day, hm(a), hm(b)) for day in range(5) for a, b in (("09:00", "12:00"), ("14:00", "17:00"))]
    week.append(slot(5, hm("09:00"), hm("12:00")))
    assert to_osm(week) == "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"


def test_days_apart_with_the_same_hours_are_listed():
    week = [slot(day, hm("10:00"), hm("12:00")) for day in (0, 2, 3, 6)]
    assert to_osm(week) == "Mo,We-Th,Su 10:00-12:00"


def test_no_slot_is_an_empty_text():
    assert to_osm([]) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mo-Fr 09:00-12:00", [(day, hm("09:00"), hm("12:00")) for day in range(5)]),
        (
            "Mo,We 09:00-12:00,14:00-16:30",
            [
                (0, hm("09:00"), hm("12:00")),
                (0, hm("14:00"), hm("16:30")),
                (2, hm("09:00"), hm("12:00")),
                (2, hm("14:00"), hm("16:30")),
            ],
        ),
        ("  mo - tu  9:00 - 12:00 ;  ", [(0, hm("09:00"), hm("12:00")), (1, hm("09:00"), hm("12:00"))]),
        (
            "Sa-Mo 10:00-11:00",
            [(0, hm("10:00"), hm("11:00")), (5, hm("10:00"), hm("11:00")), (6, hm("10:00"), hm("11:00"))],
        ),
        ("Mo-Fr 09:00-17:00; We off; PH off", [(day, hm("09:00"), hm("17:00")) for day in (0, 1, 3, 4)]),
        ("24/7", [(day, hm("00:00"), hm("23:59")) for day in range(7)]),
        ("Su 18:00-24:00", [(6, hm("18:00"), hm("23:59"))]),
        ("off", []),
        ("", []),
    ],
)
def test_the_common_subset_is_read(text, expected):
    assert parse_osm(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Lu 9h-12h", "« Lu 9h-12h » : jour inconnu « Lu » — écrivez Mo, Tu, We, Th, Fr, Sa ou Su"),
        ("Mo 9h-12h", "« Mo 9h-12h » : horaire illisible « 9h-12h » — écrivez par exemple 09:00-12:00"),
        ("Mo-Fr 09:00-12:00; Sa", "« Sa » : il manque les heures"),
        ("Mo 12:00-09:00", "la fermeture doit venir après l'ouverture"),
        ("Mo 25:00-26:00", "heure impossible"),
        ("Mo--Fr 09:00-10:00", "jours illisibles « Mo--Fr »"),
        ("Jan Mo 09:00-10:00", "jour inconnu « Jan Mo »"),
    ],
)
def test_what_does_not_parse_is_named_in_french(text, message):
    with pytest.raises(ValidationError) as refused:
        parse_osm(text)
    assert message in refused.value.messages[0]


minutes = st.integers(min_value=0, max_value=23 * 60 + 58)


@st.composite
def slots(draw):
    start = draw(minutes)
    end = draw(st.integers(min_value=start + 1, max_value=23 * 60 + 59))
    return (draw(st.integers(0, 6)), dt.time(*divmod(start, 60)), dt.time(*divmod(end, 60)))


@given(st.sets(slots(), max_size=20))
def test_what_is_written_reads_back_the_same(week):
    assert parse_osm(to_osm([slot(*row) for row in week])) == sorted(week)


@given(st.text(max_size=80) | st.text(alphabet="MoTuWeThFrSaSuPHoff0123456789:-,; /", max_size=60))
def test_garbage_is_refused_never_crashes(text):
    try:
        parse_osm(text)
    except ValidationError as refused:
        assert refused.messages
