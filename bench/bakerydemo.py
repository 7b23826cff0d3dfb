"""wagtail/bakerydemo, Wagtail's own demo site, installed beside Placette and measured in the same run.

DESIGN.md's budgets compare Placette's listings with bakerydemo's "in the same benchmark run": absolute
figures move with whatever else the two cores do, so a reference measured another day says little. This
module gives the other benches a bakerydemo to start, and its command line measures it alone:

- `ensure_installed()` makes a copy outside the repository (`/tmp/placette-bakerydemo/`, or `BAKERYDEMO_DIR`):
  its source at the commit below, cloned from a local git copy (`BAKERYDEMO_GIT`: nothing is downloaded
  but PyPI's packages), a virtualenv of its own with its pinned production requirements
  (`requirements.txt`, as its Dockerfile installs them) plus gunicorn, its database migrated and its
  demo data loaded (`load_initial_data`), its static files collected. Each step leaves a mark, so a
  second call only checks;
- `start()` runs it as Placette's production runs itself (`platform/web.sh`: gunicorn, 2 sync workers),
  with bakerydemo's own production settings (DEBUG off, whitenoise);
- `LISTINGS` are its index pages, the ones DESIGN.md's "listings" mean.

The database is PostgreSQL (`bakerydemo_bench`), not the SQLite file of its local setup: its production
images (Dockerfile, docker-compose, Heroku) run on PostgreSQL, and Placette's benches measure on PostgreSQL
too, so both pay the same kind of database round trip. `BAKERYDEMO_DATABASE_URL` can name another one
(`sqlite:////tmp/bakerydemo.sqlite3` works). Its cache is the per-process memory one its production settings
fall back to without `REDIS_URL`: given one, they append `/0` and `/1`, the test suite's Redis databases.

Run `make bench-bakerydemo` (or `.venv/bin/python bench/bakerydemo.py`): it installs if needed, then
measures each listing's requests/s under load with `bench/agenda_http.py`'s machinery, between measures of
the bare Django hello world (`bench/hello_settings.py`) in a second gunicorn."""

import argparse
import concurrent.futures
import datetime
import glob
import hashlib
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import agenda_http as base
from common import create_postgres_database

# The commit measured: wagtail/bakerydemo's main of 2026-08-19 (Wagtail 7.4, Django 6.0). Pinned, so that
# two runs measure the same site; change it on purpose, and say so in docs/performance.md.
COMMIT = "8e2b625755d8942412d5b7627b146a795933b8b2"
DEFAULT_GIT = "/work/.mirror/wagtail+bakerydemo/repo"
DEFAULT_DIR = "/tmp/placette-bakerydemo"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bakerydemo_bench"
# Not in bakerydemo's requirements (it runs uwsgi): the same release as Placette's, so the servers compare.
GUNICORN = "gunicorn==23.0.0"
WORKERS = 2
# Django 6.0 needs Python 3.12 or later; bakerydemo's runtime.txt says 3.12.
PYTHONS = ("python3.12", "python3.13")
SETTINGS = "bakerydemo.settings.production"
# Its index pages, each listing children of one kind with their images: what DESIGN.md's "listings" are.
LISTINGS = [
    ("bakerydemo : le blog", "/blog/"),
    ("bakerydemo : les pains", "/breads/"),
    ("bakerydemo : les boulangeries", "/locations/"),
    ("bakerydemo : les recettes", "/recipes/"),
]


def directory():
    return Path(os.environ.get("BAKERYDEMO_DIR", DEFAULT_DIR))


def database_url():
    return os.environ.get("BAKERYDEMO_DATABASE_URL", DEFAULT_DATABASE_URL)


def source(root):
    return root / "src"


def venv_bin(root):
    return root / "venv" / "bin"


def environment(root):
    """bakerydemo's processes see only this: none of Placette's settings, Redis, cloud or search variables leak in."""
    return {
        "PATH": f"{venv_bin(root)}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "VIRTUAL_ENV": str(root / "venv"),
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DJANGO_SECRET_KEY": "bench-only-bakerydemo",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url(),
    }


