"""WebSocket fan-out benchmark: from a cause's commit to its receipt on N open sockets, on loopback.

For each channel layer (in-memory, Redis) and each number of sockets, it starts one daphne serving
`bench/fanout_asgi.py`, opens the sockets as signed-in people (one person each, every socket following
the same public centre topic), then measures two things DESIGN.md budgets at 1 000 sockets:

- a notification to one person (`notify()`, p99 under 100 ms), sent to random connected people on a
  fixed schedule;
- a public broadcast to every socket (`topics.broadcast()`, p99 under 150 ms), one at a time.

The reference, measured in the same run and interleaved with the app's sends, is a bare `group_send` of
the same message from daphne's event loop: no database, no transaction, no thread. It is the floor that
Channels and daphne give on this machine at that moment; the gap above it is what the app adds.

Options try what could help before the site changes: `--layers redis-pubsub` (channels-redis's pub/sub
layer) and `--processes 2` (sockets spread over two daphne, Redis layers only).

`--production-path` measures the shape production runs instead: it starts `platform/local.sh` (Caddy, gunicorn,
two daphne behind Caddy and the worker, on PostgreSQL and the Redis layer), opens every socket through Caddy,
which spreads them over both daphne, and sends each notification or broadcast from gunicorn by an HTTP
request through Caddy (`bench/fanout_urls.py`): commit in gunicorn, Redis, then whichever daphne holds the
socket. Its reference is a bare `group_send` from gunicorn. The collector settings
and the direct dispatch of pushes it once tried are in the site now (`placette/asgi.py`,
`notifications/consumers.py`). Each phase also reports daphne's garbage-collector
pauses and the CPU used by daphne, by the client and by the rest of the machine.

Run it with `make bench`; `--help` lists the options. It flushes the Redis database it is given (9 by
default) and writes to its own PostgreSQL database (`placette_bench`) or SQLite file, nothing else.
"""

import argparse
import asyncio
import collections
import contextlib
import datetime
import gc
import json
import math
import os
import platform
import random
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import websockets
from common import create_postgres_database, database_url
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
DAPHNE = Path(sys.executable).with_name("daphne")
BUDGETS_MS = {"notification": 100, "broadcast": 150}
LABELS = {"notification": "notification à une personne", "broadcast": "diffusion à tous"}
# Tests use Redis databases 0 to 3 at the same time; the benchmark flushes its own, so never one of those.
SHARED_REDIS_DATABASES = {0, 1, 2, 3}


def parse_args():
    parser = argparse.ArgumentParser(description="Banc d'essai de diffusion WebSocket (daphne, boucle locale).")
    parser.add_argument("--sockets", default="100,500,1000", help="nombres de sockets, séparés par des virgules")
    parser.add_argument("--layers", default="memory,redis", help="couches Channels : memory, redis, redis-pubsub")
    parser.add_argument(
        "--processes", type=int, help="processus daphne (couches Redis seulement) ; 1, ou 2 avec --production-path"
    )
    parser.add_argument(
        "--production-path",
        action="store_true",
        help="passe par platform/local.sh : sockets ouverts à travers Caddy, envois depuis gunicorn",
    )
    parser.add_argument(
        "--stack-dir", default="/tmp/placette-bench-production", help="dossier de la pile de --production-path"
    )
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/placette_bench")
    parser.add_argument("--sqlite-path", default="/tmp/placette-bench.sqlite3")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="base vidée à chaque scénario")
    parser.add_argument("--notifications", type=int, default=300, help="notifications par scénario (autant de réf.)")
    parser.add_argument("--interval", type=float, default=0.01, help="secondes entre deux envois individuels")
    parser.add_argument("--broadcasts", type=int, default=20, help="diffusions par scénario (autant de réf.)")
    parser.add_argument("--timeout", type=float, default=180, help="durée maximale d'un scénario, en secondes")
    parser.add_argument("--log", default="/tmp/placette-bench-daphne.log", help="journal de daphne")
    parser.add_argument("--profile", metavar="DOSSIER", help="profile daphne (cProfile) ; chiffres faussés")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.sockets = [int(value) for value in args.sockets.split(",")]
    args.layers = args.layers.split(",")
    if args.production_path:
        if args.database != "postgres" or args.profile:
            parser.error("--production-path : PostgreSQL comme en production, sans --profile")
        # Production's layer only: the in-memory one cannot reach another process.
        args.layers = ["redis"]
    if args.processes is None:
        args.processes = 2 if args.production_path else 1
    if not set(args.layers) <= {"memory", "redis", "redis-pubsub"}:
        parser.error("--layers : memory, redis, redis-pubsub")
    if args.processes > 1 and "memory" in args.layers:
        parser.error("--processes : la couche en mémoire ne relie pas deux processus")
    redis_database = urlsplit(args.redis_url).path.strip("/")
    if args.layers != ["memory"] and (not redis_database.isdigit() or int(redis_database) in SHARED_REDIS_DATABASES):
        parser.error("--redis-url : donnez une base à part (pas 0 à 3, qui servent aux tests), elle sera vidée")
    return args


