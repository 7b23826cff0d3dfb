"""Every write about mediation records and the people helped: checks first, one transaction each."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Registration
from core.errors import NotAllowed, PlacetteError
from quartier.models import centre_ids_run_by, team_of
from suivi import lists
from suivi.models import BANDS, MediationRecord, Participant, Person, RecordTheme


class NoParticipant(PlacetteError):
    """A record must be about someone: a person, or the present of a workshop's date."""


def _check_runs(user, centre):
    if centre.pk not in centre_ids_run_by(user):
        raise NotAllowed(_("Seule l'équipe du centre peut noter ses accompagnements."))


def person_for_account(centre, user):
    """The centre's row for someone with an account, made the first time they are helped there."""
    try:
        with transaction.atomic():
            person, _created = Person.objects.get_or_create(centre=centre, user=user)
    except IntegrityError:
        # Two mediators noting the same person at once: the other one made the row.
        person = Person.objects.get(centre=centre, user=user)
    return person


def add_person(centre, *, label, by):
    """An anonymous person of the centre, known to the team by `label` (initials, a nickname)."""
    _check_runs(by, centre)
    return Person.objects.create(centre=centre, label=label.strip())


def attendance_of(occurrence):
    """The present of a workshop's date: their people in the centre, and how many came without an account."""
    present = Registration.objects.filter(occurrence=occurrence, status=Registration.Status.ATTENDED)
    people = [person_for_account(occurrence.centre, user) for user in _users(present)]
    return people, present.filter(person__isnull=True).count()


def _users(registrations):
    return (
        get_user_model()
        .objects.filter(pk__in=registrations.filter(person__isnull=False).values("person_id"))
        .order_by("pk")
    )


def _participant(record, person, earlier):
    """`person`'s participation, with their bands as they are today (none without consent)."""
    participant = Participant(record=record, person=person)
    if person.consent_given_at is not None:
        for name in BANDS:
            setattr(participant, name, getattr(person, name))
        # A first visit is counted once: at the first record of the person in the centre.
        if person.first_visit and person.pk in earlier:
            participant.first_visit = False
    return participant


def record_session(
    centre,
    by,
    *,
    kind,
    date,
    duration_minutes,
    place_type,
    themes,
    people=(),
    occurrence=None,
    mediators=(),
    **details,
):
    """Note a session, a workshop or a procedure done; a workshop's date adds the people marked present there.

    `details` are the record's other fields (equipment, autonomy, redirection, procedure detail, what remains).
    """
    _check_runs(by, centre)
    people = list(people)
    anonymous = 0
    if occurrence is not None:
        if occurrence.centre_id != centre.pk:
            raise NotAllowed(_("Cet atelier n'est pas une activité du centre."))
        present, anonymous = attendance_of(occurrence)
        people += [person for person in present if person not in people]
    _check_people(centre, people)
    if not people and not anonymous:
        raise NoParticipant(_("Dites qui a été aidé : une personne, ou un atelier où des présents sont notés."))
    with transaction.atomic():
        record = MediationRecord(
            centre=centre,
            kind=kind,
            date=date,
            duration_minutes=duration_minutes,
            place_type=place_type,
            occurrence=occurrence if kind == lists.Kind.WORKSHOP else None,
            recorded_by=by,
        )
        _write(record, by, themes=themes, mediators=mediators, **details)
        earlier = _seen_before(people, record)
        Participant.objects.bulk_create(
            [_participant(record, person, earlier) for person in people]
            + [Participant(record=record) for _index in range(anonymous)]
        )
    return record


def update_record(record, by, *, kind, date, duration_minutes, place_type, themes, person=None, **details):
    """Change what a record says; its one person may change, never the bands copied on its participations.

    The line "modifié le … par …" keeps the last change. A new person gets their bands as they are today.
    """
    _check_runs(by, record.centre)
    if person is not None:
        _check_people(record.centre, [person])
    with transaction.atomic():
        record = MediationRecord.objects.select_for_update().get(pk=record.pk)
        record.kind, record.date, record.duration_minutes, record.place_type = kind, date, duration_minutes, place_type
        if kind != lists.Kind.WORKSHOP:
            record.occurrence = None
        record.updated_by, record.updated_at = by, timezone.now()
        _write(record, by, themes=themes, **details)
        if person is not None and not record.participants.filter(person=person).exists():
            record.participants.all().delete()
            _participant(record, person, _seen_before([person], record)).save()
    return record