def gunicorn_command(root, port):
    # As platform/web.sh runs Placette, on loopback; the access log goes to the log, as in Placette's benches.
    return [
        str(venv_bin(root) / "gunicorn"),
        "bakerydemo.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-tmp-dir",
        "/dev/shm",
        "--access-logfile",
        "-",
    ]


def find_python():
    """A Python bakerydemo's Django accepts: `BAKERYDEMO_PYTHON`, one on PATH, or one pyenv installed."""
    if os.environ.get("BAKERYDEMO_PYTHON"):
        return os.environ["BAKERYDEMO_PYTHON"]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [shutil.which(name) for name in PYTHONS]
    for name in PYTHONS:
        candidates += sorted(glob.glob(f"{pyenv}/{name.removeprefix('python')}*/bin/{name}"))
    for candidate in filter(None, candidates):
        # A pyenv shim is on PATH even when its version is not selected here: ask it to run.
        probe = subprocess.run([candidate, "-c", "import sys, venv; print(sys.executable)"], capture_output=True)
        if probe.returncode == 0:
            return probe.stdout.decode().strip()
    raise SystemExit(
        "bakerydemo demande Python 3.12 ou plus récent, introuvable ici : installez-le, ou donnez son chemin "
        "dans BAKERYDEMO_PYTHON."
    )


def run(command, *, cwd, env, journal, what):
    """One install command, its output kept in the install's journal; a failure shows its end."""
    journal.write(f"\n=== {' '.join(str(part) for part in command)} ===\n")
    journal.flush()
    result = subprocess.run(command, cwd=cwd, env=env, stdout=journal, stderr=subprocess.STDOUT, check=False)
    if result.returncode:
        journal.flush()
        tail = Path(journal.name).read_text(errors="replace")[-3000:]
        raise SystemExit(f"{what} a échoué (journal complet : {journal.name}) :\n{tail}")


def requirements_digest(src):
    files = sorted([src / "requirements.txt", *(src / "requirements").glob("*.txt")])
    return hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()[:16]


def step(root, name, fingerprint, action, log, announce):
    """Run `action` unless its mark holds `fingerprint`; a step's fingerprint includes the ones before it,
    so redoing a step redoes those after it. Returns the fingerprint for the next step."""
    mark = root / f"{name}.fait"
    if mark.exists() and mark.read_text() == fingerprint:
        return fingerprint
    log(announce)
    started = time.monotonic()
    mark.unlink(missing_ok=True)
    action()
    mark.write_text(fingerprint)
    log(f"  fait en {time.monotonic() - started:.0f} s")
    return fingerprint


def reset_database(url):
    """An empty database: a load that stopped halfway is not finished by loading again on top of it."""
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        import psycopg2
        from psycopg2 import sql

        name = parts.path.strip("/")
        connection = psycopg2.connect(parts._replace(path="/postgres").geturl())
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.close()
        create_postgres_database(url)
    elif parts.scheme == "sqlite":
        Path(parts.path.removeprefix("/")).unlink(missing_ok=True)


