"""On a phone, a visitor says "Cette information est fausse" on a place, then the centre's mediator accepts it."""

import pytest
from playwright.sync_api import expect

from carte.models import PlaceProposal
from tests.accounts.factories import mediator_of
from tests.browser.test_notifications import signed_in_page
from tests.carte.factories import UsefulPlaceFactory, category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reports_wrong_hours_and_the_team_accepts(
    page, live_server, centre, new_context, staff_login, assert_accessible, screenshot
):
    place = UsefulPlaceFactory(
        name="Médiathèque Louise-Michel", centre=centre, categories=[category("mediatheque")], phone="+33320000000"
    )
    mediator = mediator_of(centre, display_name="Nadia Benali")

    page.goto(f"{live_server.url}{place.get_absolute_url()}")
    page.get_by_role("link", name="Cette information est fausse").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cette information est fausse")
    assert_accessible(page)
    page.get_by_label("Le téléphone").check()
    box = page.get_by_role("button", name="Envoyer").bounding_box()
    assert box["height"] >= 56, "a thumb-sized button"
    page.get_by_label("Dites-nous ce qui est faux").fill("Le bon numéro est le 03 20 99 99 99.")
    page.get_by_label("Votre téléphone ou votre e-mail").fill("06 12 34 56 78")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "nothing wider than the phone"
    screenshot(page, "carte-signaler")
    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci ! Votre proposition est envoyée")
    expect(page.get_by_text("Le bon numéro est le 03 20 99 99 99.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "carte-signaler-envoye")
    status_url = page.url

    team = signed_in_page(new_context, live_server, mediator, login=staff_login)
    team.goto(f"{live_server.url}/carte/equipe/")
    team.get_by_role("link", name="Erreur sur « Médiathèque Louise-Michel »").click()
    expect(team.get_by_text("Le bon numéro est le 03 20 99 99 99.")).to_be_visible()
    assert_accessible(team)
    team.get_by_label("Téléphone").fill("03 20 99 99 99")
    team.get_by_role("button", name="Accepter").click()
    expect(team.get_by_text("C'est fait : la proposition est acceptée")).to_be_visible()
    assert_accessible(team)
    screenshot(team, "carte-equipe")

    page.goto(status_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre proposition est acceptée")
    assert PlaceProposal.objects.get().status == "accepted"
