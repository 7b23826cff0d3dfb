"""`manage.py import_places FILE`: places from a standard-mediation-num or data·inclusion file (carte/imports.py).

It shows what it would do (with `--dry-run`, only that), then writes it all in one transaction, telling its
progress every `--progress-every` lines. A place its centre checked keeps its fields unless `--replace-checked`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format

from carte import imports
from quartier.models import CentrePage


def describe(entry):
    """One line of the report: what happens to the place, field by field."""
    changes = " ; ".join(f"{change.label} : {change.old} → {change.new}" for change in entry.changes)
    if entry.action == imports.CREATE:
        return f"créer « {entry.name} » : {changes}"
    if entry.action == imports.CENTRE:
        return f"« {entry.name} » est la fiche d'un centre : elle suit la page du centre, non modifiée"
    if entry.protected:
        checked = date_format(entry.checked_on, "j F Y")
        return f"« {entry.name} » vérifié par le centre le {checked} : non remplacé ({changes})"
    return f"mettre à jour « {entry.name} » : {changes}"


class Command(BaseCommand):
    help = "Importe des lieux utiles depuis un fichier standard-mediation-num ou data·inclusion (CSV ou JSON)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="le fichier CSV ou JSON")
        parser.add_argument("--format", choices=[imports.MEDIATION, imports.DATA_INCLUSION], default=imports.MEDIATION)
        parser.add_argument("--centre", metavar="SLUG", help="le centre qui s'occupera des nouveaux lieux")
        parser.add_argument("--dry-run", action="store_true", help="montrer ce qui changerait, sans rien écrire")
        parser.add_argument(
            "--replace-checked",
            action="store_true",
            help="remplacer aussi les champs des lieux vérifiés par leur centre",
        )
        parser.add_argument("--progress-every", type=int, default=imports.DEFAULT_PROGRESS_EVERY, metavar="N")

    def handle(self, *args, file, format, centre, dry_run, replace_checked, progress_every, **options):
        if centre is not None:
            slug, centre = centre, CentrePage.objects.filter(slug=centre).first()
            if centre is None:
                raise CommandError(f"Aucun centre n'a l'adresse « {slug} ».")
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {file} : {error.strerror}") from None
        try:
            plan = imports.plan_import(content, format, centre=centre)
        except imports.ImportFileError as error:
            raise CommandError("\n".join(f"Ligne {line} : {message}" for line, message in error.errors)) from None
        self.report(plan, verbose=options["verbosity"] > 1)
        if dry_run:
            self.stdout.write("Essai seulement : rien n'a été écrit.")
            return
        counts = imports.apply_plan(
            plan,
            replace_checked=replace_checked,
            progress=lambda done, total: self.stdout.write(f"… {done} / {total} lignes"),
            every=progress_every,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Importé : {counts[imports.CREATE]} lieux créés, {counts[imports.UPDATE]} mis à jour, "
                f"{counts['kept']} vérifiés par leur centre non remplacés, {len(plan.errors)} lignes en erreur "
                "non importées."
            )
        )

    def report(self, plan, *, verbose):
        self.stdout.write(
            f"{imports.STANDARDS[plan.standard]} : {len(plan.created)} à créer, {len(plan.updated)} à mettre à jour "
            f"(dont {len(plan.protected)} vérifiés par leur centre), {len(plan.unchanged)} inchangés, "
            f"{len(plan.centres)} fiches de centre, {len(plan.errors)} erreurs."
        )
        for entry in plan.entries:
            if entry.action == imports.UPDATE or entry.action == imports.CENTRE or verbose:
                if entry.action != imports.UNCHANGED:
                    self.stdout.write(f"Ligne {entry.line} : {describe(entry)}")
        for line, message in plan.errors:
            self.stderr.write(f"Ligne {line} : {message}")
