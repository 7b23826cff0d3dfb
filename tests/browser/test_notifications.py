"""Live notifications on a phone, served by a real daphne: what one person does shows at once on another's
page, a dropped connection catches up, a centre's page hears of its new version; the inbox, with and
without JavaScript."""

import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from playwright.sync_api import expect

from accounts.services import join_centre, record_acting
from home.templatetags.french import plain
from notifications.models import Notification, Preference
from notifications.services import mark_read
from tests.accounts.factories import mediator_of, resident_of
from tests.factories import CentrePageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WELCOME_ESCALE = (
    "Bienvenue ! Vous avez rejoint « Centre social L'Escale ». Vous y trouverez ses activités et ses horaires."
)
JOINED_ESCALE = "Bienvenue ! Vous avez rejoint « Centre social L'Escale »."
UPDATED = "Cette page vient d'être mise à jour. Rechargez-la pour voir la nouvelle version."
# A reconnection waits 0.5 to 1 s, then twice as long each time (static/js/live.js), and daphne takes a
# few seconds to start again: the page is back within about 15 s.
RECONNECTION = 30_000

# Collects every text the live region takes, as a screen reader would hear them one after the other.
# It also tells that the page was not reloaded: a reload would forget `window.announced`.
LISTEN = """() => {
  const region = document.querySelector("[data-live-announcer]");
  window.announced = [];
  new MutationObserver(() => { if (region.textContent) window.announced.push(region.textContent); })
    .observe(region, { childList: true, characterData: true, subtree: true });
}"""


@pytest.fixture
def belencontre(home):
    return CentrePageFactory(
        parent=home, title="Centre social Belencontre", slug="centre-social-belencontre", town="Tourcoing"
    )


@pytest.fixture
def escale(home):
    return CentrePageFactory(parent=home, title="Centre social L'Escale", slug="centre-social-lescale")


@pytest.fixture
def fatou(belencontre):
    """A resident of Belencontre who lets its mediators act for her."""
    return resident_of(belencontre, consent=True, display_name="Fatou", phone="+33612345678")


@pytest.fixture
def nadia(belencontre):
    return mediator_of(belencontre, display_name="Nadia")


def signed_in_page(new_context, server, user, *, login=None, **context_args):
    """A phone on which `user` is signed in: their session, as the sign-in by code leaves it, in a cookie."""
    client = Client()
    if login is None:
        client.force_login(user)
    else:
        login(client, user)
    context = new_context(**context_args)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server.url}])
    return context.new_page()


def as_a_request_would(function, *args, **kwargs):
    """Run a service in a thread of its own, as a view or the worker does.

    Playwright's synchronous API keeps an event loop running in the test's thread, where the push after
    commit (async_to_sync) refuses to run.
    """

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


class Socket:
    """The page's notification socket as Playwright sees it: how often it connected, what it received.

    Only to know when the page is listening, so that what a test does next cannot race its connection.
    """

    def __init__(self, page):
        self.page = page
        self.connections = 0
        self.received = []
        page.on("websocket", self._opened)

    def _opened(self, websocket):
        if websocket.url.endswith("/ws/notifications/"):
            self.connections += 1
            websocket.on("framereceived", lambda payload: self.received.append(json.loads(payload)))

    def wait_for(self, kind, *, timeout=10):
        deadline = time.monotonic() + timeout
        while not any(message["type"] == kind for message in self.received):
            assert time.monotonic() < deadline, f"no {kind!r} on the socket within {timeout} s: {self.received}"
            # Playwright delivers the socket's events while the page waits.
            self.page.wait_for_timeout(50)


def open_and_listen(page, url, *, answer="catch_up"):
    """Open a page, wait for the socket's first `answer`, then listen to the page's live region.

    A signed-in page's socket first answers with what it missed (catch_up); a visitor's, when a page
    follows a public topic, with "subscribed".
    """
    socket = Socket(page)
    page.goto(url)
    socket.wait_for(answer)
    page.evaluate(LISTEN)
    return socket


def header(page):
    return page.get_by_role("navigation", name="Menu principal")


def notifications_link(page):
    return header(page).get_by_role("link", name=re.compile(r"^Notifications"))


