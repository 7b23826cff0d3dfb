"""The volume DESIGN.md's budgets are measured with, on top of the demo: 100 centres, 20 000 dates, 50 000 offers.

    DATABASE_URL=… .venv/bin/python manage.py demo --centres 100 --occurrences 20000 --offers 50000

After the demo (placette/management/commands/demo.py), `load_volume` adds numbered centres beside the five demo
ones, generated activities until the network has that many upcoming dates, and generated offers until the load
has that many. Each option counts what already exists, so running it again adds nothing. `bench/agenda_http.py`
and `bench/echanges_http.py` run it before they measure; a network of 500 centres is
`--centres 500 --occurrences 100000 --offers 250000`.

Centres go through Wagtail as an editor's would (a published revision, their team). Activities are saved
as drafts (Wagtail checks a draft for a free address only; a live page gets a full `full_clean()`, half
the time of the load), made live by batch without revisions, and their dates written by
`agenda.services.materialise()`, as publishing does. Tags, registrations and offers are bulk-written, then
the offers indexed with `search.indexing.index_objects()`, since bulk writes send no signal.
"""

import datetime as dt
import random
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.rich_text import RichText

from accounts.models import User
from agenda.demo import FRONT_DESK_NAMES, PROGRAMME, Activity, activity_page, create_places, hours
from agenda.models import AudienceTag, Category, EventPage, Occurrence, Registration
from agenda.recurrence import Frequency, Schedule, expand
from agenda.services import horizon, materialise
from core import freshness
from echanges.demo import BY_TITLE, CATALOGUE, create_categories
from echanges.models import OFFER_LIFETIME, Offer, OfferTag
from home.models import HomePage
from quartier.demo import CENTRES, WEEKDAYS_AND_AFTERNOONS
from quartier.models import CentrePage, Membership, OpeningHours
from search.indexing import index_objects

# Towns of the Lille metropolis for the numbered centres: (town, postcode, latitude, longitude).
TOWNS = [
    ("Lille", "59000", "50.629250", "3.057256"),
    ("Roubaix", "59100", "50.690000", "3.181700"),
    ("Tourcoing", "59200", "50.723900", "3.161200"),
    ("Villeneuve-d'Ascq", "59650", "50.623300", "3.145000"),
    ("Wattrelos", "59150", "50.701800", "3.216600"),
    ("Hem", "59510", "50.655800", "3.188000"),
    ("Croix", "59170", "50.678300", "3.149400"),
    ("Lys-lez-Lannoy", "59390", "50.669700", "3.215600"),
    ("Loos", "59120", "50.613700", "3.016900"),
    ("Mons-en-Barœul", "59370", "50.641100", "3.110600"),
    ("Faches-Thumesnil", "59155", "50.589700", "3.073600"),
    ("Armentières", "59280", "50.688600", "2.880000"),
    ("Halluin", "59250", "50.784400", "3.126100"),
    ("Seclin", "59113", "50.548900", "3.029700"),
    ("Wasquehal", "59290", "50.668600", "3.130800"),
    ("Ronchin", "59790", "50.604700", "3.090300"),
    ("Lambersart", "59130", "50.650000", "3.025000"),
    ("Haubourdin", "59320", "50.608900", "2.986900"),
    ("Marcq-en-Barœul", "59700", "50.673600", "3.098900"),
    ("Wattignies", "59139", "50.586100", "3.043100"),
]
STREETS = [
    "rue de la Solidarité",
    "avenue Jean-Lebas",
    "rue Pasteur",
    "place de la Mairie",
    "rue des Écoles",
    "rue Victor-Hugo",
    "allée des Tilleuls",
    "rue du Progrès",
    "rue de la Filature",
    "boulevard de la Liberté",
]
INTRODUCTIONS = [
    "Un centre ouvert à tous les habitants : démarches en ligne, ateliers et sorties en famille.",
    "Ici, on apprend le numérique à son rythme et on se retrouve entre voisins.",
    "Le centre accompagne les familles, les jeunes et les aînés du quartier.",
    "Un lieu de rencontre et d'entraide, avec une médiatrice numérique sur place.",
]


