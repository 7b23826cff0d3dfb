"""The exchange on a phone, served by a real daphne: post an offer, be found by the search, talk (live), agree on
hours, confirm, read both statements; the same posting and answering without JavaScript; answering by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from echanges.models import Agreement, Conversation, Message, Offer, Transfer
from tests.browser.test_notifications import (
    Socket,
    badge,
    live_region,
    open_and_listen,
    signed_in_page,
)
from tests.echanges.factories import CategoryFactory, OfferFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Réparer un vélo"
DESCRIPTION = "Je règle les freins et je change une chambre à air. J'ai les outils."
FIRST = "Bonjour Nadia, mon vélo a un pneu crevé. Samedi matin, ça irait ?"
SECOND = "Je peux venir au centre vers 10 h avec le vélo."
WHAT = "Réparer le vélo de Karim samedi"
# Tells that a page was not reloaded: a reload forgets it.
MARK = "() => { window.notReloaded = true; }"
MARKED = "() => window.notReloaded === true"


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="centre-social-belencontre")


@pytest.fixture
def bricolage(db):
    return CategoryFactory(name="Bricolage", slug="bricolage")


@pytest.fixture
def nadia(centre):
    return member_of(centre, display_name="Nadia", site_only=True)


@pytest.fixture
def karim(centre):
    return member_of(centre, display_name="Karim", site_only=True)


def post_the_offer(page, server, centre, *, check=None, shoot=None):
    """Nadia's steps from the exchange's listing to her offer's page: the same with JavaScript and without."""
    check = check or (lambda page: None)
    shoot = shoot or (lambda page, name: None)
    page.goto(f"{server.url}/echanges/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Échanges entre voisins")
    check(page)
    shoot(page, "echanges-liste")
    page.get_by_role("link", name="Proposer ou demander quelque chose").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer ou demander quelque chose")
    check(page)
    page.get_by_role("group", name="Vous proposez ou vous cherchez ?").get_by_label("Je propose").check()
    page.get_by_role("group", name="Qu'est-ce que c'est ?").get_by_label("un coup de main").check()
    page.get_by_role("group", name="En échange de quoi ?").get_by_label(re.compile("banque de temps")).check()
    page.get_by_label("Titre", exact=True).fill(TITLE)
    page.get_by_label("Description").fill(DESCRIPTION)
    page.get_by_label("Catégorie").select_option(label="Bricolage")
    # Her own centre is chosen already.
    expect(page.get_by_label("Centre social", exact=True)).to_have_value(str(centre.pk))
    shoot(page, "echanges-proposer")
    page.get_by_role("button", name="Publier mon annonce").click()

    expect(page.get_by_role("status")).to_have_text("Votre annonce est en ligne pour 60 jours. Merci !")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check(page)
    return Offer.objects.get(title=TITLE)


def thread(page):
    return page.locator("[data-thread]")


def fits_the_phone(page):
    """Nothing sticks out sideways: the page never scrolls left and right on a phone."""
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, f"wider than {width} px: {page.url}"


@pytest.fixture
def check_page(assert_accessible):
    """What every page a person reaches must pass: axe's WCAG 2.1 A/AA rules, and the phone's width."""

    def run(page):
        assert_accessible(page)
        fits_the_phone(page)

    return run


