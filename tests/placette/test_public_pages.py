"""Every public page of the demo, as a visitor finds it by following links: within DESIGN.md's budgets.

At most 15 SQL queries each, and valid HTML for the Nu HTML Checker (vnu.jar, installed by `make test`
through npm, run with Java). The demo is built once for the module, the pages crawled once, and the
whole crawl rolled back at the end.
"""

import io
import json
import os
import shutil
import subprocess
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import network_home

# pytest-django sets the test database up only for the tests that ask for it.
pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
# Where a visitor starts: the home page links to the rest, the others are in every page's header.
STARTS = ["/", "/agenda/", "/echanges/", "/recherche/?q=atelier"]
# Not pages of the public site, or not HTML.
SKIPPED = (f"/{settings.ADMIN_URL_PREFIX.strip('/')}/", "/static/", "/media/", "/documents/")
# A listing with its filters gives many addresses to one template: a few of each are enough.
VARIANTS_PER_PATH = 3
MAX_PAGES = 300
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def links_of(url, html):
    parser = Links()
    parser.feed(html)
    site = urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
    for href in parser.hrefs:
        target = urlsplit(urljoin(url, href))
        if target.scheme not in ("", "http", "https") or target.netloc not in ("", "testserver", "localhost", site):
            continue
        if target.path.startswith(SKIPPED):
            continue
        yield target.path + (f"?{target.query}" if target.query else "")


def crawl(client):
    """Each page reachable from STARTS: {url: (html, number of queries)}; and what did not answer 200."""
    pages, others = {}, {}
    queue, seen, per_path = deque(STARTS), set(STARTS), Counter()
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            others[url] = response.status_code
            continue
        html = response.content.decode()
        pages[url] = (html, len(queries.captured_queries))
        for link in links_of(url, html):
            path = urlsplit(link).path
            if link in seen or (link != path and per_path[path] >= VARIANTS_PER_PATH):
                continue
            seen.add(link)
            per_path[path] += link != path
            queue.append(link)
    return pages, others


def cold_queries(url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        Client().get(url)
    return len(queries.captured_queries)


@pytest.fixture(scope="module")
def public_pages(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        network_home()
        call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
        cache.clear()
        pages, others = crawl(Client())
        # Counted again on a cold cache (as after a restart, or once a write emptied it), but with the
        # images' renditions made: a rendition is made once for good, by the first visit ever.
        pages = {url: (html, cold_queries(url)) for url, (html, _) in pages.items()}
        transaction.set_rollback(True)
    cache.clear()
    return pages, others


def test_the_crawl_reaches_every_kind_of_public_page(public_pages):
    pages, others = public_pages
    paths = list(pages)

    assert len(pages) > 50
    for kind in ("/agenda/", "/echanges/", "/recherche/", "/compte/connexion/"):
        assert any(path.startswith(kind) for path in paths), kind
    # A centre, one of its activities, an offer.
    assert any(path.count("/") == 2 and not path.startswith(("/agenda/", "/echanges/", "/compte/")) for path in paths)
    assert any(path.startswith("/echanges/") and path.rstrip("/").split("/")[-1].isdigit() for path in paths)
    assert not [url for url, status in others.items() if status >= 500 or status == 404], others


def test_every_public_page_answers_in_at_most_15_queries(public_pages):
    pages, _ = public_pages

    over = {url: count for url, (_, count) in pages.items() if count > MAX_QUERIES}

    assert over == {}, f"{len(over)} of {len(pages)} pages over {MAX_QUERIES} queries"


def nu_checker():
    """The java command that runs vnu.jar; skips without it, unless REQUIRE_VNU=1 (CI) makes that a failure."""
    java = shutil.which("java")
    if java and VNU_JAR.exists():
        return [java, "-jar", str(VNU_JAR)]
    missing = "vnu.jar (npm ci)" if java else "Java"
    if os.environ.get("REQUIRE_VNU") == "1":
        pytest.fail(f"REQUIRE_VNU=1 mais {missing} est absent")
    pytest.skip(f"{missing} absent : le validateur HTML n'est pas lancé")


def described(message, files):
    """ "/agenda/:12: Bad value … — <time datetime=…>": the page's address in place of the temporary file's."""
    page = files.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url"))
    extract = f" — {message['extract'].strip()}" if message.get("extract") else ""
    return f"{page}:{message.get('lastLine', '?')}: {message['message']}{extract}"


def test_every_public_page_is_valid_html_for_the_nu_checker(public_pages, tmp_path):
    command = nu_checker()
    pages, _ = public_pages
    files = {}
    for number, (url, (html, _)) in enumerate(pages.items()):
        file = tmp_path / f"page-{number}.html"
        file.write_text(html, encoding="utf-8")
        files[file.name] = url

    # One Java start for every page: it takes seconds to start, milliseconds per page.
    checked = subprocess.run(
        [*command, "--errors-only", "--format", "json", *(str(file) for file in tmp_path.glob("page-*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    errors = [described(message, files) for message in messages if message["type"] in ("error", "non-document-error")]
    assert errors == [], f"{len(errors)} errors over {len(pages)} pages:\n" + "\n".join(errors)
