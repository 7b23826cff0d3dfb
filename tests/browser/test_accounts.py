"""A resident signs up and signs in with a code on a phone; a mediator acts for someone with no e-mail nor phone."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from quartier.models import Membership
from tests.factories import CentrePageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INCORRECT_CODE = "Ce code n'est pas le bon. Vérifiez les 6 chiffres et réessayez."


@pytest.fixture
def centre(home):
    return CentrePageFactory(
        parent=home,
        title="Centre social Belencontre",
        slug="centre-social-belencontre",
        town="Tourcoing",
    )


@pytest.fixture
def resident():
    return UserFactory(display_name="Fatou", email="fatou@exemple.test")


@pytest.fixture
def mediator(centre):
    mediator = UserFactory(display_name="Nadia", email="nadia@exemple.test")
    Membership.objects.create(user=mediator, centre=centre, role=Membership.Role.MEDIATOR)
    return mediator


def header(page):
    return page.get_by_role("navigation", name="Menu principal")


def sign_up_from_the_centre_page(page, live_server, centre, *, check=None, screenshot=None):
    """From the centre's page to the code page; returns the address the code went to."""
    page.goto(f"{live_server.url}{centre.url}")
    page.get_by_role("link", name="Rejoindre ce centre").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Créer mon compte")
    expect(page.get_by_role("checkbox", name="Centre social Belencontre (Tourcoing)")).to_be_checked()
    if check:
        check(page)
    if screenshot:
        screenshot(page, "compte-inscription")

    page.get_by_label("Votre prénom ou un surnom").fill("Fatou")
    page.get_by_label("Adresse e-mail").fill("fatou@exemple.test")
    page.get_by_role("button", name="Recevoir mon code").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Taper mon code")
    expect(page.get_by_text("fatou@exemple.test", exact=True)).to_be_visible()
    return "fatou@exemple.test"


def type_the_code(page, code):
    page.get_by_label("Le code à 6 chiffres").fill(code)
    page.get_by_role("button", name="Valider").click()