def delete_record(record, by):
    """The record goes with its themes and participations: it leaves the figures too."""
    _check_runs(by, record.centre)
    record.delete()


def _check_people(centre, people):
    if any(person.centre_id != centre.pk for person in people):
        raise NotAllowed(_("Cette personne n'est pas suivie par le centre."))


def _seen_before(people, record):
    """Which of `people` already took part in another record: their first visit was then."""
    return set(
        Participant.objects.filter(person__in=people)
        .exclude(record=record)
        .values_list("person_id", flat=True)
        .distinct()
    )


def _write(
    record,
    by,
    *,
    themes,
    mediators=(),
    equipment=(),
    autonomy="",
    redirected=False,
    redirected_to="",
    procedure_detail="",
    workshop_title="",
    workshop_level="",
    remaining="",
    follow_up_on=None,
):
    """Save `record` with these fields, its themes and its mediators (the team only; `by` when none)."""
    record.equipment = list(equipment)
    record.autonomy = autonomy
    record.redirected = redirected
    record.redirected_to = redirected_to if redirected else ""
    record.procedure_detail = procedure_detail if record.kind == lists.Kind.PROCEDURE else ""
    workshop = record.kind == lists.Kind.WORKSHOP
    record.workshop_title = workshop_title if workshop else ""
    record.workshop_level = workshop_level if workshop else ""
    record.remaining = remaining
    record.follow_up_on = follow_up_on
    record.save()
    team = set(team_of(record.centre).values_list("pk", flat=True))
    record.mediators.set([mediator for mediator in mediators if mediator.pk in team] or [by])
    record.themes.all().delete()
    RecordTheme.objects.bulk_create(RecordTheme(record=record, theme=theme) for theme in dict.fromkeys(themes))


def set_bands(person, by, *, consent, **bands):
    """Note a person's bands with their consent; without it, nothing is stored and a given consent ends."""
    _check_runs(by, person.centre)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if consent:
            for name, value in bands.items():
                setattr(person, name, value)
            if person.consent_given_at is None:
                person.consent_given_at, person.consent_recorded_by = timezone.now(), by
        else:
            person.consent_given_at = person.consent_recorded_by = None
        person.save()
    return person


def erase_bands(person):
    """Erase a person's bands and consent, and the copies on their participations: nothing stays linked to them.

    Their sessions stay, counted with bands "non communiqué": the person asked to erase who they are, not that
    they were helped (docs/adr/0014).
    """
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(
            consent_given_at=None,
            consent_recorded_by=None,
            gender="",
            age_band="",
            commune="",
            situation="",
            first_visit=None,
        )
        Participant.objects.filter(person=person).update(
            gender="", age_band="", commune="", situation="", first_visit=None
        )


def forget_people_of_erased_account(user):
    """The account goes: its participations stay in the figures with their bands, linked to nobody."""
    people = Person.objects.filter(user=user)
    # A one-person record's words and follow-up were about them.
    alone = MediationRecord.objects.filter(participants__person__in=people).exclude(kind=lists.Kind.WORKSHOP)
    MediationRecord.objects.filter(pk__in=alone.values("pk")).update(remaining="", follow_up_on=None)
    Participant.objects.filter(person__in=people).update(person=None)
    people.delete()


def anonymise_records(record_ids, *, dry_run=False):
    """Old records stay in the figures linked to nobody, without the words that could name someone.

    Their bands stay on the participations, as after an account's erasure (docs/adr/0014): anonymous counts.
    """
    if dry_run:
        return MediationRecord.objects.filter(pk__in=record_ids).count()
    with transaction.atomic():
        ids = list(MediationRecord.objects.filter(pk__in=record_ids).values_list("pk", flat=True))
        Participant.objects.filter(record_id__in=ids).update(person=None)
        MediationRecord.objects.filter(pk__in=ids).update(
            remaining="", procedure_detail="", follow_up_on=None, followed_up_at=None
        )
    return len(ids)


def mark_followed_up(record_id, by):
    """The follow-up is done: it leaves the list."""
    with transaction.atomic():
        record = MediationRecord.objects.for_centre_team(by).select_for_update().filter(pk=record_id).first()
        if record is None:
            raise NotAllowed(_("Cet accompagnement n'est pas celui d'un de vos centres."))
        record.followed_up_at = timezone.now()
        record.save(update_fields=["followed_up_at"])
    return record
