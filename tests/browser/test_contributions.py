"""A relay writes a word of the lexicon in the admin on a phone, her centre's animatrice approves it, and the
published page credits her by her first name."""

import re

import pytest
from playwright.sync_api import expect

from lexique.models import TermPage
from quartier.models import Membership
from tests.browser.test_notifications import signed_in_page
from tests.factories import CentrePageFactory, UserFactory
from tests.lexique.factories import the_lexicon

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="centre-social-belencontre")


@pytest.fixture
def ines(centre):
    relay = UserFactory(username="ines", first_name="Inès", last_name="Durand")
    Membership.objects.create(user=relay, centre=centre, role=Membership.Role.RELAY)
    return relay


@pytest.fixture
def claire(centre):
    editor = UserFactory(username="claire", display_name="Claire")
    editor.groups.add(centre.team.editors)
    return editor


def more_actions(page):
    """The action menu's other choices, folded under the main button."""
    page.get_by_role("button", name="Plus d'actions").click()


def test_a_relays_term_goes_through_her_centres_review_and_credits_her(
    live_server, centre, ines, claire, new_context, staff_login, screenshot, assert_accessible
):
    page = signed_in_page(new_context, live_server, ines, login=staff_login)
    page.goto(f"{live_server.url}/admin/pages/add/lexique/termpage/{the_lexicon().pk}/")
    page.get_by_role("textbox", name=re.compile(r"^Titre\*?$")).press_sequentially("clé USB")
    page.get_by_role("textbox", name=re.compile(r"^Définition\*?$")).fill(
        "C'est un petit objet pour garder des fichiers. On le branche sur l'ordinateur."
    )
    expect(page.get_by_role("button", name="Publier", exact=True)).to_have_count(0)
    screenshot(page, "relais-nouveau-mot")
    more_actions(page)
    page.get_by_role("button", name="Envoyer à l'équipe du centre pour relecture").click()

    expect(page.get_by_text(re.compile("clé USB.*soumis"))).to_be_visible()
    term = TermPage.objects.get(title="clé USB")
    assert term.centre_id == centre.pk and not term.live

    page = signed_in_page(new_context, live_server, claire, login=staff_login)
    page.goto(f"{live_server.url}/admin/pages/{term.pk}/edit/")
    screenshot(page, "animatrice-relecture")
    approve = page.get_by_role("button", name="Approuver et publier")
    if not approve.is_visible():
        more_actions(page)
    approve.click()

    expect(page.get_by_role("status")).to_contain_text("« clé USB »")
    term.refresh_from_db()
    assert term.live
    page.goto(f"{live_server.url}{term.url}")
    expect(page.get_by_text("Écrit par Inès (habitant-relais, Centre social Belencontre).")).to_be_visible()
    expect(page.get_by_text("Durand")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "mot-publie-avec-credit")
