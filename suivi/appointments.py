"""Appointments for one-to-one help: a centre's team opens slots in words, a resident (or the team for them) books one.

A `SlotPattern` is written in the agenda's words (`agenda.recurrence.Schedule`, weekly only) and its bookable
`Slot`s are written at once, in Paris wall-clock time: a 10:00 slot stays 10:00 across the clock changes, which
happen at night, outside the hours a pattern may use. At most one active appointment per slot, in the database
(`suivi_appointment_one_per_slot`) and under a row lock on the slot; a form sent twice is one appointment (its
token is unique). Every write checks who may do it, runs in one transaction and notifies inside it.
"""

import bisect
import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agenda.recurrence import expand, last_date
from core import freshness
from core.errors import NotAllowed, PlacetteError
from core.scheduling import each_locked
from home.templatetags.french import moment
from notifications.services import notify
from quartier.models import centre_ids_run_by, team_of
from suivi import lists
from suivi.models import Appointment, Person, Slot, SlotPattern
from suivi.notices import APPOINTMENT, APPOINTMENT_REMINDER

# The hours a pattern may use: daytime only, so no slot ever falls in the night of a clock change.
EARLIEST = dt.time(7)
LATEST = dt.time(21)
# Slots are opened at most this far ahead, and no more than this many at once.
MAX_DAYS_AHEAD = 366
MAX_SLOTS = 3000
# The resident sees this many free times at once: the next weeks of a centre.
FREE_TIMES_SHOWN = 40
REMIND_BEFORE = dt.timedelta(hours=24)
ACTIVE = (Appointment.Status.BOOKED, Appointment.Status.KEPT, Appointment.Status.MISSED)

Status = Appointment.Status

# "Ce qu'il faut apporter", by theme; a pattern's own text replaces it.
WHAT_TO_BRING = {
    lists.ProcedureTheme.FAMILY: gettext_lazy(
        "Votre numéro d'allocataire CAF, votre mot de passe CAF si vous l'avez, et votre téléphone."
    ),
    lists.ProcedureTheme.MONEY: gettext_lazy(
        "Votre dernier avis d'impôt (il porte votre numéro fiscal), et votre téléphone."
    ),
    lists.ProcedureTheme.SOCIAL_HEALTH: gettext_lazy("Votre carte Vitale, et votre téléphone."),
    lists.Theme.HEALTH: gettext_lazy("Votre carte Vitale, et votre téléphone."),
    lists.ProcedureTheme.WORK: gettext_lazy(
        "Votre identifiant France Travail si vous l'avez, votre CV si vous en avez un, et votre téléphone."
    ),
    lists.Theme.JOBS: gettext_lazy("Votre CV si vous en avez un, et votre téléphone."),
    lists.ProcedureTheme.PAPERS: gettext_lazy(
        "Votre pièce d'identité, un justificatif de domicile, et votre téléphone."
    ),
    lists.ProcedureTheme.FOREIGNERS: gettext_lazy(
        "Votre titre de séjour ou votre récépissé, votre passeport, et votre téléphone."
    ),
    lists.ProcedureTheme.HOUSING: gettext_lazy(
        "Votre dernier avis d'impôt, votre bail si vous en avez un, et votre téléphone."
    ),
    lists.Theme.EMAIL: gettext_lazy(
        "Votre téléphone chargé, et l'adresse e-mail et son mot de passe si vous en avez une."
    ),
    lists.Theme.DEVICE: gettext_lazy("Votre téléphone ou votre tablette chargé, avec son code de déverrouillage."),
    lists.Theme.BANKING: gettext_lazy(
        "Votre téléphone chargé, et votre identifiant de banque (jamais votre code de carte)."
    ),
}
BRING_ANYWAY = gettext_lazy("Votre téléphone chargé, et les papiers de votre démarche si vous en avez.")


class SlotRefused(PlacetteError):
    """Slots that cannot be opened: in the past, overlapping a mediator's other slots, or none at all."""


class SlotTaken(PlacetteError):
    """Someone else has just booked this time (or it has passed)."""


class PersonBusy(PlacetteError):
    """The person already has an appointment at that time."""


class AppointmentRefused(PlacetteError):
    pass


def what_to_bring(pattern, theme):
    """The short list the confirmation and the reminder show."""
    return pattern.what_to_bring or str(WHAT_TO_BRING.get(theme, BRING_ANYWAY))


