"""A mediator records Ginette's mandate on a phone, she reads it on the screen, a procedure is noted in a few taps;
then Ginette reads the log in "Mes mandats". With and without JavaScript; axe on every page when it can run."""

import pytest
from playwright.sync_api import expect

from demarches.models import Domain, Mandate, MandateAction
from tests.accounts.factories import mediator_of, resident_of
from tests.browser.test_notifications import signed_in_page
from tests.demarches.factories import ProcedureFactory
from tests.factories import CentrePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False])
def test_a_mandate_recorded_on_the_mediators_screen_then_read_by_the_resident(
    live_server, home, new_context, staff_login, assert_accessible, screenshot, javascript
):
    centre = CentrePageFactory(parent=home, title="Centre social Belencontre")
    mediator = mediator_of(centre, display_name="Nadia")
    ginette = resident_of(centre, display_name="Ginette")
    ProcedureFactory(name="Déclaration trimestrielle CAF", domain=Domain.FAMILY)
    phone = signed_in_page(new_context, live_server, mediator, login=staff_login, java_script_enabled=javascript)

    def check(page):
        # axe runs in the page: without JavaScript, the flow alone is tested.
        if javascript:
            assert_accessible(page)

    phone.goto(f"{live_server.url}/demarches/equipe/mandats/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Les mandats")
    check(phone)
    phone.get_by_role("link", name="Nouveau mandat").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Nouveau mandat")
    check(phone)

    phone.get_by_label("La personne", exact=True).select_option(label="Ginette")
    phone.get_by_label("Famille : CAF, enfants, école").check()
    phone.get_by_label("3 mois").check()
    phone.get_by_label("Accord donné sur l'écran du médiateur").check()
    phone.get_by_role("button", name="Noter le mandat").click()

    terms = phone.get_by_role("region", name="Le mandat, à lire avec la personne")
    expect(terms).to_contain_text("Moi, Ginette, je donne mandat")
    check(phone)
    screenshot(phone, f"mandat-a-lire-js-{javascript}")
    phone.get_by_label("La personne a lu le mandat sur mon écran et elle est d'accord").check()
    phone.get_by_role("button", name="Noter le mandat").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Mandat de Ginette")
    check(phone)
    phone.get_by_label("La démarche").select_option(label="Déclaration trimestrielle CAF")
    phone.get_by_label("En attente d'une réponse").check()
    phone.get_by_label("Et ensuite (si besoin)").fill("Attendre le courrier de la CAF")
    button = phone.get_by_role("button", name="Noter la démarche")
    assert button.bounding_box()["height"] >= 44
    button.click()

    expect(phone.get_by_role("status")).to_contain_text("C'est noté")
    expect(phone.get_by_role("listitem").filter(has_text="Attendre le courrier de la CAF")).to_be_visible()
    screenshot(phone, f"mandat-equipe-js-{javascript}")
    assert MandateAction.objects.get().mandate == Mandate.objects.get(resident=ginette)

    own = signed_in_page(new_context, live_server, ginette, java_script_enabled=javascript)
    own.goto(f"{live_server.url}/compte/")
    own.get_by_role("link", name="Mes mandats : les démarches en ligne que mon centre fait pour moi").click()
    expect(own.get_by_role("heading", level=1)).to_have_text("Mes mandats")
    check(own)
    own.get_by_role("link", name="Centre social Belencontre").click()
    expect(own.get_by_role("listitem").filter(has_text="Déclaration trimestrielle CAF")).to_contain_text(
        "En attente d'une réponse"
    )
    check(own)
    screenshot(own, f"mandat-habitante-js-{javascript}")
