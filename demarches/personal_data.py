"""What the procedures' app keeps about people: who answered a centre's SMS and what, erased after the call back."""

from django.utils.translation import gettext_lazy

from accounts.retention import delete_in_batches, register_rule
from demarches.models import Callback


@register_rule(
    "sms_callbacks",
    what=gettext_lazy("Le nom, le numéro et la réponse d'une personne qui a répondu à un SMS du centre"),
    when=gettext_lazy("effacés {period} après que l'équipe l'a rappelée"),
)
def forget_callbacks_done(cutoff, dry_run):
    """A callback not yet done stays: someone still waits for that call."""
    return delete_in_batches(Callback.objects.filter(done_at__lt=cutoff), dry_run)