# More kinds of activity for the generated load, so that a listing of 20 000 dates does not repeat ten titles.
MORE_ACTIVITIES = [
    Activity(
        slug="atelier-tablette",
        title="Atelier tablette",
        summary="Se servir d'une tablette : photos, appels vidéo avec la famille, applications utiles.",
        body="<p>Des tablettes sont prêtées pendant l'atelier.</p>",
        category="atelier-numerique",
        place="informatique",
        hours=hours((10,), (12,)),
        audiences=("seniors", "débutants"),
        capacity=6,
    ),
    Activity(
        slug="atelier-cv-et-emploi",
        title="Atelier CV et recherche d'emploi",
        summary="Faire son CV, répondre à une offre, créer son espace France Travail.",
        body="<p>Apportez vos anciens CV et vos diplômes si vous en avez.</p>",
        category="demarches",
        place="informatique",
        hours=hours((14,), (16,)),
        audiences=("jeunes",),
        capacity=8,
    ),
    Activity(
        slug="jardin-partage",
        title="Jardin partagé",
        summary="On sème, on arrose, on récolte ensemble. Aucun besoin de savoir jardiner.",
        body="<p>Les outils sont prêtés. Prévoyez des chaussures qui ne craignent pas la boue.</p>",
        category="rencontre",
        place="accueil",
        hours=hours((9, 30), (12,)),
        audiences=("familles",),
    ),
    Activity(
        slug="atelier-couture",
        title="Atelier couture",
        summary="Réparer un vêtement, faire un ourlet, coudre à la machine : on s'entraide.",
        body="<p>Machines à coudre et fil sur place. Apportez ce que vous voulez réparer.</p>",
        category="rencontre",
        place="etage",
        hours=hours((14,), (17,)),
        capacity=8,
        price="1",
    ),
    Activity(
        slug="yoga-sur-chaise",
        title="Yoga sur chaise",
        summary="Respirer, s'étirer et se détendre, assis sur une chaise.",
        body="<p>Aucune souplesse demandée.</p>",
        category="sante",
        place="grande-salle",
        hours=hours((10,), (11,)),
        audiences=("seniors",),
        capacity=12,
        price="2",
    ),
    Activity(
        slug="jeux-en-famille",
        title="Jeux en famille",
        summary="Jeux de société pour petits et grands, l'après-midi à la ludothèque du centre.",
        body="<p>Les enfants viennent avec un adulte.</p>",
        category="famille",
        place="grande-salle",
        hours=hours((14,), (17,)),
        audiences=("familles",),
    ),
    Activity(
        slug="securite-sur-internet",
        title="Éviter les arnaques sur internet",
        summary="Reconnaître un faux message, un faux site, et protéger ses mots de passe.",
        body="<p>Avec un policier du quartier et la médiatrice numérique.</p>",
        category="atelier-numerique",
        place="informatique",
        hours=hours((14,), (15, 30)),
        audiences=("seniors",),
        capacity=15,
    ),
    Activity(
        slug="sortie-au-musee",
        title="Sortie au musée",
        summary="Visite guidée d'un musée de la métropole, en transports en commun.",
        body="<p>Rendez-vous à l'accueil du centre. Le ticket de métro est compris.</p>",
        category="sortie",
        place="accueil",
        hours=hours((13, 30), (17,)),
        audiences=("familles", "seniors"),
        capacity=15,
        price="2",
    ),
]

