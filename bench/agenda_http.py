"""HTTP benchmark of the agenda's public pages at the budget's volume, against hello-world views in the same run.

It loads DESIGN.md's volume into its own database (`manage.py demo --centres 100 --occurrences 20000`; a
second run finds the data there and adds nothing), collects the static files as the production image does,
then starts gunicorn as production runs it (`platform/web.sh`: 2 sync workers, DEBUG off, Redis cache) on a
free loopback port, with `bench/agenda_settings.py`, whose URLconf adds a hello-world view to the site.

For each page, N clients (threads spread over a few processes, plain sockets: no wrk or locust here) send
GET requests as fast as the answers come, for a fixed time; each request opens its own connection, as
gunicorn's sync workers close it after every answer. It reports requests/s, the median and 99th
percentile latency, and DESIGN.md's budgets:

- the agenda listings at least 10 × bakerydemo's listings (46–68 requests/s on this machine), so 680/s;
- every anonymous page at least a third of a bare Django hello world's throughput.

Two references are measured in the same run, since absolute figures move with what else the two cores do:
the bare hello world of DESIGN.md (a project with no app and no middleware, `bench/hello_settings.py`, in
a second gunicorn), at the start and at the end; and the same view inside Placette (its settings and
middleware), before and after each page, so that a page is compared with its neighbours in time.

A last phase, "visitors' pages under steady writes" (`--writes 0,1,5`), loads a mix of what visitors without
cookies ask across the network (each centre's page and three of its activities, 80 %; /agenda/ and the home
page, 20 %) while `bench/steady_writer.py`, with the gunicorn's settings, database and cache, makes real
registrations through `agenda.services.register()` at 0, 1 then 5 a second, spread over the centres, and a
message a second (`--messages`). The bench's settings mark each answer the page cache served
(`bench/page_cache_header.py`), so the phase reports the share served from the cache, per kind of page, beside
requests/s, latency and the budget of a third of the bare hello world. Before each rate every page of the mix
is asked twice, so that each rate starts from a warm cache.

Each page's SQL queries are counted once in this process (Django's test client, same settings);
`--profile DIR` also times each page in this process, writes a cProfile of it there and prints where
the time goes.

Run it with `make bench-agenda` (or `make bench`); `--help` lists the options. It writes to its own
PostgreSQL database (`placette_bench`) or SQLite file, to /tmp, and flushes the Redis database it is given
(9 by default), nothing else."""

import argparse
import collections
import concurrent.futures
import cProfile
import datetime
import itertools
import json
import math
import multiprocessing
import os
import platform
import pstats
import random
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from common import create_postgres_database, database_url
from page_cache_header import HEADER

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The hello-world view of bench/hello_urls.py, in both projects.
HELLO = "/banc/bonjour/"
# DESIGN.md: bakerydemo's listings served 46–68 requests/s here; ours must serve ten times that.
BAKERYDEMO_LISTING_RPS = 68
LISTING_FACTOR = 10
HELLO_SHARE = 1 / 3
# Tests use Redis databases 0 to 3 at the same time; the benchmark flushes its own, so never one of those.
SHARED_REDIS_DATABASES = {0, 1, 2, 3}
# How an answer says the page cache served it (bench/page_cache_header.py); heads are compared in lower case.
SERVED_FROM_CACHE = f"{HEADER}: servie".lower().encode()
ALL_KINDS = "toutes"
BUDGETS_HELP = "ajoute le bloc « Budgets » de ce banc à ce fichier (make bench les affiche tous à la fin)"
# The visitors' mix under steady writes: pages about one centre (its page, some of its activities), the lists.
MIX_CENTRE_SHARE = 0.8
MIX_LISTINGS = ["/agenda/", "/"]
MIX_ACTIVITIES_PER_CENTRE = 3
MIX_CENTRE_KIND = "pages d'un centre"
MIX_LISTING_KIND = "listes"


