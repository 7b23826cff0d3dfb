"""Every write of the agenda: materialising dates, registrations, the waitlist, cancellations, attendance, reminders.

Seats are taken and given back only while the occurrence row is locked (`select_for_update`), in the
transaction that writes the registration, so that however many people click at once there are never
more confirmed registrations than seats. Each change tells the person concerned through `notify()`,
and the page's followers through the occurrence's public topic, both after commit.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import check_may_act_for
from agenda import notices
from agenda.models import CalendarToken, EventPage, Occurrence, Registration
from agenda.recurrence import expand
from core import topics
from core.errors import NotAllowed, PlacetteError
from core.scheduling import each_locked
from notifications.services import notify
from quartier.models import CentrePage

Status = Registration.Status


class RegistrationRefused(PlacetteError):
    pass


def horizon(today=None):
    """The last day for which occurrences exist: rules are expanded this far, and no further."""
    return (today or timezone.localdate()) + timedelta(days=settings.AGENDA_HORIZON_DAYS)


@transaction.atomic
def materialise(event, *, today=None):
    """Write the occurrences of a published activity from today to the horizon.

    Dates already written keep their registrations: a new time moves them (and tells who registered),
    a date the editor removed is cancelled when people registered, deleted otherwise.
    """
    today = today or timezone.localdate()
    days = expand(
        event.start_date,
        event.recurrence,
        extra_dates=[extra.date for extra in event.extra_dates.all()],
        exceptions=[exception.date for exception in event.exceptions.all()],
        since=today,
        until=horizon(today),
    )
    centre_id = event.get_parent().pk
    capacity = event.capacity if event.registration_required else None
    listed = is_listed(event)
    existing = {
        occurrence.planned_date: occurrence
        for occurrence in Occurrence.objects.select_for_update().filter(event=event, planned_date__gte=today)
    }
    created, changed, moved = [], [], []
    for day in days:
        start, end = event.span(day)
        occurrence = existing.pop(day, None)
        if occurrence is None:
            created.append(
                Occurrence(
                    event=event,
                    centre_id=centre_id,
                    planned_date=day,
                    start=start,
                    end=end,
                    capacity=capacity,
                    registration_required=event.registration_required,
                    remind_at=event.remind_at(start),
                    listed=listed,
                )
            )
            continue
        if not occurrence.moved and (occurrence.start, occurrence.end) != (start, end):
            occurrence.start, occurrence.end = start, end
            moved.append(occurrence)
        occurrence.centre_id = centre_id
        occurrence.capacity = capacity
        occurrence.registration_required = event.registration_required
        occurrence.remind_at = event.remind_at(occurrence.start)
        changed.append(occurrence)
    Occurrence.objects.bulk_create(created)
    Occurrence.objects.bulk_update(
        changed, ["centre", "start", "end", "capacity", "registration_required", "remind_at"]
    )
    # Past dates too: they stay readable on the activity's page and in people's history.
    Occurrence.objects.filter(event=event).exclude(listed=listed).update(listed=listed)
    for occurrence in moved:
        _tell_registered(occurrence, notices.OCCURRENCE_CHANGED.key, notices.occurrence_moved_text(occurrence))
        occurrence.registrations.filter(reminded_at__isnull=False).update(reminded_at=None)
    for occurrence in changed:
        _promote_waitlist(occurrence)
    for occurrence in existing.values():
        if occurrence.registrations.active().exists():
            if not occurrence.is_cancelled:
                _cancel(occurrence, reason=_("Cette date a été retirée du programme."), by=None)
        else:
            occurrence.delete()
    return len(created), len(changed), len(existing)


def is_listed(event):
    """Whether anyone may see the activity: published, and no view restriction on it or above it."""
    return event.live and EventPage.objects.filter(pk=event.pk).public().exists()


def refresh_listed(events):
    """Recompute `Occurrence.listed` for these activities (after an unpublish or a view restriction change)."""
    public = EventPage.objects.filter(pk__in=events).live().public().values("pk")
    Occurrence.objects.filter(event__in=events).update(
        listed=Case(When(event__in=public, then=Value(True)), default=Value(False))
    )


def extend_horizon(today=None):
    """Materialise every published activity up to today's horizon; returns how many dates were added."""
    today = today or timezone.localdate()
    events = (
        EventPage.objects.live()
        .filter(Q(start_date__gte=today) | ~Q(recurrence="") | Q(extra_dates__date__gte=today))
        .distinct()
        .prefetch_related("extra_dates", "exceptions")
    )
    added = 0
    for event in events.iterator(chunk_size=200):
        added += materialise(event, today=today)[0]
    return added


def _locked(occurrence_id):
    # Only the occurrence row is locked (`of`): its activity and centre pages stay free for editors.
    return Occurrence.objects.select_for_update(of=("self",)).select_related("event", "centre").get(pk=occurrence_id)


