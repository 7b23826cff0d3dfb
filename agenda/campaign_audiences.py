"""The people registered to a centre's activities, as audiences of its SMS campaigns (demarches.audiences).

Two audiences: everyone registered to the coming dates of one activity, or to one coming date. The waitlist is
included (a change of room or of time concerns them as much), cancelled registrations are not. The number is
the one typed at the front desk, else the person's own mobile if they confirmed it; a landline gets no SMS.
"""

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import MOBILE_TYPES
from agenda.models import EventPage, Occurrence, Registration
from demarches.audiences import Choice, Recipient, register_audience
from home.templatetags.french import moment

# A phone's select, not the season's programme.
DATES_OFFERED = 60


def _upcoming(centre):
    return Occurrence.objects.filter(centre=centre).scheduled().upcoming(timezone.now())


def _activity_choices(centre):
    events = (
        EventPage.objects.filter(pk__in=_upcoming(centre).values("event_id"))
        .only("pk", "title", "url_path")
        .order_by("title")
    )
    return [Choice(str(event.pk), event.title, event.url or "") for event in events]


def _date_choices(centre):
    occurrences = _upcoming(centre).select_related("event").order_by("start", "pk")[:DATES_OFFERED]
    return [
        Choice(
            str(occurrence.pk), f"{occurrence.event.title} — {moment(occurrence.start)}", occurrence.event.url or ""
        )
        for occurrence in occurrences
    ]


def _mobile(number):
    return bool(number) and number.is_valid() and phonenumbers.number_type(number) in MOBILE_TYPES


def _recipients(registrations):
    recipients = []
    for registration in registrations.select_related("person"):
        person = registration.person
        if registration.phone:
            number = registration.phone
        elif person is not None and person.phone_verified and person.is_active and person.erased_at is None:
            number = person.phone
        else:
            continue
        if _mobile(number):
            recipients.append(
                Recipient(name=registration.display_name, phone=number.as_e164, user_id=registration.person_id)
            )
    return recipients


@register_audience(
    "activity",
    _("Les inscrits à une activité (dates à venir)"),
    choices=_activity_choices,
    choice_label=_("Quelle activité ?"),
)
def activity_registrations(centre, choice):
    return _recipients(
        Registration.objects.filter(occurrence__in=_upcoming(centre).filter(event_id=choice.value)).active()
    )


@register_audience("date", _("Les inscrits à une date"), choices=_date_choices, choice_label=_("Quelle date ?"))
def date_registrations(centre, choice):
    return _recipients(Registration.objects.filter(occurrence__in=_upcoming(centre).filter(pk=choice.value)).active())
