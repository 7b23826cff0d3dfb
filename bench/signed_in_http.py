"""HTTP benchmark of a signed-in resident's pages (issue 17) at the budget's volume, beside hello world and bakerydemo.

    .venv/bin/python bench/signed_in_http.py --database postgres --redis-url redis://127.0.0.1:6379/9

The same harness as `bench/agenda_http.py` (whose helpers it imports): it loads DESIGN.md's volume into its own
database (`manage.py demo --centres 100 --occurrences 20000 --offers 50000`; a second run adds nothing),
collects the static files, then starts gunicorn as production runs it (`platform/web.sh`: 2 sync workers,
DEBUG off, Redis cache) on free loopback ports, with `bench/agenda_settings.py` (the site plus a hello-world
view), and the bare hello world of `bench/hello_settings.py` in a second gunicorn.

The ten pages and the person are those of `bench/signed_in_profile.py` (`/agenda/` with and without filters,
an activity, a centre, `/echanges/` filtered, an offer, the inbox, "Mes inscriptions", "Mes échanges", a
conversation), read as a demo resident who has a conversation of everyday length. The person is signed in
here, in this process, with Django's test client, which then asks each page twice (counting its queries):
the session cookie it holds, and the CSRF cookie a page with a form gave it, are sent by every request
of the load, as a browser sends them. Signed-in pages are never served from the page cache.

References measured in the same run, since absolute figures move with what else the two cores do: the bare
hello world at the start and the end, the same view inside Placette (its settings and middleware) before
and after each page, and that view with the person's cookies (what the session and user cost) before and
after all pages. With `--bakerydemo` (the default when `bench/bakerydemo.py` is there), wagtail/bakerydemo
runs beside them under gunicorn and its listings are measured in the same run: the budget "more than 10 ×
bakerydemo's listings" is judged against the best of them, the strictest reading.

`--growth` (the default) then times `/agenda/` and `/echanges/` for a visitor without the page cache, in this
process: milliseconds of Python per request (this process's CPU time, not waiting for SQL), at the loaded
volume, then with as many centres again and more categories and audience tags, written in a transaction
rolled back afterwards. It says whether the listings' Python time grows with them.

The run ends with a "Budgets" block, tenu / manqué with its figure; `--budgets FILE` appends it there too,
which `make bench` prints at the end. It writes to its own PostgreSQL database (`placette_bench`) or SQLite
file, to /tmp, and flushes the Redis database it is given (9 by default), nothing else but the session."""

import argparse
import concurrent.futures
import datetime
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import agenda_http as base

try:
    import bakerydemo
except ImportError:  # Built on another branch: without it, its budget is said to be unmeasured, never guessed.
    bakerydemo = None

SIGNED_IN_SHARE = 1 / 6
BAKERYDEMO_FACTOR = 10
# The listings' Python time "does not grow": within this much of the time at the loaded volume (noise included).
GROWTH_TOLERANCE = 0.10
GROWTH_LISTINGS = ["/agenda/", "/echanges/"]
GROWTH_EXTRA = 100  # categories of each kind and audience tags added, beside as many centres again
GROWTH_ROUNDS, GROWTH_REQUESTS = 5, 10
BARE_HELLO = "référence : Django nu (projet minimal)"
SITE_HELLO = "référence : la même vue dans Placette"
SIGNED_IN_HELLO = "référence : la même vue dans Placette, connecté"


