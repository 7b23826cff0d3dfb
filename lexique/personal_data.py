"""What the tutorials keep about people: their requests for help, in "Mes données", erased with the account and
three months after they were sent (time enough to call back)."""

from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.personal_data import register_section
from accounts.retention import delete_in_batches, register_rule
from accounts.services import account_erased
from lexique.help_requests import HelpRequest


@register_rule(
    "tutorial_help_requests",
    what=gettext_lazy("Une demande d'aide sur un tutoriel : l'étape, le message, le téléphone ou l'e-mail laissé"),
    when=gettext_lazy("effacée {period} après avoir été envoyée"),
)
def forget_old_help_requests(cutoff, dry_run):
    return delete_in_batches(HelpRequest.objects.filter(created_at__lt=cutoff), dry_run)


@register_section
def help_requests(user):
    rows = [
        {
            _("Tutoriel"): request.tutorial.title,
            _("Étape"): request.step,
            _("Centre"): request.centre.title,
            _("Message"): request.message,
            _("Le"): request.created_at,
        }
        for request in HelpRequest.objects.filter(person=user).select_related("tutorial", "centre")
    ]
    return _("Mes demandes d'aide sur les tutoriels"), rows


@receiver(account_erased)
def forget_help_requests_of_erased_account(sender, user, **kwargs):
    HelpRequest.objects.filter(person=user).delete()
