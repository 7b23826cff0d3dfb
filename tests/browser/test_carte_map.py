"""On a phone with JavaScript, a visitor opens the map above the list, finds a place by its marker and opens it.

Tiles come from the stub server on 127.0.0.1 (tests/tile_server.py); any request to another host fails the test.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.carte.factories import UsefulPlaceFactory, category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture
def places(home):
    wifi = category("wi-fi-gratuit")
    # Two places 30 m apart: one group at first, two markers once zoomed in.
    UsefulPlaceFactory(name="Médiathèque Louise-Michel", categories=[wifi], latitude="50.690000", longitude="3.180000")
    UsefulPlaceFactory(
        name="Point d'accès Wi-Fi du marché", categories=[wifi], latitude="50.690270", longitude="3.180000"
    )
    UsefulPlaceFactory(
        name="Cyber-espace du Pont",
        categories=[wifi, category("impression-et-scan")],
        street_address="12 rue du Pont",
        latitude="50.705000",
        longitude="3.160000",
    )
    UsefulPlaceFactory(name="</script><b>Atelier</b>", latitude="50.675000", longitude="3.205000")


@pytest.fixture
def offline_page(browser, browser_context_args):
    """A page whose requests to any host but this machine are refused, and listed for the test to check."""
    context = browser.new_context(**browser_context_args)
    refused = []

    def only_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.refused = refused
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def test_the_map_shows_the_places_of_the_list_and_a_marker_leads_to_its_place(
    offline_page, live_server, places, tile_server, screenshot, assert_accessible
):
    page = offline_page
    page.goto(f"{live_server.url}/carte/")
    # The list is the page, map or not.
    expect(page.get_by_role("heading", level=2)).to_have_count(4)
    assert tile_server.tiles() == [], "no tile before the visitor asks for the map"

    page.get_by_role("button", name="Voir sur la carte").click()
    expect(page.get_by_role("button", name="Masquer la carte")).to_have_attribute("aria-expanded", "true")
    region = page.get_by_role("region", name="Carte des lieux de la liste")
    expect(region).to_be_visible()
    expect(region.locator(".leaflet-tile-loaded").first).to_be_visible()
    assert tile_server.tiles(), "the tiles come from the configured server"
    group = region.get_by_role("button", name="2 lieux ici")
    expect(group).to_be_visible()
    expect(region.get_by_role("button", name="Cyber-espace du Pont")).to_be_visible()
    box = region.bounding_box()
    assert box["width"] <= 360 and box["height"] <= 0.6 * 740 + 1
    assert_accessible(page)
    screenshot(page, "carte-carte")

    # A name made of markup is shown as the text it is.
    region.get_by_role("button", name="</script><b>Atelier</b>").click()
    expect(region.locator(".leaflet-popup")).to_contain_text("</script><b>Atelier</b>")
    region.get_by_role("button", name="Fermer").click()
    expect(region.locator(".leaflet-popup")).to_have_count(0)

    region.get_by_role("button", name="Cyber-espace du Pont").click()
    card = region.locator(".leaflet-popup")
    expect(card).to_contain_text("Cyber-espace du Pont")
    expect(card).to_contain_text("Impression et scan, Wi-Fi gratuit")
    expect(card).to_contain_text("12 rue du Pont, 59100 Roubaix")
    assert_accessible(page)
    screenshot(page, "carte-carte-fiche")
    card.get_by_role("link", name="Voir la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cyber-espace du Pont")

    assert page.refused == [], "the map asked another host"
    assert not [error for error in page.console_errors if "Content Security Policy" in error]


def test_the_map_is_used_with_the_keyboard_alone(offline_page, live_server, places, tile_server, assert_accessible):
    page = offline_page
    page.goto(f"{live_server.url}/carte/?category=wi-fi-gratuit")
    toggle = page.locator("[data-place-map-toggle]")
    toggle.focus()
    page.keyboard.press("Enter")
    region = page.get_by_role("region", name="Carte des lieux de la liste")
    group = region.get_by_role("button", name="2 lieux ici")
    expect(group).to_be_visible()
    # The filtered list's places only.
    expect(region.get_by_role("button", name="</script><b>Atelier</b>")).to_have_count(0)

    group.focus()
    page.keyboard.press("Enter")
    marker = region.get_by_role("button", name="Médiathèque Louise-Michel")
    expect(marker).to_be_visible()
    expect(region.get_by_role("button", name="Point d'accès Wi-Fi du marché")).to_be_visible()

    marker.focus()
    page.keyboard.press("Enter")
    link = region.locator(".leaflet-popup").get_by_role("link", name="Voir la fiche")
    expect(link).to_be_focused()
    page.keyboard.press("Escape")
    expect(region.locator(".leaflet-popup")).to_have_count(0)
    expect(marker).to_be_focused()
    assert_accessible(page)

    # Hidden again, the map leaves the list as it was.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(region).to_be_hidden()
    expect(page.get_by_role("heading", level=2)).to_have_count(3)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.leaflet-container')") is None
    assert page.refused == []


def test_a_map_that_cannot_load_says_so_and_the_list_stays(offline_page, live_server, places, tile_server):
    page = offline_page
    page.route(re.compile(r".*/carte/lieux\.json.*"), lambda route: route.fulfill(status=500))
    page.goto(f"{live_server.url}/carte/")
    page.get_by_role("button", name="Voir sur la carte").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("La carte n'a pas pu s'afficher"))
    expect(page.get_by_role("button", name="Voir sur la carte")).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("region", name="Carte des lieux de la liste")).to_be_hidden()
    expect(page.get_by_role("heading", level=2)).to_have_count(4)
