"""HTTP benchmark of the exchange's and the search's public pages at the budget's volume, against hello world.

The same harness as `bench/agenda_http.py` (whose helpers it imports): it loads DESIGN.md's volume into its own
database (`manage.py demo --centres 100 --occurrences 20000 --offers 50000`; a second run finds the data there
and adds nothing), collects the static files, then starts gunicorn as production runs it (2 sync workers,
DEBUG off, Redis cache) on free loopback ports, with `bench/agenda_settings.py` (the site plus a hello-world
view). The pages: the network's offers (`/echanges/`), a filtered listing, an offer's page and a search.

Each page is measured twice, by N clients sending GET requests as fast as the answers come, one connection
per request:

- *cached*: as a first-time visitor gets it, with the shared page cache of `placette/page_cache.py`
  (production's setting);
- *uncached*: from a second gunicorn with `PAGE_CACHE_SECONDS=0`, as after any write empties the cache, and as
  a signed-in person always gets it.

Against DESIGN.md's budgets: the exchange's listings at least 10 × bakerydemo's listings (46–68
requests/s here), so 680/s; every anonymous page at least a third of a bare Django hello world. The
references are measured in the same run: the bare project (`bench/hello_settings.py`, a third gunicorn) at
the start and the end, and the same view inside Placette after each page.

SQL queries are counted once per page in this process, uncached (Django's test client, same settings);
`--profile DIR` also times each page here, uncached, and writes a cProfile of it.

Run it with `make bench-echanges` (or `make bench`); `--help` lists the options. It writes to its own
PostgreSQL database (`placette_bench`) or SQLite file, to /tmp, and flushes the Redis database it is given
(9 by default), nothing else."""

import argparse
import concurrent.futures
import datetime
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import agenda_http as base
from common import create_postgres_database


