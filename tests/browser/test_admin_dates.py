"""An editor on a phone types the activity's date and hours in French in the admin's pickers: they stay as typed
and the activity is saved on that date."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import EventPage
from home.french_dates import DATE_ERROR
from tests.agenda.factories import CategoryFactory
from tests.browser.test_notifications import signed_in_page
from tests.factories import CentrePageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def next_december_8():
    today = timezone.localdate()
    return dt.date(today.year if today < dt.date(today.year, 12, 8) else today.year + 1, 12, 8)


@pytest.fixture
def centre(home):
    CategoryFactory(slug="numerique", name="Numérique")
    return CentrePageFactory(parent=home, title="Centre social Belencontre")


def field(page, label):
    """The field named `label`, followed or not by the admin's mark of a required field."""
    return page.get_by_role("textbox", name=re.compile(rf"^{label}\*?$"))


def type_then_leave(page, label, text):
    """Type as a person does, key by key, then leave the field with Tab: when the picker used to replace it."""
    typed_in = field(page, label)
    typed_in.click()
    typed_in.press_sequentially(text)
    typed_in.press("Tab")
    return typed_in


def test_a_date_and_hours_typed_in_french_stay_as_typed_and_are_saved(
    new_context, live_server, centre, staff_login, screenshot
):
    editor = UserFactory(username="claire")
    editor.groups.add(centre.team.editors)
    page = signed_in_page(new_context, live_server, editor, login=staff_login)
    december_8 = next_december_8()
    typed = december_8.strftime("%d/%m/%Y")

    page.goto(f"{live_server.url}/admin/pages/add/agenda/eventpage/{centre.pk}/")
    page.get_by_role("textbox", name="Titre").fill("Café numérique")
    page.get_by_role("textbox", name="Résumé").fill("Venez avec vos questions sur le téléphone.")
    date = type_then_leave(page, "Date", typed)
    start = type_then_leave(page, "Heure de début", "14h30")
    end = type_then_leave(page, "Heure de fin", "16 h")
    page.get_by_label("Catégorie").select_option(label="Numérique")
    page.get_by_label("Nombre de places").fill("12")

    expect(date).to_have_value(typed)
    expect(start).to_have_value("14h30")
    expect(end).to_have_value("16 h")
    screenshot(page, "admin-date-tapee")
    # "Publier" is the main button on an activity; the draft is one tap further.
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    expect(field(page, "Date")).to_have_value(typed)
    expect(field(page, "Heure de début")).to_have_value("14:30")
    screenshot(page, "admin-date-enregistree")
    event = EventPage.objects.get(title="Café numérique")
    assert (event.start_date, event.start_time, event.end_time) == (december_8, dt.time(14, 30), dt.time(16))


def test_a_date_the_admin_cannot_read_is_refused_beside_the_field_not_replaced(
    new_context, live_server, centre, staff_login, screenshot
):
    editor = UserFactory(username="claire")
    editor.groups.add(centre.team.editors)
    page = signed_in_page(new_context, live_server, editor, login=staff_login)

    page.goto(f"{live_server.url}/admin/pages/add/agenda/eventpage/{centre.pk}/")
    page.get_by_role("textbox", name="Titre").fill("Café numérique")
    page.get_by_role("textbox", name="Résumé").fill("Venez avec vos questions sur le téléphone.")
    date = type_then_leave(page, "Date", "demain")
    expect(date).to_have_value("demain")
    # "Publier" is the main button on an activity; the draft is one tap further.
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    expect(page.get_by_text(str(DATE_ERROR))).to_be_visible()
    expect(field(page, "Date")).to_have_value("demain")
    screenshot(page, "admin-date-refusee")
    assert not EventPage.objects.exists()
