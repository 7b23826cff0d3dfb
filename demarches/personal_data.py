"""Mandates in "Mes données", and what erasing an account does to them: gone, with the scan of the signed paper."""

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts.personal_data import register_section
from accounts.services import account_erased
from demarches.models import Mandate, MandateAction


@register_section
def mandates(user):
    rows = []
    for mandate in Mandate.objects.filter(resident=user).select_related("centre", "recorded_by"):
        rows.append(
            {
                _("Mandat pour le centre"): mandate.centre.title,
                _("Domaines"): ", ".join(str(label) for label in mandate.scope_labels()),
                _("Du"): mandate.starts_on,
                _("Jusqu'au"): mandate.ends_on,
                _("Noté par"): str(mandate.recorded_by) if mandate.recorded_by else str(_("Ancien membre")),
                _("Accord"): mandate.get_consent_mode_display(),
                _("Révoqué le"): mandate.revoked_at,
            }
        )
    for action in MandateAction.objects.filter(mandate__resident=user).select_related("done_by"):
        rows.append(
            {
                _("Démarche faite pour moi"): action.procedure_name,
                _("Le"): action.done_on,
                _("Résultat"): action.get_outcome_display(),
                _("Et ensuite"): action.next_step,
                _("Par"): str(action.done_by) if action.done_by else str(_("Ancien membre")),
            }
        )
    return _("Mes mandats pour mes démarches"), rows


@receiver(account_erased)
def forget_mandates_of_erased_account(sender, user, **kwargs):
    """The mandates and their log go with the person; the scans of signed papers too, once that is committed."""
    scans = [mandate.consent_scan for mandate in Mandate.objects.filter(resident=user).exclude(consent_scan="")]
    Mandate.objects.filter(resident=user).delete()
    for scan in scans:
        transaction.on_commit(lambda scan=scan: scan.storage.delete(scan.name), robust=True)
