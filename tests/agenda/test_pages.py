"""The public agenda through the test client: listing, filters, an activity's page, registering, my registrations."""

import datetime as dt
import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from agenda import services
from agenda.models import Occurrence, Registration
from tests.agenda.factories import CategoryFactory, EventPageFactory, PlaceFactory, first_date
from tests.factories import CentrePageFactory
from tests.notifications.factories import PersonFactory, member_of


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre")


@pytest.fixture
def workshop(centre):
    return EventPageFactory(parent=centre, title="Premiers pas sur le téléphone", weekly=True)


def titles(response):
    return re.findall(r'class="occurrence__title"><a href="[^"]*">([^<]*)</a>', response.content.decode())


def test_the_agenda_lists_upcoming_dates_of_published_activities_only(client, centre, workshop):
    EventPageFactory(parent=centre, title="Brouillon secret", draft=True)
    past = EventPageFactory(parent=centre, title="Déjà passé")
    Occurrence.objects.filter(event=past).update(
        start=timezone.now() - dt.timedelta(days=2), end=timezone.now() - dt.timedelta(days=2, hours=-2)
    )

    response = client.get(reverse("agenda:listing"))

    assert response.status_code == 200
    assert titles(response) == ["Premiers pas sur le téléphone"] * 8
    assert '<link rel="alternate" type="text/calendar"' in response.content.decode()
    assert response.context["page_obj"].paginator.count == 8


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "sortie"}, ["Sortie à la mer"]),
        ({"free": "on"}, ["Atelier gratuit"]),
        ({"seats": "on"}, ["Atelier gratuit"]),
        ({"wheelchair": "on"}, ["Sortie à la mer"]),
        ({"audience": "familles"}, ["Sortie à la mer"]),
        ({"period": "today"}, []),
    ],
)
def test_filters_narrow_the_agenda(client, centre, query, expected):
    EventPageFactory(parent=centre, title="Atelier gratuit", capacity=5)
    outing = EventPageFactory(
        parent=centre,
        title="Sortie à la mer",
        category=CategoryFactory(slug="sortie", name="Sortie"),
        price=3,
        capacity=1,
        wheelchair_accessible=True,
    )
    outing.audiences.add("familles")
    outing.save()
    services.register(first_date(outing).pk, PersonFactory())

    response = client.get(reverse("agenda:listing"), query)

    assert titles(response) == expected
    if not expected:
        assert "Aucune activité ne correspond à ces choix." in response.content.decode()


def test_a_period_between_two_dates_and_its_mistakes(client, centre):
    event = EventPageFactory(
        parent=centre, title="Dans dix jours", start_date=timezone.localdate() + dt.timedelta(days=10)
    )
    day = event.start_date

    found = client.get(
        reverse("agenda:listing"), {"period": "dates", "start": day.isoformat(), "end": day.isoformat()}
    )
    missed = client.get(reverse("agenda:listing"), {"period": "week"} if day.weekday() < 3 else {"period": "today"})
    backwards = client.get(
        reverse("agenda:listing"), {"period": "dates", "start": day.isoformat(), "end": "2020-01-01"}
    )
    nonsense = client.get(reverse("agenda:listing"), {"category": "<script>", "start": "hier"})

    assert titles(found) == ["Dans dix jours"]
    assert titles(missed) == []
    assert "La date de fin doit venir après la date de début." in backwards.content.decode()
    assert titles(backwards) == []
    assert nonsense.status_code == 200
    assert "<script>" not in nonsense.content.decode()


def test_pagination_keeps_the_filters(client, centre):
    EventPageFactory(parent=centre, title="Atelier", recurrence="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=30")

    first = client.get(reverse("agenda:listing"), {"free": "on"})
    second = client.get(reverse("agenda:listing"), {"free": "on", "page": 2})

    assert len(titles(first)) == 20 and len(titles(second)) == 10
    assert 'href="?free=on&amp;page=2"' in first.content.decode()


def test_an_empty_agenda_says_what_to_do(client, home):
    response = client.get(reverse("agenda:listing"))
    assert "Aucune activité n'est prévue pour le moment." in html.unescape(response.content.decode())


def test_a_centre_page_shows_its_own_agenda_only(client, centre, workshop, home):
    EventPageFactory(parent=CentrePageFactory(parent=home), title="Ailleurs")

    response = client.get(centre.url)

    assert set(titles(response)) == {"Premiers pas sur le téléphone"}
    content = response.content.decode()
    assert reverse("agenda:centre_feed", args=[centre.pk]) in content
    assert reverse("agenda:programme", args=[centre.pk]) in content


def test_an_activity_page_shows_its_next_dates_place_and_event_data(client, centre):
    place = PlaceFactory(centre=centre, name="Salle informatique")
    event = EventPageFactory(parent=centre, title="Premiers pas", weekly=True, place=place, price=2)

    response = client.get(event.url)

    content = response.content.decode()
    assert content.count("Je m'inscris<span") == 8
    assert "Chaque semaine le mardi, 8 fois, de 14\u00a0h à 16\u00a0h." in content
    assert "Salle informatique" in content and "Rez-de-chaussée, sans marche." in content
    assert content.count('href="/agenda/dates/') >= 8
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1))
    assert len(data) == 8
    first = data[0]
    assert (first["@type"], first["name"], first["location"]["name"]) == (
        "Event",
        "Premiers pas",
        "Salle informatique",
    )
    assert first["offers"]["price"] == "2.00"
    assert first["startDate"] == first_date(event).start.isoformat()
    assert first["remainingAttendeeCapacity"] == 10


