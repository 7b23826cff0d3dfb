"""A mediator on a phone calls back the people who answered the centre's SMS: the list, a tel: link, "C'est fait"."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demarches.models import Callback
from tests.accounts.factories import mediator_of
from tests.browser.test_notifications import signed_in_page
from tests.notifications.factories import TextDeliveryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False])
def test_a_mediator_calls_back_then_taps_cest_fait(
    live_server, centre, new_context, staff_login, assert_accessible, screenshot, javascript
):
    mediator = mediator_of(centre, display_name="Nadia")
    sms = TextDeliveryFactory(
        centre=centre, to="+33612345678", text="Atelier CAF jeudi 14 h. Besoin d'aide ? Répondez OUI."
    )
    Callback.objects.create(
        centre=centre,
        phone="+33612345678",
        name="Mme Lefèvre",
        text="OUI, le matin de préférence",
        received_at=timezone.now(),
        delivery=sms,
    )
    page = signed_in_page(new_context, live_server, mediator, login=staff_login, java_script_enabled=javascript)

    page.goto(f"{live_server.url}/demarches/equipe/a-rappeler/")

    expect(page.get_by_role("heading", level=1)).to_have_text("À rappeler")
    call = page.get_by_role("link", name="06 12 34 56 78")
    expect(call).to_have_attribute("href", "tel:+33612345678")
    expect(page.get_by_text("OUI, le matin de préférence")).to_be_visible()
    expect(page.get_by_text("En réponse au SMS : « Atelier CAF jeudi 14 h.")).to_be_visible()
    done = page.get_by_role("button", name="C'est fait : Mme Lefèvre")
    box = done.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "nothing wider than the phone"
    if javascript:
        assert_accessible(page)
    screenshot(page, f"a-rappeler{'' if javascript else '-sans-js'}")

    done.click()

    expect(page.get_by_text("C'est noté : vous avez rappelé Mme Lefèvre.")).to_be_visible()
    expect(page.get_by_text("Personne à rappeler pour le moment.")).to_be_visible()
    assert Callback.objects.get().done_by == mediator
