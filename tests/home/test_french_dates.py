"""Dates and hours typed the French way are read as meant; anything else is refused, never replaced."""

import datetime as dt

import pytest
from django import forms
from django.urls import get_resolver
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st

from home.french_dates import (
    DATE_ERROR,
    DATETIME_ERROR,
    TIME_ERROR,
    FrenchDateError,
    FrenchDateField,
    FrenchDateTimeField,
    FrenchTemporalMixin,
    FrenchTimeField,
    parse_date,
    parse_datetime,
    parse_time,
)
from home.templatetags.french import MONTHS, WEEKDAYS, machine_time

ABBREVIATIONS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
WITHOUT_ACCENTS = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre"]
DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_by_its_name_its_abbreviation_and_in_capitals(month):
    expected = dt.date(2027, month, 8)
    assert parse_date(f"8 {MONTHS[month - 1]} 2027") == expected
    assert parse_date(f"8 {ABBREVIATIONS[month - 1]} 2027") == expected
    assert parse_date(f"8 {MONTHS[month - 1].upper()} 2027") == expected


@pytest.mark.parametrize(("month", "name"), list(enumerate(WITHOUT_ACCENTS, start=1)))
def test_accents_may_be_left_out(month, name):
    assert parse_date(f"8 {name} 2027") == dt.date(2027, month, 8)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("08/12/2026", dt.date(2026, 12, 8)),
        ("8/12/2026", dt.date(2026, 12, 8)),
        ("08/12/26", dt.date(2026, 12, 8)),
        ("8-12-2026", dt.date(2026, 12, 8)),
        ("08.12.2026", dt.date(2026, 12, 8)),
        ("2026-12-08", dt.date(2026, 12, 8)),
        ("8 décembre 2026", dt.date(2026, 12, 8)),
        ("8 déc. 2026", dt.date(2026, 12, 8)),
        ("8 DÉC 26", dt.date(2026, 12, 8)),
        ("mardi 8 décembre 2026", dt.date(2026, 12, 8)),
        ("Mardi, 8 décembre 2026", dt.date(2026, 12, 8)),
        ("le 8 décembre 2026", dt.date(2026, 12, 8)),
        ("  8\u00a0décembre   2026 ", dt.date(2026, 12, 8)),
        ("1er décembre 2026", dt.date(2026, 12, 1)),
        ("1 er mars 2027", dt.date(2027, 3, 1)),
        ("1ER MAI 27", dt.date(2027, 5, 1)),
        ("29 février 2028", dt.date(2028, 2, 29)),
    ],
)
def test_dates_as_people_type_them(typed, expected):
    assert parse_date(typed) == expected


@freeze_time("2026-11-20")
def test_without_a_year_it_is_this_year():
    assert parse_date("1er décembre") == dt.date(2026, 12, 1)
    assert parse_date("8/12") == dt.date(2026, 12, 8)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "demain",
        "32/13/2026",
        "31/02/2026",
        "29 février 2027",
        "0 mai 2026",
        "8 jui 2026",  # juin or juillet?
        "8 ma 2026",  # mars or mai?
        "8 decembr3 2026",
        "<script>alert(1)</script>",
        "08/12-2026",
        "8 12 2026",
        "noël 8 décembre 2026",
        "2026",
        "8 décembre 2026 14h",
    ],
)
def test_anything_else_is_not_a_date(typed):
    with pytest.raises(FrenchDateError):
        parse_date(typed)


def test_a_weekday_that_does_not_match_the_date_is_asked_about_not_guessed():
    with pytest.raises(FrenchDateError) as refused:
        parse_date("lundi 8 décembre 2026")
    assert refused.value.message == "Le 8\u00a0décembre 2026 est un mardi, pas un lundi."


@given(DATES)
def test_any_date_written_any_way_reads_back_the_same(day):
    number = "1er" if day.day == 1 else str(day.day)
    month, weekday = MONTHS[day.month - 1], WEEKDAYS[day.weekday()]
    for typed in (
        day.strftime("%d/%m/%Y"),
        day.strftime("%d/%m/%y"),
        f"{day.day}-{day.month}-{day.year}",
        day.isoformat(),
        f"{number} {month} {day.year}",
        f"{weekday} {number} {ABBREVIATIONS[day.month - 1]} {day:%y}",
    ):
        assert parse_date(typed) == day, typed


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_refused_never_an_accident(text):
    try:
        parse_date(text)
    except FrenchDateError:
        pass


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14h", dt.time(14)),
        ("14 h", dt.time(14)),
        ("14H", dt.time(14)),
        ("14h30", dt.time(14, 30)),
        ("14 h 30", dt.time(14, 30)),
        ("14\u00a0h\u00a030", dt.time(14, 30)),
        ("14:30", dt.time(14, 30)),
        ("14:30:00", dt.time(14, 30)),
        ("9h05", dt.time(9, 5)),
        ("09:05", dt.time(9, 5)),
        ("9", dt.time(9)),
        ("0h", dt.time(0)),
        ("23 h 59", dt.time(23, 59)),
    ],
)
def test_hours_as_people_type_them(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "24h", "14h60", "14 h 5", "midi", "14:", "14 h 30 min", "2 pm", "<b>14h</b>", "14h30h"]
)
def test_anything_else_is_not_an_hour(typed):
    with pytest.raises(FrenchDateError):
        parse_time(typed)


