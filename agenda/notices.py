"""The notifications the agenda sends, and their words."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.templatetags.french import moment
from notifications import kinds

REGISTERED = kinds.register("registration", _("mon inscription à une activité est prise ou change"))
REMINDER = kinds.register("reminder", _("une de mes activités approche (rappel)"))
OCCURRENCE_CHANGED = kinds.register("occurrence_changed", _("une de mes activités est annulée ou déplacée"))
PROPOSAL = kinds.register("proposal", _("l'activité que j'ai proposée est publiée ou refusée"))
PROPOSAL_SUBMITTED = kinds.register(
    "proposal_submitted", _("un habitant propose une activité à mon centre"), for_staff=True
)


def when(occurrence):
    """ "mardi 3 mars à 14 h", in local time, as the whole site writes it."""
    return moment(occurrence.start)


def registered_text(registration):
    occurrence = registration.occurrence
    values = {"title": occurrence.event.title, "when": when(occurrence)}
    if registration.status == registration.Status.WAITLISTED:
        return gettext("« %(title)s », %(when)s : c'est complet, vous êtes sur la liste d'attente.") % values
    return gettext("Inscription confirmée : « %(title)s », %(when)s.") % values


def promoted_text(occurrence):
    values = {"title": occurrence.event.title, "when": when(occurrence)}
    return gettext("Une place s'est libérée : vous avez une place à « %(title)s », %(when)s.") % values


def cancelled_registration_text(occurrence):
    values = {"title": occurrence.event.title, "when": when(occurrence)}
    return gettext("Votre inscription à « %(title)s », %(when)s, est annulée.") % values


def occurrence_cancelled_text(occurrence):
    values = {"title": occurrence.event.title, "when": when(occurrence)}
    text = gettext("« %(title)s », %(when)s, est annulé.") % values
    if occurrence.cancel_reason:
        text += " " + occurrence.cancel_reason
    return text


def occurrence_moved_text(occurrence):
    values = {"title": occurrence.event.title, "when": when(occurrence)}
    return gettext("« %(title)s » change d'horaire : rendez-vous %(when)s.") % values


def reminder_text(occurrence):
    values = {"title": occurrence.event.title, "when": when(occurrence)}
    place = occurrence.event.place
    text = gettext("Rappel : « %(title)s », %(when)s.") % values
    if place:
        text += " " + gettext("Lieu : %(place)s, %(address)s.") % {
            "place": place.name,
            "address": place.street_address,
        }
    return text