def _check_open(occurrence, *, until_the_end=False):
    if occurrence.is_cancelled:
        raise RegistrationRefused(_("Cette date est annulée : on ne peut plus s'y inscrire."))
    if (occurrence.end if until_the_end else occurrence.start) <= timezone.now():
        raise RegistrationRefused(_("Cette date est passée : on ne peut plus s'y inscrire."))
    if not occurrence.registration_required:
        raise RegistrationRefused(_("Cette activité est sans inscription : venez directement."))
    if not occurrence.event.live:
        raise RegistrationRefused(_("Cette activité n'est pas publiée."))


def check_open_for_registration(occurrence):
    """Raise RegistrationRefused, with the reason in French, when nobody may register to this date any more."""
    _check_open(occurrence)


def _count(occurrence, *, seats=0, waiting=0):
    """Add to the seats taken and to the waitlist's length; the caller holds the row lock."""
    occurrence.confirmed_count = F("confirmed_count") + seats
    occurrence.waitlist_count = F("waitlist_count") + waiting
    occurrence.save(update_fields=["confirmed_count", "waitlist_count"])
    occurrence.refresh_from_db(fields=["confirmed_count", "waitlist_count"])


def _take_seat_or_queue(occurrence, registration):
    if occurrence.capacity is None or occurrence.confirmed_count < occurrence.capacity:
        registration.status = Status.CONFIRMED
        _count(occurrence, seats=1)
    else:
        registration.status = Status.WAITLISTED
        registration.queued_at = timezone.now()
        _count(occurrence, waiting=1)


def _tell(person, kind, text, occurrence, *, by=None):
    """Notify `person` about a date, with a link to the activity's page."""
    notify(person, kind, text, url=occurrence.event.url, actor=by, centre=occurrence.centre)


def register(occurrence_id, person, *, by=None):
    """Register `person` (signed in; or by a mediator allowed to act for them), confirmed or on the waitlist."""
    check_may_act_for(
        by, person, refusal=_("Vous ne pouvez pas inscrire cette personne : elle n'a pas donné son accord.")
    )
    with transaction.atomic():
        occurrence = _locked(occurrence_id)
        _check_open(occurrence)
        if occurrence.registrations.active().filter(person=person).exists():
            raise RegistrationRefused(_("Votre inscription à cette date est déjà notée."))
        registration = Registration(occurrence=occurrence, person=person, registered_by=by)
        _take_seat_or_queue(occurrence, registration)
        registration.save()
        _tell(person, notices.REGISTERED.key, notices.registered_text(registration), occurrence, by=by)
        _broadcast_seats(occurrence)
    return registration


def register_at_front_desk(occurrence_id, *, name, phone="", by):
    """Staff register someone without an account, by name (and phone), under the same capacity rules.

    Unlike residents online, someone arriving late at the desk is still added until the activity ends.
    """
    with transaction.atomic():
        occurrence = _locked(occurrence_id)
        _check_may_run(by, occurrence)
        _check_open(occurrence, until_the_end=True)
        registration = Registration(occurrence=occurrence, name=name.strip(), phone=phone, registered_by=by)
        _take_seat_or_queue(occurrence, registration)
        registration.save()
        _broadcast_seats(occurrence)
    return registration


def registrations_cancellable_by(user):
    """Registrations `user` may cancel: their own, and every one on the agenda of the centres they run."""
    own = Registration.objects.filter(person=user)
    return own | Registration.objects.filter(occurrence__centre__in=CentrePage.objects.run_by(user))


def cancel_registration(registration_id, user, *, by=None):
    """Cancel a registration (`user`'s own, or by staff), possibly `by` a mediator acting for `user`.

    The seat goes to the first on the waitlist.
    """
    check_may_act_for(by, user)
    with transaction.atomic():
        registration = registrations_cancellable_by(user).select_related("person").get(pk=registration_id)
        occurrence = _locked(registration.occurrence_id)
        registration.refresh_from_db()
        if registration.status not in (Status.CONFIRMED, Status.WAITLISTED):
            raise RegistrationRefused(_("Cette inscription est déjà annulée."))
        if occurrence.is_past:
            raise RegistrationRefused(_("Cette date est passée : l'inscription ne peut plus être annulée."))
        held_seat = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        if held_seat:
            _count(occurrence, seats=-1)
        else:
            _count(occurrence, waiting=-1)
        if registration.person_id and registration.person_id != user.pk:
            _tell(
                registration.person,
                notices.REGISTERED.key,
                notices.cancelled_registration_text(occurrence),
                occurrence,
                by=user,
            )
        _promote_waitlist(occurrence)
        _broadcast_seats(occurrence)
    return registration


def _promote_waitlist(occurrence):
    """Give free seats to the waitlist, first come first served; the caller holds the row lock."""
    if occurrence.is_cancelled:
        return
    while occurrence.capacity is None or occurrence.confirmed_count < occurrence.capacity:
        waiting = (
            occurrence.registrations.filter(status=Status.WAITLISTED)
            .select_related("person")
            .order_by("queued_at", "pk")
            .first()
        )
        if waiting is None:
            return
        waiting.status = Status.CONFIRMED
        waiting.save(update_fields=["status"])
        occurrence.confirmed_count += 1
        occurrence.waitlist_count -= 1
        Occurrence.objects.filter(pk=occurrence.pk).update(
            confirmed_count=occurrence.confirmed_count, waitlist_count=occurrence.waitlist_count
        )
        if waiting.person_id:
            _tell(waiting.person, notices.REGISTERED.key, notices.promoted_text(occurrence), occurrence)


