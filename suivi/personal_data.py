"""What the centres noted about a resident's help, for "Mes données": their bands, with a way to erase them, and the
sessions; and what erasing an account does: the sessions stay in the figures, linked to nobody."""

from django.db.models import Exists, OuterRef, Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.personal_data import register_erasure, register_section
from accounts.retention import delete_in_batches, register_rule
from accounts.services import account_erased
from suivi import services
from suivi.models import MediationRecord, Participant, Person


@register_rule(
    "mediation_records",
    what=gettext_lazy("Un accompagnement : la personne aidée, ce qui reste à faire, les précisions sur la démarche"),
    when=gettext_lazy("détachés de la personne et effacés {period} après, le reste compté sans nom"),
)
def anonymise_old_records(cutoff, dry_run):
    old = MediationRecord.objects.filter(date__lt=cutoff.date()).filter(
        Q(participants__person__isnull=False)
        | ~Q(remaining="")
        | ~Q(procedure_detail="")
        | Q(follow_up_on__isnull=False)
    )
    return services.anonymise_records(old.values("pk").distinct(), dry_run=dry_run)


@register_rule(
    "mediation_people",
    what=gettext_lazy("Une personne aidée par un centre : son repère et ce qui a été noté sur elle"),
    when=gettext_lazy("effacée {period} après son dernier accompagnement"),
)
def forget_people_no_longer_helped(cutoff, dry_run):
    helped_since = Participant.objects.filter(person=OuterRef("pk"), record__date__gte=cutoff.date())
    return delete_in_batches(Person.objects.filter(created_at__lt=cutoff).exclude(Exists(helped_since)), dry_run)


def _yes_no(value):
    return "" if value is None else _("oui") if value else _("non")


@register_section
def bands(user):
    rows = [
        {
            _("Centre"): person.centre.title,
            _("Genre"): person.get_gender_display(),
            _("Âge"): person.get_age_band_display(),
            _("Commune"): person.commune_name,
            _("Situation"): person.get_situation_display(),
            _("Première venue"): _yes_no(person.first_visit),
            _("Accord donné le"): person.consent_given_at,
            _("Noté par"): str(person.consent_recorded_by) if person.consent_recorded_by else "",
        }
        for person in Person.objects.filter(user=user).select_related("centre", "consent_recorded_by").order_by("pk")
    ]
    return _("Ce que les centres savent de moi pour leurs chiffres"), rows


@register_section
def sessions(user):
    records = (
        MediationRecord.objects.filter(participants__person__user=user)
        .select_related("centre")
        .prefetch_related("themes", "mediators")
        .order_by("-date", "-pk")
    )
    return _("Les fois où un centre m'a aidé"), [
        {
            _("Centre"): record.centre.title,
            _("Le"): record.date,
            _("Quoi"): record.get_kind_display(),
            _("Thèmes"): ", ".join(record.theme_labels),
            _("Avec"): ", ".join(str(mediator) for mediator in record.mediators.all()),
            _("Ce qui reste à faire"): record.remaining,
        }
        for record in records
    ]


@register_erasure
def erase_bands_links(user):
    return [
        (
            _("Effacer ce que %s a noté sur moi") % person.centre.title,
            reverse("suivi:erase_my_bands", args=[person.pk]),
        )
        for person in Person.objects.filter(user=user, consent_given_at__isnull=False).select_related("centre")
    ]


@receiver(account_erased)
def forget_people_of_erased_account(sender, user, **kwargs):
    services.forget_people_of_erased_account(user)