def parse_args(argv=None):
    parser = base.common_parser(
        "Banc d'essai HTTP des pages d'une personne connectée (gunicorn, boucle locale).",
        sqlite_path="/tmp/placette-bench-signed-in.sqlite3",
    )
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument(
        "--bakerydemo",
        action=argparse.BooleanOptionalAction,
        default=bakerydemo is not None,
        help="mesurer aussi les listes de wagtail/bakerydemo dans le même passage (par défaut quand "
        "bench/bakerydemo.py est là)",
    )
    parser.add_argument(
        "--growth",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="temps de Python des listes sans cache, puis avec deux fois plus de centres, de catégories et de "
        "mots-clés (écrits puis annulés)",
    )
    parser.add_argument("--only", help="ne mesurer que les pages dont le nom contient ce texte")
    parser.add_argument("--log", default="/tmp/placette-bench-signed-in-gunicorn.log", help="journal de gunicorn")
    parser.add_argument("--budgets", metavar="FICHIER", help=base.BUDGETS_HELP)
    args = base.check_common(parser, parser.parse_args(argv))
    if args.bakerydemo and bakerydemo is None:
        parser.error("--bakerydemo : bench/bakerydemo.py est absent de cette copie")
    return args


def cookie_header(cookies):
    """The Cookie header a browser holding `cookies` (a SimpleCookie) sends; cookies deleted (empty) are left out."""
    return "; ".join(f"{name}={morsel.value}" for name, morsel in sorted(cookies.items()) if morsel.value)


def sign_in(person, pages):
    """Sign `person` in and ask each (name, path) twice as them: returns their Cookie header and each page's facts."""
    from django.test import Client

    client = Client(headers={"X-Forwarded-Proto": "https"})
    client.force_login(person)
    facts = base.count_queries([(name, path, False) for name, path in pages], client=client)
    return cookie_header(client.cookies), facts


def run_pages(args, pages, cookie, env, log):
    """The references, each page as the person between two measures of the view in Placette, bakerydemo's listings.

    Returns the rows of the table, and the throughputs of the bare project, of the view in Placette (without and
    with the person's cookies) and bakerydemo's listings.
    """
    servers = {
        "site": (base.free_port(), env),
        "bare": (base.free_port(), {**env, "DJANGO_SETTINGS_MODULE": "bench.hello_settings"}),
    }
    processes = {
        name: base.start_gunicorn(args, server_env, port, log) for name, (port, server_env) in servers.items()
    }
    ports = {name: port for name, (port, _env) in servers.items()}
    rows, bare, in_site, signed_in, listings = [], [], [], [], []
    try:
        if args.bakerydemo:
            ports["bakerydemo"] = base.free_port()
            processes["bakerydemo"] = bakerydemo.start(ports["bakerydemo"], bakerydemo_log(args))
            for name, path in bakerydemo.LISTINGS:  # its images' renditions are made on a first visit
                status, _head, _size = base.fetch(ports["bakerydemo"], base.request_bytes(ports["bakerydemo"], path))
                if status != 200:
                    raise SystemExit(f"{name} ({path}) répond {status} : rien à mesurer")
        for name in servers:
            base.wait_for_port(ports[name], processes[name])
        pids = {
            name: base.server_pids(process.pid, bakerydemo.WORKERS if name == "bakerydemo" else args.workers)
            for name, process in processes.items()
        }
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(args.client_processes, mp_context=context) as pool:

            def measured(label, server, path, cookie=None):
                base.measure(args, pool, ports[server], path, pids[server], args.warmup, cookie)
                result = base.measure(args, pool, ports[server], path, pids[server], args.duration, cookie)
                base.report(label, result, page_cache=server == "site")
                return result

            bare.append(measured(BARE_HELLO, "bare", base.HELLO)["rps"])
            in_site.append(measured(SITE_HELLO, "site", base.HELLO)["rps"])
            signed_in.append(measured(SIGNED_IN_HELLO, "site", base.HELLO, cookie)["rps"])
            for name, path in pages:
                result = measured(f"{name}, connecté", "site", path, cookie)
                in_site.append(measured(SITE_HELLO, "site", base.HELLO)["rps"])
                rows.append((name, path, result, (in_site[-2] + in_site[-1]) / 2))
            signed_in.append(measured(SIGNED_IN_HELLO, "site", base.HELLO, cookie)["rps"])
            if args.bakerydemo:
                for name, path in bakerydemo.LISTINGS:
                    listings.append((name, path, measured(name, "bakerydemo", path)))
            bare.append(measured(BARE_HELLO, "bare", base.HELLO)["rps"])
    finally:
        base.stop(processes.values())
    return rows, bare, in_site, signed_in, listings