def test_sign_up_by_email_from_a_centre_then_sign_out_and_in_again(
    page, live_server, centre, last_code, screenshot, assert_accessible
):
    address = sign_up_from_the_centre_page(page, live_server, centre, check=assert_accessible, screenshot=screenshot)
    assert_accessible(page)
    screenshot(page, "compte-code")

    type_the_code(page, last_code(address))

    expect(header(page).get_by_role("link", name="Mon compte")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    my_centres = page.get_by_role("region", name="Mes centres")
    expect(my_centres.get_by_role("link", name="Centre social Belencontre", exact=True)).to_be_visible()
    # Leaving is a link to a confirmation page now, named with the centre for screen readers.
    expect(my_centres.get_by_role("link", name="Quitter Centre social Belencontre")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "compte-mon-compte")
    fatou = User.objects.get(email="fatou@exemple.test")
    assert fatou.display_name == "Fatou"
    assert list(fatou.memberships.values_list("centre__title", flat=True)) == ["Centre social Belencontre"]

    page.get_by_role("button", name="Me déconnecter").click()
    expect(header(page).get_by_role("link", name="Mon compte")).to_have_count(0)

    header(page).get_by_role("link", name="Me connecter").click()
    expect(page).to_have_url(f"{live_server.url}/compte/connexion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Me connecter")
    assert_accessible(page)
    screenshot(page, "compte-connexion")
    page.get_by_label("Adresse e-mail").fill(address)
    page.get_by_role("button", name="Recevoir mon code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Taper mon code")
    type_the_code(page, last_code(address))

    expect(header(page).get_by_role("link", name="Mon compte")).to_be_visible()
    expect(page.get_by_text("Bonjour Fatou !")).to_be_visible()


def test_a_wrong_code_is_explained_next_to_the_field(
    page, live_server, resident, last_code, screenshot, assert_accessible
):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("fatou@exemple.test")
    page.get_by_role("button", name="Recevoir mon code").click()
    right_code = last_code("fatou@exemple.test")

    type_the_code(page, "000000" if right_code != "000000" else "111111")

    code_field = page.get_by_label("Le code à 6 chiffres")
    expect(code_field).to_have_attribute("aria-invalid", "true")
    error_id = page.locator(".errorlist", has_text=INCORRECT_CODE).get_attribute("id")
    assert error_id
    expect(code_field).to_have_attribute("aria-describedby", re.compile(rf"(^|\s){error_id}(\s|$)"))
    expect(code_field).to_have_accessible_description(re.compile(re.escape(INCORRECT_CODE)))
    expect(header(page).get_by_role("link", name="Mon compte")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "compte-code-faux")

    type_the_code(page, right_code)
    expect(header(page).get_by_role("link", name="Mon compte")).to_be_visible()


def sign_in_by_code(page, live_server, address, last_code):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(address)
    page.get_by_role("button", name="Recevoir mon code").click()
    type_the_code(page, last_code(address))
    expect(header(page).get_by_role("link", name="Mon compte")).to_be_visible()


def test_a_mediator_opens_an_accompanied_account_then_acts_for_that_person(
    page, live_server, centre, mediator, last_code, screenshot, assert_accessible
):
    sign_in_by_code(page, live_server, "nadia@exemple.test", last_code)
    page.get_by_role("link", name="Les personnes que j'aide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les personnes que j'aide")
    assert_accessible(page)
    screenshot(page, "accompagnement-vide")

    page.get_by_role("link", name="Créer un compte pour quelqu'un sans e-mail ni portable").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte accompagné")
    assert_accessible(page)
    screenshot(page, "accompagnement-nouveau")
    page.get_by_label("Prénom ou surnom de la personne").fill("Marcel")
    page.get_by_label("Ce que vous avez expliqué à la personne").fill(
        "Ce que Placette garde, ce que je ferai pour lui, et qu'il peut arrêter quand il veut."
    )
    page.get_by_label("Un formulaire papier signé est conservé au centre").check()
    page.get_by_role("button", name="Créer le compte").click()

    expect(page.get_by_role("status")).to_contain_text("Le compte de Marcel est créé.")
    assert_accessible(page)
    screenshot(page, "accompagnement-liste")
    marcel = User.objects.get(display_name="Marcel")
    assert marcel.accompanied
    assert marcel.consents.get().recorded_by == mediator

    page.get_by_role("button", name="Agir pour Marcel").click()

    banner = page.get_by_role("region", name="Aide d'un médiateur")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(banner).to_contain_text("Vous agissez pour Marcel")
    assert_accessible(page)
    screenshot(page, "agir-pour-accueil")
    page.get_by_role("link", name="Centre social Belencontre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre social Belencontre")
    expect(banner).to_contain_text("Vous agissez pour Marcel")
    expect(page.get_by_text("Vous êtes membre de ce centre")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "agir-pour-centre")

    banner.get_by_role("button", name="Arrêter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Les personnes que j'aide")
    expect(banner).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("Vous n'agissez plus pour quelqu'un.")
    page.goto(live_server.url)
    expect(banner).to_have_count(0)
    screenshot(page, "agir-pour-arrete")


def press_tab_until(page, target, *, limit=40):
    """Tab forward until `target` has the focus, checking that each stop shows where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"
        )
        tag, style, width = outline
        assert style != "none" and width != "0px", f"focus not visible on a {tag}"
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} never got the focus in {limit} presses of Tab")


def test_sign_in_by_code_with_the_keyboard_alone(page, live_server, resident, last_code):
    page.goto(live_server.url)

    press_tab_until(page, header(page).get_by_role("link", name="Me connecter"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Me connecter")
    press_tab_until(page, page.get_by_label("Adresse e-mail"))
    page.keyboard.type("fatou@exemple.test")
    press_tab_until(page, page.get_by_role("button", name="Recevoir mon code"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Taper mon code")
    press_tab_until(page, page.get_by_label("Le code à 6 chiffres"))
    page.keyboard.type(last_code("fatou@exemple.test"))
    page.keyboard.press("Enter")

    expect(header(page).get_by_role("link", name="Mon compte")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")


def test_sign_up_by_email_without_javascript(
    browser, browser_context_args, live_server, centre, last_code, screenshot
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = context.new_page()
        address = sign_up_from_the_centre_page(page, live_server, centre)
        type_the_code(page, last_code(address))

        expect(header(page).get_by_role("link", name="Mon compte")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
        screenshot(page, "sans-javascript-mon-compte")
    finally:
        context.close()
    fatou = User.objects.get(email="fatou@exemple.test")
    assert list(fatou.memberships.values_list("centre__title", flat=True)) == ["Centre social Belencontre"]