def raise_open_files_limit():
    # Each socket is a descriptor on both sides; daphne inherits the limit.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def prepare_database(args, count):
    """Migrate the bench database and make `count` people with open sessions and one public centre."""
    if args.database == "postgres":
        create_postgres_database(args.postgres_url)
    os.environ["DATABASE_URL"] = database_url(args)
    os.environ["DJANGO_SETTINGS_MODULE"] = "placette.settings"
    os.environ.pop("REDIS_URL", None)
    if args.production_path:
        # Sessions are signed with the key: the stack gets this one (`check --deploy` wants 50 characters).
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from home.models import HomePage
    from quartier.models import CentrePage

    call_command("migrate", interactive=False, verbosity=0)
    names = [f"banc.{index:04d}" for index in range(count)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        User(username=name, display_name=f"Banc {name[5:]}", password=make_password(None), notify_by="site")
        for name in names
        if name not in existing
    )
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    people = []
    sessions = []
    expiry = timezone.now() + datetime.timedelta(days=1)
    for index, name in enumerate(names):
        user = users[name]
        # Fixed keys so reruns replace their own sessions instead of piling up new ones.
        key = f"placettebanc{index:020d}"
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=SessionStore().encode(data), expire_date=expiry))
        people.append((user.pk, key))
    Session.objects.filter(session_key__in=[session.session_key for session in sessions]).delete()
    Session.objects.bulk_create(sessions)

    home = HomePage.objects.first()
    centre = CentrePage.objects.child_of(home).filter(slug="centre-du-banc-d-essai").first()
    if centre is None:
        centre = CentrePage(
            title="Centre du banc d'essai",
            slug="centre-du-banc-d-essai",
            town="Roubaix",
            street_address="1 rue de la Mesure",
            postcode="59100",
            introduction="Un centre fictif pour mesurer la diffusion en direct.",
        )
        home.add_child(instance=centre)
        centre.save_revision().publish()
    return people, f"centre.{centre.pk}"


def forget_notifications(people):
    """Each scenario starts from empty inboxes, so the unread count `push()` makes costs the same each run."""
    from notifications.models import Notification

    Notification.objects.filter(recipient_id__in=[user_id for user_id, _key in people]).delete()


def flush_redis(url):
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # utime and stime, fields 14 and 15 of proc(5), counted from the one after the command name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds():
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    # Everything but idle and iowait, summed over all cores.
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values, share):
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def summary(latencies_ms, lost):
    values = sorted(latencies_ms)
    return {
        "count": len(values),
        "p50": percentile(values, 0.5),
        "p99": percentile(values, 0.99),
        "max": values[-1] if values else math.nan,
        "lost": lost,
    }


async def post_json(port, path, payload, timeout):
    """A bare HTTP/1.1 POST on loopback, so the client needs nothing but the standard library and websockets."""

    async def exchange():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        body = json.dumps(payload).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        writer.write(head.encode() + body)
        response = await reader.read()
        writer.close()
        status_line, _, rest = response.partition(b"\r\n")
        if b" 200 " not in status_line:
            raise RuntimeError(f"{path} a répondu {status_line.decode(errors='replace')}")
        return json.loads(rest.partition(b"\r\n\r\n")[2])

    return await asyncio.wait_for(exchange(), timeout)


