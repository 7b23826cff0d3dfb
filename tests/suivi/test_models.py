"""The rules of mediation records that hold whoever writes: no bands without consent, erasure keeps the counts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services import erase_account
from suivi import lists, services
from suivi.models import MediationRecord, Participant, Person
from tests.accounts.factories import mediator_of, resident_of
from tests.suivi.factories import PersonFactory, RecordFactory

pytestmark = pytest.mark.django_db


def test_bands_without_consent_are_not_stored(centre):
    person = Person(centre=centre, label="M. D.", gender=lists.Gender.WOMAN, commune="59512")

    with pytest.raises(ValidationError):
        person.full_clean()
    person.save()

    stored = Person.objects.get(pk=person.pk)
    assert (stored.gender, stored.commune, stored.age_band) == ("", "", "")


def test_the_database_refuses_bands_without_consent_too(centre):
    person = PersonFactory(centre=centre)

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(gender=lists.Gender.MAN)


def test_a_commune_must_come_from_the_list(centre):
    person = PersonFactory.build(centre=centre, with_bands=True, commune="59100")  # a postcode, not an INSEE code

    with pytest.raises(ValidationError) as error:
        person.full_clean()

    assert "commune" in error.value.message_dict


def test_a_record_copies_the_bands_of_people_who_agreed_only(centre):
    mediator = mediator_of(centre)
    agreed = PersonFactory(centre=centre, with_bands=True)
    silent = PersonFactory(centre=centre)

    record = services.record_session(
        centre,
        mediator,
        kind=lists.Kind.WORKSHOP,
        date=timezone.localdate(),
        duration_minutes=60,
        place_type=lists.PlaceType.CENTRE,
        themes=[lists.Theme.EMAIL],
        people=[agreed, silent],
    )

    rows = {row.person_id: row for row in Participant.objects.filter(record=record)}
    assert rows[agreed.pk].gender == lists.Gender.WOMAN and rows[agreed.pk].first_visit is True
    assert rows[silent.pk].gender == "" and rows[silent.pk].first_visit is None
    assert list(record.mediators.all()) == [mediator]


def test_a_first_visit_is_counted_at_the_first_record_only(centre):
    mediator = mediator_of(centre)
    person = PersonFactory(centre=centre, with_bands=True)
    options = {
        "kind": lists.Kind.INDIVIDUAL,
        "date": timezone.localdate(),
        "duration_minutes": 30,
        "place_type": lists.PlaceType.CENTRE,
        "themes": [lists.Theme.EMAIL],
        "people": [person],
    }

    first = services.record_session(centre, mediator, **options)
    second = services.record_session(centre, mediator, **options)

    assert Participant.objects.get(record=first).first_visit is True
    assert Participant.objects.get(record=second).first_visit is False


def test_erasing_bands_keeps_the_sessions_and_leaves_nothing_about_the_person(centre):
    person = PersonFactory(centre=centre, with_bands=True)
    RecordFactory(centre=centre, people=[person])

    services.erase_bands(person)

    person.refresh_from_db()
    assert person.consent_given_at is None and not person.has_bands()
    participant = Participant.objects.get(person=person)
    assert not participant.has_bands()
    assert MediationRecord.objects.filter(centre=centre).count() == 1


def test_erasing_an_account_keeps_the_counts_linked_to_nobody(centre):
    resident = resident_of(centre)
    person = PersonFactory(centre=centre, user=resident, label="", with_bands=True)
    RecordFactory(centre=centre, people=[person], remaining="Rappeler Mme Martin au 06 12 34 56 78")
    workshop = RecordFactory(centre=centre, kind=lists.Kind.WORKSHOP, people=[person], remaining="Prévoir la salle")

    erase_account(resident)

    assert not Person.objects.filter(pk=person.pk).exists()
    rows = Participant.objects.filter(record__centre=centre)
    assert rows.count() == 2
    assert all(row.person_id is None and row.gender == lists.Gender.WOMAN for row in rows)
    assert MediationRecord.objects.get(kind=lists.Kind.INDIVIDUAL).remaining == ""
    workshop.refresh_from_db()
    assert workshop.remaining == "Prévoir la salle"


def test_a_person_is_once_per_centre_and_never_nameless(centre):
    resident = resident_of(centre)
    PersonFactory(centre=centre, user=resident, label="")

    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(centre=centre, user=resident, label="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(centre=centre, label="")
