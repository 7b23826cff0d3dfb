"""Calendar feeds (ICS): what each one holds, read back as a calendar application would read it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from agenda import services
from agenda.models import CalendarToken, Occurrence, Registration
from agenda.views import feeds
from tests.agenda.factories import CategoryFactory, EventPageFactory, PlaceFactory, first_date
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import PersonFactory

PARIS = ZoneInfo("Europe/Paris")
# One for the site's root paths (the dates' links), one or two for the feed's object, one for the dates.
MAX_FEED_QUERIES = 5


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Boilly")


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social Bourgogne")


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def entries(response):
    return read(response).events


def uids(response):
    return {str(entry["UID"]) for entry in entries(response)}


def uid(occurrence):
    return f"occurrence-{occurrence.pk}@testserver"


def uids_of(event):
    return {uid(occurrence) for occurrence in event.occurrences.all()}


def test_network_feed_gives_each_date_at_its_paris_time_with_its_place_and_link(client, centre):
    place = PlaceFactory(centre=centre, name="Salle informatique", street_address="14 rue des Tisserands")
    event = EventPageFactory(parent=centre, title="Atelier tablette", place=place, weekly=True)
    response = client.get(reverse("agenda:feed"))

    calendar = read(response)
    assert response["Content-Disposition"] == 'inline; filename="placette-agenda.ics"'
    assert str(calendar["X-WR-CALNAME"]) == "Agenda des centres sociaux — Placette"
    assert calendar.get_missing_tzids() == set()
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT6H"
    occurrences = {uid(occurrence): occurrence for occurrence in event.occurrences.all()}
    assert len(occurrences) == 8
    assert {str(entry["UID"]) for entry in calendar.events} == set(occurrences)
    for entry in calendar.events:
        occurrence = occurrences[str(entry["UID"])]
        # Eight Tuesdays may cross a change of summer time: each is still at 14 h in Paris.
        assert entry.start == occurrence.start
        assert entry.start.tzinfo.key == "Europe/Paris"
        assert entry.start.astimezone(PARIS).time() == dt.time(14)
        assert entry.end.astimezone(PARIS).time() == dt.time(16)
        assert str(entry["SUMMARY"]) == "Atelier tablette"
        assert str(entry["STATUS"]) == "CONFIRMED"
        assert str(entry["LOCATION"]) == "Salle informatique, 14 rue des Tisserands, 59200 Tourcoing"
        assert str(entry["URL"]) == f"http://testserver{event.url}"
        assert event.summary in str(entry["DESCRIPTION"])
        assert f"http://testserver{event.url}" in str(entry["DESCRIPTION"])
        assert "Sur inscription." in str(entry["DESCRIPTION"])


def test_a_date_without_a_place_is_at_the_centre_and_open_door_dates_say_so(client, centre):
    event = EventPageFactory(parent=centre, title="Café des parents", open_door=True)
    (entry,) = entries(client.get(reverse("agenda:feed")))
    assert str(entry["UID"]) == uid(first_date(event))
    assert str(entry["LOCATION"]) == f"Centre social Boilly, {centre.street_address}, 59100 Roubaix"
    assert "Entrée libre, sans inscription." in str(entry["DESCRIPTION"])


def test_text_with_calendar_punctuation_and_markup_comes_back_as_written(client, centre):
    title = 'Café, thé ; biscuits \\ "<script>alert(1)</script>"'
    EventPageFactory(parent=centre, title=title, summary="Ligne un.\nLigne deux, avec ; et \\.")
    (entry,) = entries(client.get(reverse("agenda:feed")))
    assert str(entry["SUMMARY"]) == title
    assert "Ligne un.\nLigne deux, avec ; et \\." in str(entry["DESCRIPTION"])


def test_drafts_unpublished_activities_and_past_dates_never_appear(client, centre):
    shown = EventPageFactory(parent=centre)
    EventPageFactory(parent=centre, title="Brouillon secret", draft=True)
    unpublished = EventPageFactory(parent=centre, title="Retiré du site")
    unpublished.unpublish()
    past = EventPageFactory(parent=centre, title="Déjà passé")
    now = timezone.now()
    past.occurrences.update(start=now - dt.timedelta(hours=3), end=now - dt.timedelta(hours=1))

    response = client.get(reverse("agenda:feed"))
    assert uids(response) == uids_of(shown)
    for title in (b"Brouillon secret", "Retiré du site".encode(), "Déjà passé".encode()):
        assert title not in response.content
    assert client.get(reverse("agenda:event_feed", args=[unpublished.pk])).status_code == 404
    assert client.get(reverse("agenda:occurrence_feed", args=[first_date(unpublished).pk])).status_code == 404


def test_a_cancelled_date_stays_in_the_feed_marked_cancelled_with_its_reason(client, centre):
    event = EventPageFactory(parent=centre, title="Sortie au musée", weekly=True)
    cancelled, kept = event.occurrences.order_by("start")[:2]
    services.cancel_occurrence(cancelled.pk, by=UserFactory(network_admin=True), reason="Le car est en panne.")

    by_uid = {str(entry["UID"]): entry for entry in entries(client.get(reverse("agenda:feed")))}
    assert str(by_uid[uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert str(by_uid[uid(cancelled)]["SUMMARY"]) == "Annulé : Sortie au musée"
    assert "Le car est en panne." in str(by_uid[uid(cancelled)]["DESCRIPTION"])
    assert str(by_uid[uid(kept)]["STATUS"]) == "CONFIRMED"


def test_a_moved_date_keeps_its_uid_and_shows_its_new_time(client, centre):
    event = EventPageFactory(parent=centre)
    occurrence = first_date(event)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=3), dt.time(10, 30)))
    services.move_occurrence(
        occurrence.pk, by=UserFactory(network_admin=True), start=start, end=start + dt.timedelta(hours=2)
    )
    (entry,) = entries(client.get(reverse("agenda:feed")))
    assert str(entry["UID"]) == uid(occurrence)
    assert entry.start.astimezone(PARIS).time() == dt.time(10, 30)
    assert entry.end.astimezone(PARIS).time() == dt.time(12, 30)


def test_centre_feed_holds_that_centre_only(client, centre, other_centre):
    mine = EventPageFactory(parent=centre, weekly=True)
    EventPageFactory(parent=other_centre, title="Chez les voisins")
    response = client.get(reverse("agenda:centre_feed", args=[centre.pk]))
    assert uids(response) == uids_of(mine)
    assert b"Chez les voisins" not in response.content
    assert str(read(response)["X-WR-CALNAME"]) == "Agenda de Centre social Boilly — Placette"
    assert response["Content-Disposition"] == f'inline; filename="placette-{centre.slug}.ics"'


def test_centre_feed_of_an_unknown_or_unpublished_centre_is_not_found(client, centre, other_centre):
    other_centre.unpublish()
    assert client.get(reverse("agenda:centre_feed", args=[other_centre.pk])).status_code == 404
    assert client.get(reverse("agenda:centre_feed", args=[centre.pk + 1000])).status_code == 404


def test_category_feed_holds_that_category_only(client, centre, other_centre):
    numeric = CategoryFactory(name="Atelier numérique", slug="atelier-numerique")
    family = CategoryFactory(name="Famille", slug="famille")
    here = EventPageFactory(parent=centre, category=numeric)
    there = EventPageFactory(parent=other_centre, category=numeric, weekly=True)
    EventPageFactory(parent=centre, category=family, title="Goûter des familles")

    response = client.get(reverse("agenda:category_feed", args=["atelier-numerique"]))
    assert uids(response) == uids_of(here) | uids_of(there)
    assert "Goûter des familles".encode() not in response.content
    assert str(read(response)["X-WR-CALNAME"]) == "Atelier numérique — agenda Placette"
    assert client.get(reverse("agenda:category_feed", args=["inconnue"])).status_code == 404


def test_event_feed_holds_that_activity_only(client, centre):
    event = EventPageFactory(parent=centre, title="Permanence CAF", weekly=True)
    EventPageFactory(parent=centre, title="Autre chose")
    response = client.get(reverse("agenda:event_feed", args=[event.pk]))
    assert uids(response) == uids_of(event)
    assert str(read(response)["X-WR-CALNAME"]) == "Permanence CAF — Placette"
    assert b"Autre chose" not in response.content


def test_event_feed_of_a_draft_or_unknown_activity_is_not_found(client, centre):
    draft = EventPageFactory(parent=centre, draft=True)
    assert client.get(reverse("agenda:event_feed", args=[draft.pk])).status_code == 404
    assert client.get(reverse("agenda:event_feed", args=[draft.pk + 1000])).status_code == 404
    assert client.get(reverse("agenda:event_feed", args=[centre.pk])).status_code == 404  # a page, not an activity


def test_one_date_is_a_file_to_add_to_my_calendar(client, centre):
    event = EventPageFactory(parent=centre, title="Atelier CV", weekly=True)
    occurrence = event.occurrences.order_by("start")[1]
    response = client.get(reverse("agenda:occurrence_feed", args=[occurrence.pk]))
    (entry,) = entries(response)
    day = timezone.localtime(occurrence.start).date()
    assert response["Content-Disposition"] == f'attachment; filename="atelier-cv-{day:%Y-%m-%d}.ics"'
    assert str(entry["UID"]) == uid(occurrence)
    assert entry.start == occurrence.start
    assert client.get(reverse("agenda:occurrence_feed", args=[occurrence.pk + 1000])).status_code == 404


def test_feeds_answer_reads_only(client, centre):
    event = EventPageFactory(parent=centre)
    assert client.post(reverse("agenda:event_feed", args=[event.pk])).status_code == 405
    assert client.head(reverse("agenda:event_feed", args=[event.pk])).status_code == 200


def test_a_feed_stops_at_its_limit(client, centre, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_LIMIT", 5)
    event = EventPageFactory(parent=centre, weekly=True)
    earliest = list(event.occurrences.order_by("start")[:5])
    assert uids(client.get(reverse("agenda:feed"))) == {uid(occurrence) for occurrence in earliest}


def test_a_feed_stops_at_its_horizon(client, centre, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_DAYS", 10)
    event = EventPageFactory(parent=centre, weekly=True)
    soon = event.occurrences.filter(start__lt=timezone.now() + dt.timedelta(days=10))
    assert 1 <= soon.count() < 8
    assert uids(client.get(reverse("agenda:feed"))) == {uid(occurrence) for occurrence in soon}


# A person's own feed, behind the secret address.


@pytest.fixture
def person(centre):
    return PersonFactory()


def personal_url(person):
    token, _ = CalendarToken.objects.get_or_create(person=person)
    return reverse("agenda:personal_feed", args=[token.token])


def test_my_feed_holds_my_registrations_only(client, centre, person):
    mine = first_date(EventPageFactory(parent=centre, title="Mon atelier"))
    theirs = first_date(EventPageFactory(parent=centre, title="Leur atelier"))
    dropped = first_date(EventPageFactory(parent=centre, title="Atelier abandonné"))
    services.register(mine.pk, person)
    services.register(theirs.pk, PersonFactory())
    cancelled = services.register(dropped.pk, person)
    services.cancel_registration(cancelled.pk, person)

    response = client.get(personal_url(person))
    (entry,) = entries(response)
    assert str(entry["UID"]) == uid(mine)
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert str(read(response)["X-WR-CALNAME"]) == "Mes inscriptions — Placette"
    assert response["Content-Disposition"] == 'inline; filename="placette-mes-inscriptions.ics"'
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_my_feed_marks_a_cancelled_date_and_the_waitlist(client, centre, person):
    cancelled = first_date(EventPageFactory(parent=centre, title="Sortie annulée"))
    full = first_date(EventPageFactory(parent=centre, title="Atelier complet", capacity=1))
    services.register(cancelled.pk, person)
    services.register(full.pk, PersonFactory())
    assert services.register(full.pk, person).status == Registration.Status.WAITLISTED
    services.cancel_occurrence(cancelled.pk, by=UserFactory(network_admin=True), reason="Pluie annoncée.")

    by_uid = {str(entry["UID"]): entry for entry in entries(client.get(personal_url(person)))}
    assert set(by_uid) == {uid(cancelled), uid(full)}
    assert str(by_uid[uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert "Pluie annoncée." in str(by_uid[uid(cancelled)]["DESCRIPTION"])
    assert str(by_uid[uid(full)]["STATUS"]) == "TENTATIVE"
    assert str(by_uid[uid(full)]["SUMMARY"]) == "Liste d'attente : Atelier complet"


def test_my_feed_leaves_out_past_dates_and_unpublished_activities(client, centre, person):
    kept, past, hidden = (first_date(EventPageFactory(parent=centre)) for _ in range(3))
    for occurrence in (kept, past, hidden):
        services.register(occurrence.pk, person)
    now = timezone.now()
    Occurrence.objects.filter(pk=past.pk).update(start=now - dt.timedelta(hours=3), end=now - dt.timedelta(hours=1))
    hidden.event.unpublish()
    assert uids(client.get(personal_url(person))) == {uid(kept)}


def test_an_unknown_address_is_not_found(client, centre, person):
    personal_url(person)
    assert client.get(reverse("agenda:personal_feed", args=["pas-le-bon-secret"])).status_code == 404


def test_the_feed_of_a_deactivated_account_is_not_found(client, centre, person):
    url = personal_url(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_a_renewed_address_replaces_the_old_one(client, centre, person):
    services.register(first_date(EventPageFactory(parent=centre)).pk, person)
    old = personal_url(person)
    client.force_login(person)
    assert client.post(reverse("agenda:renew_calendar")).status_code == 302
    new = personal_url(person)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert len(entries(client.get(new))) == 1


def test_a_forgotten_address_stops_working(client, centre, person):
    url = personal_url(person)
    client.force_login(person)
    assert client.post(reverse("agenda:forget_calendar")).status_code == 302
    client.logout()
    assert client.get(url).status_code == 404


# Query counts: the same whatever the number of activities.


def feed_urls(centre, category, event, occurrence, person):
    return {
        "network": reverse("agenda:feed"),
        "centre": reverse("agenda:centre_feed", args=[centre.pk]),
        "category": reverse("agenda:category_feed", args=[category.slug]),
        "event": reverse("agenda:event_feed", args=[event.pk]),
        "occurrence": reverse("agenda:occurrence_feed", args=[occurrence.pk]),
        "personal": personal_url(person),
    }


def queries_for(client, url):
    client.get(url)  # the site's root paths are cached after the first request, as in production
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(read(response).events)


@pytest.mark.parametrize("feed", ["network", "centre", "category", "event", "occurrence", "personal"])
def test_feed_queries_do_not_grow_with_activities(client, centre, person, feed):
    category = CategoryFactory()
    place = PlaceFactory(centre=centre)

    def add(count):
        for _ in range(count):
            event = EventPageFactory(parent=centre, category=category, place=place, weekly=True)
            for occurrence in event.occurrences.all()[:2]:
                services.register(occurrence.pk, person)

    add(3)
    event = centre.get_children().type(EventPageFactory._meta.model).first().specific
    urls = feed_urls(centre, category, event, first_date(event), person)
    few, few_entries = queries_for(client, urls[feed])
    add(27)
    many, many_entries = queries_for(client, urls[feed])

    assert many_entries >= few_entries
    if feed not in ("event", "occurrence"):
        assert many_entries > few_entries
    assert few == many
    assert many <= MAX_FEED_QUERIES
