"""The writes of `bench/agenda_http.py`'s phase "visitors' pages under steady writes": residents registering.

    DATABASE_URL=… REDIS_URL=… .venv/bin/python bench/steady_writer.py --rate 5 --duration 20

`bench/agenda_http.py` starts it with the environment of its gunicorn (same settings, DEBUG off, same
database and Redis cache), so that each registration goes through `agenda.services.register()` in its own
transaction and stales the cached pages after commit exactly as a resident's click does. Once set up it
prints "prêt" and reads from its input when to start (wall clock, as `time.time()`, so that it starts with
the clients); then for `--duration` seconds it registers `--rate` times a second, on a date picked at random among
the upcoming dates with seats of a centre picked at random, and writes `--messages` messages a second in a
conversation of the demo's exchange, each side in turn. It then cancels the registrations it made, so that
seats never run out however often the bench runs, and prints one line of JSON: what it did, how long the
writes took, and which freshness scopes the writes replaced (core/freshness.py), to show that a write in one
centre replaces that centre's token and the lists', never the whole site's.
"""

import sys
from pathlib import Path

# Run as a script, Django is set up before the apps' models are imported.
if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()

import argparse
import collections
import json
import random
import time

from django.db import connection
from django.utils import timezone

from accounts.models import User
from agenda import services
from agenda.models import Occurrence
from core import freshness
from echanges.models import Conversation
from echanges.services.conversations import send_message

# The bench's residents, created once: enough that a random pick is rarely already on the date it drew.
RESIDENT_PREFIX = "banc.inscrit."
RESIDENTS = 200


def bench_residents():
    """The residents who register, created the first time (no signal: bulk writes stale nothing)."""
    wanted = [f"{RESIDENT_PREFIX}{number}" for number in range(RESIDENTS)]
    have = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    # "!" starts an unusable password: residents sign in by code.
    User.objects.bulk_create(
        [
            User(username=name, display_name=f"Habitant {name.rsplit('.', 1)[1]}", password="!")
            for name in wanted
            if name not in have
        ]
    )
    return list(User.objects.filter(username__in=wanted).order_by("pk"))


def dates_by_centre():
    """{centre id: ids of its upcoming dates open to registration, with seats left}, read once at the start."""
    dates = collections.defaultdict(list)
    rows = (
        Occurrence.objects.listed()
        .scheduled()
        .upcoming(timezone.now() + timezone.timedelta(hours=2))
        .with_seats_left()
        .filter(registration_required=True, event__live=True)
        .values_list("centre_id", "pk")
    )
    for centre_id, pk in rows:
        dates[centre_id].append(pk)
    return dates


def record_scopes(counter):
    """Count the scopes committed writes replace, by wrapping freshness.bump (looked up at commit time).

    Each saved row bumps its scopes once after commit: a registration (its row and its date's seat count) twice.
    """
    bump = freshness.bump

    def counted(*scopes):
        for scope in scopes:
            kind = scope if scope in (freshness.SITE, freshness.ALL_CENTRES) else "centre"
            counter[kind] += 1
        counter["bumps"] += 1
        bump(*scopes)

    freshness.bump = counted


def percentile_ms(values, share):
    values = sorted(values)
    return round(values[max(0, int(share * len(values) + 0.999) - 1)] * 1000, 1) if values else None


def parse_args():
    parser = argparse.ArgumentParser(description="Inscriptions et messages à rythme fixe, pour le banc HTTP.")
    parser.add_argument("--rate", type=float, required=True, help="inscriptions par seconde")
    parser.add_argument("--messages", type=float, default=1, help="messages par seconde (0 : aucun)")
    parser.add_argument("--duration", type=float, required=True, help="secondes d'écriture")
    parser.add_argument("--seed", type=int, default=17)
    return parser.parse_args()


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    residents = bench_residents()
    dates = dates_by_centre()
    centres = sorted(dates)
    conversation = Conversation.objects.select_related("offer__author", "starter").order_by("pk").first()
    speakers = [conversation.starter, conversation.offer.author] if conversation and args.messages else []
    scopes = collections.Counter()
    record_scopes(scopes)
    print("prêt", flush=True)
    start_at = float(sys.stdin.readline())
    # One timeline of due writes: registrations at 1/rate intervals, messages at 1/messages intervals.
    due = []
    if args.rate:
        due += [(index / args.rate, "registration") for index in range(int(args.duration * args.rate))]
    if speakers:
        due += [(index / args.messages, "message") for index in range(int(args.duration * args.messages))]
    due.sort()
    outcomes = collections.Counter()
    timings = collections.defaultdict(list)
    made = []
    late = 0.0
    for offset, kind in due:
        wait = start_at + offset - time.time()
        if wait > 0:
            time.sleep(wait)
        else:
            late = max(late, -wait)
        started = time.perf_counter()
        if kind == "message":
            sender = speakers[len(timings["message"]) % 2]
            send_message(conversation.pk, sender, body=f"Message du banc n°{len(timings['message']) + 1}.")
            outcomes["message"] += 1
        else:
            centre = rng.choice(centres)
            person = rng.choice(residents)
            try:
                registration = services.register(rng.choice(dates[centre]), person)
            except services.RegistrationRefused:
                # Already on that date, or the date filled up or started since the list was read.
                outcomes["refusée"] += 1
            else:
                made.append((registration.pk, person))
                outcomes[registration.status] += 1
        timings[kind].append(time.perf_counter() - started)
    during = dict(scopes)
    # Outside the measure: seats back, so that later runs find the same dates open.
    for registration_pk, person in made:
        services.cancel_registration(registration_pk, person)
    connection.close()
    print(
        json.dumps(
            {
                "outcomes": dict(outcomes),
                "scopes": during,
                "late_s": round(late, 3),
                "p50_ms": {kind: percentile_ms(values, 0.5) for kind, values in timings.items()},
                "p99_ms": {kind: percentile_ms(values, 0.99) for kind, values in timings.items()},
                "centres": len(centres),
                "dates": sum(len(ids) for ids in dates.values()),
                "cancelled_after": len(made),
                "messages": bool(speakers),
            }
        )
    )


if __name__ == "__main__":
    main()
