"""On a phone, choosing filters folds them away: the results start on the first screen, under a line that says
the choices made, with 'Modifier les filtres' to open them again (the agenda and the exchange)."""

import pytest
from playwright.sync_api import expect

from search.indexing import index_objects
from tests.agenda.factories import CategoryFactory, EventPageFactory
from tests.echanges.factories import CategoryFactory as OfferCategoryFactory
from tests.echanges.factories import OfferFactory
from tests.factories import CentrePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN_HEIGHT = 740


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="centre-social-belencontre")


def top_of(locator):
    """How far down the screen an element starts, in CSS pixels, as the page opened."""
    return locator.evaluate("(element) => element.getBoundingClientRect().top")


def folded_with_results_on_the_first_screen(page, first_result, chosen):
    filters = page.locator("details.filters__more")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.get_by_text("Modifier les filtres")).to_be_visible()
    expect(page.locator(".filters__chosen li")).to_have_text(chosen)
    expect(first_result).to_be_visible()
    # The page opens on the choices (the form's address ends in #filtres), the first result right under them:
    # before, the open panel pushed it 1 600 px down.
    assert page.evaluate("() => window.scrollY") > 0, "the page did not open on the choices"
    assert 0 < top_of(first_result) < SCREEN_HEIGHT * 0.6, f"the first result starts {top_of(first_result)} px down"


def test_the_agenda_folds_its_filters_once_chosen(live_server, page, centre, assert_accessible, screenshot):
    outing = CategoryFactory(slug="sortie", name="Sortie")
    EventPageFactory(parent=centre, title="Premiers pas sur le téléphone", weekly=True)
    EventPageFactory(parent=centre, title="Sortie à la mer", category=outing, weekly=True)
    page.goto(f"{live_server.url}/agenda/")

    page.get_by_text("Choisir : centre, type, date…").click()
    page.get_by_label("Type d'activité").select_option(label="Sortie")
    page.get_by_label("Gratuit seulement").check()
    page.get_by_role("button", name="Voir les activités").click()

    first = page.locator(".occurrence__title").first
    expect(first).to_have_text("Sortie à la mer")
    screenshot(page, "agenda-filtres-replies")
    folded_with_results_on_the_first_screen(page, first, ["Type d'activité : Sortie", "Gratuit seulement"])
    assert_accessible(page)

    # Changing a choice: the panel opens on what was chosen.
    page.get_by_text("Modifier les filtres").click()
    expect(page.get_by_label("Type d'activité")).to_have_value("sortie")
    expect(page.get_by_role("button", name="Voir les activités")).to_be_visible()
    page.get_by_role("link", name="Tout effacer").click()
    expect(page.locator(".occurrence__title")).to_have_count(16)
    expect(page.get_by_text("Choisir : centre, type, date…")).to_be_visible()


def test_the_exchange_folds_its_filters_once_chosen(live_server, page, centre, assert_accessible, screenshot):
    tools = OfferCategoryFactory(slug="bricolage", name="Bricolage")
    for title in ("Vélo à prêter", "Cours de couture", "Aide aux devoirs"):
        OfferFactory(centre=centre, category=tools, title=title, nature="good")
    index_objects(OfferFactory._meta.model.objects.all())
    page.goto(f"{live_server.url}/echanges/")

    page.get_by_text("Choisir : objets, services, centre…").click()
    page.get_by_label("Mots").fill("velo")
    page.get_by_label("Quoi").select_option(label="Des objets")
    page.get_by_role("button", name="Voir les annonces").click()

    first = page.locator(".offer-item__title").first
    expect(first).to_have_text("Vélo à prêter")
    screenshot(page, "echanges-filtres-replies")
    folded_with_results_on_the_first_screen(page, first, ["Mots : velo", "Quoi : Des objets"])
    assert_accessible(page)