class Clients:
    """N signed-in sockets in this one process, each noting when every message reached it.

    Socket i connects to `ports[i % len(ports)]`; `triggers` send the notifications and broadcasts.
    """

    def __init__(self, ports, people, topic, triggers):
        self.ports = ports
        self.triggers = triggers
        self.people = people
        self.topic = topic
        self.connections = []
        self.readers = []
        self.subscribed = {}
        # (mode, key) -> (user of the socket that got it, receive time); "app" keys are notification ids.
        self.notifications = {}
        self.misdelivered = 0
        # (event, seq) -> receive times on every socket.
        self.topic_times = collections.defaultdict(list)
        self.expected = {}
        self.unexpected = collections.Counter()
        self.closed_early = 0

    async def connect(self, concurrency=50):
        gate = asyncio.Semaphore(concurrency)
        await asyncio.gather(*(self._open(index, *person, gate) for index, person in enumerate(self.people)))

    async def _open(self, index, user_id, session_key, gate):
        port = self.ports[index % len(self.ports)]
        async with gate:
            connection = await connect(
                f"ws://127.0.0.1:{port}/ws/notifications/",
                origin=f"http://127.0.0.1:{port}",
                additional_headers={"Cookie": f"sessionid={session_key}"},
                # Browsers send no pings, and a proxy from the environment must not catch loopback.
                ping_interval=None,
                proxy=None,
                open_timeout=30,
            )
            self.connections.append(connection)
            self.subscribed[index] = asyncio.get_running_loop().create_future()
            self.readers.append(asyncio.create_task(self._read(index, user_id, connection)))
            await connection.send(json.dumps({"type": "subscribe", "topic": self.topic}))
            await asyncio.wait_for(self.subscribed[index], 30)

    async def _read(self, index, user_id, connection):
        try:
            async for raw in connection:
                now = time.time()
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "notification":
                    key = message["notification"]["id"]
                    mode = "ref" if isinstance(key, str) else "app"
                    self.notifications[(mode, key)] = (user_id, now)
                elif kind == "topic":
                    times = self.topic_times[(message["event"], message["seq"])]
                    times.append(now)
                    waiter = self.expected.get((message["event"], message["seq"]))
                    if waiter is not None and len(times) == len(self.people) and not waiter.done():
                        waiter.set_result(None)
                elif kind == "subscribed":
                    self.subscribed[index].set_result(None)
                else:
                    self.unexpected[json.dumps(message, ensure_ascii=False)[:200]] += 1
        except websockets.ConnectionClosedError:
            self.closed_early += 1

    def expect(self, event, seq):
        self.expected[(event, seq)] = asyncio.get_running_loop().create_future()
        return self.expected[(event, seq)]

    async def close(self):
        if self.connections:
            await asyncio.wait(
                [asyncio.create_task(connection.close()) for connection in self.connections], timeout=30
            )
        for reader in self.readers:
            reader.cancel()


class DaphneTriggers:
    """Sends from inside the first daphne (`bench/fanout_asgi.py`): one request carries a whole schedule."""

    def __init__(self, port):
        self.port = port

    async def notify(self, sends, interval, timeout):
        payload = {"sends": sends, "interval": interval}
        return (await post_json(self.port, "/bench/notify", payload, timeout))["sends"]

    async def broadcast(self, payload):
        return await post_json(self.port, "/bench/broadcast", payload, 30)


class GunicornTriggers:
    """The production path: each send is its own request, through Caddy to gunicorn (`bench/fanout_urls.py`).

    The client keeps the schedule (open loop), as people acting on pages would: a slow answer delays nobody.
    """

    def __init__(self, port):
        from bench.fanout_urls import BROADCAST_PATH, NOTIFY_PATH

        self.port = port
        self.notify_path, self.broadcast_path = NOTIFY_PATH, BROADCAST_PATH

    async def notify(self, sends, interval, timeout):
        loop = asyncio.get_running_loop()
        start = loop.time()
        tasks = []
        for index, (user_id, mode) in enumerate(sends):
            await asyncio.sleep(max(0.0, start + index * interval - loop.time()))
            payload = {"user": user_id, "mode": mode, "key": f"ref-{index}"}
            tasks.append(asyncio.create_task(post_json(self.port, self.notify_path, payload, timeout)))
        return await asyncio.gather(*tasks)

    async def broadcast(self, payload):
        return await post_json(self.port, self.broadcast_path, payload, 30)


