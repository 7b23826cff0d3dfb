"""Demo content of the agenda: a believable programme in every demo centre.

The programme is what a social centre of the Lille area runs in a season: weekly workshops for people new
to their phone, walk-in help with online procedures, a neighbours' café every other week, a family outing
on the first Saturday of the month and a few one-off events, one of them full with a waitlist. Activities
are published as an editor publishes them, and their dates written by `agenda.services.materialise()`,
the season's past weeks included. The demo residents hold a few registrations, some on dates already past
(marked present or absent), so that "Mes inscriptions" and the mediators' lists have something to show.
Registrations are written as rows, not through `agenda.services.register()`: loading a demo is no event
worth an e-mail or an SMS, and the services refuse a date already past.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from wagtail.rich_text import RichText

from agenda.models import Category, EventPage, ExceptionDate, Occurrence, Place, Registration
from agenda.recurrence import Frequency, Schedule, expand, first_dates
from agenda.services import materialise
from quartier.models import Membership

# The rooms of every demo centre, at the centre's address: (key, name, wheelchair accessible, access in words).
PLACES = [
    ("informatique", "Salle informatique", True, "Rez-de-chaussée, sans marche. Boucle magnétique à l'accueil."),
    ("grande-salle", "Grande salle", True, "Rez-de-chaussée, porte large, toilettes accessibles."),
    ("etage", "Salle de l'étage", False, "Au premier étage, par un escalier de 20 marches, sans ascenseur."),
    ("accueil", "Accueil du centre", True, "De plain-pied, à l'entrée du centre."),
]


@dataclass(frozen=True)
class Activity:
    """One line of a centre's programme; `weekdays` (0 is Monday) or `month_day` (position, weekday) for a rule."""

    slug: str
    title: str
    summary: str
    body: str
    category: str
    place: str
    hours: tuple
    audiences: tuple = ()
    capacity: int | None = None
    price: str = "0"
    weekdays: tuple = ()
    interval: int = 1
    month_day: tuple | None = None
    # One-off activities: how many days from today (shifted a little in each centre).
    in_days: int | None = None

    @property
    def recurring(self):
        return self.in_days is None


def hours(start, end):
    return (dt.time(*start), dt.time(*end))


