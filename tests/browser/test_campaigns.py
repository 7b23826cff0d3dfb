"""A mediator on a phone sends an SMS campaign to the followers of a procedure: audience, text counted live as an
"ê" makes it Unicode, preview, send; axe on every page."""

import pytest
from playwright.sync_api import expect

from demarches import campaign_sending
from demarches.models import Campaign
from notifications.models import Delivery
from tests.accounts.factories import mediator_of
from tests.browser.test_notifications import signed_in_page
from tests.demarches.campaign_data import ContactFactory, follower, verified_member
from tests.demarches.factories import ProcedureFactory
from tests.processes import NO_QUIET_HOURS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    """The live server runs in this process: at night too, "maintenant" leaves now."""
    settings.SMS_QUIET_HOURS = NO_QUIET_HOURS


def test_a_mediator_composes_previews_and_sends_a_campaign_at_360_px(
    new_context, live_server, centre, staff_login, assert_accessible, screenshot
):
    procedure = ProcedureFactory(name="Actualisation CAF", slug="actualisation-caf", centre=centre)
    follower(procedure, user=verified_member(centre))
    for contact in ContactFactory.create_batch(2, centre=centre):
        follower(procedure, contact=contact)
    page = signed_in_page(new_context, live_server, mediator_of(centre, display_name="Nadia"), login=staff_login)

    page.goto(f"{live_server.url}/demarches/equipe/campagnes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Campagnes SMS")
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle campagne").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle campagne SMS")
    page.get_by_label("Qui recevra le SMS ?").select_option(label="Actualisation CAF")
    assert_accessible(page)
    screenshot(page, "campagne-1-destinataires")
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Le message")
    counter = page.locator("[data-sms-count]")
    unicode = page.locator("[data-sms-unicode]")
    # The procedure's page is offered, and chosen, as the SMS's link.
    expect(page.get_by_label("La page « Actualisation CAF »")).to_be_checked()
    page.get_by_label("Message").fill("L'actualisation CAF ouvre demain.")
    expect(counter).to_contain_text("148 caractères")
    expect(counter).to_contain_text(": 1 SMS.")
    expect(unicode).to_be_hidden()
    page.get_by_label("Message").press_sequentially(" Bonne fête !")
    expect(unicode).to_have_text("« ê » fait passer le SMS en Unicode : 70 caractères par SMS au lieu de 160.")
    expect(counter).to_contain_text(": 3 SMS.")
    page.get_by_label("Pas de lien").check()
    expect(counter).to_contain_text(": 2 SMS.")
    page.get_by_label("La page « Actualisation CAF »").check()
    expect(counter).to_contain_text(": 3 SMS.")
    assert_accessible(page)
    screenshot(page, "campagne-2-message")
    page.get_by_role("button", name="Aperçu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier et envoyer")
    expect(page.locator(".sms-preview")).to_contain_text("Centre social Belencontre : L'actualisation CAF")
    expect(page.locator(".sms-preview")).to_contain_text("STOP : répondez STOP ou")
    assert_accessible(page)
    screenshot(page, "campagne-3-apercu")
    page.get_by_role("button", name="Envoyer à 3 personnes").click()

    expect(page.get_by_text("C'est parti")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "campagne-4-envoyee")
    campaign = Campaign.objects.get()
    assert (campaign.status, campaign.recipients_count, campaign.cost_parts) == ("scheduled", 3, 9)
    campaign_sending.send(campaign.pk)
    assert Delivery.objects.filter(campaign_message__campaign=campaign).count() == 3


def test_without_javascript_the_preview_counts_the_sms_and_names_the_accent(
    new_context, live_server, centre, staff_login
):
    ContactFactory.create_batch(2, centre=centre)
    page = signed_in_page(
        new_context,
        live_server,
        mediator_of(centre, display_name="Nadia"),
        login=staff_login,
        java_script_enabled=False,
    )

    page.goto(f"{live_server.url}/demarches/equipe/campagnes/")
    page.get_by_role("link", name="Nouvelle campagne").click()
    page.get_by_label("Qui recevra le SMS ?").select_option(
        label="Les contacts de l'accueil qui acceptent les SMS du centre"
    )
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Message").fill("La fête du centre, samedi à 14h.")
    page.get_by_role("button", name="Aperçu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier et envoyer")
    expect(page.get_by_text("2 SMS par personne")).to_be_visible()
    expect(page.get_by_text("« ê » fait passer le SMS en Unicode")).to_be_visible()
    # axe runs inside the page: it cannot without JavaScript, and the test above runs it on these same pages.
    expect(page.get_by_text("Coût")).to_be_visible()
    page.get_by_role("button", name="Envoyer à 2 personnes").click()

    expect(page.get_by_text("C'est parti")).to_be_visible()
    assert Campaign.objects.get().cost_parts == 4
