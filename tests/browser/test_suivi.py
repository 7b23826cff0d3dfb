"""A mediator notes a session on a phone at 360 px, in a few taps, then finds it in the person's history; with and
without JavaScript, axe on every page when it can run."""

import pytest
from playwright.sync_api import expect

from suivi.models import MediationRecord, Person
from tests.accounts.factories import mediator_of
from tests.browser.test_notifications import signed_in_page
from tests.factories import CentrePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False])
def test_a_mediator_notes_a_session_in_a_few_taps(
    live_server, home, new_context, staff_login, assert_accessible, screenshot, javascript
):
    centre = CentrePageFactory(parent=home, title="Centre social Belencontre")
    mediator = mediator_of(centre, display_name="Nadia")
    phone = signed_in_page(new_context, live_server, mediator, login=staff_login, java_script_enabled=javascript)

    def check(page):
        if javascript:
            assert_accessible(page)

    phone.goto(f"{live_server.url}/suivi/equipe/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Accompagnements")
    check(phone)
    phone.get_by_role("link", name="Noter un accompagnement — Centre social Belencontre").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Noter un accompagnement")
    check(phone)

    # Sent once empty: the errors are in French, next to the fields.
    phone.get_by_role("button", name="C'est noté").click()
    expect(phone.get_by_role("alert")).to_contain_text("Rien n'est noté")
    expect(phone.get_by_text("Cochez au moins un thème.")).to_be_visible()
    check(phone)

    phone.get_by_label("Ou une nouvelle personne, sans compte").fill("G. B.")
    smartphone = phone.get_by_label("Prendre en main du matériel")
    box = phone.locator("label", has=smartphone).bounding_box()
    assert box["height"] >= 56
    smartphone.check()
    phone.get_by_label("E-mail").check()
    phone.get_by_label("45 min").check()
    phone.get_by_label("Ce qui reste à faire").fill("Revenir avec le code reçu par SMS")
    phone.get_by_role("button", name="C'est noté").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("G. B.")
    expect(phone.get_by_role("status")).to_contain_text("C'est noté")
    expect(phone.get_by_text("Revenir avec le code reçu par SMS")).to_be_visible()
    check(phone)
    screenshot(phone, f"suivi-historique-js-{javascript}")
    record = MediationRecord.objects.get()
    assert record.duration_minutes == 45 and record.place_type == "centre"
    assert Person.objects.get().label == "G. B."
