"""The agenda on a phone, served by a real daphne: find an activity by filter, register, find it in "Mes
inscriptions", cancel — with JavaScript and without; seats left change live on a visitor's page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import Registration
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import CategoryFactory, EventPageFactory, PlaceFactory, RegistrationFactory
from tests.browser.test_notifications import open_and_listen, signed_in_page
from tests.factories import CentrePageFactory
from tests.notifications.factories import PersonFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="centre-social-belencontre")


@pytest.fixture
def outing(centre):
    """A family outing next Saturday-ish, two seats, among ordinary workshops."""
    EventPageFactory(parent=centre, title="Premiers pas sur le téléphone", weekly=True)
    EventPageFactory(parent=centre, title="Permanence démarches en ligne", open_door=True)
    return EventPageFactory(
        parent=centre,
        title="Sortie à la mer",
        summary="Une journée à Malo-les-Bains, en car, avec le pique-nique.",
        category=CategoryFactory(slug="sortie", name="Sortie"),
        place=PlaceFactory(centre=centre, name="Parking du centre"),
        start_date=timezone.localdate() + dt.timedelta(days=5),
        capacity=2,
    )


@pytest.fixture
def resident(centre):
    return member_of(centre, display_name="Fatou", site_only=True)


def find_register_and_cancel(page, server, *, check=None, shoot=None):
    """The resident's whole task, as she does it: the same steps with JavaScript and without."""
    check = check or (lambda page: None)
    shoot = shoot or (lambda page, name: None)
    page.goto(f"{server.url}/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda des activités")
    check(page)
    page.get_by_text("Choisir : centre, type, date…").click()
    page.get_by_label("Type d'activité").select_option(label="Sortie")
    page.get_by_role("button", name="Voir les activités").click()

    expect(page.locator(".occurrence__title")).to_have_text(["Sortie à la mer"])
    check(page)
    shoot(page, "agenda-filtre")
    page.get_by_role("link", name="Sortie à la mer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sortie à la mer")
    expect(page.get_by_text("2 places restantes")).to_be_visible()
    check(page)
    page.get_by_role("button", name=re.compile("^Je m'inscris")).click()

    expect(page.get_by_role("status")).to_contain_text("C'est noté : vous avez une place.")
    expect(page.get_by_text("Vous avez une place.", exact=True)).to_be_visible()
    expect(page.get_by_text("1 place restante")).to_be_visible()
    check(page)
    shoot(page, "agenda-inscrit")

    page.goto(f"{server.url}/compte/")
    page.get_by_role("link", name="Mes inscriptions aux activités").click()
    expect(page.get_by_role("heading", level=2, name="Sortie à la mer")).to_be_visible()
    check(page)
    shoot(page, "agenda-mes-inscriptions")
    page.get_by_role("link", name=re.compile("^Annuler mon inscription")).click()

    # One tap never cancels: a page asks first.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annuler mon inscription du")
    check(page)
    page.get_by_role("button", name="Oui, j'annule").click()

    expect(page.get_by_role("status")).to_contain_text("Votre inscription est annulée.")
    expect(page.get_by_text("Vous n'avez aucune inscription pour le moment.")).to_be_visible()
    check(page)


def test_a_resident_finds_an_outing_registers_and_cancels_on_a_phone(
    daphne_server, outing, resident, new_context, assert_accessible, screenshot
):
    page = signed_in_page(new_context, daphne_server, resident)

    find_register_and_cancel(page, daphne_server, check=assert_accessible, shoot=screenshot)

    registration = Registration.objects.get(person=resident)
    assert registration.status == Registration.Status.CANCELLED


def test_the_same_without_javascript(daphne_server, outing, resident, new_context, screenshot):
    page = signed_in_page(new_context, daphne_server, resident, java_script_enabled=False)

    find_register_and_cancel(page, daphne_server, shoot=lambda page, name: screenshot(page, f"{name}-sans-js"))

    assert Registration.objects.get(person=resident).status == Registration.Status.CANCELLED


def test_a_visitor_sees_the_seats_go_as_someone_registers(
    daphne_server, outing, resident, new_context, assert_accessible
):
    visitor = new_context().new_page()
    open_and_listen(visitor, f"{daphne_server.url}{outing.url}", answer="subscribed")
    expect(visitor.get_by_text("2 places restantes")).to_be_visible()

    phone = signed_in_page(new_context, daphne_server, resident)
    phone.goto(f"{daphne_server.url}{outing.url}")
    phone.get_by_role("button", name=re.compile("^Je m'inscris")).click()
    expect(phone.get_by_role("status")).to_contain_text("C'est noté")

    # Changed on the visitor's page without a reload.
    expect(visitor.locator("[data-live-field=seats]").first).to_have_text("1 place restante")
    assert_accessible(visitor)


@pytest.mark.parametrize("javascript", [True, False])
def test_on_the_day_a_mediator_marks_who_came_with_large_toggles(
    daphne_server, centre, new_context, assert_accessible, screenshot, staff_login, javascript
):
    event = EventPageFactory(parent=centre, title="Café des voisins", start_date=timezone.localdate(), capacity=5)
    occurrence = event.occurrences.get()
    fatou = member_of(centre, display_name="Fatou")
    RegistrationFactory(occurrence=occurrence, person=fatou)
    RegistrationFactory(occurrence=occurrence, name="Mme Lefèvre", phone="+33612345678")
    mediator = MembershipFactory(centre=centre, role="mediator", user=PersonFactory(display_name="Nadia")).user
    # With the second factor typed in this session, as every team page asks (docs/adr/0004).
    page = signed_in_page(new_context, daphne_server, mediator, login=staff_login, java_script_enabled=javascript)

    page.goto(f"{daphne_server.url}/agenda/equipe/dates/{occurrence.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Café des voisins")
    present = page.get_by_role("button", name="Présent : Fatou")
    expect(present).to_have_attribute("aria-pressed", "false")
    box = present.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    if javascript:
        assert_accessible(page)
    present.click()

    expect(page.get_by_role("button", name="Présent : Fatou")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Absent : Fatou")).to_have_attribute("aria-pressed", "false")
    page.get_by_role("button", name="Absent : Mme Lefèvre").click()
    expect(page.get_by_role("button", name="Absent : Mme Lefèvre")).to_have_attribute("aria-pressed", "true")
    screenshot(page, f"agenda-presences{'' if javascript else '-sans-js'}")
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {"": "attended", "Mme Lefèvre": "absent"}
