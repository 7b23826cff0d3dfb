"""The figures' dashboard over 200 000 mediation records and 100 centres on PostgreSQL: a centre's and the network's,
computed (cache emptied before each run) and kept (from the cache); the worker's task that computes the network's
standard periods ahead, and the network's pages served from what it kept; time and queries of each, and the plan of
the slowest counts.

    .venv/bin/python bench/suivi_dashboard.py            # make bench-suivi

Issue 21 asks for the dashboard "over 200 000 records and 100 centres computed within the page budget". The
script migrates its own database (placette_bench by default), loads `demo --centres 100 --records 200000` on the
first run (later runs reuse it), signs a network admin in as the second factor leaves them, and asks each page
through Django's test client with production's settings. Nothing here reaches the network; the cache is local
memory (the figures' own cache; the visitors' page cache is off).
"""

import io
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from common import create_postgres_database, measured, setup_in_process  # noqa: E402

STATIC_ROOT = "/tmp/placette-bench-suivi-static"


def signed_in_admin():
    """A client signed in as a network admin who typed their TOTP code in this session."""
    from allauth.account.internal.flows.login import record_authentication
    from django.contrib.auth import get_user_model
    from django.test import Client, RequestFactory

    admin, _created = get_user_model().objects.get_or_create(
        username="bench-suivi", defaults={"is_staff": True, "is_superuser": True, "email": "bench@example.org"}
    )
    client = Client()
    client.force_login(admin)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, admin, method="mfa", type="totp")
    request.session.save()
    return client


def slowest_counts(centre, period):
    """Each table's counting time, computed apart, the slowest first: where an index would help."""
    from suivi import figures

    timed = []
    for name, count in [
        ("résumé", lambda: figures.summary(centre, period)),
        ("genre", lambda: figures.by_band(centre, period, "gender")),
        ("commune", lambda: figures.by_band(centre, period, "commune")),
        ("types", lambda: figures.by_kind(centre, period)),
        ("thèmes", lambda: figures.by_theme(centre, period)),
        ("autonomie", lambda: figures.autonomy(centre, period)),
        ("agenda", lambda: figures.activities(centre, period)),
        ("événements", lambda: figures.events(centre, period)),
        ("banque de temps", lambda: figures.time_bank(centre, period)),
        ("rendez-vous", lambda: figures.appointments(centre, period)),
    ]:
        started = time.perf_counter()
        count()
        timed.append(((time.perf_counter() - started) * 1000, name))
    return sorted(timed, reverse=True)


def warmed_by_the_worker(client, year, runs):
    """The worker's task timed from an empty cache, then the network's standard pages served from what it kept."""
    from django.core.cache import cache
    from django.urls import reverse

    from suivi import figures

    cache.clear()
    started = time.perf_counter()
    warmed = figures.warm_network_figures()
    print(
        f"\nTâche warm_network_figures, cache vide : {len(warmed)} périodes du réseau en "
        f"{time.perf_counter() - started:.1f} s\n"
    )
    print("| page du réseau, préparée par le travail de fond | médiane | la plus lente | requêtes | octets |")
    print("| --- | --- | --- | --- | --- |")
    network = reverse("suivi:network_figures")
    pages = [(choice, f"{network}?periode={choice}") for choice in figures.STANDARD_PERIODS]
    pages += [(f"rapport {each}", reverse("suivi:network_report", args=[each])) for each in (year, year - 1)]
    for label, url in pages:
        median, slowest, queries, size = measured(client, url, runs)
        print(f"| {label} | {median:.1f} ms | {slowest:.1f} ms | {queries} | {size} |")


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/placette_bench")
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--centres", type=int, default=100)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--explain", action="store_true", help="écrire le plan de la requête la plus lente")
    args = parser.parse_args()

    create_postgres_database(args.postgres_url)
    setup_in_process(args.postgres_url, STATIC_ROOT)

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from quartier.models import CentrePage
    from suivi.dashboard_views import year_period
    from suivi.models import MediationRecord, Participant

    if MediationRecord.objects.count() < args.records or CentrePage.objects.count() < args.centres:
        started = time.perf_counter()
        call_command("demo", centres=args.centres, records=args.records, stdout=io.StringIO())
        print(f"demo --centres {args.centres} --records {args.records} : {time.perf_counter() - started:.0f} s")
        # As autovacuum would soon: the planner's estimates of the new rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    centre = CentrePage.objects.order_by("pk").first()
    client = signed_in_admin()
    year = timezone.localdate().year
    pages = [
        (
            f"un centre ({MediationRecord.objects.filter(centre=centre).count()} accompagnements)",
            "figures",
            [centre.pk],
        ),
        ("le réseau", "network_figures", []),
        ("rapport annuel du réseau", "network_report", [year]),
    ]
    print(
        f"{MediationRecord.objects.count()} accompagnements, {Participant.objects.count()} participations, "
        f"{CentrePage.objects.count()} centres ; {args.runs} passages\n"
    )
    print("| page | médiane | la plus lente | requêtes | octets |")
    print("| --- | --- | --- | --- | --- |")
    for label, name, url_args in pages:
        url = reverse(f"suivi:{name}", args=url_args)
        median, slowest, queries, size = measured(client, url, max(3, args.runs // 2), before=cache.clear)
        print(f"| {label}, calculé | {median:.0f} ms | {slowest:.0f} ms | {queries} | {size} |")
        median, slowest, queries, size = measured(client, url, args.runs)
        print(f"| {label}, gardé | {median:.1f} ms | {slowest:.1f} ms | {queries} | {size} |")
    warmed_by_the_worker(client, year, args.runs)
    period = year_period(year)
    for scope, label in [(centre, "un centre"), (None, "le réseau")]:
        print(
            f"\nComptes les plus lents, {label} : "
            + ", ".join(f"{name} {ms:.0f} ms" for ms, name in slowest_counts(scope, period)[:4])
        )
    if args.explain:
        from suivi import figures

        query = figures._participants(None, period).values("gender").annotate(people=figures._people()).order_by()
        print("\nEXPLAIN ANALYZE, personnes par genre sur le réseau :\n" + query.explain(analyze=True))


if __name__ == "__main__":
    main()
