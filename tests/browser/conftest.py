"""What every browser test shares: the accessibility check, the code sent by e-mail, a daphne server."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.db import connection

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
DAPHNE = Path(sys.executable).parent / "daphne"
# Importing Django, Wagtail and the project takes a few seconds on a busy machine.
DAPHNE_START_TIMEOUT = 60


@pytest.fixture
def assert_accessible():
    """axe-core on the page as it is now: zero WCAG 2.1 A/AA violations, or the report as the failure."""

    def check(page):
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def last_code(mailoutbox):
    """The 6-digit code in the last e-mail sent to an address."""

    def read(address):
        bodies = [message.body for message in mailoutbox if message.to == [address]]
        assert bodies, f"no e-mail sent to {address}"
        codes = CODE.findall(bodies[-1])
        assert len(codes) == 1, f"expected one 6-digit code in {bodies[-1]!r}"
        return codes[0]

    return read


def database_url(db):
    """The test database as DATABASE_URL, for another process to open the very same database."""
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = f"{credentials}@" if credentials else ""
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{host}{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"
    raise NotImplementedError(f"No DATABASE_URL for {db['ENGINE']}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DaphneServer:
    """`daphne placette.asgi:application` in its own process, on the test database: HTTP and WebSockets.

    It can be stopped and started again on the same port, as a deployment does, while pages stay open.
    """

    def __init__(self, log_path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = None
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "placette.settings",
            "DATABASE_URL": database_url(db),
            # As in this process (tests/conftest.py): no connection kept between requests or socket
            # messages, so that none still holds the test database when the test ends.
            "CONN_MAX_AGE": "0",
            # Plain HTTP, static files served from the source folders, as in the tests' own settings.
            "DEBUG": "1",
            "SECRET_KEY": settings.SECRET_KEY,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SERVE_MEDIA": "1",
            # Nothing leaves the machine, and the log shows only what matters.
            "EMAIL_URL": "memorymail://",
            "SMS_BACKEND": "notifications.sms.backends.locmem.SmsBackend",
            "PYTHONUNBUFFERED": "1",
            # Set, both processes share the channel layer and the cache; empty, each has its own in memory.
            "REDIS_URL": settings.REDIS_URL,
        }
        self.env.pop("MFA_TOTP_INSECURE_BYPASS_CODE", None)

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self):
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [str(DAPHNE), "-b", "127.0.0.1", "-p", str(self.port), "placette.asgi:application"],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + DAPHNE_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"daphne stopped at start (code {self.process.returncode}):\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"daphne did not answer on port {self.port} within {DAPHNE_START_TIMEOUT} s:\n{self.log()}")

    def stop(self):
        """Stop the server; a server that had already stopped by itself fails the test with its log."""
        process, self.process = self.process, None
        if process is None:
            return
        died = process.poll()
        if died is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        else:
            pytest.fail(f"daphne stopped during the test (code {died}):\n{self.log()}")


@pytest.fixture
def daphne_server(transactional_db, tmp_path):
    """A real daphne serving the project's ASGI app on 127.0.0.1, for pages that need WebSockets.

    Needs `django_db(transaction=True)`: daphne reads what the test wrote, so it must be committed. One
    process per test, stopped before the tables are flushed, so that its caches never outlive the data.
    """
    server = DaphneServer(tmp_path / "daphne.log")
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        finally:
            # Shown with the test's output when it fails: requests refused, tracebacks, sockets' errors.
            sys.stderr.write(f"--- daphne ---\n{server.log()}")
