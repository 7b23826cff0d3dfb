"""Demo mediation records: a believable year in each demo centre, drawn with a fixed seed.

Each centre gets a few hundred sessions over the last year: mostly one-to-one help and procedures done at the
centre, some workshops, themes weighted as a digital-help desk sees them (procedures, e-mail, the phone first),
people with their bands where they agreed (about 58 % women, as in the programme's own figures), and some
follow-ups left to do. `manage.py demo --records N` adds generated records until the network holds N of them,
for the dashboard's benchmark; nothing is added when they are there already.
"""

import datetime as dt
import random
import string
import uuid

from django.db import transaction
from django.utils import timezone

from agenda.recurrence import WEEKDAY_CODES
from quartier.models import Membership
from suivi import appointments, lists
from suivi.communes import COMMUNES
from suivi.models import Appointment, MediationRecord, Participant, Person, RecordTheme, Slot, SlotPattern

RECORDS_PER_CENTRE = 300
SEED = 21
BATCH = 2000

KINDS = [(lists.Kind.INDIVIDUAL, 62), (lists.Kind.PROCEDURE, 26), (lists.Kind.WORKSHOP, 12)]
PLACES = [
    (lists.PlaceType.CENTRE, 84),
    (lists.PlaceType.OUTREACH, 8),
    (lists.PlaceType.REMOTE, 6),
    (lists.PlaceType.HOME, 2),
]
DURATIONS = [(15, 8), (30, 34), (45, 22), (60, 24), (90, 8), (120, 4)]
THEMES = [
    (lists.Theme.EMAIL, 18),
    (lists.Theme.DEVICE, 22),
    (lists.Theme.BROWSING, 12),
    (lists.Theme.SOCIAL, 9),
    (lists.Theme.HEALTH, 10),
    (lists.Theme.BANKING, 6),
    (lists.Theme.JOBS, 7),
    (lists.Theme.SECURITY, 8),
    (lists.Theme.OFFICE, 4),
    (lists.Theme.PARENTING, 4),
]
PROCEDURE_THEMES = [
    (lists.ProcedureTheme.FAMILY, 24),
    (lists.ProcedureTheme.SOCIAL_HEALTH, 22),
    (lists.ProcedureTheme.MONEY, 18),
    (lists.ProcedureTheme.WORK, 12),
    (lists.ProcedureTheme.HOUSING, 10),
    (lists.ProcedureTheme.PAPERS, 8),
    (lists.ProcedureTheme.FOREIGNERS, 4),
    (lists.ProcedureTheme.TRANSPORT, 2),
]
GENDERS = [(lists.Gender.WOMAN, 585), (lists.Gender.MAN, 385), (lists.Gender.UNSAID, 30)]
AGES = [
    (lists.AgeBand.UNDER_12, 1),
    (lists.AgeBand.FROM_12, 2),
    (lists.AgeBand.FROM_18, 7),
    (lists.AgeBand.FROM_25, 18),
    (lists.AgeBand.FROM_40, 30),
    (lists.AgeBand.FROM_60, 22),
    (lists.AgeBand.FROM_70, 20),
]
WORKSHOPS = [
    ("Premiers pas avec son smartphone", lists.WorkshopLevel.BEGINNER),
    ("Envoyer une photo par e-mail", lists.WorkshopLevel.BEGINNER),
    ("Reconnaître un message frauduleux", lists.WorkshopLevel.INTERMEDIATE),
    ("Prendre rendez-vous chez le médecin en ligne", lists.WorkshopLevel.INTERMEDIATE),
    ("Ranger ses photos et ses papiers", lists.WorkshopLevel.ADVANCED),
]
SITUATIONS = [
    (lists.Situation.RETIRED, 36),
    (lists.Situation.JOBLESS, 32),
    (lists.Situation.EMPLOYED, 24),
    (lists.Situation.SCHOOL, 4),
    (lists.Situation.UNSAID, 4),
]
EQUIPMENT = [(["telephone"], 50), (["ordinateur"], 30), (["telephone", "ordinateur"], 10), (["tablette"], 6), ([], 4)]
REMAINING = [
    "Revenir avec l'avis d'imposition.",
    "Attendre le code de la CAF par courrier.",
    "Finir la création du compte ameli.",
    "Rapporter le justificatif de domicile.",
    "Vérifier que le dossier est bien reçu.",
]
# Share of people who agree to give their bands.
CONSENTING = 0.8


def pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def create_records(centres, *, total=None):
    """A year of records in each centre that has none; with `total`, generated ones up to that many in all."""
    made = 0
    for index, centre in enumerate(centres):
        if not MediationRecord.objects.filter(centre=centre).exists():
            made += _year_of_records(centre, RECORDS_PER_CENTRE, random.Random(SEED + index))
    if total:
        missing = total - MediationRecord.objects.count()
        for index, centre in enumerate(centres):
            share = missing // len(centres) + (1 if index < missing % len(centres) else 0)
            if share > 0:
                made += _year_of_records(centre, share, random.Random(SEED * 1000 + index))
    return made


def _mediators(centre):
    return list(Membership.objects.mediators().filter(centre=centre).values_list("user_id", flat=True))


def _people(centre, count, rng, now):
    home = next((code for code, name in COMMUNES.items() if name == centre.town), "59512")
    nearby = list(COMMUNES)
    people = []
    for _index in range(count):
        person = Person(
            centre=centre, label=f"{rng.choice(string.ascii_uppercase)}. {rng.choice(string.ascii_uppercase)}."
        )
        if rng.random() < CONSENTING:
            person.consent_given_at = now
            person.gender = pick(rng, GENDERS)
            person.age_band = pick(rng, AGES)
            person.commune = home if rng.random() < 0.75 else rng.choice(nearby)
            person.situation = pick(rng, SITUATIONS)
            person.first_visit = rng.random() < 0.45
        people.append(person)
    return Person.objects.bulk_create(people, batch_size=BATCH)


def _workshop(kind, rng):
    """A workshop's title and level: the demo's workshops are not in the agenda."""
    if kind != lists.Kind.WORKSHOP:
        return {}
    title, level = rng.choice(WORKSHOPS)
    return {"workshop_title": title, "workshop_level": level}


