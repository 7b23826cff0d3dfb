"""An SMS campaign to 5 000 front-desk contacts on PostgreSQL: confirming it, queuing it in batches, sending it.

    .venv/bin/python bench/sms_campaign.py            # make bench-campaign

Issue 18 asks that a campaign to 5 000 recipients be queued and sent on PostgreSQL, its time and queries measured,
and that its batches never hold a lock on the deliveries table for the whole send. The script loads one centre
with `--recipients` contacts who accepted the centre's campaigns into its own database (placette_bench_sms,
created and migrated on the first run; the contacts are reused), then, each run from a clean slate:

1. confirms a campaign (the preview's figures, the budget, the status change): time and queries;
2. queues it as the worker does (`demarches.campaign_sending.send`: batches of 500, each its own transaction, each
   delivery's task enqueued after its batch commits): time, queries, the longest batch;
3. meanwhile a second connection writes a notification's SMS delivery every 20 ms, as the rest of the site does,
   and times each write: the longest wait says whether the campaign blocked the table;
4. sends every SMS through `notifications.deliveries.sweep` with a backend that sends nothing (the provider's
   time is not ours to measure): time, queries per SMS.

Nothing here reaches the network; Redis is not used (the cache is local memory).
"""

import os
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))


class SilentSmsBackend:
    """Takes every SMS and sends none: what is measured is Placette's work around it."""

    def send(self, message):
        pass


def setup(url):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="placette.settings",
        DATABASE_URL=url,
        SMS_BACKEND="sms_campaign.SilentSmsBackend",
        # No quiet hours: the campaign leaves whenever the bench runs.
        SMS_QUIET_START="12:00",
        SMS_QUIET_END="12:00",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def load(recipients):
    """One centre, a team member, and `recipients` contacts who accept its campaigns (kept between runs)."""
    from django.contrib.auth import get_user_model

    from demarches.models import Contact
    from home.models import HomePage
    from quartier.models import CentrePage, Membership

    centre = CentrePage.objects.filter(slug="centre-campagnes").first()
    if centre is None:
        centre = HomePage.objects.first().add_child(
            instance=CentrePage(
                title="Centre social des Campagnes",
                slug="centre-campagnes",
                town="Roubaix",
                street_address="1 rue du Banc",
                postcode="59100",
                introduction="Le centre du banc d'essai des campagnes SMS.",
            )
        )
    CentrePage.objects.filter(pk=centre.pk).update(sms_monthly_budget=recipients * 10)
    centre.refresh_from_db()
    mediator, _created = get_user_model().objects.get_or_create(username="bench-mediatrice")
    Membership.objects.get_or_create(user=mediator, centre=centre, defaults={"role": Membership.Role.MEDIATOR})
    have = Contact.objects.filter(centre=centre, accepts_campaigns=True).count()
    Contact.objects.bulk_create(
        [
            Contact(centre=centre, name=f"Contact {n}", phone=f"+3376{n:07d}", accepts_campaigns=True)
            for n in range(have, recipients)
        ],
        batch_size=1000,
    )
    return centre, mediator


def clean_slate(centre):
    """What an earlier run left: its campaigns, their deliveries, the tasks queued for them, the numbers' rows."""
    from django_tasks_db.models import DBTaskResult

    from demarches.models import Campaign
    from notifications.models import Delivery, SmsNumber

    Delivery.objects.filter(centre=centre).delete()
    Campaign.objects.filter(centre=centre).delete()
    DBTaskResult.objects.all().delete()
    SmsNumber.objects.filter(phone__startswith="+3376").delete()


class Probe(threading.Thread):
    """Another connection writing a notification's SMS delivery every 20 ms, each in its own transaction, timed."""

    def __init__(self, centre):
        super().__init__(daemon=True)
        self.centre = centre
        self.waits = []
        self.done = threading.Event()

    def run(self):
        from django.db import connection, transaction
        from django.utils import timezone

        from notifications.models import Channel, Delivery

        number = 0
        try:
            while not self.done.is_set():
                number += 1
                started = time.perf_counter()
                with transaction.atomic():
                    Delivery.objects.create(
                        channel=Channel.SMS,
                        to="+33699999999",
                        text="Votre atelier de demain est confirmé.",
                        centre=self.centre,
                        due_at=timezone.now(),
                        idempotency_key=f"bench-probe-{time.time_ns()}-{number}",
                        # Not sent by the sweep below: the probe only measures the wait to write.
                        status=Delivery.Status.CANCELLED,
                    )
                self.waits.append((time.perf_counter() - started) * 1000)
                time.sleep(0.02)
        finally:
            connection.close()


