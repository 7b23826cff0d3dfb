"""What the procedures' app keeps about people: who answered a centre's SMS and what, erased after the call back;
in "Mes données", the procedures the person follows (and who set it up) and their mandates; and what erasing an
account does to them: gone, with the scans of signed papers."""

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.personal_data import register_section
from accounts.retention import delete_in_batches, register_rule
from accounts.services import account_erased
from demarches.models import Callback, Follow, Mandate, MandateAction


@register_rule(
    "sms_callbacks",
    what=gettext_lazy("Le nom, le numéro et la réponse d'une personne qui a répondu à un SMS du centre"),
    when=gettext_lazy("effacés {period} après que l'équipe l'a rappelée"),
)
def forget_callbacks_done(cutoff, dry_run):
    """A callback not yet done stays: someone still waits for that call."""
    return delete_in_batches(Callback.objects.filter(done_at__lt=cutoff), dry_run)


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


@register_section
def follows(user):
    rows = [
        {
            _("Démarche"): follow.procedure.name,
            _("Prévenir"): follow.get_days_before_display(),
            _("Enregistré par"): str(follow.created_by or _("moi")),
            _("Le"): follow.created_at,
        }
        for follow in Follow.objects.filter(user=user).select_related("procedure", "created_by").order_by("pk")
    ]
    return _("Mes démarches suivies"), rows


@receiver(account_erased)
def forget_follows_of_erased_account(sender, user, **kwargs):
    """The account's row stays ("Ancien membre"): what it followed must go with the person, and no reminder after."""
    Follow.objects.filter(user=user).delete()


@register_section
def sms_replies(user):
    """What the person answered to a centre's SMS, kept until the team called back (and 90 days after)."""
    if not user.phone:
        return _("Mes réponses aux SMS des centres"), []
    rows = [
        {
            _("Centre"): callback.centre.title,
            _("Reçue le"): callback.received_at,
            _("Ma réponse"): callback.text,
            _("Rappelé le"): callback.done_at,
        }
        for callback in Callback.objects.filter(phone=str(user.phone)).select_related("centre").order_by("pk")
    ]
    return _("Mes réponses aux SMS des centres"), rows


@receiver(account_erased)
def forget_sms_replies_of_erased_account(sender, user, **kwargs):
    """The replies sent from the account's number go with it: the team has nobody to call back any more."""
    if user.phone:
        Callback.objects.filter(phone=str(user.phone)).delete()
