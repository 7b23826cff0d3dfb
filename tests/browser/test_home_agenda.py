"""The home page's next activities on a phone: one line per activity, its day and hours on lines that do not break."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.agenda.factories import EventPageFactory
from tests.factories import CentrePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How many lines the hours take, from the first digit of "14 h 30" to the end of the element's text.
LINES_OF_HOURS = """node => {
    const text = node.firstChild;
    const range = document.createRange();
    range.setStart(text, text.data.indexOf("14"));
    range.setEnd(text, text.data.length);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
}"""


def test_a_visitor_reads_each_next_activity_once_with_its_day(page, live_server, home, assert_accessible, screenshot):
    centre = CentrePageFactory(parent=home, title="Centre social Belencontre", slug="centre-social-belencontre")
    EventPageFactory(parent=centre, title="Premiers pas sur le téléphone", weekly=True, start_time=dt.time(14, 30))
    EventPageFactory(parent=centre, title="Café des parents", start_time=dt.time(9), end_time=dt.time(11))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    page.goto(live_server.url)

    agenda = page.get_by_role("region", name="Prochaines activités")
    expect(agenda.get_by_role("heading", level=3)).to_have_text(["Café des parents", "Premiers pas sur le téléphone"])
    first = agenda.get_by_role("listitem").first
    expect(first.locator("time")).to_contain_text(f"{tomorrow.day}")
    # The word joiner after the dash is invisible; it keeps the dash and the end hour on one line.
    expect(first.locator("time")).to_contain_text("9 h –\u2060 11 h")
    expect(agenda.get_by_role("link", name="Et 7 autres dates de Premiers pas sur le téléphone")).to_be_visible()
    # "14 h 30 – 16 h" is written with non-breaking spaces: it stays on one line at 360 px.
    hours = agenda.locator("time", has_text="14 h 30")
    assert hours.evaluate(LINES_OF_HOURS) == 1
    assert_accessible(page)
    screenshot(page, "accueil-prochaines-activites")