# When generated offers say they are available, so that 50 000 descriptions are not all the same.
WHENS = [
    "Le samedi matin",
    "En semaine après 17 h",
    "Le mercredi après-midi",
    "Le week-end",
    "Quand vous voulez, on en parle",
    "Le matin, avant 11 h",
    "",
]
# First names of the generated neighbours, shown with an initial ("Nadia H.").
FIRST_NAMES = [
    "Nadia", "Jean-Pierre", "Samira", "Ginette", "Moussa", "Christiane", "Rachid", "Sylvie", "Kevin", "Yvette",
    "Malika", "Daniel", "Hélène", "Sofiane", "Denise", "Amina", "Robert", "Monique", "Ahmed", "Françoise",
    "Ibrahima", "Chantal", "Mehdi", "Nicole", "Thierry", "Leïla", "Patrick", "Zohra", "Mickaël", "Jacqueline",
]  # fmt: skip
NEIGHBOURS_PER_CENTRE = 10
NEIGHBOUR_PREFIX = "voisin."
LOAD_BATCH = 1000
# The generated activities: how an activity repeats, and how often each way is drawn.
LOAD_RHYTHMS = [
    ("weekly", 60),
    ("twice-weekly", 15),
    ("fortnightly", 10),
    ("monthly", 5),
    ("once", 10),
]
LOAD_TIMES = [
    hours((9,), (11,)),
    hours((9, 30), (12,)),
    hours((14,), (16,)),
    hours((14, 30), (17,)),
    hours((18,), (20,)),
]


class ProgressBar:
    """ "Activités : [#####.....] 45 % (9 000 / 20 000)", redrawn in place on a terminal, else every tenth."""

    WIDTH = 30

    def __init__(self, out, label):
        self.out = out
        self.label = label
        self.tty = out.isatty()
        self.shown = None

    def __call__(self, done, total):
        share = min(done / total, 1) if total else 1
        step = int(share * 100) if self.tty else int(share * 10)
        if step == self.shown:
            return
        self.shown = step
        filled = round(share * self.WIDTH)
        line = (
            f"{self.label} : [{'#' * filled}{'.' * (self.WIDTH - filled)}] {int(share * 100)} % "
            f"({grouped(done)} / {grouped(total)})"
        )
        # Progress goes to stderr, unstyled (stderr's default style is the error colour).
        if self.tty:
            self.out.write("\r" + line, style_func=str, ending="\n" if done >= total else "")
            self.out.flush()
        else:
            self.out.write(line, style_func=str)


def grouped(number):
    """9 000, as French writes it."""
    return f"{number:,}".replace(",", "\N{NO-BREAK SPACE}")


def add_arguments(parser):
    """The demo command's options that ask for a volume on top of the demo."""
    parser.add_argument(
        "--centres",
        type=int,
        metavar="N",
        help=f"nombre de centres en tout (au moins {len(CENTRES)}) : les centres n°{len(CENTRES) + 1} à N s'ajoutent",
    )
    parser.add_argument(
        "--occurrences",
        type=int,
        metavar="N",
        help="nombre de dates en tout, d'aujourd'hui à l'horizon de l'agenda : des activités s'ajoutent, "
        "réparties entre les centres, jusqu'à ce nombre",
    )
    parser.add_argument(
        "--offers",
        type=int,
        metavar="N",
        help="nombre d'annonces générées en tout, en plus de celles de la démonstration : des annonces "
        "s'ajoutent, réparties entre les centres et indexées pour la recherche, jusqu'à ce nombre",
    )


def check(*, centres=None, **_others):
    """Refuse, before anything is written, a volume the demo cannot hold."""
    if centres is not None and centres < len(CENTRES):
        raise CommandError(f"--centres : au moins {len(CENTRES)}, les centres de la démonstration.")


