""" "Mes données": the resident sees what each centre noted about them and erases it, after one confirmation."""

import pytest
from django.urls import reverse

from suivi import lists
from suivi.models import MediationRecord, Participant, Person
from tests.accounts.factories import mediator_of, resident_of
from tests.factories import CentrePageFactory
from tests.suivi.factories import PersonFactory, RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(centre):
    return resident_of(centre, display_name="Ginette")


@pytest.fixture
def noted(centre, resident):
    person = PersonFactory(centre=centre, user=resident, label="", with_bands=True)
    RecordFactory(
        centre=centre,
        people=[person],
        mediators=[mediator_of(centre, display_name="Nadia")],
        remaining="Revenir avec l'avis",
    )
    return person


def test_my_data_shows_the_bands_and_sessions_of_each_centre_with_a_way_to_erase(client, resident, noted):
    client.force_login(resident)

    content = client.get(reverse("accounts:my_data")).content.decode()

    assert "Ce que les centres savent de moi pour leurs chiffres" in content
    assert "Femme" in content and "60 à 69 ans" in content and "Roubaix" in content
    assert "Les fois où un centre m&#x27;a aidé" in content and "Nadia" in content
    assert reverse("suivi:erase_my_bands", args=[noted.pk]) in content


def test_the_json_file_holds_them_too(client, resident, noted):
    client.force_login(resident)

    data = client.get(reverse("accounts:my_data_json")).json()["donnees"]

    assert data["Ce que les centres savent de moi pour leurs chiffres"][0]["Genre"] == "Femme"


def test_erasing_asks_first_then_erases_and_keeps_the_count(client, resident, noted):
    client.force_login(resident)
    url = reverse("suivi:erase_my_bands", args=[noted.pk])

    question = client.get(url)
    assert question.status_code == 200
    assert Person.objects.get(pk=noted.pk).consent_given_at is not None

    unconfirmed = client.post(url)
    assert Person.objects.get(pk=noted.pk).gender == lists.Gender.WOMAN
    assert unconfirmed.status_code == 200

    response = client.post(url, {"confirm": "oui"})

    assert response.status_code == 302 and response.url == reverse("accounts:my_data")
    person = Person.objects.get(pk=noted.pk)
    assert not person.has_bands() and person.consent_given_at is None
    assert not Participant.objects.get(person=person).has_bands()
    assert MediationRecord.objects.count() == 1
    assert (
        reverse("suivi:erase_my_bands", args=[noted.pk])
        not in client.get(reverse("accounts:my_data")).content.decode()
    )


def test_another_centres_row_of_the_same_person_stays(client, home, resident, noted):
    other = CentrePageFactory(parent=home)
    elsewhere = PersonFactory(centre=other, user=resident, label="", with_bands=True)
    client.force_login(resident)

    client.post(reverse("suivi:erase_my_bands", args=[noted.pk]), {"confirm": "oui"})

    assert Person.objects.get(pk=elsewhere.pk).gender == lists.Gender.WOMAN
