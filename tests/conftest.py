"""Suite-wide fixtures: test-only settings, the required services, and the real browser."""

import io
import logging
import os
import shutil
import signal
from pathlib import Path

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from wagtail.models import Collection, Locale, Page, Site

from home.models import HomePage
from notifications import sms
from tests.factories import CentrePageFactory
from tests.tile_server import StubTileServer

# The live server runs in a thread beside Playwright's synchronous event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-results"


def required(name):
    return os.environ.get(name) == "1"


def pytest_sessionstart(session):
    """A pass that says it needs PostgreSQL, Redis or a browser fails at once without them."""
    problems = []
    if required("REQUIRE_POSTGRES") and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("REQUIRE_POSTGRES=1 but DATABASE_URL does not point to PostgreSQL")
    if required("REQUIRE_REDIS") and not settings.REDIS_URL:
        problems.append("REQUIRE_REDIS=1 but REDIS_URL is not set")
    if required("REQUIRE_BROWSER") and not CHROMIUM:
        problems.append("REQUIRE_BROWSER=1 but Chromium is not installed (apt-get install -y chromium)")
    if problems:
        pytest.exit("; ".join(problems), returncode=1)


def pytest_collection_modifyitems(config, items):
    """Browser tests run last (their event loop breaks asyncio tests after them) and skip without Chromium."""
    skip_browser = pytest.mark.skip(reason="Chromium absent : test navigateur ignoré")
    skip_postgres = pytest.mark.skip(reason="PostgreSQL requis (DATABASE_URL)")
    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    for item in items:
        if "browser" in item.keywords and not CHROMIUM:
            item.add_marker(skip_browser)
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_postgres)
    items.sort(key=lambda item: "browser" in item.keywords)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    # The live server's request threads must not keep connections open (CONN_MAX_AGE), or
    # PostgreSQL refuses to drop the test database at the end of the run.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # The daphne process of the live-notification browser tests opens the test database too:
        # SQLite's default in-memory test database lives in this process only. A fresh folder per
        # run, so that runs side by side never share it.
        test = settings.DATABASES["default"].setdefault("TEST", {})
        test["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")
        # A throw-away file need not survive a power cut: without a sync to disk at each commit, the
        # suite takes as long as on the in-memory database (measured: about 10 s saved on 3 minutes).
        options = settings.DATABASES["default"].setdefault("OPTIONS", {})
        options["init_command"] = ";".join(filter(None, [options.get("init_command"), "PRAGMA synchronous = OFF"]))


@pytest.fixture(scope="session", autouse=True)
def test_settings(tmp_path_factory):
    """What the tests relax from production settings, and nothing else.

    No collectstatic before tests (so unhashed static files), plain HTTP to the test servers, and
    uploads in a throw-away folder.
    """
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_AUTOREFRESH=True,
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        PRIVATE_MEDIA_ROOT=str(tmp_path_factory.mktemp("private-media")),
        SERVE_MEDIA=True,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SMS_BACKEND="notifications.sms.backends.locmem.SmsBackend",
        # Most tests write without committing, which never makes cached pages stale: tests/placette/test_page_cache.py
        # turns it on where writes commit.
        PAGE_CACHE_SECONDS=0,
    ):
        yield


@pytest.fixture(autouse=True)
def sms_outbox():
    """The SMS sent during a test, like mail.outbox; nothing leaves the machine."""
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture
def staff_login():
    """Sign a staff member in as if they had typed their TOTP code: the admin asks for it (ADR 0004)."""

    def login(client, user):
        client.force_login(user)
        request = RequestFactory().get("/")
        request.session = client.session
        record_authentication(request, user, method="mfa", type="totp")
        request.session.save()
        return user

    return login


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache.

    Wagtail caches renditions by image id; ids come back after a flush and across runs, and a stale
    entry in a kept Redis points at a file of an earlier run. With REDIS_URL set this empties that
    Redis database: point the tests at one that holds nothing else.
    """
    cache.clear()


@pytest.fixture
def home(db):
    """The network's home page: the one home's data migration made, or a new one after a flush."""
    return network_home()


@pytest.fixture
def centre(home):
    """A centre under the home page; a module that needs its name or address in a test builds its own."""
    return CentrePageFactory(parent=home, title="Centre social Belencontre")


@pytest.fixture
def other_centre(home):
    """A second centre, whose team must see nothing of the first one's."""
    return CentrePageFactory(parent=home, title="Centre social du Canal")


def network_home():
    """The home page, rebuilt when gone (for fixtures wider than a test, which cannot ask for `home`).

    Transactional tests (sockets, the browser) end by emptying every table, data migrations' rows
    included, so the tree the site needs is rebuilt here when it is gone.
    """
    home = HomePage.objects.first()
    if home is None:
        locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        if not Collection.objects.exists():
            Collection.add_root(name="Root")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        home = root.add_child(
            instance=HomePage(
                title="Placette, les centres sociaux connectés",
                slug="accueil",
                introduction="Placette réunit les centres sociaux du quartier sur un même site.",
            )
        )
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Placette")
    return home


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}, "locale": "fr-FR"}


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-results/ to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def run_db_worker():
    """Run `db_worker` in batch mode here; it sets the process's signal handlers and log levels, put back after."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django.tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]

    def run():
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, stdout=io.StringIO())

    yield run
    for number, handler in handlers.items():
        signal.signal(number, handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def tile_server(settings):
    """The map's tiles from a stub server on 127.0.0.1 (tests/tile_server.py): no test fetches a real tile."""
    with StubTileServer() as server:
        settings.CARTE_TILE_URL = server.url_template
        yield server