def bakerydemo_log(args):
    return str(Path(args.log).with_suffix(".bakerydemo.log"))


def best_listing(listings):
    """(name, requests/s) of bakerydemo's fastest listing: "more than 10 × its listings" read at its strictest."""
    name, _path, result = max(listings, key=lambda listing: listing[2]["rps"])
    return name, result["rps"]


def table(rows, facts, bare_rps, bakerydemo_floor):
    lines = [
        "| page | adresse | SQL | HTML Ko | req/s | p50 ms | p99 ms | erreurs | part de Django nu | part de la vue "
        "dans Placette | ≥ ⅙ de Django nu | > 10 × bakerydemo | CPU gunicorn par requête |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, path, result, in_site_rps in rows:
        _status, queries, size = facts[path]
        against_bakerydemo = "non mesuré" if bakerydemo_floor is None else met(result["rps"] > bakerydemo_floor)
        lines.append(
            f"| {name} | `{path}` | {queries} | {size / 1024:.1f} | {result['rps']:.0f} | {base.ms(result['p50'])} "
            f"| {base.ms(result['p99'])} | {len(result['errors'])} | {result['rps'] / bare_rps:.1%} "
            f"| {result['rps'] / in_site_rps:.0%} | {met(result['rps'] >= SIGNED_IN_SHARE * bare_rps)} "
            f"| {against_bakerydemo} | {base.ms(result['cost_ms'])} ms |"
        )
    return "\n".join(lines)


def met(condition):
    return "tenu" if condition else "**manqué**"


def budgets(args, rows, bare_rps, listings, growth, pages_count):
    """Issue 17's budgets this bench measures, each met or missed with its figure, or said to be unmeasured."""
    measured = f"sur {len(rows)}" + (f" (--only : {len(rows)} des {pages_count} pages)" if args.only else "")
    slowest = min(rows, key=lambda row: row[2]["rps"]) if rows else None
    slowest_text = f"la plus lente : {slowest[0]}, {slowest[2]['rps']:.0f} req/s" if slowest else "aucune page"
    floor = SIGNED_IN_SHARE * bare_rps
    lines = [
        base.budget_line(
            f"pages d'une personne connectée ≥ ⅙ de Django nu ({bare_rps:.0f} req/s, soit {floor:.0f})",
            bool(rows) and all(row[2]["rps"] >= floor for row in rows),
            f"{sum(row[2]['rps'] >= floor for row in rows)} page(s) {measured} ; {slowest_text}, "
            f"{slowest[2]['rps'] / bare_rps:.1%} de Django nu"
            if slowest
            else measured,
        )
    ]
    name = f"pages d'une personne connectée > {BAKERYDEMO_FACTOR} × les listes de bakerydemo"
    if listings:
        best, best_rps = best_listing(listings)
        above = BAKERYDEMO_FACTOR * best_rps
        lines.append(
            base.budget_line(
                f"{name} (la meilleure, {best} : {best_rps:.0f} req/s, soit > {above:.0f})",
                bool(rows) and all(row[2]["rps"] > above for row in rows),
                f"{sum(row[2]['rps'] > above for row in rows)} page(s) {measured} ; {slowest_text}",
            )
        )
    else:
        why = "bench/bakerydemo.py absent de cette copie" if bakerydemo is None else "--no-bakerydemo"
        lines.append(base.budget_line(name, None, f"bakerydemo n'a pas tourné dans ce passage : {why}"))
    name = (
        "listes /agenda/ et /echanges/ sans cache : temps de Python borné, qui ne croît pas avec les centres, "
        "catégories et mots-clés"
    )
    if growth is None:
        lines.append(base.budget_line(name, None, "--no-growth"))
    else:
        before, after, added, _details = growth
        figures = " ; ".join(
            f"{path} {before[path]:.0f} ms puis {after[path]:.0f} ms ({after[path] / before[path] - 1:+.0%})"
            for path in GROWTH_LISTINGS
        )
        lines.append(
            base.budget_line(
                f"{name} (± {GROWTH_TOLERANCE:.0%})",
                all(after[path] <= before[path] * (1 + GROWTH_TOLERANCE) for path in GROWTH_LISTINGS),
                f"ms de CPU par requête, un processus : {figures} ; {added}",
            )
        )
    return lines


def listings_python_ms(paths):
    """Median milliseconds of Python per request of each of `paths` for a visitor, uncached, in this process.

    Counted as this process's CPU time, not the wall clock: waiting for PostgreSQL, or for the cores other work
    holds on a shared machine, is not Python's time and must not read as growth.
    """
    from django.test import Client, override_settings

    client = Client(headers={"X-Forwarded-Proto": "https"})
    medians = {}
    with override_settings(PAGE_CACHE_SECONDS=0):
        for path in paths:
            for _ in range(2):  # the shared choices are written once per change of the site (core/forms.py)
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} répond {response.status_code} sans cache")
            rounds = []
            for _ in range(GROWTH_ROUNDS):
                started = time.process_time()
                for _ in range(GROWTH_REQUESTS):
                    client.get(path)
                rounds.append((time.process_time() - started) / GROWTH_REQUESTS * 1000)
            medians[path] = statistics.median(rounds)
    return medians


