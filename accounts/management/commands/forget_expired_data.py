"""Erase personal data past its keeping period (accounts.retention); the worker runs it daily (accounts.tasks)."""

from django.core.management.base import BaseCommand

from accounts.retention import forget_expired


class Command(BaseCommand):
    help = "Efface les données personnelles gardées plus longtemps que ne le dit la page « Vos données »."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien effacer.")

    def handle(self, *args, dry_run=False, **options):
        counts = forget_expired(dry_run=dry_run, progress=self.stdout.write)
        total = sum(counts.values())
        if dry_run:
            self.stdout.write(f"Simulation : {total} élément(s) seraient effacés, rien n'a été effacé.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Terminé : {total} élément(s) effacé(s)."))