def badge(page):
    return notifications_link(page).locator("[data-unread-count]")


def live_region(page):
    return page.locator("[data-live-announcer]")


def announced(page):
    """What the live region said, with plain spaces: the page keeps French spaces unbroken."""
    return [plain(text) for text in page.evaluate("() => window.announced")]


def listed(page):
    """The inbox's entries, newest first."""
    return page.locator("[data-notification-list] > li")


def test_what_a_mediator_does_for_a_resident_shows_at_once_on_her_phone(
    daphne_server, belencontre, escale, fatou, nadia, new_context, screenshot
):
    fatou_page = signed_in_page(new_context, daphne_server, fatou)
    open_and_listen(fatou_page, f"{daphne_server.url}/")
    expect(badge(fatou_page)).to_be_hidden()
    expect(notifications_link(fatou_page)).to_have_accessible_name("Notifications")
    # Rendered while still empty: a live region with display: none is out of the accessibility tree,
    # and screen readers do not say what is then written into it.
    assert live_region(fatou_page).evaluate("region => getComputedStyle(region).display") != "none"

    # Nadia, on her own phone, joins L'Escale for Fatou.
    nadia_page = signed_in_page(new_context, daphne_server, nadia)
    nadia_page.goto(f"{daphne_server.url}/compte/accompagnement/")
    nadia_page.get_by_role("button", name="Agir pour Fatou").click()
    expect(nadia_page.get_by_role("region", name="Aide d'un médiateur")).to_contain_text("Vous agissez pour Fatou")
    nadia_page.get_by_role("link", name="Centre social L'Escale").click()
    nadia_page.get_by_role("button", name="Rejoindre ce centre").click()
    expect(nadia_page.get_by_role("status")).to_contain_text("Fatou a rejoint « Centre social L'Escale ».")

    acted = "Nadia a agi pour vous : Inscription au centre « Centre social L'Escale »"
    expect(badge(fatou_page)).to_have_text("2")
    expect(badge(fatou_page)).to_be_visible()
    expect(notifications_link(fatou_page)).to_have_accessible_name("Notifications 2 non lues")
    expect(live_region(fatou_page)).to_have_text(f"Nouvelle notification : {acted}")
    # Each one said in turn, on the page she had open.
    assert announced(fatou_page) == [f"Nouvelle notification : {WELCOME_ESCALE}", f"Nouvelle notification : {acted}"]
    # Acting for Fatou, Nadia's page is not Fatou's: it does not tell Fatou's news aloud.
    expect(live_region(nadia_page)).to_be_empty()
    screenshot(fatou_page, "notifications-en-direct")

    notifications_link(fatou_page).click()

    expect(fatou_page.get_by_role("heading", level=1)).to_have_text("Mes notifications")
    expect(listed(fatou_page)).to_have_count(2)
    expect(listed(fatou_page).first.get_by_role("link")).to_have_text(acted)
    expect(listed(fatou_page).first.get_by_text("Nouveau", exact=True)).to_be_visible()
    expect(listed(fatou_page).nth(1).get_by_role("link")).to_have_text(WELCOME_ESCALE)
    expect(listed(fatou_page).nth(1).get_by_text("Nouveau", exact=True)).to_be_visible()

    fatou_page.get_by_role("button", name="Tout marquer comme lu").click()

    expect(fatou_page.get_by_role("status")).to_have_text("Toutes vos notifications sont marquées comme lues.")
    expect(badge(fatou_page)).to_be_hidden()
    expect(notifications_link(fatou_page)).to_have_accessible_name("Notifications")
    expect(fatou_page.get_by_text("Nouveau", exact=True)).to_have_count(0)
    expect(fatou_page.get_by_role("button", name="Tout marquer comme lu")).to_have_count(0)
    assert not Notification.objects.filter(recipient=fatou, read_at__isnull=True).exists()