def common_parser(description, *, sqlite_path="/tmp/placette-bench-agenda.sqlite3"):
    """The options every HTTP bench of Placette takes: database, volume, gunicorn and clients."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/placette_bench")
    parser.add_argument("--sqlite-path", default=sqlite_path)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="cache, vidé au départ ; '' : aucun")
    parser.add_argument("--media-root", default="/tmp/placette-bench-media", help="images de la démonstration")
    parser.add_argument("--centres", type=int, default=100)
    parser.add_argument("--occurrences", type=int, default=20_000)
    parser.add_argument("--skip-load", action="store_true", help="ne pas recharger le volume (manage.py demo)")
    parser.add_argument("--workers", type=int, default=2, help="processus gunicorn (2 en production)")
    # Measured here: one process drives about 500 requests/s whatever its threads (the GIL); four reach the
    # bare project's ceiling with 16 clients, more only take CPU from the server.
    parser.add_argument("--clients", type=int, default=16, help="requêtes en parallèle")
    parser.add_argument("--client-processes", type=int, default=4, help="processus qui portent les clients")
    parser.add_argument("--duration", type=float, default=10, help="secondes de mesure par page")
    parser.add_argument("--warmup", type=float, default=2, help="secondes d'échauffement non comptées par page")
    return parser


def check_common(parser, args):
    """Refuse what would flush the tests' Redis databases or leave a client process without a client."""
    redis_database = urlsplit(args.redis_url).path.strip("/")
    if args.redis_url and (not redis_database.isdigit() or int(redis_database) in SHARED_REDIS_DATABASES):
        parser.error("--redis-url : donnez une base à part (pas 0 à 3, qui servent aux tests), elle sera vidée")
    if args.clients < args.client_processes:
        parser.error("--clients : au moins autant que --client-processes")
    return args


def parse_args():
    parser = common_parser("Banc d'essai HTTP de l'agenda (gunicorn, boucle locale).")
    parser.add_argument("--only", help="ne mesurer que les pages dont le nom contient ce texte")
    parser.add_argument(
        "--writes",
        type=write_rates,
        default="0,1,5",
        help="inscriptions par seconde de la phase « pages des visiteurs sous écritures », une mesure par "
        "rythme (défaut : 0,1,5) ; '' : pas de cette phase",
    )
    parser.add_argument("--messages", type=float, default=1, help="messages par seconde pendant les écritures")
    parser.add_argument("--profile", metavar="DOSSIER", help="profil cProfile de chaque page, gardé là")
    parser.add_argument("--log", default="/tmp/placette-bench-gunicorn.log", help="journal de gunicorn")
    parser.add_argument("--budgets", metavar="FICHIER", help=BUDGETS_HELP)
    return check_common(parser, parser.parse_args())