PROGRAMME = [
    Activity(
        slug="premiers-pas-sur-le-telephone",
        title="Premiers pas sur le téléphone",
        summary="Allumer, appeler, envoyer un message ou une photo : on apprend à son rythme, en petit groupe.",
        body="<p>Apportez votre téléphone chargé et son code. Pas de téléphone ? Le centre en prête un pendant "
        "l'atelier.</p><p>On avance doucement : personne n'est trop vieux pour apprendre.</p>",
        category="atelier-numerique",
        place="informatique",
        hours=hours((14,), (16,)),
        audiences=("seniors", "débutants"),
        capacity=8,
        weekdays=(0,),
    ),
    Activity(
        slug="permanence-demarches-en-ligne",
        title="Permanence démarches en ligne (CAF, impôts, ANTS)",
        summary="Une médiatrice vous aide à faire vos démarches sur internet : CAF, impôts, carte grise, papiers.",
        body="<p>Venez sans rendez-vous. Apportez vos papiers (avis d'imposition, numéro d'allocataire, "
        "carte Vitale) et vos mots de passe si vous les avez.</p><p>La médiatrice ne fait pas à votre place : "
        "elle vous montre, pour que vous puissiez recommencer seul.</p>",
        category="demarches",
        place="informatique",
        hours=hours((9,), (12,)),
        weekdays=(1, 3),
    ),
    Activity(
        slug="cafe-des-voisins",
        title="Café des voisins",
        summary="Un café, des gâteaux et des nouvelles du quartier. On vient quand on veut, on part quand on veut.",
        body="<p>Un moment pour se rencontrer entre voisins, proposer un coup de main ou une idée de sortie.</p>",
        category="rencontre",
        place="grande-salle",
        hours=hours((9, 30), (11,)),
        weekdays=(4,),
        interval=2,
    ),
    Activity(
        slug="sortie-familles",
        title="Sortie familles",
        summary="Une journée dehors avec les enfants : ferme pédagogique, plage ou musée. Le car est compris.",
        body="<p>Départ et retour devant le centre. Prévoyez le pique-nique et des vêtements pour la pluie.</p>"
        "<p>Le prix est par personne ; c'est gratuit pour les enfants de moins de 3 ans.</p>",
        category="sortie",
        place="accueil",
        hours=hours((9, 30), (17, 30)),
        audiences=("familles",),
        capacity=20,
        price="3",
        month_day=(1, 5),
    ),
    Activity(
        slug="atelier-e-mails-et-papiers",
        title="Atelier e-mails et papiers",
        summary="Créer son adresse e-mail, envoyer la photo d'un papier ou un document à un organisme.",
        body="<p>Pour les personnes qui savent déjà allumer un téléphone ou un ordinateur.</p>",
        category="atelier-numerique",
        place="informatique",
        hours=hours((10,), (11, 30)),
        audiences=("débutants",),
        capacity=6,
        weekdays=(2,),
    ),
    Activity(
        slug="gym-douce",
        title="Gym douce",
        summary="Des mouvements simples, assis ou debout, pour garder la forme et l'équilibre.",
        body="<p>Avec une éducatrice sportive. Venez en tenue confortable, avec une bouteille d'eau.</p>",
        category="sante",
        place="grande-salle",
        hours=hours((14, 30), (15, 30)),
        audiences=("seniors",),
        capacity=12,
        price="2",
        weekdays=(3,),
    ),
    Activity(
        slug="aide-aux-devoirs",
        title="Aide aux devoirs",
        summary="Des bénévoles aident les collégiens à faire leurs devoirs et à s'organiser.",
        body="<p>Pour les élèves de la 6e à la 3e. Un goûter est offert.</p>",
        category="famille",
        place="etage",
        hours=hours((16, 30), (18,)),
        audiences=("jeunes",),
        capacity=10,
        weekdays=(1, 3),
    ),
    Activity(
        slug="atelier-cuisine-du-monde",
        title="Atelier cuisine du monde",
        summary="On cuisine ensemble un plat d'ailleurs, puis on le partage. Cette fois : le mafé.",
        body="<p>Les ingrédients sont fournis. Apportez une boîte pour emporter les restes.</p>",
        category="rencontre",
        place="grande-salle",
        hours=hours((14,), (17,)),
        audiences=("familles",),
        capacity=10,
        price="2",
        in_days=9,
    ),
    Activity(
        slug="depistage-sante",
        title="Dépistage santé",
        summary="Tension, sucre dans le sang, vue : un bilan gratuit avec les infirmières du centre d'examens.",
        body="<p>Venez à jeun si vous le pouvez, avec votre carte Vitale. Les résultats sont donnés sur place.</p>",
        category="sante",
        place="grande-salle",
        hours=hours((9,), (12,)),
        audiences=("seniors",),
        capacity=15,
        in_days=16,
    ),
    Activity(
        slug="cine-debat",
        title="Ciné-débat",
        summary="Un film sur le quartier, puis on en parle ensemble autour d'un verre. Entrée libre.",
        body="<p>Le film dure 1 h 30. Le débat est animé par les jeunes du centre.</p>",
        category="rencontre",
        place="grande-salle",
        hours=hours((18, 30), (21,)),
        audiences=("jeunes", "familles"),
        in_days=12,
    ),
]

# Names of people registered at the front desk, without an account.
FRONT_DESK_NAMES = [
    "Monique L.",
    "Ahmed B.",
    "Ginette D.",
    "Samira K.",
    "Jean-Pierre V.",
    "Nadia H.",
    "Françoise M.",
    "Moussa D.",
    "Christiane P.",
    "Rachid A.",
    "Sylvie C.",
    "Kevin T.",
    "Yvette R.",
    "Malika Z.",
    "Daniel G.",
    "Hélène W.",
    "Sofiane M.",
    "Denise F.",
    "Amina S.",
    "Robert N.",
]