def counted(function, *args, **kwargs):
    """(result, seconds, queries) of one call on the default connection."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        seconds = time.perf_counter() - started
    return result, seconds, len(queries)


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/placette_bench_sms")
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500, help="SMS écrits par transaction")
    args = parser.parse_args()

    from common import create_postgres_database

    create_postgres_database(args.postgres_url)
    setup(args.postgres_url)

    from django.core.management import call_command
    from django.db.models import Count

    call_command("migrate", verbosity=0)
    from demarches import campaign_sending, campaigns
    from notifications import deliveries
    from notifications.models import Delivery

    campaign_sending.BATCH_SIZE = args.batch
    centre, mediator = load(args.recipients)
    clean_slate(centre)

    campaign = campaigns.start_draft(centre, "contacts", "", by=mediator)
    campaigns.write_draft(
        campaign,
        by=mediator,
        name="Banc d'essai",
        text="La fete de quartier, samedi a 14h, place du marche. Venez nombreux !",
        link_url="/",
        at=None,
    )
    preview, confirm_seconds, confirm_queries = counted(campaigns.confirm, campaign, by=mediator)

    from django.db import transaction

    batch_seconds, transaction_seconds = [], []
    real_batch = campaign_sending.queue_batch

    def timed_batch(*batch_args):
        """The batch's transaction, timed to its commit (its first on-commit callback), then with its task queued."""
        started = time.perf_counter()
        with transaction.atomic():
            transaction.on_commit(lambda: transaction_seconds.append(time.perf_counter() - started))
            real_batch(*batch_args)
        batch_seconds.append(time.perf_counter() - started)

    campaign_sending.queue_batch = timed_batch
    probe = Probe(centre)
    probe.start()
    time.sleep(2)
    idle_waits = len(probe.waits)
    idle = probe.waits[:idle_waits]
    written, queue_seconds, queue_queries = counted(campaign_sending.send, campaign.pk)
    probe.done.set()
    probe.join()
    during = probe.waits[idle_waits:] or [0.0]

    def sweep_all():
        sent = 0
        while True:
            statuses = deliveries.sweep(limit=1000)
            if not any(status is not None for status in statuses):
                return sent
            sent += sum(status == Delivery.Status.SENT for status in statuses)

    sent, sweep_seconds, sweep_queries = counted(sweep_all)
    statuses = dict(
        Delivery.objects.filter(campaign_message__campaign=campaign)
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )

    print(f"Campagne de {preview.recipients} destinataires, {preview.length.parts} SMS chacun ({preview.cost} SMS)")
    print(f"Lots de {args.batch} : {len(batch_seconds)} lots\n")
    print("| étape | temps | requêtes |")
    print("| --- | --- | --- |")
    print(f"| confirmer (aperçu, budget, état) | {confirm_seconds * 1000:.0f} ms | {confirm_queries} |")
    print(
        f"| préparer les {written} SMS (tous les lots) | {queue_seconds:.2f} s | {queue_queries} "
        f"({queue_queries / max(written, 1):.2f} par SMS) |"
    )
    print(
        f"| le lot le plus long : sa transaction, puis avec sa tâche mise en file "
        f"| {max(transaction_seconds) * 1000:.0f} ms, {max(batch_seconds) * 1000:.0f} ms | |"
    )
    print(
        f"| envoyer les {sent} SMS (balayage, sans opérateur) | {sweep_seconds:.2f} s "
        f"({sent / sweep_seconds:.0f} SMS/s) | {sweep_queries} ({sweep_queries / max(sent, 1):.1f} par SMS) |"
    )
    print(
        f"\nPendant la préparation, une autre connexion a écrit {len(during)} envois : attente médiane "
        f"{sorted(during)[len(during) // 2]:.1f} ms, la plus longue {max(during):.1f} ms "
        f"(la préparation a duré {queue_seconds * 1000:.0f} ms) ; avant la campagne, sur 2 s : médiane "
        f"{sorted(idle)[len(idle) // 2]:.1f} ms, la plus longue {max(idle):.1f} ms."
    )
    print(f"États des envois de la campagne : {statuses}")
    if statuses != {Delivery.Status.SENT: args.recipients}:
        raise SystemExit("Tous les SMS de la campagne ne sont pas partis une fois.")


if __name__ == "__main__":
    main()
