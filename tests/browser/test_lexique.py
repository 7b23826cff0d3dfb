"""On a phone, a visitor looks a word up in the lexicon, and opens a word explained in a page they read."""

import pytest
from playwright.sync_api import expect
from wagtail.rich_text import RichText

from tests.factories import ContentPageFactory
from tests.lexique.factories import TermPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEFINITION = "C'est le nom qui vous reconnaît sur un site. Vous le tapez avec votre mot de passe."


@pytest.fixture
def help_page(home):
    TermPageFactory(title="identifiant", variants="identifiants\nlogin", definition=DEFINITION)
    TermPageFactory(title="mot de passe", definition="Un code secret pour entrer dans votre compte.")
    TermPageFactory(title="écran tactile", slug="ecran-tactile", definition="On le touche du doigt.")
    return ContentPageFactory(
        parent=home,
        title="Se connecter à la CAF",
        body=[
            ("heading", "Votre identifiant"),
            ("paragraph", RichText("<p>Tapez votre identifiant, puis votre mot de passe.</p>")),
        ],
    )


def test_the_lexicon_a_to_z_and_a_search_on_a_phone(page, live_server, help_page, screenshot, assert_accessible):
    page.goto(f"{live_server.url}/lexique/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Lexique du numérique")
    expect(page.get_by_role("link", name="I", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "lexique-index")

    page.get_by_label("Chercher un mot").fill("LOGIN")
    page.get_by_role("button", name="Chercher", exact=True).last.click()

    expect(page.get_by_role("heading", level=3)).to_have_text(["identifiant"])
    page.get_by_role("link", name="identifiant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("identifiant")
    expect(page.get_by_text("On dit aussi : identifiants, login.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "lexique-mot")


def test_a_word_explained_in_a_page_opens_in_place(page, live_server, help_page, screenshot, assert_accessible):
    page.goto(f"{live_server.url}{help_page.url}")

    word = page.get_by_role("button", name="identifiant")
    expect(word).to_have_attribute("aria-expanded", "false")
    definition = page.get_by_text(DEFINITION)
    expect(definition).to_be_hidden()
    assert_accessible(page)

    word.click()

    expect(word).to_have_attribute("aria-expanded", "true")
    expect(definition).to_be_visible()
    expect(page.get_by_role("link", name="Voir la fiche du mot").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "lexique-mot-explique")

    page.keyboard.press("Escape")  # the focus is on the button: Escape is for the definition
    word.click()
    expect(definition).to_be_hidden()
    # The heading is never touched.
    expect(page.get_by_role("heading", name="Votre identifiant")).to_be_visible()


def test_without_javascript_the_word_is_a_link_to_its_page(browser, browser_context_args, live_server, help_page):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{help_page.url}")

    page.get_by_role("link", name="identifiant", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("identifiant")
    expect(page.get_by_text(DEFINITION)).to_be_visible()
    context.close()