def filter_options():
    """How many choices each listing's filters offer a visitor: proof that the added rows are in what was timed."""
    from django.test import Client, override_settings

    client = Client(headers={"X-Forwarded-Proto": "https"})
    with override_settings(PAGE_CACHE_SECONDS=0):
        return {path: client.get(path).content.count(b"<option") for path in GROWTH_LISTINGS}


def listings_growth(centres):
    """The listings' Python time at the loaded volume, then with `centres` more centres and GROWTH_EXTRA more
    categories (agenda's and exchange's) and audience tags, all written in a transaction rolled back afterwards.

    Returns (before, after, what was added, the figures in full). "Before" is timed on both sides of the added
    rows and the slower kept, so that the machine's noise does not read as growth. The site's token is replaced
    around the added rows: their commit, which would replace it, never comes, and the shared choices must see them.
    """
    from django.db import transaction
    from taggit.models import Tag

    from agenda.models import AudienceTag, EventPage
    from agenda.models import Category as AgendaCategory
    from core import freshness
    from echanges.models import Category as ExchangeCategory
    from placette.volume import create_numbered_centres
    from quartier.models import CentrePage

    first = listings_python_ms(GROWTH_LISTINGS)
    options = [filter_options()]
    started = time.monotonic()
    with transaction.atomic():
        home = CentrePage.objects.live().first().get_parent()
        present = CentrePage.objects.live().count()
        create_numbered_centres(home, present + centres)
        event = EventPage.objects.live().first()
        for number in range(GROWTH_EXTRA):
            AgendaCategory.objects.create(name=f"Banc, activité {number}", slug=f"banc-activite-{number}")
            ExchangeCategory.objects.create(name=f"Banc, échange {number}", slug=f"banc-echange-{number}")
            tag = Tag.objects.create(name=f"banc public {number}", slug=f"banc-public-{number}")
            AudienceTag.objects.create(tag=tag, content_object=event)
        freshness.bump(freshness.SITE)
        total = CentrePage.objects.live().count()
        options.append(filter_options())
        after = listings_python_ms(GROWTH_LISTINGS)
        transaction.set_rollback(True)
    freshness.bump(freshness.SITE)
    second = listings_python_ms(GROWTH_LISTINGS)
    added = f"{present} puis {total} centres, + {GROWTH_EXTRA} catégories de chaque sorte et mots-clés « pour qui »"
    details = (
        f"{added}, écrits en {time.monotonic() - started:.0f} s puis annulés ; sans eux, avant et après : "
        + ", ".join(f"{path} {first[path]:.0f} et {second[path]:.0f} ms" for path in first)
        + " ; avec eux : "
        + ", ".join(f"{path} {after[path]:.0f} ms" for path in after)
        + " ; choix des filtres de ces listes : "
        + ", ".join(f"{path} {options[0][path]} puis {options[1][path]}" for path in GROWTH_LISTINGS)
    )
    before = {path: max(first[path], second[path]) for path in GROWTH_LISTINGS}
    return before, after, added, details


