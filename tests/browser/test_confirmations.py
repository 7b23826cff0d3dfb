"""Nothing destructive in one tap, on a phone: cancelling a registration asks first, and a withdrawn offer
can be put back online — with JavaScript and without.

Steps, counted as taps from the page where the person starts:
- cancel a registration and take the same date again: 3 (Annuler mon inscription, Oui j'annule, Je m'inscris);
  it was 2 before, the cancelling tap acting at once.
- withdraw an offer and put it back online: 2 (Retirer, Remettre en ligne); before, a withdrawal could not
  be undone: the offer had to be written and published again.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agenda import services
from agenda.models import Registration
from echanges.models import Block, Offer
from tests.agenda.factories import EventPageFactory, first_date
from tests.browser.test_notifications import as_a_request_would, signed_in_page
from tests.echanges.factories import CategoryFactory, ConversationFactory, OfferFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="centre-social-belencontre")


@pytest.fixture
def resident(centre):
    return member_of(centre, display_name="Fatou", site_only=True)


@pytest.fixture(params=[True, False], ids=["javascript", "sans-javascript"])
def javascript(request):
    return request.param


def checks(javascript, assert_accessible, screenshot):
    """axe needs JavaScript in the page; without it, only the screenshots."""
    suffix = "" if javascript else "-sans-js"
    return (
        assert_accessible if javascript else (lambda page: None),
        lambda page, name: screenshot(page, f"{name}{suffix}"),
    )


def test_a_resident_cancels_after_a_question_then_takes_the_same_date_again(
    daphne_server, centre, resident, new_context, assert_accessible, screenshot, javascript
):
    workshop = EventPageFactory(
        parent=centre, title="Atelier cuisine", start_date=timezone.localdate() + dt.timedelta(days=4), capacity=1
    )
    occurrence = first_date(workshop)
    as_a_request_would(services.register, occurrence.pk, resident)
    as_a_request_would(services.register, occurrence.pk, member_of(centre, display_name="Karim"))
    check, shoot = checks(javascript, assert_accessible, screenshot)
    page = signed_in_page(new_context, daphne_server, resident, java_script_enabled=javascript)
    page.goto(f"{daphne_server.url}{workshop.url}")
    expect(page.get_by_text("Vous avez une place.", exact=True)).to_be_visible()
    check(page)
    taps = 0

    page.get_by_role("link", name=re.compile("^Annuler mon inscription")).click()
    taps += 1

    expect(page.get_by_role("heading", level=1)).to_contain_text("Annuler mon inscription du")
    expect(page.get_by_text("Votre place ira à la personne suivante sur la liste d'attente.")).to_be_visible()
    expect(page.get_by_role("link", name="Non, je garde ma place")).to_have_attribute("href", workshop.url)
    check(page)
    shoot(page, "annuler-question")
    assert Registration.objects.get(person=resident).status == Registration.Status.CONFIRMED
    page.get_by_role("button", name="Oui, j'annule").click()
    taps += 1

    expect(page.get_by_role("status")).to_contain_text("Votre inscription est annulée.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier cuisine")
    # Karim, who waited, has the seat: Fatou can only wait now.
    expect(page.get_by_role("button", name=re.compile("^Je m'inscris sur la liste d'attente"))).to_be_visible()
    check(page)
    shoot(page, "annuler-fait")
    page.get_by_role("button", name=re.compile("^Je m'inscris")).click()
    taps += 1

    expect(page.get_by_role("status")).to_contain_text("vous êtes sur la liste d'attente")
    expect(page.get_by_text("Vous êtes sur la liste d'attente.", exact=True)).to_be_visible()
    check(page)
    assert taps == 3
    statuses = Registration.objects.filter(person=resident).order_by("pk").values_list("status", flat=True)
    assert list(statuses) == [Registration.Status.CANCELLED, Registration.Status.WAITLISTED]


def test_a_resident_withdraws_an_offer_then_puts_it_back_online(
    daphne_server, centre, resident, new_context, assert_accessible, screenshot, javascript
):
    offer = OfferFactory(
        author=resident, centre=centre, category=CategoryFactory(name="Cuisine"), title="Moule à gâteau à prêter"
    )
    check, shoot = checks(javascript, assert_accessible, screenshot)
    page = signed_in_page(new_context, daphne_server, resident, java_script_enabled=javascript)
    page.goto(f"{daphne_server.url}{offer.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moule à gâteau à prêter")
    taps = 0

    page.get_by_role("button", name="Retirer cette annonce").click()
    taps += 1

    expect(page.get_by_role("status")).to_contain_text("Votre annonce est retirée.")
    expect(
        page.get_by_text("Vous avez retiré cette annonce\N{NO-BREAK SPACE}: personne d'autre ne la voit.")
    ).to_be_visible()
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.WITHDRAWN
    check(page)
    shoot(page, "annonce-retiree")
    page.get_by_role("button", name="Remettre en ligne cette annonce").click()
    taps += 1

    expect(page.get_by_role("status")).to_contain_text("Votre annonce est de nouveau en ligne")
    expect(page.get_by_role("button", name="Retirer cette annonce")).to_be_visible()
    check(page)
    shoot(page, "annonce-remise-en-ligne")
    assert taps == 2
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN
    visitor = new_context(java_script_enabled=javascript).new_page()
    visitor.goto(f"{daphne_server.url}/echanges/")
    expect(visitor.get_by_role("link", name="Moule à gâteau à prêter")).to_be_visible()


def test_blocking_someone_and_leaving_a_centre_ask_first(
    daphne_server, centre, resident, new_context, assert_accessible, screenshot
):
    offer = OfferFactory(author=resident, centre=centre, category=CategoryFactory(), title="Poussette à donner")
    conversation = ConversationFactory(offer=offer, starter=member_of(centre, display_name="Karim"))
    page = signed_in_page(new_context, daphne_server, resident)
    page.goto(f"{daphne_server.url}{conversation.get_absolute_url()}")

    page.get_by_role("link", name="Bloquer Karim").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bloquer Karim\N{NO-BREAK SPACE}?")
    assert_accessible(page)
    screenshot(page, "bloquer-question")
    assert not Block.objects.exists()
    page.get_by_role("button", name="Oui, je bloque Karim").click()

    expect(page.get_by_role("button", name="Débloquer Karim")).to_be_visible()
    assert Block.objects.filter(blocker=resident).count() == 1

    page.goto(f"{daphne_server.url}/compte/")
    page.get_by_role("link", name="Quitter Centre social Belencontre").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Quitter «\N{NO-BREAK SPACE}Centre social Belencontre\N{NO-BREAK SPACE}»\N{NO-BREAK SPACE}?"
    )
    assert_accessible(page)
    screenshot(page, "quitter-question")
    page.get_by_role("link", name="Non, je reste").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert resident.memberships.filter(centre=centre).exists()
