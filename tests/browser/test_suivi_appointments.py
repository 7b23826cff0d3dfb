"""A resident books a one-to-one session from their centre's page on a phone at 360 px: three taps once the
times are shown, with and without JavaScript, axe on every page when it can run; then the mediator finds it on
that day's page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from suivi import appointments, lists
from suivi.models import Appointment
from tests.accounts.factories import mediator_of, resident_of
from tests.browser.test_notifications import as_a_request_would, signed_in_page
from tests.factories import CentrePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_next_week(centre, mediator):
    """Two half-hour slots a week from now, in the pattern's words: always in the future, whatever day it is."""
    day = timezone.localdate() + dt.timedelta(days=7)
    weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day.weekday()]
    until = (day + dt.timedelta(days=14)).strftime("%Y%m%d")
    return appointments.open_slots(
        centre,
        mediator,
        first_date=day,
        recurrence=f"FREQ=WEEKLY;BYDAY={weekday};UNTIL={until}",
        start_time=dt.time(14),
        end_time=dt.time(15),
        length_minutes=30,
        mediators=[mediator],
        themes=[lists.ProcedureTheme.FAMILY, lists.Theme.EMAIL],
    )


@pytest.mark.parametrize("javascript", [True, False])
def test_a_resident_books_in_three_taps_and_the_mediator_finds_it(
    live_server, home, new_context, staff_login, assert_accessible, screenshot, javascript
):
    centre = CentrePageFactory(parent=home, title="Centre social Belencontre")
    mediator = mediator_of(centre, display_name="Nadia")
    resident = resident_of(centre)
    as_a_request_would(open_next_week, centre, mediator)
    phone = signed_in_page(new_context, live_server, resident, java_script_enabled=javascript)

    def check(page):
        if javascript:
            assert_accessible(page)

    phone.goto(f"{live_server.url}{centre.url}")
    phone.get_by_role("link", name="Prendre rendez-vous").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Prendre rendez-vous")
    check(phone)

    taps = 0
    phone.get_by_role("link", name="Famille, scolarité (CAF…)").click()
    taps += 1
    expect(phone.get_by_role("heading", name="2. Quand ?")).to_be_visible()
    check(phone)
    first_time = phone.locator("main .choice-list a").first
    box = first_time.bounding_box()
    assert box["height"] >= 44 and box["width"] <= 360
    first_time.click()
    taps += 1
    expect(phone.get_by_role("heading", level=1)).to_have_text("3. Je confirme")
    check(phone)
    phone.get_by_role("button", name="Je confirme").click()
    taps += 1

    expect(phone.get_by_role("heading", level=1)).to_have_text("Mon rendez-vous")
    expect(phone.get_by_role("heading", name="Ce qu'il faut apporter")).to_be_visible()
    expect(phone.get_by_text("allocataire CAF")).to_be_visible()
    check(phone)
    screenshot(phone, f"rdv-confirme-js-{javascript}")
    assert taps == 3
    appointment = Appointment.objects.get()
    assert (appointment.person.user, appointment.theme) == (resident, lists.ProcedureTheme.FAMILY)
    assert (phone.viewport_size["width"], phone.evaluate("document.documentElement.scrollWidth")) == (360, 360)

    desk = signed_in_page(new_context, live_server, mediator, login=staff_login, java_script_enabled=javascript)
    desk.goto(f"{live_server.url}/suivi/equipe/")
    desk.get_by_role("link", name="Les rendez-vous du jour").click()
    day = timezone.localtime(appointment.slot.start).date()
    desk.goto(f"{desk.url}?jour={day.isoformat()}")
    expect(desk.locator("main .record__title")).to_contain_text(str(appointment.person))
    expect(desk.get_by_role("button", name=f"Annuler le rendez-vous : {appointment.person}")).to_be_visible()
    check(desk)