def wall_clock(day, time):
    """`day` at `time`, Paris wall-clock time, whatever the offset is that day."""
    return timezone.make_aware(dt.datetime.combine(day, time))


def slot_times(*, first_date, recurrence, start_time, end_time, length_minutes, exceptions=()):
    """Every (start, end) of a pattern: each of its dates, cut into slots of `length_minutes` from `start_time`."""
    dates = expand(
        first_date,
        recurrence,
        exceptions=exceptions,
        since=first_date,
        until=last_date(first_date, recurrence),
    )
    length = dt.timedelta(minutes=length_minutes)
    times = []
    for day in dates:
        start = dt.datetime.combine(day, start_time)
        while start + length <= dt.datetime.combine(day, end_time):
            times.append((wall_clock(day, start.time()), wall_clock(day, (start + length).time())))
            start += length
    return times


def _check_runs(user, centre):
    if centre.pk not in centre_ids_run_by(user):
        raise NotAllowed(_("Seule l'équipe du centre peut ouvrir ses rendez-vous."))


def _overlaps(mediators, times):
    """The first new slot that overlaps one of the mediators' slots already open, with that mediator; or None."""
    first, last = times[0][0], times[-1][1]
    existing = {}
    for mediator_id, start, end in (
        Slot.objects.filter(mediator__in=mediators, start__lt=last, end__gt=first)
        .order_by("start")
        .values_list("mediator_id", "start", "end")
    ):
        existing.setdefault(mediator_id, []).append((start, end))
    for mediator in mediators:
        taken = existing.get(mediator.pk, [])
        starts = [start for start, _end in taken]
        for start, end in times:
            index = bisect.bisect_left(starts, end)
            # The slot just before `end` is the only one that can overlap: slots of one mediator never overlap.
            if index and taken[index - 1][1] > start:
                return mediator, start
    return None


def open_slots(
    centre,
    by,
    *,
    first_date,
    recurrence,
    start_time,
    end_time,
    length_minutes,
    mediators,
    themes,
    exceptions=(),
    what_to_bring="",
    now=None,
):
    """Open a pattern's slots for each of `mediators`; refused in the past or over a mediator's other slots."""
    _check_runs(by, centre)
    now = now or timezone.now()
    team = set(team_of(centre).values_list("pk", flat=True))
    if not mediators or any(mediator.pk not in team for mediator in mediators):
        raise NotAllowed(_("Choisissez des médiateurs de l'équipe du centre."))
    if start_time < EARLIEST or end_time > LATEST:
        raise SlotRefused(_("Les rendez-vous se donnent entre 7 h et 21 h."))
    if first_date < timezone.localdate(now):
        raise SlotRefused(_("Cette date est passée. Choisissez aujourd'hui ou une date à venir."))
    if last_date(first_date, recurrence) > timezone.localdate(now) + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise SlotRefused(_("Ouvrez des rendez-vous pour un an au plus."))
    times = slot_times(
        first_date=first_date,
        recurrence=recurrence,
        start_time=start_time,
        end_time=end_time,
        length_minutes=length_minutes,
        exceptions=exceptions,
    )
    if not times:
        raise SlotRefused(_("Ces horaires ne donnent aucun rendez-vous : vérifiez les jours, les heures et la durée."))
    if times[0][0] <= now:
        raise SlotRefused(_("Le premier rendez-vous serait déjà passé. Commencez à une date à venir."))
    if len(times) * len(mediators) > MAX_SLOTS:
        raise SlotRefused(_("C'est trop de rendez-vous d'un coup : ouvrez-les pour moins longtemps."))
    with transaction.atomic():
        # Two teammates opening hours for the same mediator at once: one after the other, each sees the other's.
        list(get_user_model().objects.select_for_update().filter(pk__in=[m.pk for m in mediators]).order_by("pk"))
        overlap = _overlaps(mediators, times)
        if overlap:
            mediator, start = overlap
            raise SlotRefused(
                _("%(name)s a déjà un rendez-vous ouvert le %(when)s : choisissez d'autres heures.")
                % {"name": mediator, "when": moment(start)}
            )
        pattern = SlotPattern.objects.create(
            centre=centre,
            recurrence=recurrence,
            first_date=first_date,
            start_time=start_time,
            end_time=end_time,
            length_minutes=length_minutes,
            exceptions=sorted(day.isoformat() for day in exceptions),
            themes=list(dict.fromkeys(themes)),
            what_to_bring=what_to_bring.strip(),
            opened_by=by,
        )
        pattern.mediators.set(mediators)
        Slot.objects.bulk_create(
            Slot(pattern=pattern, centre=centre, mediator=mediator, start=start, end=end)
            for mediator in mediators
            for start, end in times
        )
    return pattern