Status = Registration.Status


def create_places(centre):
    """The centre's rooms (idempotent); returns them by key."""
    existing = {place.name: place for place in Place.objects.filter(centre=centre)}
    places = {}
    for key, name, wheelchair, access in PLACES:
        place = existing.get(name)
        if place is None:
            place = Place.objects.create(
                centre=centre,
                name=name,
                street_address=centre.street_address,
                postcode=centre.postcode,
                town=centre.town,
                wheelchair_accessible=wheelchair,
                accessibility=access,
            )
        places[key] = place
    return places


def _schedule(activity, until):
    if activity.month_day:
        position, weekday = activity.month_day
        return Schedule(Frequency.MONTHLY, month_position=position, month_weekday=weekday, until=until)
    return Schedule(Frequency.WEEKLY, interval=activity.interval, weekdays=list(activity.weekdays), until=until)


def activity_page(activity, *, places, categories, start_date, recurrence="", exceptions=(), slug=None, times=None):
    """The unsaved page of `activity` in a centre whose rooms are `places`; without its audiences."""
    place = places[activity.place]
    start_time, end_time = times or activity.hours
    return EventPage(
        title=activity.title,
        slug=slug or activity.slug,
        summary=activity.summary,
        body=[("paragraph", RichText(activity.body))],
        category=categories[activity.category],
        place=place,
        price=Decimal(activity.price),
        wheelchair_accessible=place.wheelchair_accessible,
        registration_required=activity.capacity is not None,
        capacity=activity.capacity,
        start_date=start_date,
        start_time=start_time,
        end_time=end_time,
        recurrence=recurrence,
        exceptions=[ExceptionDate(date=day) for day in exceptions],
        # The field's default is text, which only a full_clean() turns into a time.
        reminder_time=dt.time(18),
    )


def create_agenda(centres):
    """Places and the season's programme in each centre, with a few registrations; returns how many were new.

    An activity already there (by its address under the centre) is left as it is, registrations included,
    so running the demo again adds nothing.
    """
    today = timezone.localdate()
    categories = {category.slug: category for category in Category.objects.all()}
    # The season began four weeks ago and ends in about nine months; one week off for the centres' holidays.
    season_start = today - dt.timedelta(days=28)
    season_end = season_start + dt.timedelta(days=300)
    closed_from = today + dt.timedelta(days=49 - today.weekday())
    closed_week = {closed_from + dt.timedelta(days=offset) for offset in range(7)}
    created = 0
    for index, centre in enumerate(centres):
        places = create_places(centre)
        existing = set(EventPage.objects.child_of(centre).values_list("slug", flat=True))
        events = {}
        for activity in PROGRAMME:
            if activity.slug in existing:
                continue
            # The same programme in every centre, but not all on the same day or hour.
            if activity.recurring:
                recurrence = _schedule(activity, season_end).to_rrule()
                start_date = first_dates(season_start, recurrence, limit=1)[0]
                closed = expand(start_date, recurrence, since=min(closed_week), until=max(closed_week))
                shifted = None
                if activity.slug == "premiers-pas-sur-le-telephone" and index % 2:
                    shifted = hours((9, 30), (11, 30))
                event = activity_page(
                    activity,
                    places=places,
                    categories=categories,
                    start_date=start_date,
                    recurrence=recurrence,
                    exceptions=closed,
                    times=shifted,
                )
            else:
                event = activity_page(
                    activity,
                    places=places,
                    categories=categories,
                    start_date=today + dt.timedelta(days=activity.in_days + 3 * index),
                )
            event.audiences.add(*activity.audiences)
            centre.add_child(instance=event)
            if activity.recurring:
                # The season's weeks already gone: its rule up to yesterday, materialised from its first day.
                event.recurrence = _schedule(activity, today - dt.timedelta(days=1)).to_rrule()
                materialise(event, today=season_start)
                event.recurrence = recurrence
            # Publishing writes the dates from today on (agenda.signals), as it does for an editor.
            event.save_revision().publish()
            events[activity.slug] = event
            created += 1
        _register_demo_people(centre, events, today)
    return created