def _check_may_run(user, occurrence):
    if not CentrePage.objects.run_by(user).filter(pk=occurrence.centre_id).exists():
        raise NotAllowed(_("Seule l'équipe du centre de cette activité peut faire cela."))


def _tell_registered(occurrence, kind, text, *, by=None):
    for registration in occurrence.registrations.active().filter(person__isnull=False).select_related("person"):
        _tell(registration.person, kind, text, occurrence, by=by)


def _cancel(occurrence, *, reason, by):
    occurrence.status = Occurrence.Status.CANCELLED
    occurrence.cancel_reason = reason
    occurrence.save(update_fields=["status", "cancel_reason"])
    _tell_registered(occurrence, notices.OCCURRENCE_CHANGED.key, notices.occurrence_cancelled_text(occurrence), by=by)
    topics.broadcast(
        occurrence.topic,
        "cancelled",
        seats=str(occurrence.seats_in_words()),
        message=_("Cette date vient d'être annulée."),
    )


def cancel_occurrence(occurrence_id, *, by, reason=""):
    """Staff cancel one date; everyone registered is told (registrations stay, for the record)."""
    with transaction.atomic():
        occurrence = _locked(occurrence_id)
        _check_may_run(by, occurrence)
        if occurrence.is_cancelled:
            raise RegistrationRefused(_("Cette date est déjà annulée."))
        if occurrence.is_past:
            raise RegistrationRefused(_("Cette date est passée : elle ne peut plus être annulée."))
        _cancel(occurrence, reason=reason.strip(), by=by)
    return occurrence


def move_occurrence(occurrence_id, *, by, start, end):
    """Staff move one date to another day or time; everyone registered is told, and reminded again."""
    if end <= start:
        raise RegistrationRefused(_("L'heure de fin doit venir après l'heure de début."))
    if start <= timezone.now():
        raise RegistrationRefused(_("Cette date est passée. Choisissez un moment à venir."))
    with transaction.atomic():
        occurrence = _locked(occurrence_id)
        _check_may_run(by, occurrence)
        if occurrence.is_cancelled:
            raise RegistrationRefused(_("Cette date est annulée : elle ne peut pas être déplacée."))
        occurrence.start, occurrence.end, occurrence.moved = start, end, True
        occurrence.remind_at = occurrence.event.remind_at(start)
        occurrence.save(update_fields=["start", "end", "moved", "remind_at"])
        occurrence.registrations.update(reminded_at=None)
        _tell_registered(occurrence, notices.OCCURRENCE_CHANGED.key, notices.occurrence_moved_text(occurrence), by=by)
        topics.broadcast(
            occurrence.topic, "moved", message=_("Cette date vient de changer d'horaire. Rechargez la page.")
        )
    return occurrence


def mark_attendance(registration_id, *, by, present):
    """Staff of the centre mark someone present or absent, from the day of the activity."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("occurrence").get(pk=registration_id)
        )
        _check_may_run(by, registration.occurrence)
        if registration.status not in Registration.SEAT_HOLDING:
            raise RegistrationRefused(_("Seules les personnes inscrites peuvent être notées présentes ou absentes."))
        if timezone.localtime(registration.occurrence.start).date() > timezone.localdate():
            raise RegistrationRefused(_("La présence se note le jour de l'activité, pas avant."))
        registration.status = Status.ATTENDED if present else Status.ABSENT
        registration.save(update_fields=["status"])
    return registration


def send_due_reminders(now=None):
    """Tell each confirmed person about their activity once, when its reminder time has come."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        person__isnull=False,
        reminded_at__isnull=True,
        occurrence__status=Occurrence.Status.SCHEDULED,
        occurrence__remind_at__lte=now,
        occurrence__start__gt=now,
    )
    sent = 0
    related = ("person", "occurrence__event__place", "occurrence__centre")
    for registration in each_locked(
        due, related=related, limit=1000, reminded_at__isnull=True, status=Status.CONFIRMED
    ):
        # reminded_at is written with the notification, in the row's own transaction.
        registration.reminded_at = now
        registration.save(update_fields=["reminded_at"])
        occurrence = registration.occurrence
        _tell(registration.person, notices.REMINDER.key, notices.reminder_text(occurrence), occurrence)
        sent += 1
    return sent


def _broadcast_seats(occurrence):
    topics.broadcast(occurrence.topic, "seats", seats=str(occurrence.seats_in_words()))


def renew_calendar_token(person):
    """Give the person a new secret calendar address; the old one stops working at once.

    One row per person, changed in place under a row lock (`update_or_create`): two clicks at the same
    moment renew it one after the other, where deleting then creating made the second click fail.
    """
    token, _created = CalendarToken.objects.update_or_create(
        person=person, defaults={"token": secrets.token_urlsafe(), "created_at": timezone.now()}
    )
    return token