def test_a_mediator_acting_for_a_resident_never_sees_her_own_news_in_the_residents_header(
    daphne_server, belencontre, escale, fatou, nadia, new_context
):
    # On the centre's computer, Nadia acts for Fatou: the header is Fatou's, the socket (for the page's
    # public topic) is Nadia's own.
    computer = signed_in_page(new_context, daphne_server, nadia)
    computer.goto(f"{daphne_server.url}/compte/accompagnement/")
    computer.get_by_role("button", name="Agir pour Fatou").click()
    socket = open_and_listen(computer, f"{daphne_server.url}{belencontre.url}", answer="subscribed")
    expect(computer.get_by_role("region", name="Aide d'un médiateur")).to_contain_text("Vous agissez pour Fatou")
    expect(badge(computer)).to_be_hidden()

    # Meanwhile, on her own phone, Nadia joins L'Escale for herself and is welcomed.
    phone = signed_in_page(new_context, daphne_server, nadia)
    phone.goto(f"{daphne_server.url}{escale.url}")
    phone.get_by_role("button", name="Rejoindre ce centre").click()
    expect(phone.get_by_role("status")).to_contain_text(JOINED_ESCALE)
    expect(badge(phone)).to_have_text("1")

    # The server may push Nadia's welcome to that socket too; give it the time to arrive and be shown.
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and not any(message["type"] == "notification" for message in socket.received):
        computer.wait_for_timeout(50)
    computer.wait_for_timeout(300)
    expect(badge(computer)).to_be_hidden()
    expect(live_region(computer)).to_be_empty()
    assert announced(computer) == []


def test_a_page_that_lost_its_connection_catches_up_when_it_is_back(daphne_server, escale, fatou, new_context):
    page = signed_in_page(new_context, daphne_server, fatou)
    socket = open_and_listen(page, f"{daphne_server.url}/")

    # A deployment restarts the server: the page's socket closes and it keeps trying to come back.
    daphne_server.stop()
    # Meanwhile Fatou joins L'Escale at its front desk, and is welcomed.
    as_a_request_would(join_centre, fatou, escale)
    daphne_server.start()

    expect(badge(page)).to_have_text("1", timeout=RECONNECTION)
    expect(badge(page)).to_be_visible()
    expect(live_region(page)).to_have_text(f"Nouvelle notification : {WELCOME_ESCALE}")
    assert announced(page) == [f"Nouvelle notification : {WELCOME_ESCALE}"]
    assert socket.connections >= 2


def test_a_notification_from_another_process_reaches_the_page_through_redis(daphne_server, escale, fatou, new_context):
    """The worker and every daphne share the Redis channel layer: what one writes, the others' pages show."""
    if not settings.REDIS_URL:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but REDIS_URL is not set")
        pytest.skip("Redis requis (REDIS_URL) : sans lui, un autre processus ne parle pas aux pages de daphne")
    page = signed_in_page(new_context, daphne_server, fatou)
    socket = open_and_listen(page, f"{daphne_server.url}/")

    # This test's process stands for the worker.
    as_a_request_would(join_centre, fatou, escale)

    expect(badge(page)).to_have_text("1")
    expect(live_region(page)).to_have_text(f"Nouvelle notification : {WELCOME_ESCALE}")
    # Pushed live, not caught up by a new connection.
    assert socket.connections == 1
    assert [message["type"] for message in socket.received] == ["catch_up", "notification"]


def test_a_visitor_on_a_centre_page_hears_that_an_editor_published_a_new_version(
    daphne_server, belencontre, new_context, staff_login, assert_accessible, screenshot
):
    visitor = new_context().new_page()
    open_and_listen(visitor, f"{daphne_server.url}{belencontre.url}", answer="subscribed")

    editor = UserFactory(display_name="Claire")
    editor.groups.add(belencontre.team.editors)
    admin = signed_in_page(new_context, daphne_server, editor, login=staff_login)
    admin.goto(f"{daphne_server.url}/admin/pages/{belencontre.pk}/edit/")
    admin.get_by_role("textbox", name="En quelques mots").fill("Nouveau : un atelier numérique chaque mardi.")
    admin.get_by_role("button", name="Plus d'actions").click()
    admin.get_by_role("button", name="Publier").click()
    expect(admin.get_by_text(re.compile(r"Centre social Belencontre.*a été publiée"))).to_be_visible()

    expect(live_region(visitor)).to_have_text(UPDATED)
    assert announced(visitor) == [UPDATED]
    # Told, not changed under her eyes: the new version is hers when she reloads.
    expect(visitor.get_by_text("Un lieu pour se rencontrer et s'entraider.")).to_be_visible()
    assert_accessible(visitor)
    screenshot(visitor, "notifications-centre-mis-a-jour")
    visitor.reload()
    expect(visitor.get_by_text("Nouveau : un atelier numérique chaque mardi.")).to_be_visible()
    expect(live_region(visitor)).to_be_empty()