def _next_dates(event, today, count=1):
    return list(Occurrence.objects.filter(event=event, planned_date__gte=today).order_by("start")[:count])


def _past_dates(event, today, count):
    return list(Occurrence.objects.filter(event=event, planned_date__lt=today).order_by("-start")[:count])


def _register_demo_people(centre, events, today):
    """Registrations on the activities just created: the demo residents', and people met at the front desk."""
    memberships = Membership.objects.filter(centre=centre).select_related("user")
    people = defaultdict(list)
    for membership in memberships:
        people["accompanied" if membership.user.accompanied else membership.role].append(membership.user)
    mediator = next(iter(people[Membership.Role.MEDIATOR]), None)
    resident = next(iter(people[Membership.Role.RESIDENT]), None)
    relay = next(iter(people[Membership.Role.RELAY]), None)
    names = iter(FRONT_DESK_NAMES * 4)
    rows = []

    def add(occurrence, status, *, person=None, by=None, count=1, days_before=7):
        for _number in range(count if person is None else 1):
            at = occurrence.start - dt.timedelta(days=days_before)
            rows.append(
                Registration(
                    occurrence=occurrence,
                    person=person,
                    name="" if person else next(names),
                    status=status,
                    registered_by=by if person else mediator,
                    created_at=at,
                    queued_at=at if status == Status.WAITLISTED else None,
                )
            )

    if "premiers-pas-sur-le-telephone" in events:
        event = events["premiers-pas-sur-le-telephone"]
        for weeks_ago, occurrence in enumerate(_past_dates(event, today, 3)):
            add(occurrence, Status.ATTENDED, count=5)
            if resident:
                add(occurrence, Status.ABSENT if weeks_ago == 2 else Status.ATTENDED, person=resident)
        for occurrence in _next_dates(event, today):
            add(occurrence, Status.CONFIRMED, count=4)
            if resident:
                add(occurrence, Status.CONFIRMED, person=resident)
            for accompanied in people["accompanied"]:
                add(occurrence, Status.CONFIRMED, person=accompanied, by=mediator)
    if "atelier-e-mails-et-papiers" in events:
        # Full, nobody waiting yet: "Complet — liste d'attente".
        for occurrence in _next_dates(events["atelier-e-mails-et-papiers"], today):
            add(occurrence, Status.CONFIRMED, count=occurrence.capacity)
    if "sortie-familles" in events:
        for occurrence in _next_dates(events["sortie-familles"], today):
            add(occurrence, Status.CONFIRMED, count=12)
            if resident:
                add(occurrence, Status.CONFIRMED, person=resident)
    if "gym-douce" in events and relay:
        for occurrence in _next_dates(events["gym-douce"], today, 2):
            add(occurrence, Status.CONFIRMED, person=relay)
    if "atelier-cuisine-du-monde" in events:
        # Full, with a waitlist the demo relay is on.
        for occurrence in _next_dates(events["atelier-cuisine-du-monde"], today):
            add(occurrence, Status.CONFIRMED, count=occurrence.capacity, days_before=8)
            add(occurrence, Status.WAITLISTED, count=1, days_before=6)
            if relay:
                add(occurrence, Status.WAITLISTED, person=relay, days_before=5)
    if "depistage-sante" in events:
        for occurrence in _next_dates(events["depistage-sante"], today):
            add(occurrence, Status.CONFIRMED, count=6)
    Registration.objects.bulk_create(rows)
    _recount({row.occurrence for row in rows})


def _recount(occurrences):
    for occurrence in occurrences:
        registrations = occurrence.registrations.all()
        occurrence.confirmed_count = registrations.holding_seat().count()
        occurrence.waitlist_count = registrations.filter(status=Status.WAITLISTED).count()
        occurrence.save(update_fields=["confirmed_count", "waitlist_count"])
