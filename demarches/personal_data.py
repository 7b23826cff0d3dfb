"""The procedures' part of "Mes données" (what the person follows, and who set it up), and what erasing an account
does to it."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts.personal_data import register_section
from accounts.services import account_erased
from demarches.models import Follow


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