def some_notifications(fatou, nadia, escale):
    """22 notifications, two pages of them: the three oldest read, the others not."""
    join_centre(fatou, escale)
    for number in range(1, 22):
        record_acting(
            nadia,
            fatou,
            action=f"Inscription à l'atelier « Cuisine du monde » n°{number}",
            path="/agenda/",
            succeeded=True,
        )
    for notification in Notification.objects.filter(recipient=fatou).order_by("id")[:3]:
        mark_read(fatou, notification.pk)


def test_the_inbox_and_the_preferences_are_accessible_on_a_phone(
    daphne_server, escale, fatou, nadia, new_context, assert_accessible, screenshot
):
    as_a_request_would(some_notifications, fatou, nadia, escale)
    page = signed_in_page(new_context, daphne_server, fatou)

    page.goto(f"{daphne_server.url}/notifications/")

    expect(badge(page)).to_have_text("19")
    expect(listed(page)).to_have_count(20)
    expect(page.get_by_text("Nouveau", exact=True)).to_have_count(19)
    expect(page.get_by_role("navigation", name="Pages")).to_contain_text("Page 1 sur 2")
    assert_accessible(page)
    screenshot(page, "notifications-boite")

    page.get_by_role("link", name="Page suivante").click()

    expect(listed(page)).to_have_count(2)
    expect(listed(page).last.get_by_role("link")).to_have_text(WELCOME_ESCALE)
    expect(page.get_by_text("Nouveau", exact=True)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Comment recevoir mes notifications").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Comment recevoir mes notifications")
    expect(page.get_by_role("group", name="Quand je rejoins un centre").get_by_role("radio")).to_have_count(3)
    assert_accessible(page)
    screenshot(page, "notifications-preferences")


def test_the_inbox_and_the_preferences_work_without_javascript(
    daphne_server, escale, fatou, nadia, new_context, screenshot
):
    as_a_request_would(join_centre, fatou, escale)
    as_a_request_would(
        record_acting, nadia, fatou, action="Inscription à l'atelier couture", path="/agenda/", succeeded=True
    )
    page = signed_in_page(new_context, daphne_server, fatou, java_script_enabled=False)

    page.goto(f"{daphne_server.url}/notifications/")
    expect(badge(page)).to_have_text("2")
    expect(listed(page).get_by_role("link")).to_have_text(
        ["Nadia a agi pour vous : Inscription à l'atelier couture", WELCOME_ESCALE]
    )

    page.get_by_role("link", name=WELCOME_ESCALE).click()

    expect(page).to_have_url(f"{daphne_server.url}{escale.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre social L'Escale")
    expect(badge(page)).to_have_text("1")
    welcome = Notification.objects.get(recipient=fatou, kind="welcome")
    assert welcome.read_at is not None

    notifications_link(page).click()
    expect(listed(page).first.get_by_text("Nouveau", exact=True)).to_be_visible()
    expect(listed(page).last.get_by_text("Nouveau", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Tout marquer comme lu").click()

    expect(page.get_by_role("status")).to_have_text("Toutes vos notifications sont marquées comme lues.")
    expect(badge(page)).to_be_hidden()
    expect(page.get_by_text("Nouveau", exact=True)).to_have_count(0)
    assert not Notification.objects.filter(recipient=fatou, read_at__isnull=True).exists()

    page.get_by_role("link", name="Comment recevoir mes notifications").click()
    page.get_by_role("group", name="Quand je rejoins un centre").get_by_label("Par SMS").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("status")).to_have_text("C'est noté : vos choix sont enregistrés.")
    expect(page.get_by_role("group", name="Quand je rejoins un centre").get_by_label("Par SMS")).to_be_checked()
    screenshot(page, "notifications-preferences-sans-javascript")
    assert list(Preference.objects.filter(user=fatou).values_list("kind", "channel")) == [("welcome", "sms")]
