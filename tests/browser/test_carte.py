"""On a phone without JavaScript, a visitor finds free Wi-Fi open now near them and opens the place."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.carte.factories import UsefulPlaceFactory, category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL_DAY = [(day, dt.time(0), dt.time(23, 59, 59)) for day in range(7)]


@pytest.fixture
def places(home):
    wifi = category("wi-fi-gratuit")
    UsefulPlaceFactory(name="Médiathèque Louise-Michel", categories=[wifi], hours=ALL_DAY, wheelchair=True)
    UsefulPlaceFactory(name="Cyber-espace du Pont", categories=[wifi])
    UsefulPlaceFactory(name="Crèche Les P'tits Loups", categories=[category("creche")], hours=ALL_DAY)


def test_filter_the_places_and_open_one_without_javascript(
    browser, browser_context_args, live_server, places, screenshot, assert_accessible
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    # axe-core runs as a script: it checks each page again in a context with JavaScript.
    checker = browser.new_context(**browser_context_args).new_page()

    def accessible(page):
        checker.goto(page.url)
        assert_accessible(checker)

    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Carte").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Lieux utiles")
        expect(page.get_by_role("heading", level=2)).to_have_count(3)
        accessible(page)
        screenshot(page, "carte-liste")

        page.get_by_text("Choisir : ce que je cherche").click()
        page.get_by_label("Ce que je cherche").select_option(label="Wi-Fi gratuit")
        page.get_by_label("Ouvert maintenant").check()
        page.get_by_role("button", name="Voir les lieux").click()

        expect(page.get_by_role("heading", level=2)).to_have_text(["Médiathèque Louise-Michel"])
        expect(page.get_by_text("1 lieu avec ces choix.")).to_be_visible()
        accessible(page)
        screenshot(page, "carte-liste-filtree")

        page.get_by_role("link", name="Médiathèque Louise-Michel").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Médiathèque Louise-Michel")
        expect(page.get_by_text("Ouvert maintenant")).to_be_visible()
        expect(page.get_by_text("Accessible en fauteuil roulant.")).to_be_visible()
        expect(page.get_by_role("link", name="Comment y aller")).to_have_attribute(
            "href", "https://www.openstreetmap.org/directions?to=50.690000%2C3.180000"
        )
        accessible(page)
        screenshot(page, "carte-lieu")
    finally:
        context.close()
        checker.context.close()
