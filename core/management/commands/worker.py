"""`manage.py worker`: django-tasks-db's worker, with a scheduler thread that enqueues the periodic tasks."""

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils.module_loading import autodiscover_modules

from core.scheduling import PERIODIC, enqueue_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Lance le travail de fond : les envois d'e-mails et de SMS, puis les tâches périodiques."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Secondes entre deux regards sur la file.")
        parser.add_argument(
            "--schedule-every",
            type=float,
            default=20.0,
            help="Secondes entre deux regards sur les tâches périodiques.",
        )

    def handle(self, *args, interval, schedule_every, **options):
        # Each app's tasks module registers its periodic tasks on import.
        autodiscover_modules("tasks")
        stop = threading.Event()
        scheduler = threading.Thread(target=self.schedule, args=(stop, schedule_every), name="scheduler", daemon=True)
        scheduler.start()
        self.stdout.write(f"Travail de fond démarré ; tâches périodiques : {', '.join(sorted(PERIODIC)) or 'aucune'}.")
        try:
            # No reloader: it would start a second process, and a second scheduler, on every change.
            # One level quieter than asked: db_worker logs two lines per task, and a sweep runs every minute.
            call_command(
                "db_worker",
                interval=interval,
                reload=False,
                verbosity=max(options["verbosity"] - 1, 0),
                stdout=self.stdout,
                stderr=self.stderr,
            )
        finally:
            stop.set()
            scheduler.join(timeout=5)

    def schedule(self, stop, period):
        while not stop.is_set():
            try:
                for name in enqueue_due():
                    logger.debug("Periodic task %s enqueued", name)
            except DatabaseError:
                logger.exception("Periodic tasks not enqueued this time")
            finally:
                close_old_connections()
            stop.wait(period)
