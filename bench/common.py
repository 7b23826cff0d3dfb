"""What the benchmarks under bench/ share: the database each one measures on, and pages measured in process."""

import os
import statistics
import time
from urllib.parse import urlsplit, urlunsplit


def database_url(args):
    return f"sqlite:///{args.sqlite_path}" if args.database == "sqlite" else args.postgres_url


def create_postgres_database(url):
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.strip("/")
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def setup_in_process(url, static_root, *, unset=()):
    """Django as production runs it (DEBUG off, static files under hashed names), in this process, on `url`,
    with no Redis: each page is measured alone, without the shared page cache."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="placette.settings",
        DATABASE_URL=url,
        PAGE_CACHE_SECONDS="0",
        DEBUG="0",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="testserver",
    )
    for name in ("REDIS_URL", *unset):
        os.environ.pop(name, None)
    import django

    django.setup()


def measured(client, url, runs, *, before=None):
    """(median ms, slowest ms, queries of the last run, bytes as "12 345") of `runs` GETs of `url`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _run in range(runs):
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    size = f"{len(response.content):,}".replace(",", " ")
    return statistics.median(times), max(times), len(queries.captured_queries), size