class Meter:
    """CPU used over one phase by each group of servers, by this client and by the rest of the machine, as shares
    of one core.

    The rest is Redis and PostgreSQL, but also whatever else runs here (other people's tests): when it is
    high, the figures of that phase are pessimistic.
    """

    def __init__(self, groups):
        # name -> function giving the group's pids now (gunicorn's workers are found when the phase starts).
        self.pids = {name: pids() for name, pids in groups.items()}

    def seconds(self):
        return {name: sum(cpu_seconds(pid) for pid in pids) for name, pids in self.pids.items()}

    def __enter__(self):
        self.start = (time.monotonic(), self.seconds(), time.process_time(), machine_busy_seconds())
        return self

    def __exit__(self, *exc):
        wall = time.monotonic() - self.start[0]
        self.shares = {name: (seconds - self.start[1][name]) / wall for name, seconds in self.seconds().items()}
        self.shares["client"] = (time.process_time() - self.start[2]) / wall
        rest = (machine_busy_seconds() - self.start[3]) / wall - sum(self.shares.values())
        # Per-process counters tick every 10 ms, the machine's on its own beat: an idle rest can come out below 0.
        self.shares["reste"] = max(rest, 0.0)


async def per_user_phase(args, clients, rng):
    user_ids = [user_id for user_id, _key in clients.people]
    sends = [[rng.choice(user_ids), "app" if index % 2 == 0 else "ref"] for index in range(2 * args.notifications)]
    answers = await clients.triggers.notify(sends, args.interval, timeout=len(sends) * args.interval + 60)
    expected = {(send["mode"], send["key"]): send for send in answers}
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not expected.keys() <= clients.notifications.keys():
        await asyncio.sleep(0.05)
    latencies = {"app": [], "ref": []}
    lost = {"app": 0, "ref": 0}
    for (mode, key), send in expected.items():
        received = clients.notifications.get((mode, key))
        if received is None:
            lost[mode] += 1
            continue
        recipient, at = received
        if recipient != send["user"]:
            clients.misdelivered += 1
        latencies[mode].append((at - send["at"]) * 1000)
    return {mode: summary(latencies[mode], lost[mode]) for mode in ("app", "ref")}


async def warm_up(clients):
    """A few untimed sends of each kind: the first one pays for daphne's worker thread and database connection."""
    user_ids = [user_id for user_id, _key in clients.people]
    sends = [[user_ids[index % len(user_ids)], mode] for index in range(5) for mode in ("app", "ref")]
    await clients.triggers.notify(sends, 0.01, 30)
    for seq, mode in enumerate(("app", "ref")):
        await clients.triggers.broadcast({"topic": clients.topic, "seq": -1 - seq, "mode": mode})
    await asyncio.sleep(1)


async def broadcast_phase(args, clients):
    latencies = {"app": [], "ref": []}
    lost = {"app": 0, "ref": 0}
    for seq in range(2 * args.broadcasts):
        mode = "app" if seq % 2 == 0 else "ref"
        event = "bench" if mode == "app" else "bench-ref"
        waiter = clients.expect(event, seq)
        payload = {"topic": clients.topic, "seq": seq, "mode": mode}
        answer = await clients.triggers.broadcast(payload)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiter, 5)
        times = clients.topic_times[(event, seq)]
        latencies[mode].extend((at - answer["at"]) * 1000 for at in times)
        lost[mode] += len(clients.people) - len(times)
        # One broadcast at a time: each measures a fan-out on quiet sockets, as a page update would.
        await asyncio.sleep(0.1)
    return {mode: summary(latencies[mode], lost[mode]) for mode in ("app", "ref")}


async def wait_for_port(port, process, timeout=60, name="daphne"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} s'est arrêté au démarrage (voir son journal)")
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        return
    raise RuntimeError(f"{name} ne répond pas")


