"""A visitor on a phone finds when to do a procedure, and asks to be told before its dates; the front desk records
someone without an account. axe on every page reached."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from demarches.models import Contact, Follow
from tests.accounts.factories import mediator_of
from tests.demarches.factories import ProcedureFactory
from tests.factories import CentrePageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_header_to_a_procedures_next_date_and_what_to_bring(
    page, live_server, home, screenshot, assert_accessible
):
    CentrePageFactory(parent=home, title="Centre social Belencontre")
    ProcedureFactory(
        name="Actualisation France Travail",
        slug="actualisation-france-travail",
        opens_day=28,
        closes_day=15,
        to_bring="Identifiant France Travail\nMot de passe",
        audiences=["demandeurs d'emploi"],
    )
    page.goto(live_server.url)

    page.get_by_role("link", name="Démarches", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Démarches en ligne")
    assert_accessible(page)
    screenshot(page, "demarches-calendrier")

    page.get_by_role("link", name="Actualisation France Travail").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Actualisation France Travail")
    expect(page.get_by_role("listitem").filter(has_text="Identifiant France Travail")).to_be_visible()
    expect(page.get_by_role("link", name="Le site officiel")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "demarches-procedure")


def test_a_visitor_taps_prevenez_moi_signs_in_by_code_and_follows_in_one_more_tap(
    page, live_server, home, last_code, screenshot, assert_accessible
):
    UserFactory(display_name="Fatou", email="fatou@exemple.test")
    ProcedureFactory(name="Actualisation France Travail", slug="actualisation-france-travail")
    page.goto(f"{live_server.url}/demarches/actualisation-france-travail/")

    follow = page.get_by_role("region", name="Prévenez-moi avant la date")
    follow.get_by_label("la veille").check()
    follow.get_by_role("button", name="Prévenez-moi").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Me connecter")
    page.get_by_label("Adresse e-mail").fill("fatou@exemple.test")
    page.get_by_role("button", name="Recevoir mon code").click()
    page.get_by_label("Le code à 6 chiffres").fill(last_code("fatou@exemple.test"))
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Être prévenu avant les dates")
    expect(page.get_by_label("la veille")).to_be_checked()
    assert_accessible(page)
    screenshot(page, "demarches-suivre")
    page.get_by_role("button", name="Prévenez-moi").click()

    expect(page.get_by_text("C'est noté : nous vous prévenons la veille")).to_be_visible()
    expect(page.get_by_role("button", name="Ne plus suivre Actualisation France Travail")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "demarches-procedure-suivie")
    assert Follow.objects.get().days_before == 1

    page.goto(f"{live_server.url}/demarches/mes-demarches/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches suivies")
    assert_accessible(page)
    screenshot(page, "demarches-mes-demarches")


def test_the_front_desk_records_someone_without_an_account_on_a_phone(
    browser, browser_context_args, live_server, home, staff_login, screenshot, assert_accessible
):
    centre = CentrePageFactory(parent=home, title="Centre social Lille-Sud")
    ProcedureFactory(name="Actualisation France Travail")
    mediator = mediator_of(centre, display_name="Nadia")
    client = Client()
    staff_login(client, mediator)
    context = browser.new_context(**browser_context_args)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/demarches/equipe/")
    page.get_by_role("link", name="Prévenir quelqu'un sans compte").click()

    page.get_by_label("Prénom et nom").fill("Fatima Zahra")
    page.get_by_label("Numéro de portable").fill("03 20 12 34 56")
    page.get_by_label("Actualisation France Travail").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("Indiquez un numéro de portable (06 ou 07), pour recevoir les SMS.")).to_be_visible()
    expect(page.get_by_text("Sans l'accord de la personne, aucun SMS ne peut lui être envoyé.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "demarches-accueil-erreurs")
    page.get_by_label("Numéro de portable").fill("06 12 34 56 78")
    page.get_by_label("La personne est d'accord pour recevoir ces SMS").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("Fatima Zahra est enregistré")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "demarches-accueil-contacts")
    context.close()
    assert Contact.objects.get().phone == "+33612345678"
