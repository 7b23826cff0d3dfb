"""A visitor on a phone finds when to do a procedure: from the header to its page, with axe on both pages."""

import pytest
from playwright.sync_api import expect

from tests.demarches.factories import ProcedureFactory
from tests.factories import CentrePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_header_to_a_procedures_next_date_and_what_to_bring(
    page, live_server, home, screenshot, assert_accessible
):
    CentrePageFactory(parent=home, title="Centre social Belencontre")
    ProcedureFactory(
        name="Actualisation France Travail",
        slug="actualisation-france-travail",
        opens_day=28,
        closes_day=15,
        to_bring="Identifiant France Travail\nMot de passe",
        audiences=["demandeurs d'emploi"],
    )
    page.goto(live_server.url)

    page.get_by_role("link", name="Démarches", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Démarches en ligne")
    assert_accessible(page)
    screenshot(page, "demarches-calendrier")

    page.get_by_role("link", name="Actualisation France Travail").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Actualisation France Travail")
    expect(page.get_by_role("listitem").filter(has_text="Identifiant France Travail")).to_be_visible()
    expect(page.get_by_role("link", name="Le site officiel")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "demarches-procedure")
