"""On a phone, a visitor follows a tutorial step by step, is stuck at the end and asks a centre for help."""

import pytest
from playwright.sync_api import expect

from lexique.models import HelpRequest
from lexique.notices import STUCK_ON_TUTORIAL
from notifications.models import Notification
from tests.accounts.factories import MembershipFactory
from tests.browser.steps import Steps
from tests.factories import CentrePageFactory
from tests.lexique.factories import TermPageFactory, TutorialPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tutorial(home):
    TermPageFactory(title="navigateur", definition="L'application pour aller sur internet.")
    return TutorialPageFactory(
        title="Créer une adresse e-mail",
        slug="creer-une-adresse-e-mail",
        summary="Vous aurez votre propre adresse e-mail.",
        steps=[
            ("step", {"title": "Ouvrir le navigateur", "body": [("text", "Appuyez sur l'icône du navigateur.")]}),
            (
                "step",
                {
                    "title": "Choisir un mot de passe",
                    "body": [("text", "Tapez un mot de passe long."), ("attention", "Ne le donnez à personne.")],
                },
            ),
            ("step", {"title": "Recevoir le code", "body": [("text", "Recopiez le code reçu par SMS.")]}),
        ],
    )


@pytest.fixture
def centre(home):
    centre = CentrePageFactory(parent=home, title="Centre social Belencontre")
    MembershipFactory(centre=centre, relay=True)
    MembershipFactory(centre=centre, mediator=True)
    return centre


def test_a_visitor_goes_through_a_tutorial_and_asks_for_help_at_the_end(
    page, live_server, tutorial, centre, screenshot, assert_accessible
):
    steps = Steps()
    page.goto(f"{live_server.url}/tutoriels/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tutoriels du numérique")
    assert_accessible(page)

    steps.tap(page.get_by_role("link", name="Créer une adresse e-mail"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer une adresse e-mail")
    assert_accessible(page)
    screenshot(page, "tutoriel-debut")

    steps.tap(page.get_by_role("link", name="Commencer"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Étape 1 sur 3 Ouvrir le navigateur")
    assert_accessible(page)
    for number, title in ((2, "Choisir un mot de passe"), (3, "Recevoir le code")):
        steps.tap(page.get_by_role("link", name="Suivant"))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Étape {number} sur 3 {title}")
    next_button = page.get_by_role("link", name="J'ai fini")
    assert next_button.bounding_box()["height"] >= 44
    assert_accessible(page)
    screenshot(page, "tutoriel-etape")

    steps.tap(next_button)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous avez fini les étapes")
    assert_accessible(page)
    steps.tap(page.get_by_role("button", name="Je bloque ici"))

    expect(page.get_by_label("À quelle étape bloquez-vous ?")).to_have_value("3")
    steps.select(page.get_by_label("Quel centre social peut vous aider ?"), label="Centre social Belencontre")
    steps.fill(page.get_by_label("Votre message (si vous voulez)"), "Le code n'arrive pas.")
    steps.fill(page.get_by_label("Votre téléphone ou votre e-mail (si vous voulez)"), "06 12 34 56 78")
    assert_accessible(page)
    screenshot(page, "tutoriel-aide")
    steps.tap(page.get_by_role("button", name="Envoyer ma demande"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est partie")
    expect(page.get_by_text("Centre social Belencontre")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "tutoriel-aide-envoyee")
    assert HelpRequest.objects.get().step == 3
    assert Notification.objects.filter(kind=STUCK_ON_TUTORIAL.key).count() == 2
    assert steps.count == 10


def test_without_javascript_the_steps_and_the_end_still_work(browser, browser_context_args, live_server, tutorial):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/tutoriels/creer-une-adresse-e-mail/etape/3/")

    page.get_by_role("link", name="J'ai fini").click()
    page.get_by_role("button", name="J'ai réussi").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bravo, vous avez réussi !")
    context.close()
