"""Two requests at the same moment: one calendar address kept, each proposal of an activity written, no error page."""

import datetime as dt
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from agenda import proposals, services
from agenda.models import CalendarToken, EventPage
from tests.agenda.factories import CategoryFactory
from tests.concurrency import at_once, unexpected
from tests.factories import CentrePageFactory
from tests.notifications.factories import PersonFactory, member_of

ROUNDS = 10


def test_renewing_again_replaces_the_address_and_keeps_one(db):
    person = PersonFactory()
    first = services.renew_calendar_token(person).token
    second = services.renew_calendar_token(person).token
    assert first != second
    assert list(CalendarToken.objects.filter(person=person).values_list("token", flat=True)) == [second]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_renew_keeps_one_address_and_no_error_page():
    url = reverse("agenda:renew_calendar")
    errors, statuses = [], []
    for round_number in range(ROUNDS):
        person = PersonFactory()
        if round_number % 2:
            CalendarToken.objects.create(person=person)  # renewing an address, not only making the first one
        clients = [Client() for _ in range(3)]
        for client in clients:
            client.force_login(person)
        outcomes = at_once(*[partial(client.post, url) for client in clients])
        errors += unexpected(outcomes)
        statuses += [outcome.status_code for outcome in outcomes if not isinstance(outcome, Exception)]
        assert CalendarToken.objects.filter(person=person).count() == 1
    assert errors == [], f"{len(errors)} error pages in {ROUNDS} triple clicks"
    assert set(statuses) == {302}


# Proposals of activities: each is a new page under the centre, whose place in the tree is computed from its siblings.


def propose_tricot(person, centre, category):
    return proposals.propose(
        person,
        centre,
        title="Atelier tricot",
        summary="On apprend à tricoter une écharpe, ensemble et sans se presser.",
        start_date=timezone.localdate() + dt.timedelta(days=7),
        start_time=dt.time(14),
        end_time=dt.time(16),
        place=None,
        category=category,
        capacity=8,
        needs="",
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_residents_proposing_at_the_same_moment_each_get_their_draft(home):
    category = CategoryFactory()
    errors, drafts = [], 0
    for _ in range(ROUNDS):
        centre = CentrePageFactory(parent=home)
        people = [member_of(centre) for _ in range(3)]
        outcomes = at_once(*[partial(propose_tricot, person, centre, category) for person in people])
        errors += unexpected(outcomes)
        drafts += EventPage.objects.child_of(centre).count()
    assert errors == [], f"{len(errors)} errors for {3 * ROUNDS} proposals"
    assert drafts == 3 * ROUNDS
    assert Page.find_problems() == ([], [], [], [], [])