def daphne_env(args, layer):
    env = dict(os.environ)
    # DEBUG stays off as in production; the bench's routes bypass the HTTPS redirect, and an empty
    # STATIC_ROOT keeps WhiteNoise from warning about a missing collectstatic, so the log shows only real trouble.
    env.update(
        DATABASE_URL=database_url(args),
        DEBUG="0",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        STATIC_ROOT=args.static_root,
    )
    env.pop("MFA_TOTP_INSECURE_BYPASS_CODE", None)
    env.pop("REDIS_URL", None)
    if layer != "memory":
        env["REDIS_URL"] = args.redis_url
    env["BENCH_VARIANTS"] = layer
    return env


async def collector_pauses(ports):
    """The garbage collector's pauses in every bench daphne since the last call: (count, longest in ms).

    Production's daphne (`--production-path`) has no route to ask: None.
    """
    if not ports:
        return None
    pauses = []
    for port in ports:
        pauses.extend((await post_json(port, "/bench/gc", {}, 10))["pauses"])
    return len(pauses), max((seconds * 1000 for _generation, seconds in pauses), default=0.0)


def layer_label(args, layer):
    if args.production_path:
        return f"Caddy → {args.processes} daphne, envoi depuis gunicorn"
    return layer if args.processes == 1 else f"{layer} × {args.processes} daphne"


def cpu_names(args):
    servers = ["daphne", "gunicorn", "caddy"] if args.production_path else ["daphne"]
    return [*servers, "client", "reste"]