def load_volume(summary, progress, *, centres=None, occurrences=None, offers=None, **_others):
    """Add what the options ask on top of the demo, with a bar per part on `progress` and its figures on `summary`."""
    if not (centres or occurrences or offers):
        return
    if centres:
        started = time.monotonic()
        with transaction.atomic():
            added = create_numbered_centres(HomePage.objects.get(), centres, progress=ProgressBar(progress, "Centres"))
        summary.write(f"Centres numérotés : {added} ajouté(s) en {time.monotonic() - started:.0f} s.")
    if occurrences:
        started = time.monotonic()
        network = list(CentrePage.objects.live().order_by("path"))
        with transaction.atomic():
            added = load_occurrences(network, occurrences, progress=ProgressBar(progress, "Activités"))
        summary.write(
            f"Dates à venir : {grouped(added)} ajoutée(s) en {time.monotonic() - started:.0f} s, "
            f"réparties entre {len(network)} centres."
        )
    if offers:
        started = time.monotonic()
        network = list(CentrePage.objects.live().order_by("path"))
        with transaction.atomic():
            added, indexing = load_offers(network, offers, progress=ProgressBar(progress, "Annonces"))
        # Bulk writes send no signal: the pages cached for visitors would not show the new offers.
        freshness.bump(freshness.SITE)
        summary.write(
            f"Annonces générées : {grouped(added)} ajoutée(s) en {time.monotonic() - started:.0f} s "
            f"(dont {indexing:.0f} s d'indexation pour la recherche), réparties entre {len(network)} centres."
        )
    # Fresh statistics after a bulk load, or PostgreSQL plans the listings for empty tables until
    # autovacuum comes round (minutes later, or never for a database loaded just before a benchmark).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def tags_named(names):
    """The free tags with these names, created when missing, by name: the bulk writes link them by id."""
    return {
        name: Tag.objects.filter(name=name).first() or Tag.objects.create(name=name, slug=slugify(name))
        for name in names
    }


def create_numbered_centres(home, total, *, progress=None):
    """Centres n°6 to n°`total` ("Centre social n°37 — Wattrelos"), published, without photos; returns how many."""
    first = len(CENTRES) + 1
    numbers = range(first, total + 1)
    slugs = {number: f"centre-social-{number}-{slugify(TOWNS[number % len(TOWNS)][0])}" for number in numbers}
    existing = set(CentrePage.objects.child_of(home).filter(slug__in=slugs.values()).values_list("slug", flat=True))
    added = 0
    for done, number in enumerate(numbers, start=1):
        if slugs[number] not in existing:
            town, postcode, latitude, longitude = TOWNS[number % len(TOWNS)]
            centre = CentrePage(
                title=f"Centre social n°{number} — {town}",
                slug=slugs[number],
                town=town,
                postcode=postcode,
                street_address=f"{number % 90 + 2} {STREETS[number % len(STREETS)]}",
                latitude=latitude,
                longitude=longitude,
                phone=f"+3335301{number:04d}",
                email=f"contact@{slugs[number]}.placette.example",
                introduction=INTRODUCTIONS[number % len(INTRODUCTIONS)],
                presentation=RichText("<p>Accueil sans rendez-vous aux heures d'ouverture.</p>").source,
                opening_hours=[
                    OpeningHours(weekday=day, opens=opens, closes=closes)
                    for day, opens, closes in WEEKDAYS_AND_AFTERNOONS
                ],
            )
            home.add_child(instance=centre)
            centre.save_revision().publish()
            added += 1
        if progress:
            progress(done, len(numbers))
    return added


def _load_rule(rng, rhythm, start_date, last_day, wanted):
    """An RRULE ending by a count, so that every date lies between `start_date` and `last_day`; and its dates."""
    weekday = rng.randrange(6)
    if rhythm == "once":
        return "", [start_date]
    if rhythm == "monthly":
        schedule = Schedule(Frequency.MONTHLY, month_position=rng.choice([1, 2, 3, -1]), month_weekday=weekday)
    else:
        weekdays = [weekday, (weekday + 2) % 6] if rhythm == "twice-weekly" else [weekday]
        schedule = Schedule(Frequency.WEEKLY, interval=2 if rhythm == "fortnightly" else 1, weekdays=weekdays)
    schedule.until = last_day
    days = expand(start_date, schedule.to_rrule(), since=start_date, until=last_day)[:wanted]
    if not days:
        return "", [start_date]
    schedule.until, schedule.count = None, len(days)
    # The rule starts on its first date, as an editor's would.
    return schedule.to_rrule(), days


