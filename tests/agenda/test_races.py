"""Renewing one's calendar address twice at the same moment leaves one working address and no error page."""

from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from agenda import services
from agenda.models import CalendarToken
from tests.concurrency import at_once, unexpected
from tests.notifications.factories import PersonFactory

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
    url = reverse("agenda_renew_calendar")
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