def main(argv=None):
    args = parse_args(argv)
    print(f"Banc HTTP des pages d'une personne connectée : {' '.join(sys.argv)}")
    print(
        f"{datetime.date.today().isoformat()}, {os.cpu_count()} cœurs, Python {platform.python_version()}, "
        f"base {args.database}, {args.workers} processus gunicorn, {args.clients} clients en "
        f"{args.client_processes} processus, {args.duration:.0f} s par mesure"
    )
    with open(args.log, "w") as log, tempfile.TemporaryDirectory(prefix="placette-bench-static-") as static_root:
        env = base.site_env(args, static_root)
        base.prepare(args, env, log, offers=args.offers)
        if args.bakerydemo:
            bakerydemo.ensure_installed(log=print)
        else:
            print(
                "bakerydemo ne tourne pas dans ce passage ("
                + ("bench/bakerydemo.py absent de cette copie" if bakerydemo is None else "--no-bakerydemo")
                + ") : le budget « plus de 10 × ses listes » ne sera pas mesuré."
            )
        if args.redis_url:
            base.flush_redis(args.redis_url)
        base.setup_django(env)
        import signed_in_profile

        person, pages = signed_in_profile.pages()
        pages_count = len(pages)
        if args.only:
            pages = [page for page in pages if args.only in page[0]]
        cookie, facts = sign_in(person, [*pages, ("référence", base.HELLO)])
        for _name, path in pages:
            if facts[path][0] != 200:
                raise SystemExit(f"{path} répond {facts[path][0]} à {person} : rien à mesurer (voir {args.log})")
        print(
            f"Connecté : {person} (cookies envoyés : {', '.join(part.split('=')[0] for part in cookie.split('; '))})"
        )
        rows, bare, in_site, signed_in, listings = run_pages(args, pages, cookie, env, log)
        bare_rps = sum(bare) / len(bare)
        floor = BAKERYDEMO_FACTOR * best_listing(listings)[1] if listings else None
        print()
        print(table(rows, facts, bare_rps, floor))
        print()
        print(
            f"Références : Django nu {' puis '.join(f'{value:.0f}' for value in bare)} req/s (moyenne "
            f"{bare_rps:.0f}) ; la même vue dans Placette, autour de chaque page : "
            f"{', '.join(f'{value:.0f}' for value in in_site)} req/s ; la même vue, connecté, avant et après les "
            f"pages : {' puis '.join(f'{value:.0f}' for value in signed_in)} req/s."
        )
        if listings:
            print(
                "bakerydemo dans le même passage : "
                + ", ".join(f"{name} ({path}) {result['rps']:.0f} req/s" for name, path, result in listings)
                + f" ; la meilleure sert de référence : > {floor:.0f} req/s."
            )
        growth = None
        if args.growth:
            print()
            print("Temps de CPU des listes sans cache, pour un visiteur (un processus, client de test de Django) :")
            growth = listings_growth(args.centres)
            print(f"  {growth[3]}")
        print()
        base.print_budgets(
            "pages d'une personne connectée (bench/signed_in_http.py)",
            budgets(args, rows, bare_rps, listings, growth, pages_count),
            args.budgets,
        )


if __name__ == "__main__":
    sys.exit(main())