def active(appointments):
    return appointments.filter(status__in=ACTIVE)


def free_slots(centre_id, *, theme="", now=None):
    """The centre's bookable slots from now on, for `theme` ("": any), soonest first."""
    slots = Slot.objects.filter(centre_id=centre_id, start__gt=now or timezone.now()).exclude(
        Exists(active(Appointment.objects.filter(slot=OuterRef("pk"))))
    )
    if theme:
        patterns = SlotPattern.objects.filter(centre_id=centre_id).values_list("pk", "themes")
        slots = slots.filter(pattern_id__in=[pk for pk, themes in patterns if theme in themes])
    return slots.order_by("start", "pk")


def free_times(centre_id, *, theme="", now=None, limit=FREE_TIMES_SHOWN):
    """The next free times, each once: the first free slot at each time (whichever mediator holds it)."""
    times = {}
    for slot in free_slots(centre_id, theme=theme, now=now)[: limit * 3]:
        times.setdefault(slot.start, slot)
    return list(times.values())[:limit]


def themes_offered(centre_id, *, now=None):
    """The themes of the centre's patterns that still have a free slot, in the national lists' order."""
    open_patterns = free_slots(centre_id, now=now).values("pattern_id")
    offered = set()
    for themes in SlotPattern.objects.filter(pk__in=open_patterns).values_list("themes", flat=True):
        offered.update(themes)
    return [(code, label) for code, label in lists.THEME_LABELS.items() if code in offered]


def _url(appointment):
    return reverse("rdv:appointment", args=[appointment.pk])


def _where(slot):
    return f"{slot.centre.title}, {slot.centre.street_address}, {slot.centre.town}".strip(", ")


def booked_text(appointment):
    slot = appointment.slot
    return _("Rendez-vous pris : %(when)s, %(where)s, avec %(mediator)s. À apporter : %(bring)s") % {
        "when": moment(slot.start),
        "where": _where(slot),
        "mediator": slot.mediator,
        "bring": what_to_bring(slot.pattern, appointment.theme),
    }


def cancelled_text(appointment):
    return _("Votre rendez-vous du %(when)s à %(centre)s est annulé.") % {
        "when": moment(appointment.slot.start),
        "centre": appointment.slot.centre.title,
    }


def reminder_text(appointment):
    slot = appointment.slot
    return _("Rappel : rendez-vous %(when)s, %(where)s. À apporter : %(bring)s") % {
        "when": moment(slot.start),
        "where": _where(slot),
        "bring": what_to_bring(slot.pattern, appointment.theme),
    }


def _tell(appointment, kind, text, *, by):
    person = appointment.person
    if person.user_id is None:
        return  # someone without an account: the desk calls them
    notify(
        person.user,
        kind,
        text,
        url=_url(appointment),
        actor=by if by is not None and by.pk != person.user_id else None,
        centre=appointment.slot.centre,
    )


def _same_person(person):
    """Every appointment row of this person: all their centres' when they have an account."""
    return Q(person__user_id=person.user_id) if person.user_id else Q(person=person)