def start_daphne(args, layer, port, log):
    return subprocess.Popen(
        [str(DAPHNE), "-b", "127.0.0.1", "-p", str(port), "-v", "0", "bench.fanout_asgi:application"],
        cwd=ROOT,
        env=daphne_env(args, layer),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            return [int(child) for child in listing.read().split()]
    except FileNotFoundError:
        return []


def established(port):
    """Open TCP connections whose local end is 127.0.0.1:`port` (/proc/net/tcp, state 01)."""
    with open("/proc/net/tcp") as table:
        rows = [line.split() for line in table.readlines()[1:]]
    return sum(1 for row in rows if row[3] == "01" and int(row[1].rsplit(":", 1)[1], 16) == port)


class ProductionStack:
    """`platform/local.sh` started for the benchmark: Caddy, gunicorn, the worker and N daphne, on free ports.

    It runs production's scripts and Caddyfile on the bench's database and Redis, with `bench/fanout_settings.py`
    for the two triggers; its processes log into `--stack-dir`/logs.
    """

    def __init__(self, args, log):
        self.args = args
        self.log = log
        self.folder = Path(args.stack_dir)
        self.port = free_port()
        self.ws_ports = [free_port() for _ in range(args.processes)]

    async def start(self):
        env = dict(os.environ)
        env.update(
            PROD_LOCAL_PORT=str(self.port),
            PROD_LOCAL_WEB_PORT=str(free_port()),
            PROD_LOCAL_WS_PORTS=" ".join(str(port) for port in self.ws_ports),
            PROD_LOCAL_DIR=str(self.folder),
            PROD_LOCAL_DATABASE_URL=self.args.postgres_url,
            PROD_LOCAL_REDIS_URL=self.args.redis_url,
            PROD_LOCAL_DEMO="0",
            PROD_LOCAL_SETTINGS="bench.fanout_settings",
            PROD_LOCAL_SECRET_KEY=os.environ["SECRET_KEY"],
            LOG_LEVEL="WARNING",
        )
        self.process = subprocess.Popen(
            [str(ROOT / "platform" / "local.sh")], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        started = time.monotonic()
        # Migrations are already there; collectstatic is most of the wait.
        await wait_for_port(self.port, self.process, timeout=300, name="platform/local.sh")
        elapsed = time.monotonic() - started
        print(f"Pile de production démarrée en {elapsed:.0f} s ; journaux dans {self.folder / 'logs'}")

    def pids(self):
        pids = {}
        for line in (self.folder / "pids").read_text().splitlines():
            name, pid = line.split()
            pids[name] = int(pid)
        return pids

    def cpu_groups(self):
        pids = self.pids()
        return {
            "daphne": lambda: [pid for name, pid in pids.items() if name.startswith("ws")],
            "gunicorn": lambda: [pids["web"], *children(pids["web"])],
            "caddy": lambda: [pids["proxy"]],
        }

    def sockets_per_daphne(self):
        return [established(port) for port in self.ws_ports]

    def log_paths(self):
        return sorted((self.folder / "logs").glob("*.log"))

    def stop(self):
        # local.sh stops its processes on SIGTERM, as on Ctrl+C.
        stop([self.process])


def daphne_groups(processes):
    return {"daphne": lambda: [process.pid for process in processes]}


async def run_scenario(args, layer, count, people, topic, log, rng, stack=None):
    name = f"[{layer_label(args, layer)}, {count} sockets]"
    # The ORM refuses to run inside the event loop's thread.
    await asyncio.to_thread(forget_notifications, people)
    if stack is None:
        if layer != "memory":
            flush_redis(args.redis_url)
        ports = [free_port() for _ in range(args.processes)]
        log.write(f"\n=== {name} ports {ports} ===\n")
        log.flush()
        processes = [start_daphne(args, layer, port, log) for port in ports]
        clients = Clients(ports, people, topic, DaphneTriggers(ports[0]))
        groups, gc_ports = daphne_groups(processes), ports
    else:
        # Every socket through Caddy, which chooses the daphne.
        ports, processes, gc_ports = [], [], []
        clients = Clients([stack.port], people, topic, GunicornTriggers(stack.port))
        groups = stack.cpu_groups()
    try:
        for port, process in zip(ports, processes, strict=True):
            await wait_for_port(port, process)
        started = time.monotonic()
        await clients.connect()
        print(f"{name} {len(clients.connections)} sockets ouverts et abonnés en {time.monotonic() - started:.1f} s")
        if stack is not None:
            spread = " + ".join(str(number) for number in stack.sockets_per_daphne())
            print(f"{name} sockets tenus par chaque daphne : {spread}")
        await warm_up(clients)
        profile = Path(args.profile).resolve() if args.profile else None
        results = {}
        for phase, measure in (
            ("notification", lambda: per_user_phase(args, clients, rng)),
            ("broadcast", lambda: broadcast_phase(args, clients)),
        ):
            await collector_pauses(gc_ports)
            if profile:
                await post_json(ports[0], "/bench/profile", {"action": "start"}, 10)
            with Meter(groups) as meter:
                results[phase] = await measure()
            if profile:
                path = profile / f"{layer}-{count}-{phase}.pstats"
                await post_json(ports[0], "/bench/profile", {"action": "stop", "path": str(path)}, 30)
            results[phase]["cpu"] = meter.shares
            results[phase]["gc"] = await collector_pauses(gc_ports)
            app, ref = results[phase]["app"], results[phase]["ref"]
            cpu = ", ".join(f"{group} {share:.0%}" for group, share in meter.shares.items())
            gc_pauses = results[phase]["gc"]
            collector = (
                f"{gc_pauses[0]} passages du ramasse-miettes, le plus long {gc_pauses[1]:.0f} ms"
                if gc_pauses
                else "ramasse-miettes non suivi (daphne de production)"
            )
            print(
                f"{name} {LABELS[phase]} : p50 {app['p50']:.1f} ms, p99 {app['p99']:.1f} ms, max {app['max']:.1f} ms, "
                f"{app['count']} reçus, {app['lost']} perdus ; réf. p50 {ref['p50']:.1f} ms, p99 {ref['p99']:.1f} ms, "
                f"{ref['lost']} perdus ; CPU {cpu} ; {collector}"
            )
        problems = []
        if clients.misdelivered:
            problems.append(f"{clients.misdelivered} notifications reçues par un autre que leur destinataire")
        if clients.closed_early:
            problems.append(f"{clients.closed_early} sockets fermés par le serveur")
        problems.extend(f"{number} × message inattendu {text}" for text, number in clients.unexpected.items())
        for problem in problems:
            print(f"{name} ATTENTION : {problem}")
        results["problems"] = [f"{name} {problem}" for problem in problems]
        return results
    finally:
        await clients.close()
        stop(processes)


def log_problems(path):
    lines = Path(path).read_text(errors="replace").splitlines()
    # The last one is Caddy's JSON log.
    markers = ("Traceback", "Error", "ERROR", "Warning", "WARNING", '"level":"error"')
    return [line for line in lines if any(marker in line for marker in markers)]


def ms(value):
    return "—" if math.isnan(value) else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def table(args, rows):
    lines = [
        "| couche | sockets | envoi | reçus | p50 ms | p99 ms | max ms | perdus | réf. p50 ms | réf. p99 ms "
        f"| budget p99 | CPU {' / '.join(cpu_names(args))} | pause GC max ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for layer, count, phase, result in rows:
        if result is None:
            lines.append(f"| {layer_label(args, layer)} | {count} | {LABELS[phase]} | échec | | | | | | | | | |")
            continue
        app, ref = result["app"], result["ref"]
        budget = BUDGETS_MS[phase]
        verdict = "tenu" if app["p99"] <= budget and app["lost"] == 0 else "dépassé"
        cpu = " / ".join(f"{share:.0%}" for share in result["cpu"].values())
        pause = ms(result["gc"][1]) if result["gc"] else "—"
        label = layer_label(args, layer)
        lines.append(
            f"| {label} | {count} | {LABELS[phase]} | {app['count']} | {ms(app['p50'])} | {ms(app['p99'])} "
            f"| {ms(app['max'])} | {app['lost']} | {ms(ref['p50'])} | {ms(ref['p99'])} "
            f"| {budget} ms : {verdict} | {cpu} | {pause} |"
        )
    return "\n".join(lines)


def main():
    args = parse_args()
    limit = raise_open_files_limit()
    print(f"Banc WebSocket : {' '.join(sys.argv)}")
    print(
        f"{datetime.date.today().isoformat()}, {os.cpu_count()} cœurs, Python {platform.python_version()}, "
        f"websockets {websockets.version.version}, base {args.database}, limite de fichiers ouverts {limit}"
    )
    people, topic = prepare_database(args, max(args.sockets))
    # Django and Wagtail's objects, loaded to prepare the database, need no more scanning: the client's own
    # collector pauses would otherwise show up in the latencies it measures.
    gc.freeze()
    asyncio.run(run_all(args, people, topic))


async def run_all(args, people, topic):
    rng = random.Random(args.seed)
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        print(f"Profilage dans {args.profile} : les chiffres de ce passage sont faussés par le profileur.")
    rows = []
    problems = []
    stack = None
    with open(args.log, "w") as log, tempfile.TemporaryDirectory(prefix="placette-bench-static-") as static_root:
        args.static_root = static_root
        try:
            if args.production_path:
                # One stack for every number of sockets: it starts in tens of seconds, and keeps nothing between
                # scenarios but empty groups.
                flush_redis(args.redis_url)
                stack = ProductionStack(args, log)
                await stack.start()
            for layer in args.layers:
                for count in args.sockets:
                    try:
                        results = await asyncio.wait_for(
                            run_scenario(args, layer, count, people[:count], topic, log, rng, stack), args.timeout
                        )
                    except (TimeoutError, RuntimeError, OSError, websockets.WebSocketException) as error:
                        print(f"[{layer_label(args, layer)}, {count} sockets] ÉCHEC : {error!r}")
                        results = {"problems": [f"[{layer_label(args, layer)}, {count} sockets] échec : {error!r}"]}
                    problems.extend(results["problems"])
                    rows.extend((layer, count, phase, results.get(phase)) for phase in ("notification", "broadcast"))
        finally:
            if stack is not None:
                stack.stop()
    print()
    print(table(args, rows))
    print()
    for problem in problems:
        print(f"ATTENTION : {problem}")
    for path in [Path(args.log), *(stack.log_paths() if stack else [])]:
        log_lines = log_problems(path)
        if log_lines:
            print(f"Journal {path} : {len(log_lines)} lignes d'erreur, dont :")
            for line in log_lines[:10]:
                print(f"    {line}")
        else:
            print(f"Journal {path} : aucune erreur.")


if __name__ == "__main__":
    main()
