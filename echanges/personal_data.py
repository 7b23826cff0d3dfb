"""The exchange's part of "Mes données", and what erasing an account does to offers, messages and hours."""

from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.images import get_image_model

from accounts.personal_data import register_section
from accounts.retention import delete_in_batches, register_rule
from accounts.services import account_erased
from echanges.models import Block, Message, Offer, Report, Suspension
from echanges.services import ledger


@register_section
def offers(user):
    rows = [
        {
            _("Annonce"): offer.title,
            _("Description"): offer.description,
            _("Quand"): offer.when,
            _("Où"): offer.where,
            _("État"): offer.get_status_display(),
            _("Publiée le"): offer.published_at,
        }
        for offer in Offer.objects.filter(author=user).order_by("published_at")
    ]
    return _("Mes annonces d'échange"), rows


@register_section
def messages_sent(user):
    rows = [
        {
            _("Au sujet de"): message.conversation.offer.title,
            _("Message"): message.body,
            _("Envoyé le"): message.sent_at,
        }
        for message in Message.objects.filter(sender=user).select_related("conversation__offer").order_by("sent_at")
    ]
    return _("Mes messages"), rows


@register_section
def hours(user):
    rows = [
        {_("Date"): line.when, _("Échange"): line.label, _("Minutes"): line.minutes} for line in ledger.statement(user)
    ]
    rows += [
        {_("Personne bloquée"): str(block.blocked), _("Depuis le"): block.created_at}
        for block in Block.objects.filter(blocker=user).select_related("blocked")
    ]
    rows += [
        {
            _("Signalement"): report.get_reason_display(),
            _("Précisions"): report.details,
            _("État"): report.get_status_display(),
        }
        for report in Report.objects.filter(reporter=user)
    ]
    return _("Ma banque de temps, mes blocages et mes signalements"), rows


@receiver(account_erased)
def erase_exchanges(sender, user, **kwargs):
    """Offers and words go; what others need stays nameless: their side of a conversation, the hours in the ledger.

    Offers nobody answered are deleted; answered ones are withdrawn and emptied, so that the other
    person's conversation still says what it was about. Transfers stay: other people's balances rest on them.
    """
    photos = list(Offer.objects.filter(author=user, photo__isnull=False).values_list("photo", flat=True))
    Offer.objects.filter(author=user, conversations__isnull=True).delete()
    get_image_model().objects.filter(pk__in=photos).delete()
    for offer in Offer.objects.filter(author=user):
        offer.title = _("Annonce retirée")
        offer.description = offer.when = offer.where = offer.photo_alt = ""
        offer.status = Offer.Status.WITHDRAWN
        offer.save()
        offer.tags.clear()
    Message.objects.filter(sender=user).update(body=_("Message effacé."))
    Block.objects.filter(blocker=user).delete()
    Report.objects.filter(reporter=user).update(details="")
    Suspension.objects.filter(person=user).delete()


@register_rule(
    "messages",
    what=gettext_lazy("Les messages d'une conversation d'échange"),
    when=gettext_lazy("effacés {period} après son dernier message"),
)
def forget_old_conversations(cutoff, dry_run):
    """Whole conversations' messages go together; the agreements and hours in the ledger stay.

    A message someone reported and the moderators have not dealt with yet stays until they have.
    """
    old = Message.objects.filter(conversation__last_message_at__lt=cutoff).exclude(reports__status=Report.Status.OPEN)
    return delete_in_batches(old, dry_run)