def book(slot_id, person, *, theme="", token, by):
    """Book `slot_id` for `person` (a row of the slot's centre); the same `token` again returns the same booking."""
    earlier = Appointment.objects.filter(token=token).select_related("slot").first()
    if earlier is not None:
        if earlier.person_id != person.pk:
            raise NotAllowed(_("Ce formulaire a déjà servi. Recommencez depuis la liste des heures."))
        return earlier
    with transaction.atomic():
        # Locked in this order, the person then the slot, by every booking: two never wait on each other.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        slot = (
            Slot.objects.select_for_update(of=("self",))
            .select_related("centre", "pattern", "mediator")
            .get(pk=slot_id)
        )
        if slot.centre_id != person.centre_id:
            raise NotAllowed(_("Ce rendez-vous est celui d'un autre centre."))
        if slot.start <= timezone.now():
            raise SlotTaken(_("Cette heure est passée. Choisissez une autre heure."))
        if theme and theme not in slot.pattern.themes:
            raise AppointmentRefused(_("Ce thème n'est pas proposé à cette heure. Choisissez une autre heure."))
        if active(Appointment.objects.filter(slot=slot)).exists():
            raise SlotTaken(_("Quelqu'un vient de prendre cette heure. Choisissez une autre heure."))
        busy = active(
            Appointment.objects.filter(_same_person(person), slot__start__lt=slot.end, slot__end__gt=slot.start)
        )
        if busy.exists():
            raise PersonBusy(_("Il y a déjà un rendez-vous pour cette personne à cette heure-là."))
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    slot=slot, person=person, theme=theme, token=token, booked_by=by or person.user
                )
        except IntegrityError:
            # Only without row locks (SQLite) does a second booking get here: the database refuses it.
            raise SlotTaken(_("Quelqu'un vient de prendre cette heure. Choisissez une autre heure.")) from None
        _tell(appointment, APPOINTMENT.key, booked_text(appointment), by=by)
    return appointment


def _locked(appointment_id):
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot__centre", "slot__pattern", "slot__mediator", "person")
        .get(pk=appointment_id)
    )


def cancel(appointment_id, user, *, by=None):
    """Cancel a coming appointment: by its person (`user`) or their centre's team; the slot is free again."""
    with transaction.atomic():
        appointment = _locked(appointment_id)
        own = appointment.person.user_id == user.pk
        if not own and appointment.slot.centre_id not in centre_ids_run_by(user):
            raise NotAllowed(_("Ce rendez-vous n'est pas le vôtre."))
        if appointment.status != Status.BOOKED or appointment.slot.start <= timezone.now():
            raise AppointmentRefused(_("Ce rendez-vous est passé ou déjà annulé : il ne peut plus être annulé."))
        appointment.status = Status.CANCELLED
        appointment.save(update_fields=["status"])
        by = by or user
        if by.pk != appointment.person.user_id:
            _tell(appointment, APPOINTMENT.key, cancelled_text(appointment), by=by)
    return appointment


def mark(appointment_id, by, *, kept):
    """The team notes a past appointment as kept or missed (and may correct it)."""
    with transaction.atomic():
        appointment = _locked(appointment_id)
        if appointment.slot.centre_id not in centre_ids_run_by(by):
            raise NotAllowed(_("Ce rendez-vous n'est pas celui d'un de vos centres."))
        if appointment.status == Status.CANCELLED:
            raise AppointmentRefused(_("Ce rendez-vous a été annulé."))
        if appointment.slot.start > timezone.now():
            raise AppointmentRefused(_("Ce rendez-vous n'a pas encore eu lieu."))
        appointment.status = Status.KEPT if kept else Status.MISSED
        appointment.save(update_fields=["status"])
    return appointment


def send_due_reminders(now=None):
    """Remind each person with an account of their appointment, once, the day before."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=Status.BOOKED,
        reminded_at__isnull=True,
        person__user__isnull=False,
        slot__start__gt=now,
        slot__start__lte=now + REMIND_BEFORE,
    )
    sent = 0
    related = ("slot__centre", "slot__pattern", "person__user")
    for appointment in each_locked(due, related=related, limit=1000, reminded_at__isnull=True, status=Status.BOOKED):
        # reminded_at is written with the notification, in the row's own transaction.
        appointment.reminded_at = now
        appointment.save(update_fields=["reminded_at"])
        _tell(appointment, APPOINTMENT_REMINDER.key, reminder_text(appointment), by=None)
        sent += 1
    return sent


def record_initial(appointment):
    """What "Noter l'accompagnement" starts from after a kept appointment: the person, theme, date and length."""
    theme = appointment.theme
    length = appointment.slot.pattern.length_minutes
    return {
        "person": appointment.person_id,
        "date": timezone.localdate(appointment.slot.start),
        "themes": [theme] if theme in lists.Theme.values else [],
        "procedure_themes": [theme] if theme in lists.ProcedureTheme.values else [],
        **({"duration_minutes": length} if length in lists.DURATIONS else {}),
    }


# A pattern, its slots and their appointments show on the centre's public pages ("Prendre rendez-vous").
freshness.in_centre(SlotPattern, lambda pattern: pattern.centre_id)
freshness.in_centre(Slot, lambda slot: slot.centre_id)
freshness.in_centre(Appointment, lambda appointment: appointment.slot.centre_id)