def write_rates(text):
    try:
        rates = [float(rate) for rate in text.split(",") if rate.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("des nombres séparés par des virgules, comme 0,1,5") from None
    if any(rate < 0 for rate in rates):
        raise argparse.ArgumentTypeError("des rythmes positifs ou nuls")
    return rates


def site_env(args, static_root):
    """The environment of every Django process here: production's settings, the bench's database and folders."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.agenda_settings",
        DATABASE_URL=database_url(args),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        MEDIA_ROOT=args.media_root,
        STATIC_ROOT=static_root,
        PYTHONPATH=str(ROOT),
    )
    env.pop("MFA_TOTP_INSECURE_BYPASS_CODE", None)
    env.pop("REDIS_URL", None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


def manage(env, *arguments, log=None):
    """Run `manage.py` in its own process; returns its output, also logged."""
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    command = " ".join(["manage.py", *arguments])
    if log is not None:
        log.write(f"\n=== {command} ===\n{result.stdout}{result.stderr}")
        log.flush()
    if result.returncode:
        raise SystemExit(f"{command} a échoué :\n{result.stderr[-3000:]}")
    return result.stdout


def prepare(args, env, log, offers=0):
    """Migrate, load the budget's volume (a second run adds nothing), collect the static files.

    `offers`: the exchange's volume too (`manage.py demo --offers`), which the agenda's pages do not need."""
    if args.database == "postgres":
        create_postgres_database(args.postgres_url)
    Path(args.media_root).mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    manage(env, "migrate", "--noinput", log=log)
    if not args.skip_load:
        volume = ["--centres", str(args.centres), "--occurrences", str(args.occurrences)]
        shown = ("Centres numérotés", "Dates à venir", "Agenda")
        if offers:
            volume += ["--offers", str(offers)]
            shown += ("Échanges", "Annonces générées")
        output = manage(env, "demo", *volume, log=log)
        for line in output.splitlines():
            if line.startswith(shown):
                print(f"  {line}")
    manage(env, "collectstatic", "--noinput", log=log)
    print(f"Base prête en {time.monotonic() - started:.0f} s.")


def flush_redis(url):
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def setup_django(env):
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "MEDIA_ROOT", "STATIC_ROOT"):
        os.environ[key] = env[key]
    # The test client of query counts and profiles calls itself "testserver".
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ.pop("REDIS_URL", None)
    if "REDIS_URL" in env:
        os.environ["REDIS_URL"] = env["REDIS_URL"]
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pages_to_measure():
    """(name, path, is a listing) for each page measured, read from the loaded data."""
    from agenda.models import EventPage
    from quartier.models import CentrePage

    # A demo centre: its own programme and its share of the generated load.
    centre = CentrePage.objects.live().get(slug="centre-social-belencontre")
    event = EventPage.objects.live().child_of(centre).get(slug="premiers-pas-sur-le-telephone")
    return [
        ("agenda du réseau", "/agenda/", True),
        ("agenda filtré : atelier numérique, gratuit", "/agenda/?category=atelier-numerique&free=on", True),
        ("agenda filtré : cette semaine, places libres", "/agenda/?period=week&seats=on", True),
        (f"page d'une activité ({event.title})", event.get_url(), False),
        (f"page d'un centre ({centre.title})", centre.get_url(), False),
    ]


def visitors_mix(seed=17):
    """[(kind, path, weight)]: each centre's page and a few of its activities (80 %), the lists (20 %).

    The same draw every run (`seed`), so that runs compare; restricted activities are left out, as visitors
    cannot see them.
    """
    from agenda.models import EventPage
    from quartier.models import CentrePage

    draw = random.Random(seed)
    about_centre = []
    for centre in CentrePage.objects.live().public().order_by("pk"):
        about_centre.append(centre.get_url())
        activities = list(EventPage.objects.live().public().child_of(centre).order_by("pk"))
        picked = draw.sample(activities, min(MIX_ACTIVITIES_PER_CENTRE, len(activities)))
        about_centre += [activity.get_url() for activity in picked]
    listing_weight = (1 - MIX_CENTRE_SHARE) / len(MIX_LISTINGS)
    return [
        *((MIX_CENTRE_KIND, path, MIX_CENTRE_SHARE / len(about_centre)) for path in about_centre),
        *((MIX_LISTING_KIND, path, listing_weight) for path in MIX_LISTINGS),
    ]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(args, env, port, log):
    # As platform/web.sh, but on loopback and with the bench's settings; the access log goes to the bench's log.
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "placette.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-tmp-dir",
            "/dev/shm",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(processes):
    """Stop the servers this bench started: all asked at once, then each given 15 s before it is killed."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_port(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn s'est arrêté au démarrage (voir son journal)")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn ne répond pas")


def request_bytes(port, path, cookie=None):
    """A GET as a browser behind the proxy sends it; `cookie`: the Cookie header of a signed-in person."""
    # Caddy terminates TLS in production and says so in this header; without it the site redirects to HTTPS.
    cookie_line = f"Cookie: {cookie}\r\n" if cookie else ""
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Forwarded-Proto: https\r\n{cookie_line}"
        "User-Agent: placette-bench\r\nConnection: close\r\n\r\n"
    ).encode()


