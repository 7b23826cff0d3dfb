"""A record changed and deleted by its centre's team, its history line, and the person found by a search that needs no
JavaScript; each new address tried from another centre, by a resident and signed out."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from suivi import record_views
from suivi.models import MediationRecord, Participant, Person
from tests.accounts.factories import mediator_of, resident_of
from tests.factories import UserFactory, url_names
from tests.suivi.factories import PersonFactory, RecordFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tuesday_the_10th_of_march")]

TODAY = dt.date(2026, 3, 10)
HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>'


@pytest.fixture
def person(centre):
    return PersonFactory(centre=centre, label="G. B.", with_bands=True)


@pytest.fixture
def record(centre, person, mediator):
    return RecordFactory(
        centre=centre, people=[person], mediators=[mediator], recorded_by=mediator, date=dt.date(2026, 3, 2)
    )


BY_RECORD = {"suivi:edit_record", "suivi:delete_record"}
BY_CENTRE = {"suivi:export_centre"}
NETWORK = {"suivi:export_network"}


def test_every_address_is_in_the_permission_tests():
    assert set(url_names(get_resolver().url_patterns, {record_views.__name__})) == {*BY_RECORD, *BY_CENTRE, *NETWORK}


def address(name, record):
    if name in BY_RECORD:
        return reverse(name, args=[record.pk])
    if name in BY_CENTRE:
        return reverse(name, args=[record.centre_id])
    return reverse(name)


@pytest.mark.parametrize("name", [*BY_RECORD, *BY_CENTRE, *NETWORK])
def test_signed_out_visitors_are_sent_to_sign_in(client, name, record):
    response = client.get(address(name, record))

    assert response.status_code == 302 and response.url.startswith("/compte/connexion/")


@pytest.mark.parametrize("name", [*BY_RECORD, *BY_CENTRE, *NETWORK])
def test_another_centres_team_gets_not_found_and_nothing_changes(client, staff_login, name, record, other_centre):
    staff_login(client, mediator_of(other_centre))

    response = client.post(address(name, record), {"confirm": "oui", "kind": "atelier"})

    assert response.status_code == 404
    assert MediationRecord.objects.get().kind == "individuel"


@pytest.mark.parametrize("name", [*BY_RECORD, *BY_CENTRE])
def test_a_resident_gets_not_found(client, name, centre, record):
    client.force_login(resident_of(centre))

    assert client.get(address(name, record)).status_code == 404


def edit(client, record, **changes):
    data = {
        "kind": "demarche",
        "date": "03/03/2026",
        "duration_minutes": "60",
        "place_type": "distance",
        "procedure_themes": ["famille"],
        "procedure_detail": "Déclaration trimestrielle CAF",
        "redirected_to": "",
        "remaining": "Rapporter l'avis",
    }
    if "person" not in changes:
        data["person"] = str(record.participants.get().person_id)
    data.update(changes)
    return client.post(reverse("suivi:edit_record", args=[record.pk]), {k: v for k, v in data.items() if v})


def test_the_edit_page_opens_with_what_was_noted(client, staff_login, record, person, mediator):
    staff_login(client, mediator)

    response = client.get(reverse("suivi:edit_record", args=[record.pk]))

    form = response.context["form"]
    assert form["person"].value() == person.pk
    assert form["date"].value() == dt.date(2026, 3, 2)
    assert form["themes"].value() == ["email"]
    assert "par Nadia." in response.content.decode()


def test_the_team_changes_a_record_and_the_history_says_who(client, staff_login, centre, record, person):
    colleague = mediator_of(centre, display_name="Karim")
    staff_login(client, colleague)

    response = edit(client, record)

    assert response.status_code == 302 and response.url == reverse("suivi:person", args=[person.pk])
    record.refresh_from_db()
    assert (record.kind, record.date, record.duration_minutes, record.place_type) == (
        "demarche",
        dt.date(2026, 3, 3),
        60,
        "distance",
    )
    assert list(record.themes.values_list("theme", flat=True)) == ["famille"]
    assert record.procedure_detail == "Déclaration trimestrielle CAF"
    assert (record.updated_by, record.updated_at.date()) == (colleague, TODAY)
    page = client.get(reverse("suivi:person", args=[person.pk])).content.decode()
    assert "par Karim" in page


def test_the_bands_copied_on_the_participation_stay_when_the_person_changes_theirs(
    client, staff_login, record, person, mediator
):
    Person.objects.filter(pk=person.pk).update(gender="homme")
    staff_login(client, mediator)

    edit(client, record)

    assert Participant.objects.get(record=record).gender == "femme"


def test_choosing_another_person_moves_the_participation_with_their_bands_of_today(
    client, staff_login, centre, record, mediator
):
    other = PersonFactory(centre=centre, label="M. T.")
    staff_login(client, mediator)

    edit(client, record, person=str(other.pk))

    participant = Participant.objects.get(record=record)
    assert (participant.person, participant.gender) == (other, "")


def test_a_person_of_another_centre_is_refused_and_nothing_changes(
    client, staff_login, record, mediator, other_centre
):
    stranger = PersonFactory(centre=other_centre, label="X")
    staff_login(client, mediator)

    response = edit(client, record, person=str(stranger.pk))

    assert response.status_code == 400
    assert response.context["form"].errors["person"] == ["Cette personne n'est pas dans la liste du centre."]
    assert MediationRecord.objects.get().kind == "individuel"


def test_a_workshops_present_stay_and_are_not_offered_to_change(client, staff_login, centre, mediator):
    workshop = RecordFactory(
        centre=centre, kind="atelier", people=[PersonFactory(centre=centre), PersonFactory(centre=centre)]
    )
    staff_login(client, mediator)

    response = client.get(reverse("suivi:edit_record", args=[workshop.pk]))
    assert "person" not in response.context["form"].fields
    edit(client, workshop, person=None, kind="atelier", themes=["email"], procedure_themes=None)

    workshop.refresh_from_db()
    assert workshop.participants.count() == 2 and workshop.updated_by == mediator


def test_free_text_is_shown_as_text(client, staff_login, record, person, mediator):
    staff_login(client, mediator)
    edit(client, record, procedure_detail=HOSTILE[:200], remaining=HOSTILE)

    page = client.get(reverse("suivi:person", args=[person.pk])).content.decode()

    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_deleting_asks_first_then_removes_the_record_and_its_participations(client, staff_login, record, person):
    staff_login(client, mediator_of(record.centre))
    url = reverse("suivi:delete_record", args=[record.pk])

    asked = client.get(url)
    assert asked.status_code == 200 and MediationRecord.objects.exists()
    done = client.post(url, {"confirm": "oui"})

    assert done.url == reverse("suivi:person", args=[person.pk])
    assert not MediationRecord.objects.exists() and not Participant.objects.exists()
    assert Person.objects.filter(pk=person.pk).exists()


# Finding the person without JavaScript.


def test_the_search_lists_the_centres_people_and_members_who_match(
    client, staff_login, centre, mediator, other_centre
):
    PersonFactory(centre=centre, label="Ginette B.")
    PersonFactory(centre=centre, label="Marcel")
    PersonFactory(centre=other_centre, label="Ginette X.")
    resident_of(centre, display_name="Ginette Leroy")
    staff_login(client, mediator)

    response = client.get(reverse("suivi:new_record", args=[centre.pk]), {"q": "gin"})

    form = response.context["form"]
    assert [str(person) for person in form.listed_people] == ["Ginette B."]
    assert [str(member) for member in form.listed_members] == ["Ginette Leroy"]
    page = response.content.decode()
    assert 'type="search"' in page and 'for="personne-cherchee"' in page and 'type="radio" name="person"' in page


def test_a_search_with_no_match_says_so_and_offers_a_new_person(client, staff_login, centre, mediator):
    staff_login(client, mediator)

    response = client.get(reverse("suivi:new_record", args=[centre.pk]), {"q": HOSTILE[:30]})

    page = response.content.decode()
    assert "Personne ne correspond" in page and 'name="new_label"' in page
    assert "<img src=x" not in page


def test_the_person_found_is_noted_and_the_search_is_kept_after_an_error(client, staff_login, centre, mediator):
    ginette = PersonFactory(centre=centre, label="Ginette B.")
    staff_login(client, mediator)
    url = reverse("suivi:new_record", args=[centre.pk]) + "?q=ginette"

    refused = client.post(url, {"person": str(ginette.pk), "kind": "individuel", "date": "10/03/2026"})
    assert refused.status_code == 400 and refused.context["form"].listed_people == [ginette]
    client.post(
        url,
        {"person": str(ginette.pk), "kind": "individuel", "date": "10/03/2026", "duration_minutes": "30"}
        | {"place_type": "centre", "themes": ["email"]},
    )

    assert Participant.objects.get().person == ginette


@pytest.mark.parametrize("search", ["", "P."])
def test_the_form_reads_as_many_queries_with_10_or_200_people(
    client, staff_login, centre, mediator, django_assert_num_queries, search
):
    url = reverse("suivi:new_record", args=[centre.pk])
    staff_login(client, mediator)
    PersonFactory.create_batch(10, centre=centre)
    client.get(url, {"q": search})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": search})
    PersonFactory.create_batch(190, centre=centre)
    for _index in range(20):
        resident_of(centre, display_name=f"P. {_index}")

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, {"q": search})
    assert len(response.context["form"].listed_people) == 12


def test_a_network_admin_reaches_every_centres_record(client, staff_login, record):
    staff_login(client, UserFactory(network_admin=True))

    assert client.get(reverse("suivi:edit_record", args=[record.pk])).status_code == 200
