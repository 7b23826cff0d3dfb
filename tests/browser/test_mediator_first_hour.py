"""A mediator's first hour on a phone: sign in by code, act for Marcelle, register her, read her registrations, stop.

Every page opened by address, every tap and every field typed into counts as one step. Before, the journey
stopped halfway: "Mon compte" was refused while acting and no menu led to her registrations.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services import create_accompanied_account
from agenda.models import Registration
from tests.accounts.factories import mediator_of
from tests.agenda.factories import EventPageFactory, first_date
from tests.browser.steps import Steps
from tests.factories import CentrePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEDIATOR_EMAIL = "mediateur.belencontre@placette.example"
MEDIATOR_STEPS = 12


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="centre-social-belencontre")


@pytest.fixture
def marcelle(centre):
    """An accompanied account: Marcelle has no e-mail and no phone; the centre's mediators act for her."""
    return create_accompanied_account(
        mediator_of(centre, display_name="Nadia", email=MEDIATOR_EMAIL),
        display_name="Marcelle",
        centre=centre,
        explained="Ce que Placette garde, ce que je ferai pour elle, et qu'elle peut arrêter quand elle veut.",
        given_on=timezone.localdate() - dt.timedelta(days=1),
        paper_form_kept=True,
    )


@pytest.fixture
def activity(centre):
    return EventPageFactory(parent=centre, title="Atelier tablette")


def test_a_mediator_registers_marcelle_and_reads_her_registrations(
    page, live_server, centre, marcelle, activity, last_code, screenshot, assert_accessible
):
    steps = Steps()
    page.goto(f"{live_server.url}/compte/connexion/")
    steps.count += 1  # opening the sign-in page
    assert_accessible(page)

    steps.fill(page.get_by_label("Adresse e-mail"), MEDIATOR_EMAIL)
    steps.tap(page.get_by_role("button", name="Recevoir mon code"))
    steps.fill(page.get_by_label("Le code à 6 chiffres"), last_code(MEDIATOR_EMAIL))
    steps.tap(page.get_by_role("button", name="Valider"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page)

    steps.tap(page.get_by_role("link", name="Les personnes que j'aide"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Les personnes que j'aide")
    assert_accessible(page)
    screenshot(page, "mediateur-accompagnement")

    steps.tap(page.get_by_role("button", name="Agir pour Marcelle"))
    banner = page.get_by_role("region", name="Aide d'un médiateur")
    expect(banner).to_contain_text("Vous agissez pour Marcelle")
    main_menu = page.get_by_role("navigation", name="Menu principal")
    expect(main_menu.get_by_role("link", name="Mon compte")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "mediateur-agit-pour-marcelle")

    steps.tap(main_menu.get_by_role("link", name="Agenda"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda des activités")
    assert_accessible(page)
    steps.tap(page.get_by_role("link", name="Atelier tablette").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier tablette")
    assert_accessible(page)

    steps.tap(page.get_by_role("button", name="Inscrire Marcelle"))
    expect(page.get_by_role("status")).to_contain_text("Marcelle : inscription confirmée.")
    expect(page.get_by_text("Marcelle a une place.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "mediateur-marcelle-inscrite")
    registration = Registration.objects.get(occurrence=first_date(activity))
    assert (registration.person, registration.status) == (marcelle, Registration.Status.CONFIRMED)

    steps.tap(banner.get_by_role("link", name="Ses inscriptions"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Marcelle : ses inscriptions")
    expect(page.get_by_role("link", name="Atelier tablette", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "mediateur-ses-inscriptions")

    steps.tap(banner.get_by_role("button", name="Arrêter d'agir pour Marcelle"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Les personnes que j'aide")
    expect(banner).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("Vous n'agissez plus pour quelqu'un.")
    assert_accessible(page)

    assert steps.count == MEDIATOR_STEPS
