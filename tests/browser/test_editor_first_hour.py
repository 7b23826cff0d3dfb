"""An animateur's first hour on the default install: publishing a weekly activity from the admin on a phone,
with the real worker process beside the server on one SQLite file, as `make run` does."""

import datetime as dt
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import EventPage
from tests.agenda.factories import CategoryFactory, EventPageFactory
from tests.browser.steps import Steps
from tests.browser.test_notifications import signed_in_page
from tests.factories import CentrePageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = timezone.localdate() + dt.timedelta(days=7)
WEEKDAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="centre-social-belencontre")


@pytest.fixture
def claire(centre):
    """An animateur of one centre, and nothing else."""
    CategoryFactory(slug="numerique", name="Numérique")
    editor = UserFactory(username="claire", display_name="Claire")
    editor.groups.add(centre.team.editors)
    return editor


@pytest.fixture
def worker(daphne_server, tmp_path):
    """`manage.py worker` in its own process on the server's database, polling as often as it can."""
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.05", "--schedule-every", "0.5"],
            cwd=settings.BASE_DIR,
            env=daphne_server.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        died = process.poll()
        process.terminate()
        process.wait(timeout=10)
        sys.stderr.write(f"--- worker ---\n{log_path.read_text(errors='replace')}")
        assert died is None, "the worker stopped during the test"


def textbox(page, label):
    """The field named `label`, followed or not by the admin's mark of a required field."""
    return page.get_by_role("textbox", name=re.compile(rf"^{label}\*?$"))


def fill_a_weekly_activity(steps, page):
    """Title, summary, the first date and hours, every week six times, a category and the seats."""
    steps.fill(textbox(page, "Titre"), "Café numérique")
    steps.fill(textbox(page, "Résumé"), "Venez avec vos questions sur le téléphone.")
    steps.type(textbox(page, "Date"), START.strftime("%d/%m/%Y"))
    steps.type(textbox(page, "Heure de début"), "14h")
    steps.type(textbox(page, "Heure de fin"), "16h")
    steps.select(page.get_by_role("combobox", name=re.compile(r"^Se répète")), value="weekly")
    steps.check(page.get_by_role("checkbox", name=WEEKDAYS[START.weekday()]))
    steps.fill(page.get_by_role("spinbutton", name="ou nombre de fois"), "6")
    steps.select(page.get_by_role("combobox", name=re.compile(r"^Catégorie")), label="Numérique")
    steps.fill(page.get_by_role("spinbutton", name="Nombre de places"), "12")


def published_and_on_the_agenda(page, server, assert_accessible, screenshot, name):
    expect(page.get_by_text(re.compile(r"Café numérique.*publiée"))).to_be_visible()
    event = EventPage.objects.get(title="Café numérique")
    assert event.live
    assert event.occurrences.count() == 6
    page.goto(f"{server.url}/agenda/")
    expect(page.get_by_role("link", name=re.compile("Café numérique")).first).to_be_visible()
    assert_accessible(page)
    screenshot(page, name)


def test_an_animateur_publishes_a_weekly_activity_from_the_dashboard_while_the_worker_runs(
    daphne_server, worker, centre, claire, new_context, staff_login, assert_accessible, screenshot
):
    page = signed_in_page(new_context, daphne_server, claire, login=staff_login)
    steps = Steps()
    page.goto(f"{daphne_server.url}/admin/")
    screenshot(page, "editeur-tableau-de-bord")

    steps.tap(page.get_by_role("main").get_by_role("link", name="Nouvelle activité"))
    expect(page).to_have_url(re.compile(rf"/admin/pages/add/agenda/eventpage/{centre.pk}/"))
    fill_a_weekly_activity(steps, page)
    screenshot(page, "editeur-nouvelle-activite")
    steps.tap(page.get_by_role("button", name="Publier", exact=True))

    published_and_on_the_agenda(page, daphne_server, assert_accessible, screenshot, "editeur-agenda")
    assert EventPage.objects.count() == 1
    assert steps.count <= 12, steps.count


def test_the_old_way_through_the_page_tree_still_works_in_more_steps(
    daphne_server, worker, centre, claire, new_context, staff_login, assert_accessible, screenshot
):
    page = signed_in_page(new_context, daphne_server, claire, login=staff_login)
    steps = Steps()
    page.goto(f"{daphne_server.url}/admin/")
    steps.tap(page.get_by_role("button", name="Afficher/masquer la barre latérale"))
    steps.tap(page.get_by_role("button", name="Pages"))
    steps.tap(page.get_by_role("link", name="Centre social Belencontre").first)
    steps.tap(page.get_by_role("link", name="Ajouter une sous-page"))
    steps.tap(page.get_by_role("link", name="Activité", exact=True))
    fill_a_weekly_activity(steps, page)
    steps.tap(page.get_by_role("button", name="Publier", exact=True))

    published_and_on_the_agenda(page, daphne_server, assert_accessible, screenshot, "editeur-agenda-ancien")
    # 17 before "Publier" became the main button (it was under "Plus d'actions"), and no "Nouvelle activité".
    assert steps.count == 16, steps.count


def test_the_centre_s_pages_in_the_admin_fit_a_phone(
    live_server, centre, claire, new_context, staff_login, screenshot
):
    """At 360 px a long title wraps between its words and "Dates et inscriptions" shows whole, at a finger's size."""
    EventPageFactory(parent=centre, title="Accompagnement aux démarches administratives en ligne")
    page = signed_in_page(new_context, live_server, claire, login=staff_login)
    page.goto(f"{live_server.url}/admin/pages/{centre.pk}/")
    screenshot(page, "editeur-liste-des-pages")

    button = page.get_by_role("link", name="Dates et inscriptions")
    assert button.evaluate("link => link.scrollWidth <= link.clientWidth && link.scrollHeight <= link.clientHeight")
    assert button.bounding_box()["height"] >= 44
    title = page.get_by_role("link", name="Accompagnement aux démarches administratives en ligne").first
    # Whole words: the link is at least as wide as its longest word, "administratives".
    assert title.bounding_box()["width"] >= title.evaluate(
        """link => {
          const probe = document.createElement("span");
          probe.textContent = "administratives";
          link.append(probe);
          const width = probe.getBoundingClientRect().width;
          probe.remove();
          return width;
        }"""
    )