def load_occurrences(centres, total, *, progress=None):
    """Add activities to `centres` until the network has `total` dates from today on; returns how many were added.

    Dates are spread from today to the horizon; about a quarter of the dates that take registrations get
    some (people registered at the front desk), and one in twenty is full with a waitlist.
    `progress(done, total)` is called as activities are drawn.
    """
    today = timezone.localdate()
    now = timezone.now()
    # Counted by day, as `materialise()` does: a second run the same day adds nothing.
    have = Occurrence.objects.filter(planned_date__gte=today).count()
    if have >= total:
        return 0
    # Reproducible, but each top-up draws a different mix.
    rng = random.Random(have)
    last_day = horizon(today) - dt.timedelta(days=1)
    categories = {category.slug: category for category in Category.objects.all()}
    places = {centre.pk: create_places(centre) for centre in centres}
    tags = tags_named({name for activity in PROGRAMME + MORE_ACTIVITIES for name in activity.audiences})
    taken = set(EventPage.objects.values_list("slug", flat=True))
    catalogue = PROGRAMME + MORE_ACTIVITIES
    rhythms, weights = zip(*LOAD_RHYTHMS, strict=True)
    number = len(taken)
    drawn = written = 0
    pending_pages, pending_tags = [], []
    while have + drawn < total:
        centre = centres[number % len(centres)]
        activity = rng.choice(catalogue)
        rhythm = rng.choices(rhythms, weights)[0]
        if rhythm == "once":
            start_date = today + dt.timedelta(days=rng.randrange(1, settings.AGENDA_HORIZON_DAYS))
        else:
            start_date = today + dt.timedelta(days=rng.randrange(0, 21))
        recurrence, days = _load_rule(rng, rhythm, start_date, last_day, total - have - drawn)
        while f"{activity.slug}-{number}" in taken:
            number += 1
        slug = f"{activity.slug}-{number}"
        taken.add(slug)
        number += 1
        event = activity_page(
            activity,
            places=places[centre.pk],
            categories=categories,
            start_date=days[0],
            recurrence=recurrence,
            slug=slug,
            times=rng.choice(LOAD_TIMES),
        )
        event.live = False
        event.first_published_at = event.last_published_at = now
        centre.add_child(instance=event)
        pending_pages.append(event)
        # Tags are bulk-written with the batch; through the page they would cost a few queries each.
        pending_tags.extend(AudienceTag(content_object_id=event.pk, tag=tags[name]) for name in activity.audiences)
        drawn += len(days)
        if len(pending_pages) >= 150:
            written += _publish_load(rng, pending_pages, pending_tags, now)
            pending_pages, pending_tags = [], []
        if progress:
            progress(have + drawn, total)
    written += _publish_load(rng, pending_pages, pending_tags, now)
    return written


def _publish_load(rng, events, tags, now):
    """Make a batch of generated activities live and write their dates; fill some; returns how many dates."""
    EventPage.objects.filter(pk__in=[event.pk for event in events]).update(live=True)
    AudienceTag.objects.bulk_create(tags)
    written = 0
    for event in events:
        event.live = True
        written += materialise(event)[0]
    filled = []
    for occurrence in Occurrence.objects.filter(event__in=events, capacity__isnull=False).order_by("pk"):
        if rng.random() < 0.25:
            full = rng.random() < 0.2
            occurrence.confirmed_count = occurrence.capacity if full else rng.randint(1, occurrence.capacity)
            occurrence.waitlist_count = rng.randint(1, 3) if full else 0
            filled.append(occurrence)
    Occurrence.objects.bulk_update(filled, ["confirmed_count", "waitlist_count"])
    rows = []
    names = len(FRONT_DESK_NAMES)
    for occurrence in filled:
        for seat in range(occurrence.confirmed_count + occurrence.waitlist_count):
            waiting = seat >= occurrence.confirmed_count
            rows.append(
                Registration(
                    occurrence_id=occurrence.pk,
                    name=FRONT_DESK_NAMES[(occurrence.pk + seat) % names],
                    status=Registration.Status.WAITLISTED if waiting else Registration.Status.CONFIRMED,
                    created_at=now,
                    queued_at=now if waiting else None,
                )
            )
    Registration.objects.bulk_create(rows, batch_size=2000)
    return written


