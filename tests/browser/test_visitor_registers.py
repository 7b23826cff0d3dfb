"""A visitor registers to an activity in one flow on a phone: "Je m'inscris", a code, one button, back on the activity.

Steps are what the person does: each tap and each field typed. Before this flow (issue 14), a visitor with no
account took 8 steps and a detour: "Je m'inscris" opened the password form, whose "vous inscrire" link led to
sign-up (name, e-mail, "Recevoir mon code", the code, "Valider"), which came back to the top of the activity's
page, where the person had to find the date again and tap "Je m'inscris" once more. A resident signing in by
SMS took 7 (tap, "Envoyez-moi un code de connexion" on the password form, number, "Recevoir mon code", code,
"Valider", find the date and tap). Now: 8 for someone new, one page after the other with the date kept and
said on the last one, and 6 for a resident by SMS.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from agenda.models import Registration
from home.templatetags.french import day
from tests.agenda.factories import EventPageFactory, first_date
from tests.browser.steps import Steps
from tests.factories import CentrePageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PERSON_STEPS = 8
RESIDENT_BY_SMS_STEPS = 6
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


@pytest.fixture
def workshop(home):
    centre = CentrePageFactory(parent=home, title="Centre social Belencontre", slug="centre-social-belencontre")
    return EventPageFactory(parent=centre, title="Premiers pas sur le téléphone", weekly=True)


def on_the_activity_tap_je_minscris(page, steps, url, *, check):
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Premiers pas sur le téléphone")
    check(page)
    steps.tap(page.get_by_role("link", name=re.compile(r"^Je m'inscris")).first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Me connecter")
    expect(page.get_by_text("Pour vous inscrire, connectez-vous ou créez votre compte.")).to_be_visible()
    check(page)


def confirm_and_land_on_the_activity(page, steps, occurrence, *, check, screenshot=None, name=""):
    expect(page.get_by_role("heading", level=1)).to_have_text("Je m'inscris à « Premiers pas sur le téléphone »")
    check(page)
    if screenshot:
        screenshot(page, f"{name}-confirmer")
    steps.tap(page.get_by_role("button", name=f"Confirmer mon inscription du {day(occurrence.start)}"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Premiers pas sur le téléphone")
    expect(page.get_by_role("status")).to_contain_text("C'est noté")
    expect(page.locator(".date__mine").first).to_be_visible()
    check(page)
    if screenshot:
        screenshot(page, f"{name}-inscrit")


def sign_up_and_register(page, live_server, workshop, last_code, *, check, screenshot=None, name=""):
    steps = Steps()
    occurrence = first_date(workshop)
    on_the_activity_tap_je_minscris(page, steps, f"{live_server.url}{workshop.url}", check=check)
    if screenshot:
        screenshot(page, f"{name}-connexion")

    steps.tap(page.get_by_role("link", name="Je crée mon compte"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer mon compte")
    check(page)
    steps.fill(page.get_by_label("Votre prénom ou un surnom"), "Fatou")
    steps.fill(page.get_by_label("Adresse e-mail"), "fatou@exemple.test")
    steps.tap(page.get_by_role("button", name="Recevoir mon code"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Taper mon code")
    expect(page.get_by_text("regardez aussi dans les courriers indésirables (spam)")).to_be_visible()
    expect(page.get_by_role("button", name="Renvoyer le code")).to_be_visible()
    check(page)
    if screenshot:
        screenshot(page, f"{name}-code")
    steps.fill(page.get_by_label("Le code à 6 chiffres"), last_code("fatou@exemple.test"))
    steps.tap(page.get_by_role("button", name="Valider"))

    confirm_and_land_on_the_activity(page, steps, occurrence, check=check, screenshot=screenshot, name=name)
    registration = Registration.objects.get()
    assert registration.person == User.objects.get(email="fatou@exemple.test")
    assert registration.occurrence == occurrence
    assert registration.status == Registration.Status.CONFIRMED
    return steps.count


def test_a_visitor_with_no_account_signs_up_by_code_and_ends_registered_on_the_activity(
    page, live_server, workshop, last_code, assert_accessible, screenshot
):
    count = sign_up_and_register(
        page, live_server, workshop, last_code, check=assert_accessible, screenshot=screenshot, name="visiteur"
    )

    assert count == NEW_PERSON_STEPS


def test_the_same_without_javascript(browser, browser_context_args, live_server, workshop, last_code):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = context.new_page()
        # axe runs in the page's JavaScript: the same pages are checked in the test above.
        count = sign_up_and_register(page, live_server, workshop, last_code, check=lambda page: None)
    finally:
        context.close()

    assert count == NEW_PERSON_STEPS


def test_a_resident_signs_in_by_sms_and_registers(
    page, live_server, workshop, sms_outbox, assert_accessible, screenshot
):
    UserFactory(display_name="Karim", phone="+33612340001", phone_verified=True, notify_by=User.Channel.SMS)
    steps = Steps()
    occurrence = first_date(workshop)
    on_the_activity_tap_je_minscris(page, steps, f"{live_server.url}{workshop.url}", check=assert_accessible)

    steps.fill(page.get_by_label("Numéro de portable"), "06 12 34 00 01")
    steps.tap(page.get_by_role("button", name="Recevoir mon code"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Taper mon code")
    expect(page.get_by_text("06\xa012\xa034\xa000\xa001", exact=True)).to_be_visible()
    expect(page.get_by_text("+33612340001")).to_have_count(0)
    expect(page.get_by_text("indésirables")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "visiteur-code-sms")
    page.get_by_role("button", name="Renvoyer le code").click()
    expect(page.get_by_text("Nous vous avons envoyé un nouveau code.")).to_be_visible()
    assert [message.to for message in sms_outbox] == ["+33612340001", "+33612340001"]
    steps.fill(page.get_by_label("Le code à 6 chiffres"), CODE.findall(sms_outbox[-1].body)[0])
    steps.tap(page.get_by_role("button", name="Valider"))

    confirm_and_land_on_the_activity(page, steps, occurrence, check=assert_accessible)
    assert Registration.objects.get().person.display_name == "Karim"
    assert steps.count == RESIDENT_BY_SMS_STEPS