@given(st.times().map(lambda value: value.replace(second=0, microsecond=0)))
def test_any_hour_written_any_way_reads_back_the_same(value):
    for typed in (f"{value:%H:%M}", f"{value.hour}h{value:%M}", f"{value.hour} h {value:%M}"):
        assert parse_time(typed) == value, typed


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("08/12/2026 14:30", dt.datetime(2026, 12, 8, 14, 30)),
        ("08/12/2026 14:30:00", dt.datetime(2026, 12, 8, 14, 30)),
        ("8 décembre 2026 à 14 h", dt.datetime(2026, 12, 8, 14)),
        ("mardi 8 déc. 2026, 9h05", dt.datetime(2026, 12, 8, 9, 5)),
        ("2026-12-08T14:30", dt.datetime(2026, 12, 8, 14, 30)),
    ],
)
def test_a_date_then_an_hour(typed, expected):
    assert parse_datetime(typed) == expected


@pytest.mark.parametrize("typed", ["08/12/2026", "14:30", "08/12/2026 25:00", "demain à 14h", "08/12/2026 14"])
def test_a_date_and_hour_needs_both(typed):
    with pytest.raises(FrenchDateError):
        parse_datetime(typed)


class Form(forms.Form):
    day = FrenchDateField()
    hour = FrenchTimeField()
    moment = FrenchDateTimeField(required=False)


def test_the_fields_answer_with_an_example_and_keep_what_was_typed():
    form = Form({"day": "32/13/2026", "hour": "quatorze heures", "moment": "bientôt"})

    assert form.errors == {"day": [DATE_ERROR], "hour": [TIME_ERROR], "moment": [DATETIME_ERROR]}
    assert 'value="32/13/2026"' in str(form["day"])
    assert 'value="quatorze heures"' in str(form["hour"])


def test_spaces_alone_are_an_empty_field():
    form = Form({"day": "   ", "hour": "\u00a0"})

    assert form.errors["day"] == form.errors["hour"] == ["Champ requis."]


def test_the_fields_show_dates_and_hours_the_french_way_as_text():
    form = Form(initial={"day": dt.date(2026, 12, 8), "hour": dt.time(9, 5)})

    assert str(form["day"]) == '<input type="text" name="day" value="08/12/2026" required id="id_day">'
    assert str(form["hour"]) == '<input type="text" name="hour" value="09:05" required id="id_hour">'


def test_a_date_and_hour_is_in_local_time():
    form = Form({"day": "08/12/2026", "hour": "14h", "moment": "8 décembre 2026 à 14 h"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["moment"] == dt.datetime(2026, 12, 8, 13, tzinfo=dt.UTC)


PROJECT_APPS = {"accounts", "agenda", "echanges", "home", "notifications", "quartier", "search", "placette"}


def project_forms():
    """Every form class the project's pages use (the URLs import every view, and the views their forms)."""
    get_resolver().url_patterns  # noqa: B018 (imports every view)
    found, classes = [], [forms.BaseForm]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS:
            found.append(cls)
    return found


@pytest.mark.parametrize("form_class", project_forms(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_date_and_hour_a_project_form_asks_for_is_read_the_french_way(form_class):
    temporal = [
        name for name, field in form_class.base_fields.items() if isinstance(field, forms.DateField | forms.TimeField)
    ]
    assert all(isinstance(form_class.base_fields[name], FrenchTemporalMixin) for name in temporal), temporal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 11, 28, 3, 23, 32, 459998, tzinfo=dt.UTC), "2026-11-28T04:23:32+01:00"),
        (dt.datetime(2026, 7, 14, 8, 0, tzinfo=dt.UTC), "2026-07-14T10:00:00+02:00"),
        (dt.date(2026, 12, 8), "2026-12-08"),
        (None, ""),
    ],
)
def test_a_datetime_attribute_is_local_time_to_the_second(value, expected):
    """HTML allows at most three digits of a second; Django's date:'c' writes six."""
    assert machine_time(value) == expected
