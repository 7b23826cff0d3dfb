"""A mediator reads their centre's figures on a phone at 360 px, charts and tables, chooses another period, and
opens the yearly report; axe on each page (the charts are inline SVG named by their title and description)."""

import pytest
from playwright.sync_api import expect

from suivi import lists
from tests.accounts.factories import mediator_of
from tests.browser.test_notifications import signed_in_page
from tests.factories import CentrePageFactory
from tests.suivi.factories import PersonFactory, RecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mediator_reads_the_figures_on_a_phone(
    live_server, home, new_context, staff_login, assert_accessible, screenshot
):
    centre = CentrePageFactory(parent=home, title="Centre social Belencontre")
    mediator = mediator_of(centre, display_name="Nadia")
    people = [PersonFactory(centre=centre, with_bands=True) for _index in range(6)]
    people += [PersonFactory(centre=centre, with_bands=True, gender=lists.Gender.MAN) for _index in range(5)]
    RecordFactory(centre=centre, kind=lists.Kind.WORKSHOP, duration_minutes=120, people=people)
    RecordFactory(centre=centre, people=people[:1], themes=[lists.Theme.HEALTH], autonomy="autonome")
    phone = signed_in_page(new_context, live_server, mediator, login=staff_login)

    phone.goto(f"{live_server.url}/suivi/equipe/")
    phone.get_by_role("link", name="Les chiffres — Centre social Belencontre").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Les chiffres — Centre social Belencontre")
    expect(phone.get_by_role("img", name="Personnes par genre")).to_be_visible()
    expect(phone.get_by_role("table", name="Personnes par genre").get_by_role("row", name="Homme 5")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone)
    screenshot(phone, "suivi-chiffres-360")

    phone.get_by_label("Entre deux dates").check()
    phone.get_by_role("textbox", name="Du").fill("01/03/2026")
    phone.get_by_role("textbox", name="Au").fill("01/02/2026")
    phone.get_by_role("button", name="Voir les chiffres").click()
    expect(phone.get_by_text("La date de fin est avant la date de début.")).to_be_visible()
    assert_accessible(phone)

    phone.get_by_label("L'année dernière").check()
    phone.get_by_role("button", name="Voir les chiffres").click()
    expect(phone.get_by_text("Pas de chiffres pour cette période")).to_be_visible()

    phone.get_by_role("link", name="Rapport annuel").click()
    expect(phone.get_by_text("Rapport annuel", exact=False).first).to_be_visible()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Centre social Belencontre")
    assert_accessible(phone)
    screenshot(phone, "suivi-rapport-annuel-360")