def _neighbours(centres):
    """Ten generated residents per centre, authors of the load ("Nadia H."); returns their ids by centre."""
    usernames = {
        centre.pk: [f"{NEIGHBOUR_PREFIX}{centre.pk}.{number}" for number in range(NEIGHBOURS_PER_CENTRE)]
        for centre in centres
    }
    wanted = [username for names in usernames.values() for username in names]
    have = dict(User.objects.filter(username__startswith=NEIGHBOUR_PREFIX).values_list("username", "pk"))
    missing = [username for username in wanted if username not in have]
    rows = []
    for username in missing:
        seed = sum(map(ord, username))
        name = f"{FIRST_NAMES[seed % len(FIRST_NAMES)]} {chr(ord('A') + seed % 26)}."
        # "!" starts an unusable password: these people sign in by code, like every resident.
        rows.append(User(username=username, display_name=name, password="!"))
    User.objects.bulk_create(rows, batch_size=LOAD_BATCH)
    have = dict(User.objects.filter(username__in=wanted).values_list("username", "pk"))
    Membership.objects.bulk_create(
        [
            Membership(user_id=have[username], centre_id=centre_pk)
            for centre_pk, names in usernames.items()
            for username in names
        ],
        batch_size=LOAD_BATCH,
        ignore_conflicts=True,
    )
    return {centre_pk: [have[username] for username in names] for centre_pk, names in usernames.items()}


def generated_offers():
    """The offers of the load: those of the generated neighbours."""
    return Offer.objects.filter(author__username__startswith=NEIGHBOUR_PREFIX)


def load_offers(centres, total, *, progress=None):
    """Add generated offers to `centres` until the load has `total`; returns (how many were added, seconds indexing).

    Offers are spread evenly over the centres and over the last 55 days; nine in ten are open, the others
    in progress, done, withdrawn or expired. Each batch is bulk-written with its tags, then indexed.
    `progress(done, total)` is called after each batch.
    """
    have = generated_offers().count()
    if have >= total:
        return 0, 0.0
    rng = random.Random(have)
    now = timezone.now()
    categories = create_categories()
    authors = _neighbours(centres)
    tags = tags_named({tag for idea in CATALOGUE for tag in idea.tags})
    statuses = [Offer.Status.OPEN] * 18 + [Offer.Status.IN_PROGRESS, Offer.Status.DONE]
    indexing = 0.0
    written = 0
    while have + written < total:
        batch = []
        for number in range(have + written, min(have + written + LOAD_BATCH, total)):
            centre = centres[number % len(centres)]
            idea = rng.choice(CATALOGUE)
            published_at = now - dt.timedelta(minutes=rng.randrange(55 * 24 * 60))
            status = rng.choice(statuses)
            if rng.random() < 0.02:
                status = Offer.Status.WITHDRAWN
            expires_at = published_at + OFFER_LIFETIME
            if rng.random() < 0.03:
                published_at, expires_at, status = (
                    published_at - OFFER_LIFETIME,
                    published_at,
                    Offer.Status.EXPIRED,
                )
            fields = idea.offer_fields(categories)
            fields["when"] = rng.choice(WHENS) or idea.when
            batch.append(
                Offer(
                    author_id=rng.choice(authors[centre.pk]),
                    centre=centre,
                    status=status,
                    published_at=published_at,
                    expires_at=expires_at,
                    **fields,
                )
            )
        Offer.objects.bulk_create(batch)
        OfferTag.objects.bulk_create(
            [
                OfferTag(content_object_id=offer.pk, tag=tags[name])
                for offer in batch
                for name in BY_TITLE[offer.title].tags
            ]
        )
        started = time.monotonic()
        index_objects(batch, chunk_size=LOAD_BATCH)
        indexing += time.monotonic() - started
        written += len(batch)
        if progress:
            progress(have + written, total)
    return written, indexing