def parse_args():
    parser = argparse.ArgumentParser(
        description="Banc d'essai HTTP des échanges et de la recherche (gunicorn, boucle locale)."
    )
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/placette_bench")
    parser.add_argument("--sqlite-path", default="/tmp/placette-bench-agenda.sqlite3")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="cache, vidé au départ ; '' : aucun")
    parser.add_argument("--media-root", default="/tmp/placette-bench-media", help="images de la démonstration")
    parser.add_argument("--centres", type=int, default=100)
    parser.add_argument("--occurrences", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument("--skip-load", action="store_true", help="ne pas recharger le volume (manage.py demo)")
    parser.add_argument("--workers", type=int, default=2, help="processus gunicorn (2 en production)")
    parser.add_argument("--clients", type=int, default=16, help="requêtes en parallèle")
    parser.add_argument("--client-processes", type=int, default=4, help="processus qui portent les clients")
    parser.add_argument("--duration", type=float, default=10, help="secondes de mesure par page")
    parser.add_argument("--warmup", type=float, default=2, help="secondes d'échauffement non comptées par page")
    parser.add_argument("--no-uncached", action="store_true", help="ne mesurer que les pages servies du cache")
    parser.add_argument("--only", help="ne mesurer que les pages dont le nom contient ce texte")
    parser.add_argument("--profile", metavar="DOSSIER", help="profil cProfile de chaque page, sans cache, gardé là")
    parser.add_argument("--log", default="/tmp/placette-bench-echanges-gunicorn.log", help="journal de gunicorn")
    args = parser.parse_args()
    redis_database = urlsplit(args.redis_url).path.strip("/")
    if args.redis_url and (not redis_database.isdigit() or int(redis_database) in base.SHARED_REDIS_DATABASES):
        parser.error("--redis-url : donnez une base à part (pas 0 à 3, qui servent aux tests), elle sera vidée")
    if args.clients < args.client_processes:
        parser.error("--clients : au moins autant que --client-processes")
    return args


def prepare(args, env, log):
    """Migrate, load the budget's volume (a second run adds nothing), collect the static files."""
    if args.database == "postgres":
        create_postgres_database(args.postgres_url)
    Path(args.media_root).mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    base.manage(env, "migrate", "--noinput", log=log)
    if not args.skip_load:
        volume = ["--centres", str(args.centres), "--occurrences", str(args.occurrences), "--offers", str(args.offers)]
        output = base.manage(env, "demo", *volume, log=log)
        for line in output.splitlines():
            if line.startswith(("Centres numérotés", "Dates à venir", "Échanges", "Annonces générées")):
                print(f"  {line}")
    base.manage(env, "collectstatic", "--noinput", log=log)
    print(f"Base prête en {time.monotonic() - started:.0f} s.")


def pages_to_measure():
    """(name, path, is a listing) for each page measured, read from the loaded data."""
    from django.urls import reverse

    from echanges.models import Offer

    listing = reverse("echanges:listing")
    # The demo's own offer in a demo centre (the first written), there whatever the load drew.
    offer = (
        Offer.objects.open()
        .filter(centre__slug="centre-social-belencontre", title="Réparer un vélo")
        .order_by("pk")
        .first()
    )
    return [
        ("annonces du réseau", listing, True),
        ("annonces filtrées : savoirs, banque de temps", f"{listing}?nature=skill&mode=time", True),
        (f"page d'une annonce ({offer.title})", offer.get_absolute_url(), False),
        ("recherche « velo »", "/recherche/?q=velo", False),
    ]


def run_pages(args, pages, env, log):
    """The bare project at both ends; each page cached, uncached, then the hello view inside Placette.

    Returns the rows of the table, the bare project's throughputs and the view in Placette's.
    """
    servers = {
        "site": (base.free_port(), env),
        "uncached": (base.free_port(), {**env, "PAGE_CACHE_SECONDS": "0"}),
        "bare": (base.free_port(), {**env, "DJANGO_SETTINGS_MODULE": "bench.hello_settings"}),
    }
    if args.no_uncached:
        del servers["uncached"]
    processes = {
        name: base.start_gunicorn(args, server_env, port, log) for name, (port, server_env) in servers.items()
    }
    rows, bare, in_site = [], [], []
    try:
        pids = {}
        for name, (port, _env) in servers.items():
            base.wait_for_port(port, processes[name])
            pids[name] = base.server_pids(processes[name].pid, args.workers)
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(args.client_processes, mp_context=context) as pool:

            def measured(label, server, path):
                port = servers[server][0]
                base.measure(args, pool, port, path, pids[server], args.warmup)
                result = base.measure(args, pool, port, path, pids[server], args.duration)
                base.report(label, result)
                return result

            bare.append(measured("référence : Django nu (projet minimal)", "bare", base.HELLO)["rps"])
            in_site.append(measured("référence : la même vue dans Placette", "site", base.HELLO)["rps"])
            for name, path, listing in pages:
                cached = measured(f"{name}, servie du cache", "site", path)
                uncached = None if args.no_uncached else measured(f"{name}, sans cache", "uncached", path)
                in_site.append(measured("référence : la même vue dans Placette", "site", base.HELLO)["rps"])
                rows.append((name, path, listing, cached, uncached, (in_site[-2] + in_site[-1]) / 2))
            bare.append(measured("référence : Django nu (projet minimal)", "bare", base.HELLO)["rps"])
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return rows, bare, in_site


def verdict(result, listing, bare_rps):
    floor = base.LISTING_FACTOR * base.BAKERYDEMO_LISTING_RPS
    met = result["rps"] >= base.HELLO_SHARE * bare_rps and (not listing or result["rps"] >= floor)
    wanted = f"≥ {floor}/s et ≥ ⅓" if listing else "≥ ⅓"
    return f"{wanted} : {'tenu' if met else '**manqué**'}"


def table(rows, facts, bare_rps):
    lines = [
        "| page | adresse | SQL | HTML Ko | avec cache req/s | p50 ms | p99 ms | part de Django nu | part de la vue "
        "dans Placette | budget | sans cache req/s | p50 ms | p99 ms | CPU gunicorn par requête sans cache "
        "| erreurs |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, path, listing, cached, uncached, in_site_rps in rows:
        _status, queries, size = facts[path]
        errors = len(cached["errors"]) + (len(uncached["errors"]) if uncached else 0)
        if uncached:
            plain = (
                f"{uncached['rps']:.0f} | {base.ms(uncached['p50'])} | {base.ms(uncached['p99'])} "
                f"| {base.ms(uncached['cost_ms'])} ms"
            )
        else:
            plain = "— | — | — | —"
        lines.append(
            f"| {name} | `{path}` | {queries} | {size / 1024:.1f} | {cached['rps']:.0f} | {base.ms(cached['p50'])} "
            f"| {base.ms(cached['p99'])} | {cached['rps'] / bare_rps:.0%} | {cached['rps'] / in_site_rps:.0%} "
            f"| {verdict(cached, listing, bare_rps)} "
            f"| {plain} | {errors} |"
        )
    return "\n".join(lines)


def main():
    args = parse_args()
    print(f"Banc HTTP des échanges et de la recherche : {' '.join(sys.argv)}")
    print(
        f"{datetime.date.today().isoformat()}, {os.cpu_count()} cœurs, Python {platform.python_version()}, "
        f"base {args.database}, {args.workers} processus gunicorn, {args.clients} clients en "
        f"{args.client_processes} processus, {args.duration:.0f} s par mesure"
    )
    with open(args.log, "w") as log, tempfile.TemporaryDirectory(prefix="placette-bench-static-") as static_root:
        env = base.site_env(args, static_root)
        prepare(args, env, log)
        if args.redis_url:
            base.flush_redis(args.redis_url)
        # Queries and profiles in this process are those of a page rendered, not read from the cache.
        os.environ["PAGE_CACHE_SECONDS"] = "0"
        base.setup_django(env)
        pages = pages_to_measure()
        if args.only:
            pages = [page for page in pages if args.only in page[0]]
        facts = base.count_queries([*pages, ("référence", base.HELLO, False)])
        for _name, path, _listing in pages:
            if facts[path][0] != 200:
                raise SystemExit(f"{path} répond {facts[path][0]} : rien à mesurer (voir {args.log})")
        rows, bare, in_site = run_pages(args, pages, env, log)
        bare_rps = sum(bare) / len(bare)
        print()
        print(table(rows, facts, bare_rps))
        print()
        floor = base.LISTING_FACTOR * base.BAKERYDEMO_LISTING_RPS
        print(
            f"Références : Django nu {' puis '.join(f'{value:.0f}' for value in bare)} req/s (moyenne "
            f"{bare_rps:.0f}) ; la même vue dans Placette, autour de chaque page : "
            f"{', '.join(f'{value:.0f}' for value in in_site)} req/s. Budgets : listes ≥ {base.LISTING_FACTOR} × "
            f"{base.BAKERYDEMO_LISTING_RPS} = {floor} req/s ; pages anonymes ≥ un tiers de Django nu, soit "
            f"{bare_rps * base.HELLO_SHARE:.0f} req/s."
        )
        if args.profile:
            base.OUR_CODE = (*base.OUR_CODE, "/echanges/", "/search/")
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            print()
            print("Où passe le temps sans cache (un processus, client de test de Django) :")
            for _name, path, _listing in pages:
                base.profile_page(path, args.profile)


if __name__ == "__main__":
    sys.exit(main())