def database_has_pages(url):
    """The check a second call makes: the demo's pages are still in the database the marks speak of."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return Path(parts.path.removeprefix("/")).exists()
    import psycopg2

    try:
        connection = psycopg2.connect(url)
    except psycopg2.OperationalError:
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('wagtailcore_page') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT count(*) FROM wagtailcore_page")
            return cursor.fetchone()[0] > 1
    finally:
        connection.close()


def ensure_installed(log=print):
    """Make bakerydemo ready to start (source, virtualenv, database with its demo data, static files); returns
    its directory. The first call takes minutes and says what it does; later ones only check."""
    root = directory()
    root.mkdir(parents=True, exist_ok=True)
    src, url = source(root), database_url()
    if not database_has_pages(url):
        (root / "base.fait").unlink(missing_ok=True)
    started = time.monotonic()
    env = environment(root)
    python = venv_bin(root) / "python"
    with open(root / "installation.log", "a") as journal:

        def clone():
            git = os.environ.get("BAKERYDEMO_GIT", DEFAULT_GIT)
            if not Path(git).exists():
                raise SystemExit(
                    f"Pas de copie git de wagtail/bakerydemo dans {git} : donnez-en une dans BAKERYDEMO_GIT "
                    "(ce banc ne télécharge rien d'autre que les paquets de PyPI)."
                )
            shutil.rmtree(src, ignore_errors=True)
            run(
                ["git", "clone", "--quiet", "--no-checkout", git, src],
                cwd=root,
                env=None,
                journal=journal,
                what="git clone",
            )
            run(["git", "checkout", "--quiet", COMMIT], cwd=src, env=None, journal=journal, what="git checkout")

        def virtualenv():
            shutil.rmtree(root / "venv", ignore_errors=True)
            run([find_python(), "-m", "venv", root / "venv"], cwd=root, env=None, journal=journal, what="venv")
            run(
                [python, "-m", "pip", "install", "--no-input", "-r", "requirements.txt", GUNICORN],
                cwd=src,
                env=env,
                journal=journal,
                what="pip install",
            )

        def load():
            reset_database(url)
            run([python, "manage.py", "migrate", "--noinput"], cwd=src, env=env, journal=journal, what="migrate")
            run(
                [python, "manage.py", "load_initial_data"], cwd=src, env=env, journal=journal, what="load_initial_data"
            )

        def collect():
            run(
                [python, "manage.py", "collectstatic", "--noinput"],
                cwd=src,
                env=env,
                journal=journal,
                what="collectstatic",
            )

        done = step(
            root, "source", COMMIT, clone, log, f"bakerydemo : copie de la source au commit {COMMIT[:12]} dans {src}"
        )
        digest = requirements_digest(src)
        done = step(
            root,
            "venv",
            f"{done} {digest} {GUNICORN}",
            virtualenv,
            log,
            "bakerydemo : virtualenv et paquets de requirements.txt depuis PyPI (quelques minutes)",
        )
        done = step(
            root,
            "base",
            f"{done} {url}",
            load,
            log,
            "bakerydemo : migrations et données de démonstration (load_initial_data)",
        )
        step(root, "statiques", done, collect, log, "bakerydemo : fichiers statiques (collectstatic)")
    elapsed = time.monotonic() - started
    if elapsed > 5:
        log(f"bakerydemo installé en {elapsed:.0f} s dans {root} (journal : {root / 'installation.log'})")
    return root


def start(port, log_path):
    """bakerydemo under gunicorn on 127.0.0.1:`port`, answering once this returns; its output goes to `log_path`.
    The caller stops it (terminate(), then wait())."""
    root = directory()
    if not (root / "statiques.fait").exists():
        raise SystemExit(f"bakerydemo n'est pas installé dans {root} : appelez d'abord ensure_installed().")
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            gunicorn_command(root, port), cwd=source(root), env=environment(root), stdout=log, stderr=subprocess.STDOUT
        )
    base.wait_for_port(port, process)
    return process


def parse_args():
    parser = argparse.ArgumentParser(
        description="Installe wagtail/bakerydemo si besoin et mesure ses listes à côté de Django nu (gunicorn)."
    )
    parser.add_argument("--clients", type=int, default=16, help="requêtes en parallèle")
    parser.add_argument("--client-processes", type=int, default=4, help="processus qui portent les clients")
    parser.add_argument("--duration", type=float, default=10, help="secondes de mesure par page")
    parser.add_argument("--warmup", type=float, default=2, help="secondes d'échauffement non comptées par page")
    parser.add_argument("--log", default="/tmp/placette-bench-bakerydemo.log", help="journal des deux gunicorn")
    args = parser.parse_args()
    if args.clients < args.client_processes:
        parser.error("--clients : au moins autant que --client-processes")
    # start_gunicorn() reads it for the bare project, started as bakerydemo is.
    args.workers = WORKERS
    return args


def first_answers(port):
    """Each listing asked once before any measure: its images' renditions are made on the first visit."""
    for name, path in LISTINGS:
        status, _head, size = base.fetch(port, base.request_bytes(port, path))
        if status != 200:
            raise SystemExit(f"{name} ({path}) répond {status} : rien à mesurer")
        print(f"  {path} : {size / 1024:.0f} Ko de HTML")


