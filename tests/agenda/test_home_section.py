"""The next activities on the home page: one line per activity, its day and hours in words, a bounded read."""

import datetime as dt
import re
from html import unescape

import pytest
from freezegun import freeze_time

from agenda.models import Occurrence
from home.templatetags.french import plain
from tests.agenda.factories import EventPageFactory

pytestmark = pytest.mark.django_db

MONDAY = "2026-12-07 08:00"


def section(client, home):
    html = client.get(home.url).content.decode()
    return plain(unescape(html.split('id="agenda"', 1)[1].split("</section>", 1)[0]))


@freeze_time(MONDAY)
def test_each_activity_shows_once_with_its_day_hours_and_how_many_dates_follow(client, home, centre):
    EventPageFactory(parent=centre, title="Premiers pas sur le téléphone", weekly=True)
    EventPageFactory(parent=centre, title="Café des parents", start_time=dt.time(9, 30), end_time=dt.time(11))

    agenda = section(client, home)

    titles = re.findall(r'class="occurrence__title"><a href="[^"]*">([^<]*)</a>', agenda)
    assert titles == ["Café des parents", "Premiers pas sur le téléphone"]
    agenda = re.sub(r"<[^>]+>", "", agenda)
    assert "Mardi 8 décembre, 9 h 30 – 11 h" in agenda
    assert "Mardi 8 décembre, 14 h – 16 h" in agenda
    assert "Et 7 autres dates de Premiers pas sur le téléphone" in agenda
    assert agenda.count("autre") == 1


@freeze_time(MONDAY)
def test_the_home_page_reads_as_much_with_ten_dates_as_with_a_thousand(
    client, home, centre, django_assert_max_num_queries
):
    events = [EventPageFactory(parent=centre, title=f"Atelier {n}") for n in range(10)]
    client.get(home.url)  # the site's root paths and the like, cached on first use
    with django_assert_max_num_queries(15) as few:
        client.get(home.url)
    first = Occurrence.objects.order_by("start").first()
    Occurrence.objects.bulk_create(
        Occurrence(
            event=events[n % 10],
            centre=centre,
            planned_date=first.planned_date + dt.timedelta(days=1 + n // 10),
            start=first.start + dt.timedelta(days=1 + n // 10),
            end=first.end + dt.timedelta(days=1 + n // 10),
            capacity=10,
            listed=True,
        )
        for n in range(990)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        agenda = section(client, home)
    assert agenda.count('class="occurrence__title"') == 5
    assert "Et 99 autres dates" in agenda
