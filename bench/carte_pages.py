"""The map's pages with 5 000 places on PostgreSQL: the list with its filters, a place, the families' path, the
open data files; time and queries of each, served in this process.

    .venv/bin/python bench/carte_pages.py            # make bench-carte

Issue 20 asks that /carte/ read the same number of queries with 50 and 5 000 places, and for figures. The script
migrates its own database (placette_bench_carte by default), loads the demo with `demo --places N` on the first
run (the demo's centres and their places, then generated places up to N; later runs reuse them), and asks each
page through Django's test client: once to warm what any earlier visit warms (the drop-down lists, the site's
root), then `--runs` times, with the visitors' page cache off (PAGE_CACHE_SECONDS=0) so that each run is built,
with production's settings over HTTPS.
The open data files are timed twice: built (their cache emptied before each run) and kept (as harvesters get them).
Nothing here reaches the network; Redis is not used (the cache is local memory).
"""

import io
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from common import create_postgres_database, measured, setup_in_process  # noqa: E402

# Production's static files (hashed names from the manifest), collected here rather than in the working copy.
STATIC_ROOT = "/tmp/placette-bench-carte-static"


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/placette_bench_carte")
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    create_postgres_database(args.postgres_url)
    setup_in_process(args.postgres_url, STATIC_ROOT, unset=("CARTE_GEOCODER_URL",))

    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from carte.models import UsefulPlace
    from quartier.models import CentrePage

    if UsefulPlace.objects.filter(for_centre__isnull=True).count() < args.places:
        started = time.perf_counter()
        call_command("demo", places=args.places, stdout=io.StringIO())
        print(f"demo --places {args.places} : {time.perf_counter() - started:.0f} s")
    places = UsefulPlace.objects.filter(for_centre__isnull=True).count()
    centre = CentrePage.objects.live().exclude(latitude=None).order_by("pk").first()
    place = UsefulPlace.objects.filter(for_centre__isnull=True, categories__slug="ecole").order_by("pk").first()
    pages = [
        ("/carte/", "/carte/"),
        (
            "/carte/ filtrée (catégorie, âge, ouvert maintenant, près d'un centre)",
            f"/carte/?category=wi-fi-gratuit&age=for_elementaire&open_now=on&centre={centre.pk}",
        ),
        ("/carte/ près d'un centre, page 3", f"/carte/?centre={centre.pk}&page=3"),
        ("une page de lieu", place.get_absolute_url()),
        ("/carte/familles/", "/carte/familles/"),
        ("/carte/familles/maternelle/ près d'un centre", f"/carte/familles/maternelle/?centre={centre.pk}"),
        ("/carte/familles/college/", "/carte/familles/college/"),
        ("/carte/donnees/", "/carte/donnees/"),
    ]
    files = ["mediation-numerique.csv", "mediation-numerique.json", "data-inclusion-structures.json"]
    client = Client()
    for _label, url in pages:
        client.get(url, secure=True)

    print(f"{places} lieux (hors centres), {CentrePage.objects.live().count()} centres ; {args.runs} passages\n")
    print("| page | médiane | la plus lente | requêtes | octets |")
    print("| --- | --- | --- | --- | --- |")
    for label, url in pages:
        median, slowest, queries, size = measured(client, url, args.runs)
        print(f"| {label} | {median:.1f} ms | {slowest:.1f} ms | {queries} | {size} |")
    for name in files:
        url = f"/carte/donnees/{name}"
        median, slowest, queries, size = measured(client, url, max(3, args.runs // 6), before=cache.clear)
        print(f"| {name}, construit | {median:.0f} ms | {slowest:.0f} ms | {queries} | {size} |")
        median, slowest, queries, size = measured(client, url, args.runs)
        print(f"| {name}, gardé | {median:.1f} ms | {slowest:.1f} ms | {queries} | {size} |")


if __name__ == "__main__":
    main()
