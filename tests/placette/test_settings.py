"""Production-shaped settings: security headers, the CSP, the deploy check, the services chosen by env."""

import os
import secrets
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from agenda.models import Category
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.django_db


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_public_pages_forbid_inline_script_and_eval(client, home):
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_error_pages_carry_the_strict_policy_too(client, home):
    policy = directives(client.get("/nulle-part/").headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]


def test_the_admin_gets_its_own_looser_policy(client, staff_login):
    staff_login(client, UserFactory(network_admin=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]


def test_security_headers_over_https(client, home):
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https_in_production(client, home, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/")
    assert response.status_code == 301
    assert response.url.startswith("https://")


def run_manage(*args, **env):
    # As production starts it: none of the test run's own variables.
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**environment, **env}, capture_output=True, text=True
    )


def test_deploy_check_passes_with_debug_off_and_a_real_secret():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50)
    )
    assert result.returncode == 0, result.stderr


def test_deploy_check_refuses_the_local_fallback_secret():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0")
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_database_follows_database_url():
    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert engine == "django.db.backends.postgresql"
    else:
        assert engine == "django.db.backends.sqlite3"


def read_then_write_at_once(writers):
    """`writers` transactions at the same moment, each reading then writing, as a page save and the worker do."""
    start = threading.Event()

    def write(number):
        start.wait(timeout=5)
        try:
            with transaction.atomic():
                Category.objects.count()
                time.sleep(0.3)
                Category.objects.create(name=f"Catégorie {number}", slug=f"categorie-{number}")
        finally:
            connection.close()

    with ThreadPoolExecutor(writers) as pool:
        futures = [pool.submit(write, number) for number in range(writers)]
        start.set()
        return [future.exception() for future in futures]


@pytest.mark.django_db(transaction=True)
def test_sqlite_lets_several_processes_write_in_turn_rather_than_fail():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL locks rows, not the whole file")
    before = Category.objects.count()

    assert read_then_write_at_once(3) == [None, None, None]
    assert Category.objects.count() == before + 3
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_channel_layer_and_cache_follow_redis_url():
    layer = get_channel_layer()
    if settings.REDIS_URL:
        assert type(layer).__name__ == "RedisChannelLayer"
        # Django's Redis cache, answering a miss when Redis is out of reach (tests/placette/test_redis_down.py).
        assert settings.CACHES["default"]["BACKEND"] == "placette.cache.ResilientRedisCache"
    else:
        assert type(layer).__name__ == "InMemoryChannelLayer"


def test_channel_layer_carries_a_message_to_a_group():
    layer = get_channel_layer()

    async def round_trip():
        channel = await layer.new_channel()
        await layer.group_add("essai", channel)
        await layer.group_send("essai", {"type": "essai.message", "text": "bonjour"})
        message = await layer.receive(channel)
        await layer.group_discard("essai", channel)
        return message

    assert async_to_sync(round_trip)() == {"type": "essai.message", "text": "bonjour"}


def test_cache_stores_and_returns_a_value():
    cache.set("placette-essai", {"centres": 5}, timeout=5)
    assert cache.get("placette-essai") == {"centres": 5}
    cache.delete("placette-essai")
