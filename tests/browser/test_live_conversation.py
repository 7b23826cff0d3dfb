"""A message arriving in the conversation a person is reading shows in the thread only: no toast over the page,
not counted unread, and read in the inbox; news about anything else still gets its toast and its count."""

import pytest
from playwright.sync_api import expect

from echanges.services import conversations
from notifications.models import Notification
from tests.browser.test_notifications import as_a_request_would, badge, live_region, open_and_listen, signed_in_page
from tests.echanges.factories import OfferFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Bonjour Nadia, mon vélo a un pneu crevé."
SECOND = "Je peux venir au centre vers 10 h avec le vélo."


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="centre-social-belencontre")


def toast(page):
    return page.locator("[data-live-notice]")


def test_a_message_in_the_open_conversation_is_shown_in_the_thread_only(
    daphne_server, centre, new_context, assert_accessible, screenshot
):
    nadia = member_of(centre, display_name="Nadia", site_only=True)
    karim = member_of(centre, display_name="Karim", site_only=True)
    awa = member_of(centre, display_name="Awa", site_only=True)
    bike = OfferFactory(centre=centre, author=nadia, title="Réparer un vélo")
    pram = OfferFactory(centre=centre, author=nadia, title="Poussette à prêter")
    conversation = as_a_request_would(conversations.answer_offer, bike.pk, karim, body=FIRST)
    page = signed_in_page(new_context, daphne_server, nadia)

    # Opening the conversation reads what told of it.
    open_and_listen(page, f"{daphne_server.url}{conversation.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avec Karim")
    expect(badge(page)).to_be_hidden()
    assert not Notification.objects.filter(recipient=nadia, read_at__isnull=True).exists()

    # Karim writes from his phone: the server that sends the page his message pushes the news.
    karim_page = signed_in_page(new_context, daphne_server, karim)
    karim_page.goto(f"{daphne_server.url}{conversation.get_absolute_url()}")
    karim_page.get_by_label("Votre message").fill(SECOND)
    karim_page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(karim_page.get_by_role("status")).to_have_text("Votre message est envoyé.")

    thread = page.locator("[data-thread]")
    expect(thread).to_contain_text(SECOND)
    # The thread says it (it is a polite live region); nothing covers "Proposer un accord", nothing is counted.
    page.wait_for_timeout(500)
    expect(toast(page)).to_be_hidden()
    expect(badge(page)).to_be_hidden()
    expect(page.get_by_text("Proposer un accord")).to_be_visible()
    assert not Notification.objects.filter(recipient=nadia, read_at__isnull=True).exists()
    assert_accessible(page)
    screenshot(page, "conversation-message-en-direct")

    # News about another conversation is still shown, said and counted.
    awa_page = signed_in_page(new_context, daphne_server, awa)
    awa_page.goto(f"{daphne_server.url}{pram.get_absolute_url()}")
    awa_page.get_by_label("Votre message à Nadia").fill("Bonjour, la poussette est libre samedi ?")
    awa_page.get_by_role("button", name="Envoyer mon message").click()
    expect(awa_page.get_by_role("heading", level=1)).to_have_text("Avec Nadia")

    expect(toast(page)).to_be_visible()
    expect(toast(page)).to_contain_text("Awa vous écrit au sujet de « Poussette à prêter »")
    expect(live_region(page)).to_contain_text("Nouvelle notification : Awa vous écrit")
    expect(badge(page)).to_have_text("1")
    assert Notification.objects.filter(recipient=nadia, read_at__isnull=True).count() == 1
