"""`manage.py` in another process on the test database, as the worker runs in production."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

# SMS wait for the morning between 21:00 and 08:00: tests that run the real clock (and worker processes) would
# find them not due yet at night. An empty window (start = end) has no quiet hours.
NO_QUIET_HOURS = ("12:00", "12:00")


def shared_database_url():
    """The test database for another process: PostgreSQL's, or SQLite's when it is a file."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            pytest.skip("La base de test SQLite est en mémoire : un autre processus ne peut pas l'ouvrir")
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def manage(*args, sms_backend="notifications.sms.backends.console.SmsBackend", **env):
    """The command line and environment for a `manage.py` process on the test database."""
    environment = {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "SMS_BACKEND": sms_backend,
        "EMAIL_URL": "consolemail://",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
        "SMS_QUIET_START": NO_QUIET_HOURS[0],
        "SMS_QUIET_END": NO_QUIET_HOURS[1],
        **env,
    }
    return [sys.executable, str(settings.BASE_DIR / "manage.py"), *args], environment


def run_manage(*args, **env):
    command, environment = manage(*args, **env)
    return subprocess.run(
        command, env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120, check=False
    )