def fetch(port, payload):
    """One request on its own connection; returns (status, head, body size)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(payload)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head[9:12]), head, len(body)


def client_process(port, pages, threads, start_at, duration, cookie=None):
    """Run `threads` clients from `start_at` (wall clock) for `duration` s, each request with `cookie` if given.

    `pages` is one path, or a mix of visitors' pages, [(kind, path, weight)], each request drawn at random.
    Returns latencies, errors, CPU, and per kind of page the answers and how many the page cache served.
    """
    mix = [("page", pages, 1)] if isinstance(pages, str) else pages
    kinds = [kind for kind, _path, _weight in mix]
    payloads = [request_bytes(port, path, cookie) for _kind, path, _weight in mix]
    cumulative = list(itertools.accumulate(weight for _kind, _path, weight in mix))
    end_at = start_at + duration
    latencies, errors = [], []
    served = collections.defaultdict(lambda: [0, 0])
    lock = threading.Lock()

    def client():
        mine, failed, counts = [], [], collections.defaultdict(lambda: [0, 0])
        draw = random.Random()
        time.sleep(max(0.0, start_at - time.time()))
        while True:
            index = draw.choices(range(len(mix)), cum_weights=cumulative)[0] if len(mix) > 1 else 0
            sent = time.time()
            if sent >= end_at:
                break
            try:
                status, head, _size = fetch(port, payloads[index])
            except OSError as error:
                failed.append(repr(error))
                continue
            received = time.time()
            if received > end_at:
                break
            if status != 200:
                failed.append(f"HTTP {status}")
            else:
                mine.append(received - sent)
                counts[kinds[index]][0] += 1
                counts[kinds[index]][1] += SERVED_FROM_CACHE in head.lower()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)
            for kind, (answered, from_cache) in counts.items():
                served[kind][0] += answered
                served[kind][1] += from_cache

    cpu = resource.getrusage(resource.RUSAGE_SELF)
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    after = resource.getrusage(resource.RUSAGE_SELF)
    used = after.ru_utime - cpu.ru_utime + after.ru_stime - cpu.ru_stime
    return latencies, errors, used, dict(served)


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    # utime and stime, fields 14 and 15 of proc(5), counted from the one after the command name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pids(master, workers, timeout=60):
    """The master's and its workers' pids, once all are forked: gunicorn listens before it forks them, so an open
    port does not mean they are there, and the CPU of a worker missing here would not be counted."""
    deadline = time.monotonic() + timeout
    while True:
        with open(f"/proc/{master}/task/{master}/children") as children:
            pids = [master, *(int(pid) for pid in children.read().split())]
        if len(pids) >= 1 + workers:
            return pids
        if time.monotonic() > deadline:
            raise SystemExit("gunicorn n'a pas démarré tous ses processus (voir son journal)")
        time.sleep(0.1)


def machine_busy_seconds():
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    # Everything but idle and iowait, summed over all cores.
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values, share):
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def measure(args, pool, port, path, pids, duration, cookie=None):
    """Load `path` (or a mix, see client_process) with the clients for `duration` s, as `cookie`'s owner if given.

    Returns requests/s, latencies, errors, CPU shares, and per kind of page the share the page cache served.

    CPU is counted for gunicorn's processes, for the clients, and for the rest of the machine: PostgreSQL
    and Redis, but also other people's work, so a high rest makes the figures pessimistic. PostgreSQL's
    own share is not told apart: its parallel workers and the connections Django renews (CONN_MAX_AGE)
    come and go during a measure. `--profile` shows the time a page waits for the database.
    """
    per_process = [args.clients // args.client_processes] * args.client_processes
    for index in range(args.clients % args.client_processes):
        per_process[index] += 1
    start_at = time.time() + 0.5
    server_before = sum(cpu_seconds(pid) for pid in pids)
    busy_before = machine_busy_seconds()
    futures = [pool.submit(client_process, port, path, threads, start_at, duration, cookie) for threads in per_process]
    results = [future.result(timeout=duration + 120) for future in futures]
    wall = time.time() - start_at
    server = (sum(cpu_seconds(pid) for pid in pids) - server_before) / wall
    latencies = sorted(latency for result in results for latency in result[0])
    errors = [error for result in results for error in result[1]]
    client = sum(result[2] for result in results) / wall
    rest = max((machine_busy_seconds() - busy_before) / wall - server - client, 0.0)
    rps = len(latencies) / duration
    served = collections.defaultdict(lambda: [0, 0])
    for result in results:
        for kind, (answered, from_cache) in result[3].items():
            served[kind][0] += answered
            served[kind][1] += from_cache
    total = [sum(counts[0] for counts in served.values()), sum(counts[1] for counts in served.values())]
    return {
        "rps": rps,
        "count": len(latencies),
        "p50": percentile(latencies, 0.5) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "errors": errors,
        "cpu": (server, client, rest),
        # What one request costs gunicorn: steadier than requests/s when other work shares the cores.
        "cost_ms": server * 1000 / rps if rps else math.nan,
        # Per kind of page, and for all ("toutes"): the share the page cache served (bench/page_cache_header.py).
        "from_cache": {
            kind: from_cache / answered
            for kind, (answered, from_cache) in {**served, ALL_KINDS: total}.items()
            if answered
        },
    }


def count_queries(pages, client=None):
    """SQL queries and size of each page, asked once through Django's test client (same settings, DEBUG off).

    `client`: one already signed in, for a person's pages; a visitor's by default."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = client or Client(headers={"X-Forwarded-Proto": "https"})
    facts = {}
    for _name, path, _listing in pages:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        facts[path] = (response.status_code, len(queries), len(response.content))
    return facts