def test_two_neighbours_find_each_other_talk_live_agree_and_count_the_hours(
    daphne_server, centre, bricolage, nadia, karim, new_context, run_db_worker, check_page, screenshot
):
    server = daphne_server
    nadia_page = signed_in_page(new_context, server, nadia)
    offer = post_the_offer(nadia_page, server, centre, check=check_page, shoot=screenshot)
    assert (offer.author, offer.kind, offer.nature, offer.mode) == (nadia, "offer", "service", "time")
    assert (offer.category, offer.centre_id, offer.status) == (bricolage, centre.pk, Offer.Status.OPEN)
    screenshot(nadia_page, "echanges-annonce-publiee")
    # Nadia stays on her offer's page, listening.
    open_and_listen(nadia_page, f"{server.url}{offer.get_absolute_url()}")
    expect(nadia_page.get_by_text("C'est votre annonce.")).to_be_visible()
    # Saving queued the offer's indexing; the worker does it a moment later in production.
    run_db_worker()

    # Karim looks for a bike repair from the box in the header.
    karim_page = signed_in_page(new_context, server, karim)
    karim_page.goto(f"{server.url}/")
    search_box = karim_page.get_by_role("search", name="Rechercher sur le site")
    search_box.get_by_role("searchbox", name="Rechercher sur le site").fill("velo")
    search_box.get_by_role("button", name="Chercher").click()

    expect(karim_page.get_by_role("heading", level=1)).to_have_text("Résultats pour « velo »")
    offers_found = karim_page.get_by_role("region", name=re.compile("^Annonces d'échange"))
    expect(offers_found.get_by_role("heading", level=3)).to_have_text([TITLE])
    check_page(karim_page)
    screenshot(karim_page, "echanges-recherche")
    offers_found.get_by_role("link", name=TITLE).click()

    expect(karim_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(karim_page.get_by_text(DESCRIPTION)).to_be_visible()
    check_page(karim_page)
    screenshot(karim_page, "echanges-annonce")
    karim_page.get_by_label("Votre message à Nadia").fill(FIRST)
    karim_page.get_by_role("button", name="Envoyer mon message").click()

    expect(karim_page.get_by_role("status")).to_have_text("Votre message est envoyé. La réponse arrivera ici.")
    expect(karim_page.get_by_role("heading", level=1)).to_have_text("Avec Nadia")
    expect(thread(karim_page)).to_contain_text(FIRST)

    # On Nadia's phone, the news arrives on the page she had open.
    told = f"Nouvelle notification : Karim vous écrit au sujet de « {TITLE} » : {FIRST}"
    expect(badge(nadia_page)).to_have_text("1")
    expect(live_region(nadia_page)).to_have_text(told)
    nadia_page.get_by_role("link", name="mes conversations").click()
    expect(nadia_page.get_by_role("heading", level=1)).to_have_text("Mes conversations")
    check_page(nadia_page)
    socket = Socket(nadia_page)
    nadia_page.get_by_role("link", name=re.compile(f"^Karim — « {TITLE} »")).click()

    expect(nadia_page.get_by_role("heading", level=1)).to_have_text("Avec Karim")
    expect(thread(nadia_page)).to_contain_text(FIRST)
    socket.wait_for("catch_up")
    nadia_page.evaluate(MARK)

    # Karim writes again; his words appear in Nadia's thread as she reads it.
    karim_page.get_by_label("Votre message").fill(SECOND)
    karim_page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(karim_page.get_by_role("status")).to_have_text("Votre message est envoyé.")

    expect(thread(nadia_page)).to_contain_text(SECOND)
    expect(thread(nadia_page).locator("[data-message-id]")).to_have_count(2)
    expect(thread(nadia_page).locator("[data-message-id]").last).to_contain_text("Karim")
    assert nadia_page.evaluate(MARKED), "Nadia's page was reloaded"
    assert socket.connections == 1
    check_page(nadia_page)
    screenshot(nadia_page, "echanges-conversation-en-direct")

    # Karim proposes that Nadia gives an hour and a half.
    karim_page.get_by_text("Proposer un accord").click()
    karim_page.get_by_role("group", name="Qui donne ou rend service ?").get_by_label("L'autre personne").check()
    karim_page.get_by_label("Ce qui est prévu").fill(WHAT)
    karim_page.get_by_label("Combien d'heures ?").fill("1,5")
    check_page(karim_page)
    screenshot(karim_page, "echanges-proposer-accord")
    karim_page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(karim_page.get_by_role("status")).to_have_text(
        "Votre proposition est envoyée. L'autre personne doit l'accepter."
    )
    expect(karim_page.get_by_text("En attente de la réponse de Nadia.")).to_be_visible()

    # Nadia is told; she reloads to see the proposal, accepts, and says it is done.
    expect(live_region(nadia_page)).to_have_text(
        f"Nouvelle notification : Karim vous propose un accord : « {WHAT} ». Acceptez-vous ?"
    )
    nadia_page.reload()
    agreements = nadia_page.get_by_role("region", name="Notre accord")
    expect(agreements).to_contain_text(f"{WHAT} — 1 h 30")
    expect(agreements).to_contain_text("C'est vous qui donnez ou rendez service.")
    check_page(nadia_page)
    agreements.get_by_role("button", name="J'accepte").click()
    expect(nadia_page.get_by_role("status")).to_have_text("Vous avez accepté l'accord.")
    nadia_page.get_by_role("button", name="C'est fait, je confirme").click()
    expect(nadia_page.get_by_role("status")).to_have_text(
        "C'est noté. Nous attendons que l'autre personne confirme aussi."
    )
    expect(nadia_page.get_by_text("Vous avez confirmé. Nous attendons Karim.")).to_be_visible()

    karim_page.reload()
    karim_page.get_by_role("button", name="C'est fait, je confirme").click()
    expect(karim_page.get_by_role("status")).to_have_text(
        "Merci ! L'échange est réalisé. Les heures sont inscrites sur vos relevés."
    )
    expect(karim_page.get_by_role("region", name="Notre accord")).to_contain_text("État : réalisé.")
    check_page(karim_page)
    screenshot(karim_page, "echanges-accord-realise")

    agreement = Agreement.objects.get()
    assert (agreement.giver, agreement.receiver, agreement.minutes) == (nadia, karim, 90)
    assert agreement.status == Agreement.Status.DONE
    transfer = Transfer.objects.get()
    assert (transfer.payer.owner, transfer.payee.owner, transfer.minutes) == (karim, nadia, 90)
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DONE

    for page, other, hours, balance, name in [
        (nadia_page, "Karim", "+ 1 h 30", "+ 1 h 30", "nadia"),
        (karim_page, "Nadia", "− 1 h 30", "− 1 h 30", "karim"),
    ]:
        page.goto(f"{server.url}/echanges/mes-heures/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mon relevé d'heures")
        expect(page.get_by_text("Mon solde :")).to_have_text(f"Mon solde : {hours}")
        row = page.get_by_role("row").filter(has_text=WHAT)
        expect(row.get_by_role("cell")).to_have_text(
            [re.compile(r"\d\d/\d\d/\d\d"), f"{WHAT} avec {other}", hours, balance]
        )
        check_page(page)
        screenshot(page, f"echanges-releve-{name}")


def test_posting_and_answering_work_without_javascript(
    daphne_server, centre, bricolage, nadia, karim, new_context, screenshot
):
    server = daphne_server
    nadia_page = signed_in_page(new_context, server, nadia, java_script_enabled=False)
    # A bad first try: no title. The answer names the field, and what was typed stays.
    nadia_page.goto(f"{server.url}/echanges/proposer/")
    nadia_page.get_by_role("group", name="Vous proposez ou vous cherchez ?").get_by_label("Je propose").check()
    nadia_page.get_by_role("group", name="Qu'est-ce que c'est ?").get_by_label("un coup de main").check()
    nadia_page.get_by_role("group", name="En échange de quoi ?").get_by_label(re.compile("banque de temps")).check()
    nadia_page.get_by_label("Description").fill(DESCRIPTION)
    nadia_page.get_by_label("Catégorie").select_option(label="Bricolage")
    nadia_page.get_by_role("button", name="Publier mon annonce").click()

    expect(nadia_page.get_by_role("alert")).to_have_text(
        "Il y a un souci dans le formulaire. Regardez les messages en rouge."
    )
    title = nadia_page.get_by_label("Titre", exact=True)
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description(re.compile("Donnez un titre à votre annonce."))
    expect(nadia_page.get_by_label("Description")).to_have_value(DESCRIPTION)
    expect(nadia_page.get_by_label("Catégorie")).to_have_value(str(bricolage.pk))
    expect(
        nadia_page.get_by_role("group", name="Vous proposez ou vous cherchez ?").get_by_label("Je propose")
    ).to_be_checked()
    expect(
        nadia_page.get_by_role("group", name="En échange de quoi ?").get_by_label(re.compile("banque de temps"))
    ).to_be_checked()
    screenshot(nadia_page, "echanges-proposer-erreur-sans-js")
    assert not Offer.objects.exists()

    offer = post_the_offer(nadia_page, server, centre, shoot=lambda page, name: screenshot(page, f"{name}-sans-js"))

    karim_page = signed_in_page(new_context, server, karim, java_script_enabled=False)
    karim_page.goto(f"{server.url}/echanges/")
    karim_page.get_by_role("link", name=TITLE).click()
    expect(karim_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    karim_page.get_by_label("Votre message à Nadia").fill(FIRST)
    karim_page.get_by_role("button", name="Envoyer mon message").click()
    expect(karim_page.get_by_role("status")).to_have_text("Votre message est envoyé. La réponse arrivera ici.")
    expect(thread(karim_page)).to_contain_text(FIRST)
    screenshot(karim_page, "echanges-conversation-sans-js")

    # Nadia had her offer open: reloading shows the news, and her conversations hold the message.
    nadia_page.reload()
    expect(badge(nadia_page)).to_have_text("1")
    nadia_page.get_by_role("link", name="mes conversations").click()
    nadia_page.get_by_role("link", name=re.compile(f"^Karim — « {TITLE} »")).click()
    expect(nadia_page.get_by_role("heading", level=1)).to_have_text("Avec Karim")
    expect(thread(nadia_page)).to_contain_text(FIRST)

    # She answers; Karim sees it when he reloads.
    nadia_page.get_by_label("Votre message").fill("Oui, samedi à 10 h au centre.")
    nadia_page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(nadia_page.get_by_role("status")).to_have_text("Votre message est envoyé.")
    karim_page.reload()
    expect(thread(karim_page)).to_contain_text("Oui, samedi à 10 h au centre.")

    conversation = Conversation.objects.get()
    assert (conversation.offer_id, conversation.starter) == (offer.pk, karim)
    assert list(Message.objects.order_by("sent_at", "pk").values_list("sender__display_name", "body")) == [
        ("Karim", FIRST),
        ("Nadia", "Oui, samedi à 10 h au centre."),
    ]


def test_an_answer_can_be_written_and_sent_with_the_keyboard_alone(
    daphne_server, centre, bricolage, nadia, karim, new_context
):
    offer = OfferFactory(author=nadia, centre=centre, category=bricolage, title=TITLE, description=DESCRIPTION)
    page = signed_in_page(new_context, daphne_server, karim)
    page.goto(f"{daphne_server.url}{offer.get_absolute_url()}")

    message = page.get_by_label("Votre message à Nadia")
    for _ in range(80):
        page.keyboard.press("Tab")
        if message.evaluate("element => element === document.activeElement"):
            break
    expect(message).to_be_focused()
    page.keyboard.type(FIRST)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Envoyer mon message")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("Votre message est envoyé. La réponse arrivera ici.")
    expect(thread(page)).to_contain_text(FIRST)
    assert Message.objects.get().body == FIRST
