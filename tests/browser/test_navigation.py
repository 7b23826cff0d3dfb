"""A visitor on a phone goes from the home page to a centre's page: with a mouse, the keyboard, no JavaScript."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from playwright.sync_api import expect

from tests.factories import CentrePageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def current_totp_code():
    """The authenticator app's code now; near the end of a 30-second step, wait for the next one to be sure."""
    if int(time.time()) % 30 >= 27:
        time.sleep(30 - time.time() % 30)
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


@pytest.fixture
def centres(home):
    return [
        CentrePageFactory(
            parent=home,
            title="Centre social Belencontre",
            slug="centre-social-belencontre",
            town="Tourcoing",
            with_photo=True,
            photo_alt="Façade du centre Belencontre",
        ),
        CentrePageFactory(
            parent=home,
            title="Centre social L'Escale",
            slug="centre-social-lescale",
            town="Roubaix",
            with_photo=True,
            photo_alt="Façade du centre L'Escale",
        ),
    ]


def visit_home_then_a_centre(page, live_server, screenshot, name, *, assert_accessible=None):
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Placette, les centres sociaux connectés")
    expect(page.get_by_role("heading", name="Les centres sociaux", exact=True)).to_be_visible()
    if assert_accessible:
        assert_accessible(page)
    screenshot(page, f"{name}-accueil")

    page.get_by_role("link", name="Centre social Belencontre").click()

    expect(page).to_have_url(f"{live_server.url}/centre-social-belencontre/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre social Belencontre")
    expect(page.get_by_role("link", name="03 53 01 01 01")).to_have_attribute("href", "tel:+33353010101")
    expect(page.get_by_role("img", name="Façade du centre Belencontre")).to_be_visible()
    if assert_accessible:
        assert_accessible(page)
    screenshot(page, f"{name}-centre")


def test_home_to_a_centre_by_clicking(page, daphne_server, centres, screenshot, assert_accessible):
    """Served by daphne, as the socket the centre page opens needs: no console error at all."""
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    visit_home_then_a_centre(page, daphne_server, screenshot, "telephone", assert_accessible=assert_accessible)

    assert console_errors == []


def test_home_to_a_centre_without_javascript(browser, browser_context_args, live_server, centres, screenshot):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        # axe is itself a script: it checks these same pages in the test above.
        visit_home_then_a_centre(context.new_page(), live_server, screenshot, "sans-javascript")
    finally:
        context.close()


def test_keyboard_reaches_the_content_by_the_skip_link_then_a_centre(page, live_server, centres):
    page.goto(live_server.url)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/#contenu")

    centre_link = page.get_by_role("link", name="Centre social Belencontre")
    centre_link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre social Belencontre")


def test_the_admin_works_under_its_content_security_policy(page, live_server, centres, screenshot, assert_accessible):
    admin = UserFactory(username="federation", network_admin=True)
    TOTP.activate(admin, TOTP_SECRET)
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))

    # An anonymous visitor is sent to allauth's sign-in: the password, then the authenticator app's code.
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/compte/connexion/mot-de-passe/"))
    assert_accessible(page)
    screenshot(page, "admin-connexion")
    page.locator("input[name=login]").fill("federation")
    page.locator("input[name=password]").fill("mot-de-passe-de-test")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/compte/2fa/"))
    assert_accessible(page)
    screenshot(page, "admin-double-verification")
    page.locator("input[name=code]").fill(current_totp_code())
    page.locator("main form button[type=submit]").first.click()

    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/admin/pages/{centres[0].pk}/edit/")
    expect(page.locator("input[name=title]")).to_have_value("Centre social Belencontre")

    assert violations == []