def _year_of_records(centre, count, rng):
    # A numbered centre of the benchmark's volume has no mediator: its records name nobody.
    mediators = _mediators(centre) or [None]
    today = timezone.localdate()
    with transaction.atomic():
        people = _people(centre, max(count // 3, 1), rng, timezone.now())
        records, chosen = [], []
        for _index in range(count):
            kind = pick(rng, KINDS)
            date = today - dt.timedelta(days=rng.randrange(365))
            if date.weekday() == 6:
                date -= dt.timedelta(days=1)
            redirected = rng.random() < 0.1
            follow_up = rng.random() < 0.12
            records.append(
                MediationRecord(
                    centre=centre,
                    kind=kind,
                    date=date,
                    duration_minutes=120 if kind == lists.Kind.WORKSHOP else pick(rng, DURATIONS),
                    place_type=lists.PlaceType.CENTRE if kind == lists.Kind.WORKSHOP else pick(rng, PLACES),
                    equipment=pick(rng, EQUIPMENT),
                    autonomy=rng.choice(lists.Autonomy.values),
                    redirected=redirected,
                    redirected_to=rng.choice(lists.Redirection.values) if redirected else "",
                    remaining=rng.choice(REMAINING) if follow_up else "",
                    follow_up_on=date + dt.timedelta(days=rng.choice([7, 14, 21])) if follow_up else None,
                    recorded_by_id=rng.choice(mediators),
                    **_workshop(kind, rng),
                )
            )
            size = rng.randint(3, 8) if kind == lists.Kind.WORKSHOP else 1
            chosen.append(rng.sample(people, min(size, len(people))))
        records = MediationRecord.objects.bulk_create(records, batch_size=BATCH)
        themes, links, participants = [], [], []
        through = MediationRecord.mediators.through
        first = {}  # each consenting person's earliest participation: the one counted as a first visit
        for record, attendees in zip(records, chosen, strict=True):
            weighted = PROCEDURE_THEMES if record.kind == lists.Kind.PROCEDURE else THEMES
            for theme in {pick(rng, weighted) for _draw in range(rng.choice([1, 1, 2]))}:
                themes.append(RecordTheme(record=record, theme=theme))
            if record.recorded_by_id:
                links.append(through(mediationrecord_id=record.pk, user_id=record.recorded_by_id))
            for person in attendees:
                participant = Participant(record=record, person=person)
                if person.consent_given_at:
                    for name in ("gender", "age_band", "commune", "situation"):
                        setattr(participant, name, getattr(person, name))
                    participant.first_visit = False
                    if person.first_visit and (person.pk not in first or record.date < first[person.pk][0]):
                        first[person.pk] = (record.date, participant)
                participants.append(participant)
        for _date, participant in first.values():
            participant.first_visit = True
        RecordTheme.objects.bulk_create(themes, batch_size=BATCH)
        through.objects.bulk_create(links, batch_size=BATCH)
        Participant.objects.bulk_create(participants, batch_size=BATCH)
    return len(records)


# Appointments: two weekly patterns per demo centre, some past ones kept or missed, some to come.
APPOINTMENT_PATTERNS = [
    (1, dt.time(14), dt.time(17), 30, [lists.ProcedureTheme.FAMILY, lists.ProcedureTheme.MONEY, lists.Theme.HEALTH]),
    (3, dt.time(9, 30), dt.time(12), 30, [lists.Theme.EMAIL, lists.Theme.DEVICE, lists.Theme.JOBS]),
]


def create_appointments(centres):
    """Two weekly patterns per centre with a mediator, opened eight weeks back; a third of the slots booked."""
    made = 0
    for index, centre in enumerate(centres):
        mediators = list(Membership.objects.mediators().filter(centre=centre).select_related("user")[:1])
        if not mediators or SlotPattern.objects.filter(centre=centre).exists():
            continue
        rng = random.Random(SEED + 500 + index)
        mediator = mediators[0].user
        today = timezone.localdate()
        first = today - dt.timedelta(weeks=8)
        people = list(Person.objects.filter(centre=centre)[:40]) or _people(centre, 10, rng, timezone.now())
        now = timezone.now()
        with transaction.atomic():
            for weekday, start, end, length, themes in APPOINTMENT_PATTERNS:
                rule = f"FREQ=WEEKLY;BYDAY={WEEKDAY_CODES[weekday]};UNTIL={today + dt.timedelta(weeks=8):%Y%m%d}"
                pattern = SlotPattern.objects.create(
                    centre=centre,
                    recurrence=rule,
                    first_date=first,
                    start_time=start,
                    end_time=end,
                    length_minutes=length,
                    themes=themes,
                    opened_by=mediator,
                )
                pattern.mediators.set([mediator])
                times = appointments.slot_times(
                    first_date=first, recurrence=rule, start_time=start, end_time=end, length_minutes=length
                )
                slots = Slot.objects.bulk_create(
                    Slot(pattern=pattern, centre=centre, mediator=mediator, start=begin, end=finish)
                    for begin, finish in times
                )
                booked = []
                for slot in slots:
                    if rng.random() < 0.35:
                        if slot.start < now:
                            status = Appointment.Status.KEPT if rng.random() < 0.8 else Appointment.Status.MISSED
                        else:
                            status = Appointment.Status.BOOKED
                        booked.append(
                            Appointment(
                                slot=slot,
                                person=rng.choice(people),
                                theme=rng.choice([*themes, ""]),
                                status=status,
                                token=uuid.UUID(int=rng.getrandbits(128)),
                                booked_by=mediator,
                            )
                        )
                # One person never holds two appointments at once: the two patterns are on different days.
                Appointment.objects.bulk_create(booked)
                made += len(booked)
    return made
