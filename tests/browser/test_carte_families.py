"""On a phone, a parent finds what to do this year for a child in maternelle, and the schools near a centre."""

import pytest
from playwright.sync_api import expect

from tests.carte.factories import UsefulPlaceFactory, category, seed_family_steps
from tests.factories import CentrePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def places(home):
    seed_family_steps()  # as the migration seeds them, even after another test's flush
    CentrePageFactory(parent=home, title="Centre social L'Escale", latitude="50.690000", longitude="3.180000")
    UsefulPlaceFactory(
        name="École maternelle Les Coquelicots",
        categories=[category("ecole")],
        for_maternelle=True,
        longitude="3.192000",
    )
    UsefulPlaceFactory(
        name="Accueil de loisirs Picasso", categories=[category("accueil-periscolaire")], for_maternelle=True
    )
    UsefulPlaceFactory(name="Collège Albert-Camus", categories=[category("ecole")], for_college=True)


def test_a_parent_chooses_maternelle_and_sees_the_steps_and_the_places_near_a_centre(
    page, live_server, places, screenshot, assert_accessible
):
    page.goto(f"{live_server.url}/carte/")
    page.get_by_role("link", name="Parcours des familles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parcours des familles")
    assert_accessible(page)

    page.get_by_role("link", name="Maternelle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parcours des familles : Maternelle")
    expect(page.get_by_role("heading", name="Inscrire l'enfant à l'école", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Inscrire à la cantine et à la garderie")).to_be_visible()
    expect(page.get_by_role("heading", name="École maternelle Les Coquelicots")).to_be_visible()
    expect(page.get_by_text("Collège Albert-Camus")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Les plus proches du centre").select_option(label="Centre social L'Escale")
    page.get_by_role("button", name="Voir les plus proches").click()
    expect(page.get_by_text("à 850\u00a0m")).to_be_visible()
    expect(page.get_by_role("link", name="Maternelle", exact=True)).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    screenshot(page, "carte-familles-maternelle")
