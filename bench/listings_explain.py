"""The `/agenda/` and `/echanges/` listings rendered uncached: Python and SQL milliseconds, queries, and their plans.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/placette_bench .venv/bin/python bench/listings_explain.py

Issue 17 asks that the whole listing, uncached, costs a bounded number of milliseconds of Python that does not
grow with the number of centres, categories or tags, and for an `EXPLAIN` of each listing query at the volume
of 500 centres. Run it on two databases loaded with `manage.py demo --centres N --occurrences … --offers …`
(100 and 500 centres, say) and compare. Each listing is asked through Django's test client as a visitor
(DEBUG off, nothing kept: PAGE_CACHE_SECONDS=0), median of `--rounds` requests; the time spent inside the
database driver is SQL, the rest is Python. `--explain` then prints `EXPLAIN (ANALYZE, BUFFERS)` of every
query of each listing, once warm. It reads only.
"""

import os
import sys
from pathlib import Path

# Run as a script, Django is set up before the apps' models are imported.
if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placette.settings")
    import django

    django.setup()

import argparse
import statistics
import time

from django.db import connection
from django.test import Client, override_settings

from agenda.models import Category, Occurrence
from echanges.models import Category as OfferCategory
from echanges.models import Offer
from quartier.models import CentrePage


def listings():
    category = Category.objects.order_by("pk").first()
    offer_category = OfferCategory.objects.order_by("pk").first()
    return [
        ("/agenda/", "/agenda/"),
        ("/agenda/ filtré (catégorie, gratuit)", f"/agenda/?category={category.slug}&free=on"),
        ("/agenda/ page 5", "/agenda/?page=5"),
        ("/echanges/", "/echanges/"),
        ("/echanges/ filtré (objets, catégorie)", f"/echanges/?nature=good&category={offer_category.slug}"),
        ("/echanges/ page 5", "/echanges/?page=5"),
    ]


class Timed:
    """Queries of one request, with the time spent in the driver for each."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, params, time.perf_counter() - started))


def measure(client, url, rounds):
    totals, sqls, counts = [], [], []
    for _ in range(rounds):
        timed = Timed()
        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = client.get(url, secure=True)
        totals.append(time.perf_counter() - started)
        sqls.append(sum(seconds for _sql, _params, seconds in timed.queries))
        counts.append(len(timed.queries))
        if response.status_code != 200:
            raise SystemExit(f"{url} a répondu {response.status_code}")
    return statistics.median(totals) * 1000, statistics.median(sqls) * 1000, max(counts), timed.queries


def explain(queries):
    with connection.cursor() as cursor:
        for number, (sql, params, _seconds) in enumerate(queries, 1):
            # The second plan: the first pays for what this connection had not read yet.
            for _ in range(2):
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                plan = [row[0] for row in cursor.fetchall()]
            print(f"\n    -- requête {number} : {sql[:160]}{'…' if len(sql) > 160 else ''}")
            for line in plan:
                print(f"    {line}")


@override_settings(
    ALLOWED_HOSTS=["*"],
    DEBUG=False,
    PAGE_CACHE_SECONDS=0,
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
)
def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="requêtes mesurées par liste (médiane)")
    parser.add_argument("--explain", action="store_true", help="affiche le plan de chaque requête")
    args = parser.parse_args()
    print(
        f"Base : {connection.settings_dict['NAME']} — {CentrePage.objects.live().count()} centres, "
        f"{Occurrence.objects.upcoming().count()} dates à venir, {Offer.objects.open().count()} annonces ouvertes, "
        f"{Category.objects.count()} catégories d'activités, {OfferCategory.objects.count()} catégories d'annonces."
    )
    client = Client()
    print("\n| liste | ms en tout | dont SQL | dont Python | requêtes |")
    print("| --- | --- | --- | --- | --- |")
    plans = []
    for name, url in listings():
        for _ in range(3):  # renditions, compiled templates, connections
            client.get(url, secure=True)
        total, sql, count, queries = measure(client, url, args.rounds)
        print(f"| {name} | {total:.1f} | {sql:.1f} | {total - sql:.1f} | {count} |")
        plans.append((name, queries))
    if args.explain and connection.vendor == "postgresql":
        for name, queries in plans:
            print(f"\n{name}")
            explain(queries)


if __name__ == "__main__":
    main()