def measure_all(args, log):
    """The bare hello world before, between and after the listings, all in one run; returns both lists."""
    ports = {"bakerydemo": base.free_port(), "bare": base.free_port()}
    bare_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.hello_settings", "PYTHONPATH": str(base.ROOT)}
    processes = {"bare": base.start_gunicorn(args, bare_env, ports["bare"], log)}
    try:
        processes["bakerydemo"] = start(ports["bakerydemo"], args.log)
        base.wait_for_port(ports["bare"], processes["bare"])
        pids = {
            name: base.server_pids(process.pid, WORKERS if name == "bakerydemo" else args.workers)
            for name, process in processes.items()
        }
        first_answers(ports["bakerydemo"])
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(args.client_processes, mp_context=context) as pool:

            def measured(label, server, path):
                base.measure(args, pool, ports[server], path, pids[server], args.warmup)
                result = base.measure(args, pool, ports[server], path, pids[server], args.duration)
                base.report(label, result, page_cache=False)
                return result

            bare = [measured("référence : Django nu (projet minimal)", "bare", base.HELLO)]
            listings = []
            for name, path in LISTINGS:
                listings.append((name, path, measured(name, "bakerydemo", path)))
                bare.append(measured("référence : Django nu (projet minimal)", "bare", base.HELLO))
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return listings, bare


def table(listings, bare):
    lines = [
        "| page | adresse | req/s | p50 ms | p99 ms | erreurs | CPU gunicorn par requête | Django nu autour, req/s "
        "| part de Django nu |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for index, (name, path, result) in enumerate(listings):
        # The bare view measured just before and just after this page: its neighbours in time.
        around = (bare[index]["rps"] + bare[index + 1]["rps"]) / 2
        lines.append(
            f"| {name} | `{path}` | {result['rps']:.0f} | {base.ms(result['p50'])} | {base.ms(result['p99'])} "
            f"| {len(result['errors'])} | {base.ms(result['cost_ms'])} ms | {around:.0f} "
            f"| {result['rps'] / around:.1%} |"
        )
    return "\n".join(lines)


def main():
    args = parse_args()
    print(f"Banc de bakerydemo : {' '.join(sys.argv)}")
    ensure_installed()
    print(
        f"{datetime.date.today().isoformat()}, {os.cpu_count()} cœurs, Python {platform.python_version()} "
        f"(clients), bakerydemo au commit {COMMIT[:12]} sur {urlsplit(database_url()).scheme}, {WORKERS} processus "
        f"gunicorn, {args.clients} clients en {args.client_processes} processus, {args.duration:.0f} s par mesure"
    )
    with open(args.log, "w") as log:
        listings, bare = measure_all(args, log)
    print()
    print(table(listings, bare))
    print()
    average = sum(result["rps"] for _name, _path, result in listings) / len(listings)
    bare_rps = [result["rps"] for result in bare]
    print(
        f"bakerydemo, moyenne de ses listes : {average:.0f} req/s (de {min(r['rps'] for *_, r in listings):.0f} à "
        f"{max(r['rps'] for *_, r in listings):.0f}) ; Django nu dans le même passage : "
        f"{' puis '.join(f'{value:.0f}' for value in bare_rps)} req/s (moyenne {sum(bare_rps) / len(bare_rps):.0f})."
    )


if __name__ == "__main__":
    main()
