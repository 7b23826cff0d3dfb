"""Joining a centre or giving one's accord twice at the same moment keeps one membership and one active accord."""

from functools import partial

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import notices, services
from accounts.models import Consent, User
from core.errors import NotAllowed
from notifications.models import Notification
from quartier.models import Membership
from tests.accounts.factories import ConsentFactory, mediator_of, resident_of
from tests.concurrency import at_once, unexpected
from tests.factories import CentrePageFactory
from tests.notifications.factories import PersonFactory

ROUNDS = 10
EXPLAINED = "Les médiateurs peuvent m'aider sur le site quand je le demande."


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home)


def welcomes(person):
    return Notification.objects.filter(recipient=person, kind=notices.WELCOME.key).count()


# Memberships.


def test_joining_again_gives_the_existing_membership_and_one_welcome(centre):
    person = PersonFactory()
    first, created = services.join_centre(person, centre)
    again, created_again = services.join_centre(person, centre)
    assert (again, created, created_again) == (first, True, False)
    assert Membership.objects.filter(user=person, centre=centre).count() == 1
    assert welcomes(person) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_join_makes_one_membership_and_one_welcome(home):
    centre = CentrePageFactory(parent=home)
    url = reverse("accounts:join_centre", args=[centre.pk])
    for _ in range(ROUNDS):
        person = PersonFactory()
        clients = [Client(), Client()]
        for client in clients:
            client.force_login(person)
        outcomes = at_once(*[partial(client.post, url) for client in clients])
        assert unexpected(outcomes) == []
        assert [response.status_code for response in outcomes] == [302, 302]
        assert Membership.objects.filter(user=person, centre=centre).count() == 1
        assert welcomes(person) == 1


# Consents to be helped.


def test_giving_an_accord_again_gives_the_active_one(centre):
    resident = resident_of(centre)
    first = services.give_consent(resident, centre, explained=EXPLAINED)
    assert services.give_consent(resident, centre, explained=EXPLAINED) == first
    assert Consent.objects.active().filter(resident=resident, centre=centre).count() == 1


def test_the_database_keeps_one_active_accord_per_resident_and_centre(centre):
    resident = resident_of(centre)
    ConsentFactory(resident=resident, centre=centre)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentFactory(resident=resident, centre=centre)


def test_when_the_database_refuses_a_second_accord_the_active_one_is_given(centre, monkeypatch):
    """The lock makes the check see the first accord; were it missed, the constraint's refusal gives the same."""
    resident = resident_of(centre)
    first = services.give_consent(resident, centre, explained=EXPLAINED)
    monkeypatch.setattr(services, "_active_consent", lambda resident, centre: None)
    assert services.give_consent(resident, centre, explained=EXPLAINED) == first
    assert Consent.objects.filter(resident=resident).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_accord_given_twice_at_once_is_recorded_once(home):
    centre = CentrePageFactory(parent=home)
    mediator = mediator_of(centre)
    errors, duplicates = [], 0
    for _ in range(ROUNDS):
        resident = resident_of(centre)
        online = partial(services.give_consent, resident, centre, explained=EXPLAINED)
        at_the_desk = partial(services.give_consent, resident, centre, explained=EXPLAINED, recorded_by=mediator)
        outcomes = at_once(online, at_the_desk)
        errors += unexpected(outcomes)
        duplicates += Consent.objects.active().filter(resident=resident, centre=centre).count() - 1
        if not errors:
            assert outcomes[0] == outcomes[1], "both get the one active accord"
    assert (errors, duplicates) == ([], 0), f"{len(errors)} errors in {ROUNDS} rounds"


# Sign-up: a double click on "Créer mon compte".


@pytest.mark.parametrize("data", [{"email": "fatou@exemple.test"}, {"phone": "06 12 34 56 78"}])
def test_signing_up_twice_makes_one_account_and_the_same_next_page(client, home, data):
    first = client.post("/compte/inscription/", {"display_name": "Fatou", **data})
    second = Client().post("/compte/inscription/", {"display_name": "Fatou", **data})
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.url == second.url
    assert User.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("contact", ["email", "phone"])
def test_a_double_click_on_signup_makes_one_account(home, contact):
    errors, duplicates = [], 0
    for number in range(ROUNDS):
        if contact == "email":
            data, same = {"email": f"fatou{number}@exemple.test"}, {"email": f"fatou{number}@exemple.test"}
        else:
            data, same = {"phone": f"06 12 34 56 {number:02d}"}, {"phone": f"+336123456{number:02d}"}
        data["display_name"] = "Fatou"
        outcomes = at_once(*[partial(Client().post, "/compte/inscription/", data) for _ in range(2)])
        errors += unexpected(outcomes)
        errors += [
            outcome for outcome in outcomes if not isinstance(outcome, Exception) and outcome.status_code != 302
        ]
        duplicates += User.objects.filter(**same).count() - 1
    assert (errors, duplicates) == ([], 0), f"{len(errors)} errors, {duplicates} accounts too many in {ROUNDS} rounds"


# A mediator hands an accompanied account to its owner: a double click on "Enregistrer".


def accompanied(centre, mediator):
    return services.create_accompanied_account(
        mediator,
        display_name="Mme Rose",
        centre=centre,
        explained="Expliqué au centre, avec le formulaire papier.",
        given_on=timezone.localdate(),
        paper_form_kept=True,
    )


def test_an_account_handed_over_once_is_not_handed_over_again(centre):
    mediator = mediator_of(centre)
    resident = accompanied(centre, mediator)
    stale = User.objects.get(pk=resident.pk)
    services.take_over_account(mediator, resident, email="rose@exemple.test")
    with pytest.raises(NotAllowed):
        services.take_over_account(mediator, stale, email="rose@exemple.test")
    assert list(EmailAddress.objects.filter(user=resident).values_list("email", flat=True)) == ["rose@exemple.test"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_take_over_hands_the_account_over_once(home):
    centre = CentrePageFactory(parent=home)
    mediator = mediator_of(centre)
    errors, statuses = [], []
    for number in range(ROUNDS):
        resident = accompanied(centre, mediator)
        url = reverse("accounts:take_over", args=[resident.pk])
        clients = [Client(), Client()]
        for client in clients:
            client.force_login(mediator)
        outcomes = at_once(*[partial(client.post, url, {"email": f"rose{number}@exemple.test"}) for client in clients])
        errors += unexpected(outcomes)
        statuses += sorted(answer.status_code for answer in outcomes if not isinstance(answer, Exception))
        assert EmailAddress.objects.filter(user=resident).count() == 1
    assert errors == [], f"{len(errors)} error pages in {ROUNDS} double clicks"
    # The second click meets an account that is no longer accompanied, as it would a moment later: it is
    # told so in a message on the page it is sent back to, like any refusal.
    assert statuses == [302, 302] * ROUNDS
