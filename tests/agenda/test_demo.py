"""`manage.py demo`'s agenda: a season in every centre, its past weeks included, and registrations."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from freezegun import freeze_time

from agenda.models import Category, EventPage, Occurrence, Place, Registration
from quartier.models import CentrePage, Membership

pytestmark = pytest.mark.django_db

# A Monday morning: nothing the demo writes for today has ended yet, so "upcoming" counts stay put.
MONDAY_MORNING = "2026-11-23 07:30:00"


def run_demo(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def counts():
    return {
        model.__name__: model.objects.count() for model in (CentrePage, EventPage, Occurrence, Registration, Place)
    }


@freeze_time(MONDAY_MORNING)
def test_every_demo_centre_gets_a_season_of_upcoming_dates_and_registrations(home):
    run_demo()

    centres = CentrePage.objects.live()
    assert centres.count() == 5
    for centre in centres:
        upcoming = Occurrence.objects.listed().upcoming().filter(centre=centre)
        weekly = upcoming.filter(event__title="Premiers pas sur le téléphone")
        assert weekly.count() >= 10, centre
        # Every Tuesday and Thursday morning, but the centres' closing week.
        procedures = upcoming.filter(event__title__startswith="Permanence démarches en ligne")
        assert {occurrence.start.isoweekday() for occurrence in procedures} == {2, 4}
        assert procedures.filter(event__exceptions__date=F("planned_date")).count() == 0
        assert EventPage.objects.child_of(centre).get(slug="permanence-demarches-en-ligne").exceptions.count() == 2
        assert upcoming.filter(event__title="Sortie familles").first().start.day <= 7
        assert Place.objects.filter(centre=centre).count() == 4
    # Only the network's own categories, each one used.
    used = set(EventPage.objects.values_list("category__slug", flat=True))
    network = {"atelier-numerique", "demarches", "famille", "sortie", "sante", "rencontre"}
    assert used == set(Category.objects.values_list("slug", flat=True)) == network
    events = EventPage.objects.all()
    assert events.filter(price=0).exists() and events.filter(price__gt=0).exists()
    assert events.filter(wheelchair_accessible=False).exists() and events.filter(wheelchair_accessible=True).exists()
    assert events.filter(registration_required=False, capacity=None).exists()
    assert {tag for event in events for tag in event.audiences.names()} == {
        "seniors",
        "familles",
        "débutants",
        "jeunes",
    }

    # Seats agree with the registrations; some dates are full, with or without a waitlist.
    occurrences = Occurrence.objects.all()
    for occurrence in occurrences.filter(registrations__isnull=False).distinct():
        registrations = occurrence.registrations.all()
        assert occurrence.confirmed_count == registrations.holding_seat().count() <= occurrence.capacity
        assert occurrence.waitlist_count == registrations.filter(status=Registration.Status.WAITLISTED).count()
    full = occurrences.upcoming().filter(confirmed_count=F("capacity"))
    assert full.filter(waitlist_count__gt=0).exists() and full.filter(waitlist_count=0).exists()
    # The demo resident is registered ahead and was there before; the relay waits for a seat.
    resident = Membership.objects.get(role=Membership.Role.RESIDENT, user__username="habitant.belencontre").user
    mine = Registration.objects.filter(person=resident)
    assert mine.filter(status=Registration.Status.CONFIRMED, occurrence__start__gt=timezone.now()).exists()
    assert mine.filter(status=Registration.Status.ATTENDED, occurrence__end__lte=timezone.now()).exists()
    relay = Membership.objects.get(role=Membership.Role.RELAY, user__username="relais.belencontre").user
    assert Registration.objects.filter(person=relay, status=Registration.Status.WAITLISTED).exists()