PROFILE_GROUPS = {
    "gabarits": ("django/template/", "django/forms/"),
    "SQL": ("django/db/backends/", "psycopg2", "sqlite3"),
    "ORM": ("django/db/models/",),
    "Wagtail": ("wagtail/", "modelcluster/", "treebeard/"),
    # Redis is the only socket a page opens.
    "cache": ("django/core/cache/", "redis/", "_socket"),
    "middlewares": ("django/middleware/", "whitenoise/", "csp/", "allauth/", "accounts/middleware"),
}
PLAIN_REQUESTS = 20
OUR_CODE = tuple(f"/{app}/" for app in ("agenda", "quartier", "home", "notifications", "accounts", "placette"))


def profile_page(path, directory, requests=200, seconds=30):
    """Where a page's time goes in one process: time and SQL per request, then a cProfile, saved and summed up."""
    from django.db import connection
    from django.test import Client

    client = Client(headers={"X-Forwarded-Proto": "https"})
    client.get(path)
    sql = {"seconds": 0.0, "queries": 0}

    def timed(execute, sql_text, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql["seconds"] += time.perf_counter() - started
            sql["queries"] += 1

    # Without the profiler first: its overhead falls on Python calls, not on the database.
    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        for _ in range(PLAIN_REQUESTS):
            client.get(path)
    plain = PLAIN_REQUESTS
    plain_ms = (time.perf_counter() - started) / plain * 1000
    print(
        f"  {path} : {plain_ms:.1f} ms par requête dans un seul processus, dont {sql['queries'] / plain:.0f} "
        f"requêtes SQL qui attendent la base {sql['seconds'] / plain * 1000:.1f} ms"
    )
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    done = 0
    while done < requests and time.perf_counter() - started < seconds:
        client.get(path)
        done += 1
    profiler.disable()
    name = "".join(character if character.isalnum() else "-" for character in path).strip("-") or "racine"
    target = Path(directory) / f"{name}.pstats"
    profiler.dump_stats(target)
    stats = pstats.Stats(profiler).stats
    shares = dict.fromkeys([*PROFILE_GROUPS, "Python (appelé par les autres)"], 0.0)
    for (filename, _line, function), (_calls, _primitive, own, _cumulative, _callers) in stats.items():
        # C functions have no file: their name says whose they are ("method 'execute' of 'psycopg2…'").
        where = function if filename == "~" else filename
        group = next(
            (group for group, marks in PROFILE_GROUPS.items() if any(m in where for m in marks)),
            "Python (appelé par les autres)",
        )
        shares[group] += own
    profiled = sum(shares.values())
    print(
        "    temps propre (profileur) : "
        + ", ".join(
            f"{group} {own / profiled:.0%}" for group, own in sorted(shares.items(), key=lambda item: -item[1])
        )
    )
    ours = sorted(
        (
            (cumulative, f"{filename.split('/work/main/')[-1]}:{line} {function}")
            for (filename, line, function), (_calls, _primitive, _own, cumulative, _callers) in stats.items()
            if any(mark in filename for mark in OUR_CODE) and "middleware" not in filename
        ),
        reverse=True,
    )[:5]
    print(
        "    notre code le plus lourd (cumulé, profileur compris) : "
        + " ; ".join(f"{where} {cumulative / done * 1000:.0f} ms" for cumulative, where in ours)
    )
    print(f"    profil complet de {done} requêtes : {target} (python -m pstats)")


def budget_line(name, met, figure):
    """One budget of issue 17 as the final summary says it: met or missed with its figure; `met` None: not measured."""
    state = "non mesuré" if met is None else "tenu" if met else "manqué"
    return f"- {name} : {state} ({figure})"


def print_budgets(title, lines, path=None):
    """Print a bench's "Budgets" block; with `path`, also append it there for `make bench`'s final summary."""
    block = "\n".join([f"Budgets — {title} :", *lines])
    print(block)
    if path:
        with open(path, "a") as summary:
            summary.write(f"{block}\n\n")


def writes_budgets(rows, bare_rps, messages):
    """Issue 17's budgets under steady writes: visitors' pages per rate measured, and what the writes staled."""
    floor = HELLO_SHARE * bare_rps
    if not rows:
        return [budget_line("pages des visiteurs sous écritures ≥ ⅓ de Django nu", None, "--writes ''")]
    lines = [
        budget_line(
            f"pages des visiteurs sous {rate:g} inscription(s)/s"
            + (f" et {messages:g} message(s)/s" if rate and messages else "")
            + f" ≥ ⅓ de Django nu ({floor:.0f} req/s)",
            result["rps"] >= floor,
            f"{result['rps']:.0f} req/s, {result['rps'] / bare_rps:.0%} de Django nu, "
            f"{result['from_cache'].get(ALL_KINDS, 0):.0%} servies par le cache",
        )
        for rate, result, _writes in rows
    ]
    # The writer counts the tokens each commit replaced: the site's would empty every centre's pages.
    scopes = [writes["scopes"] for _rate, _result, writes in rows if writes]
    name = "une écriture dans un centre laisse les pages des autres centres en cache"
    if scopes:
        site = sum(scope.get("site", 0) for scope in scopes)
        figure = (
            f"jetons remplacés : {sum(scope.get('centre', 0) for scope in scopes)} d'un centre, "
            f"{sum(scope.get('centres', 0) for scope in scopes)} des listes, {site} du site entier"
        )
        lines.append(budget_line(name, site == 0, figure))
    else:
        lines.append(budget_line(name, None, "aucun rythme d'écriture non nul"))
    return lines


def ms(value):
    return "—" if math.isnan(value) else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def verdict(result, listing, bare_rps):
    parts = [f"⅓ Django nu : {'tenu' if result['rps'] >= HELLO_SHARE * bare_rps else 'manqué'}"]
    if listing:
        floor = LISTING_FACTOR * BAKERYDEMO_LISTING_RPS
        parts.append(f"≥ {floor}/s : {'tenu' if result['rps'] >= floor else 'manqué'}")
    return " ; ".join(parts)


def served_shares(result):
    shares = result["from_cache"]
    parts = [f"{kind} {share:.0%}" for kind, share in shares.items() if kind != ALL_KINDS]
    details = f" ({', '.join(parts)})" if len(parts) > 1 else ""
    return f"servies par le cache {shares.get(ALL_KINDS, 0):.0%}{details}"


def writes_table(rows, bare_rps):
    lines = [
        f"| inscriptions/s | req/s | servies par le cache | dont {MIX_CENTRE_KIND} / {MIX_LISTING_KIND} | p50 ms "
        "| p99 ms | erreurs | Django nu req/s | part de Django nu | budget ⅓ Django nu | jetons remplacés : centre / "
        "listes / site |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rate, result, writes in rows:
        shares = result["from_cache"]
        scopes = writes["scopes"] if writes else {}
        lines.append(
            f"| {rate:g} | {result['rps']:.0f} | {shares.get(ALL_KINDS, 0):.0%} "
            f"| {shares.get(MIX_CENTRE_KIND, 0):.0%} / {shares.get(MIX_LISTING_KIND, 0):.0%} | {ms(result['p50'])} "
            f"| {ms(result['p99'])} | {len(result['errors'])} | {bare_rps:.0f} | {result['rps'] / bare_rps:.0%} "
            f"| {'tenu' if result['rps'] >= HELLO_SHARE * bare_rps else 'manqué'} "
            f"| {scopes.get('centre', 0)} / {scopes.get('centres', 0)} / {scopes.get('site', 0)} |"
        )
    return "\n".join(lines)


def table(rows, facts, bare_rps):
    lines = [
        "| page | adresse | SQL | HTML Ko | req/s | p50 ms | p99 ms | erreurs | part de Django nu | part de la vue "
        "dans Placette | budget | CPU gunicorn par requête | CPU gunicorn / client / reste |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, path, listing, result, in_site_rps in rows:
        _status, queries, size = facts[path]
        server, client, rest = result["cpu"]
        lines.append(
            f"| {name} | `{path}` | {queries} | {size / 1024:.1f} | {result['rps']:.0f} | {ms(result['p50'])} "
            f"| {ms(result['p99'])} | {len(result['errors'])} | {result['rps'] / bare_rps:.0%} "
            f"| {result['rps'] / in_site_rps:.0%} | {verdict(result, listing, bare_rps)} "
            f"| {ms(result['cost_ms'])} ms | {server:.0%} / {client:.0%} / {rest:.0%} |"
        )
    return "\n".join(lines)


def report(name, result, *, page_cache=True):
    """One line per measure; `page_cache`: the server has Placette's page cache, and says when it answered."""
    server, client, rest = result["cpu"]
    served = f"{served_shares(result)} ; " if page_cache else ""
    print(
        f"{name} : {result['rps']:.0f} req/s, p50 {ms(result['p50'])} ms, p99 {ms(result['p99'])} ms, "
        f"{len(result['errors'])} erreurs ; {served}{ms(result['cost_ms'])} ms de CPU gunicorn par requête ; "
        f"CPU gunicorn {server:.0%}, client {client:.0%}, reste {rest:.0%}"
    )
    for error in sorted(set(result["errors"]))[:3]:
        print(f"  erreur : {error}")


def start_writer(args, env, rate, duration, log):
    """bench/steady_writer.py, set up and waiting for its start; it writes `rate` registrations a second."""
    writer = subprocess.Popen(
        [
            sys.executable,
            "bench/steady_writer.py",
            "--rate",
            str(rate),
            "--messages",
            str(args.messages),
            "--duration",
            str(duration),
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    while (line := writer.stdout.readline()) and line.strip() != "prêt":
        pass
    if not line:
        writer.wait()
        raise SystemExit(f"bench/steady_writer.py s'est arrêté avant d'écrire (voir {args.log})")
    return writer


def prime(port, mix, threads=8):
    """Ask every page of the mix twice, as a site up for a while has: a page about one centre is shared from its
    second rendering on (placette/page_cache.py). Returns the seconds it took."""
    payloads = [request_bytes(port, path) for _kind, path, _weight in mix]
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(threads) as walkers:
        for _round in range(2):
            statuses = {status for status, _head, _size in walkers.map(lambda payload: fetch(port, payload), payloads)}
            if statuses != {200}:
                raise SystemExit(f"pages des visiteurs : réponses {sorted(statuses)}, pas seulement 200")
    return time.monotonic() - started


def run_writes(args, env, log, port, mix, measured_mix):
    """The visitors' mix at each write rate, from the writes' first second: one row per rate.

    Each rate starts from the same state, every page of the mix shared: the mix is primed just before. Pages
    also expire after PAGE_CACHE_SECONDS (60 s), longer than a measure: these figures show what writes cost.
    """
    rows = []
    for rate in args.writes:
        print(f"amorçage : les {len(mix)} adresses des visiteurs, deux fois chacune, en {prime(port, mix):.0f} s")
        label = f"pages des visiteurs sous {rate:g} inscription(s)/s" + (
            f" et {args.messages:g} message(s)/s" if rate and args.messages else ""
        )
        writer = None
        if rate:
            # Writing from just before the warm-up to just after the measure.
            writer = start_writer(args, env, rate, args.warmup + args.duration + 3, log)
            writer.stdin.write(f"{time.time() + 0.3}\n")
            writer.stdin.flush()
        result = measured_mix(label)
        writes = None
        if writer is not None:
            output, _ = writer.communicate(timeout=args.warmup + args.duration + 600)
            if writer.returncode:
                raise SystemExit(f"bench/steady_writer.py a échoué (voir {args.log})")
            writes = json.loads(output.strip().splitlines()[-1])
            log.write(f"\n=== écritures à {rate:g}/s ===\n{json.dumps(writes)}\n")
            print(f"  écritures : {describe_writes(writes)}")
        rows.append((rate, result, writes))
    return rows


def describe_writes(writes):
    outcomes, scopes = writes["outcomes"], writes["scopes"]
    latency = ", ".join(
        f"{name} p50 {writes['p50_ms'][kind]} ms p99 {writes['p99_ms'][kind]} ms"
        for kind, name in (("registration", "inscription"), ("message", "message"))
        if kind in writes["p50_ms"]
    )
    return (
        f"{outcomes.get('confirmed', 0)} inscription(s) confirmée(s), {outcomes.get('waitlisted', 0)} en liste "
        f"d'attente, {outcomes.get('refusée', 0)} refusée(s), {outcomes.get('message', 0)} message(s) ; jetons "
        f"remplacés : {scopes.get('centre', 0)} d'un centre, {scopes.get('centres', 0)} des listes, "
        f"{scopes.get('site', 0)} du site entier ; {latency} ; retard au plus {writes['late_s']} s ; "
        f"{writes['cancelled_after']} inscription(s) annulée(s) ensuite"
    )


def run_pages(args, pages, env, log, mix=None):
    """The bare project at both ends, each page between two measures of the view in Placette, then `mix` under writes.

    Returns the rows of the table, the bare project's throughputs, the view in Placette's and the writes' rows.
    """
    servers = {
        "site": (free_port(), env),
        "bare": (free_port(), {**env, "DJANGO_SETTINGS_MODULE": "bench.hello_settings"}),
    }
    processes = {name: start_gunicorn(args, server_env, port, log) for name, (port, server_env) in servers.items()}
    rows, bare, in_site, writes = [], [], [], []
    try:
        pids = {}
        for name, (port, _env) in servers.items():
            wait_for_port(port, processes[name])
            pids[name] = server_pids(processes[name].pid, args.workers)
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(args.client_processes, mp_context=context) as pool:

            def measured(label, server, path):
                port = servers[server][0]
                measure(args, pool, port, path, pids[server], args.warmup)
                result = measure(args, pool, port, path, pids[server], args.duration)
                report(label, result, page_cache=server == "site")
                return result

            def measured_mix(label):
                port = servers["site"][0]
                measure(args, pool, port, mix, pids["site"], args.warmup)
                result = measure(args, pool, port, mix, pids["site"], args.duration)
                report(label, result)
                return result

            bare.append(measured("référence : Django nu (projet minimal)", "bare", HELLO)["rps"])
            in_site.append(measured("référence : la même vue dans Placette", "site", HELLO)["rps"])
            for name, path, listing in pages:
                result = measured(name, "site", path)
                in_site.append(measured("référence : la même vue dans Placette", "site", HELLO)["rps"])
                rows.append((name, path, listing, result, (in_site[-2] + in_site[-1]) / 2))
            if mix:
                writes = run_writes(args, env, log, servers["site"][0], mix, measured_mix)
            bare.append(measured("référence : Django nu (projet minimal)", "bare", HELLO)["rps"])
    finally:
        stop(processes.values())
    return rows, bare, in_site, writes


def main():
    args = parse_args()
    print(f"Banc HTTP de l'agenda : {' '.join(sys.argv)}")
    print(
        f"{datetime.date.today().isoformat()}, {os.cpu_count()} cœurs, Python {platform.python_version()}, "
        f"base {args.database}, {args.workers} processus gunicorn, {args.clients} clients en "
        f"{args.client_processes} processus, {args.duration:.0f} s par mesure"
    )
    with open(args.log, "w") as log, tempfile.TemporaryDirectory(prefix="placette-bench-static-") as static_root:
        env = site_env(args, static_root)
        prepare(args, env, log)
        if args.redis_url:
            flush_redis(args.redis_url)
        setup_django(env)
        pages = pages_to_measure()
        if args.only:
            pages = [page for page in pages if args.only in page[0]]
        facts = count_queries([*pages, ("référence", HELLO, False)])
        for _name, path, _listing in pages:
            if facts[path][0] != 200:
                raise SystemExit(f"{path} répond {facts[path][0]} : rien à mesurer (voir {args.log})")
        mix = visitors_mix() if args.writes else None
        rows, bare, in_site, writes = run_pages(args, pages, env, log, mix)
        bare_rps = sum(bare) / len(bare)
        print()
        if rows:
            print(table(rows, facts, bare_rps))
            print()
        if writes:
            print(
                f"Pages des visiteurs sous écritures : {len(mix)} adresses, {MIX_CENTRE_SHARE:.0%} de pages d'un "
                f"centre ({MIX_ACTIVITIES_PER_CENTRE} activités et la page de chaque centre), le reste "
                f"{' et '.join(MIX_LISTINGS)} ; {args.messages:g} message(s)/s en plus des inscriptions :"
            )
            print(writes_table(writes, bare_rps))
            print()
        print(
            f"Références : Django nu {' puis '.join(f'{value:.0f}' for value in bare)} req/s (moyenne "
            f"{bare_rps:.0f}) ; la même vue dans Placette, autour de chaque page : "
            f"{', '.join(f'{value:.0f}' for value in in_site)} req/s. Budgets : listes ≥ {LISTING_FACTOR} × "
            f"{BAKERYDEMO_LISTING_RPS} = {LISTING_FACTOR * BAKERYDEMO_LISTING_RPS} req/s ; pages anonymes ≥ un tiers "
            f"de Django nu, soit {bare_rps * HELLO_SHARE:.0f} req/s."
        )
        if args.budgets:
            print()
            print_budgets(
                "pages des visiteurs sous écritures (bench/agenda_http.py)",
                writes_budgets(writes, bare_rps, args.messages),
                args.budgets,
            )
        if args.profile:
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            print()
            print("Où passe le temps (un processus, client de test de Django) :")
            for _name, path, _listing in pages:
                profile_page(path, args.profile)


if __name__ == "__main__":
    main()
