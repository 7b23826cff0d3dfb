"""The agenda's part of "Mes données", and what erasing an account does to registrations."""

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.personal_data import register_section
from accounts.retention import register_rule
from accounts.services import account_erased
from agenda import services
from agenda.models import CalendarToken, Registration

# What the attendance list shows once a front-desk registration's name is erased.
FRONT_DESK_NAME_ERASED = "Nom effacé"


@register_section
def registrations(user):
    rows = [
        {
            _("Activité"): registration.occurrence.event.title,
            _("Date"): registration.occurrence.start,
            _("État"): registration.get_status_display(),
            _("Inscription faite le"): registration.created_at,
        }
        for registration in Registration.objects.filter(person=user)
        .select_related("occurrence__event")
        .order_by("occurrence__start")
    ]
    if CalendarToken.objects.filter(person=user).exists():
        rows.append({_("Adresse secrète d'agenda"): _("oui (Mes inscriptions)")})
    return _("Mes inscriptions aux activités"), rows


@receiver(account_erased)
def free_seats_of_erased_account(sender, user, **kwargs):
    """Seats held for the future go to the waitlist; past registrations stay, nameless, in the figures."""
    upcoming = Registration.objects.filter(
        person=user,
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
        occurrence__start__gt=timezone.now(),
    )
    for registration_id in upcoming.values_list("pk", flat=True):
        services.cancel_registration(registration_id, user)
    CalendarToken.objects.filter(person=user).delete()


@register_rule(
    "front_desk_registrations",
    what=gettext_lazy("Le nom et le téléphone d'une personne inscrite à l'accueil, sans compte"),
    when=gettext_lazy("effacés {period} après l'activité"),
)
def forget_front_desk_names(cutoff, dry_run):
    """The row stays for the centre's figures (who came, how many); the name and phone go."""
    old = Registration.objects.filter(person__isnull=True, occurrence__end__lt=cutoff).exclude(
        name=FRONT_DESK_NAME_ERASED, phone=""
    )
    if dry_run:
        return old.count()
    return old.update(name=FRONT_DESK_NAME_ERASED, phone="")
