"""What the map keeps about people: their proposals (with the phone number or e-mail a visitor left), in "Mes
données", erased with the account and a year after they were sent (time enough for the centre to answer)."""

from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.personal_data import register_section
from accounts.retention import delete_in_batches, register_rule
from accounts.services import account_erased
from carte.models import PlaceProposal


@register_rule(
    "place_proposals",
    what=gettext_lazy("Une proposition sur la carte des lieux : ce qui est écrit, le téléphone ou l'e-mail laissé"),
    when=gettext_lazy("effacée {period} après avoir été envoyée"),
)
def forget_old_place_proposals(cutoff, dry_run):
    return delete_in_batches(PlaceProposal.objects.filter(created_at__lt=cutoff), dry_run)


@register_section
def place_proposals(user):
    rows = [
        {
            _("Lieu"): proposal.title,
            _("Proposition"): proposal.get_kind_display(),
            _("Ce que j'ai écrit"): proposal.details or proposal.hours_text,
            _("Centre"): proposal.centre.title,
            _("État"): proposal.get_status_display(),
            _("Le"): proposal.created_at,
        }
        for proposal in PlaceProposal.objects.filter(person=user).select_related("place", "centre")
    ]
    return _("Mes propositions sur la carte des lieux"), rows


@receiver(account_erased)
def forget_place_proposals_of_erased_account(sender, user, **kwargs):
    PlaceProposal.objects.filter(person=user).delete()