def test_json_ld_cannot_be_broken_out_of(client, centre):
    event = EventPageFactory(parent=centre, title="</script><script>alert(1)</script>")
    content = client.get(event.url).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    assert json.loads(block)[0]["name"] == "</script><script>alert(1)</script>"


def test_registering_from_the_page_then_cancelling_from_my_registrations(client, centre, workshop):
    person = member_of(centre)
    client.force_login(person)
    occurrence = first_date(workshop)

    response = client.post(reverse("agenda:register", args=[occurrence.pk]), {"next": workshop.url}, follow=True)

    assert "C'est noté : vous avez une place." in html.unescape(response.content.decode())
    assert "Vous avez une place." in response.content.decode()
    registration = Registration.objects.get(person=person)
    mine = client.get(reverse("agenda:my_registrations"))
    assert "Premiers pas sur le téléphone" in mine.content.decode()

    response = client.post(reverse("agenda:cancel", args=[registration.pk]), {"confirm": "oui"}, follow=True)

    assert "Votre inscription est annulée." in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CANCELLED


def test_registering_twice_says_so(client, centre, workshop):
    client.force_login(member_of(centre))
    url = reverse("agenda:register", args=[first_date(workshop).pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "Votre inscription à cette date est déjà notée." in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_visitor_is_asked_to_sign_in_before_registering(client, workshop):
    occurrence = first_date(workshop)
    response = client.post(reverse("agenda:register", args=[occurrence.pk]), follow=True)
    confirm = reverse("agenda:confirm_registration", args=[occurrence.pk])
    assert response.redirect_chain == [
        (confirm, 302),
        (f"{reverse('account_request_login_code')}?next={confirm}", 302),
    ]
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_cancelling_another_persons_registration_by_id_is_not_found(client, centre, workshop, method):
    registration = services.register(first_date(workshop).pk, member_of(centre))
    client.force_login(member_of(centre))

    response = getattr(client, method)(reverse("agenda:cancel", args=[registration.pk]), {"confirm": "oui"})

    assert response.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED


def test_a_draft_activitys_dates_cannot_be_registered_to(client, centre):
    event = EventPageFactory(parent=centre)
    occurrence = first_date(event)
    event.unpublish()
    client.force_login(member_of(centre))
    assert client.post(reverse("agenda:register", args=[occurrence.pk])).status_code == 404


def test_my_registrations_needs_an_account(client):
    response = client.get(reverse("agenda:my_registrations"))
    assert response.status_code == 302


# Query counts: the same at small and large volume.


def queries_for(client, url):
    client.get(url)  # the first visit fills Wagtail's caches (site root paths)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_activities(centre, count):
    for _ in range(count):
        event = EventPageFactory(parent=centre, weekly=True)
        event.audiences.add("seniors", f"groupe {event.pk}")
        event.save()


@pytest.mark.parametrize("signed_in", [False, True])
def test_public_pages_answer_in_the_same_few_queries_with_2_or_20_activities(client, home, signed_in):
    centre = CentrePageFactory(parent=home)
    add_activities(centre, 2)
    event = EventPageFactory(parent=centre, title="Suivie", weekly=True)
    if signed_in:
        person = member_of(centre)
        services.register(first_date(event).pk, person)
        client.force_login(person)
    urls = [
        reverse("agenda:listing"),
        reverse("agenda:listing") + "?free=on&audience=seniors&period=month",
        centre.url,
        event.url,
    ]
    small = [queries_for(client, url) for url in urls]
    add_activities(centre, 18)
    for other in range(3):
        add_activities(CentrePageFactory(parent=home, title=f"Autre centre {other}"), 2)
    large = [queries_for(client, url) for url in urls]

    assert small == large
    # The budget is for visitors; a signed-in person adds their session, account, inbox and own registrations.
    assert max(large) <= (19 if signed_in else 15)


def test_a_centre_restricted_to_some_people_drops_out_of_the_agenda_and_back(client, centre, workshop):
    restriction = PageViewRestriction.objects.create(page=centre, restriction_type="login")
    assert titles(client.get(reverse("agenda:listing"))) == []
    assert "Premiers pas" not in client.get(reverse("agenda:feed")).content.decode()

    restriction.delete()
    assert len(titles(client.get(reverse("agenda:listing")))) == 8


def test_unpublishing_an_activity_takes_its_dates_off_the_agenda(client, workshop):
    workshop.unpublish()
    assert titles(client.get(reverse("agenda:listing"))) == []


def test_my_registrations_reads_the_same_few_tables_however_many_and_wherever_they_are(
    client, home, centre, workshop, django_assert_num_queries
):
    person = member_of(centre)
    client.force_login(person)
    services.register(first_date(workshop).pk, person)
    client.get(reverse("agenda:my_registrations"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("agenda:my_registrations"))

    elsewhere = CentrePageFactory(parent=home, title="Centre social du Pile")
    place = PlaceFactory(centre=elsewhere, name="Halle du marché")
    outing = EventPageFactory(parent=elsewhere, title="Sortie au marché", weekly=True, place=place)
    dates = list(Occurrence.objects.filter(event=outing).order_by("start"))
    for occurrence in dates:
        services.register(occurrence.pk, person)
    gone = timezone.now() - dt.timedelta(days=3)
    Occurrence.objects.filter(pk=dates[-1].pk).update(start=gone, end=gone + dt.timedelta(hours=2))

    with django_assert_num_queries(len(one)):
        response = client.get(reverse("agenda:my_registrations"))
    content = html.unescape(response.content.decode())
    assert content.count(f'href="{outing.url}"') == len(dates)  # the upcoming ones, and the past one
    assert content.count("Centre social du Pile — Halle du marché") == len(dates) - 1
