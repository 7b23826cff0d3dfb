"""Warn, then erase, accounts unused for ACCOUNT_INACTIVITY_DAYS; the worker runs it daily (accounts.tasks)."""

from django.core.management.base import BaseCommand

from accounts.inactivity import notify_and_purge


class Command(BaseCommand):
    help = "Prévient les comptes inactifs, puis supprime ceux qui n'ont pas réagi à l'avis."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien envoyer ni supprimer.")

    def handle(self, *args, dry_run=False, **options):
        noticed, erased = notify_and_purge(dry_run=dry_run, progress=self.stdout.write)
        if dry_run:
            self.stdout.write("Simulation : rien n'a été envoyé ni supprimé.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Terminé : {noticed} avis envoyé(s), {erased} compte(s) supprimé(s).")
            )
