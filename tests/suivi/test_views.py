"""The team's pages: each id tried from another centre and by a resident, the few-taps form and its French errors,
the person's history and the follow-ups due."""

import datetime as dt

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from agenda.models import Occurrence, Registration
from suivi import views
from suivi.models import MediationRecord, Participant, Person
from tests.accounts.factories import mediator_of, resident_of
from tests.agenda.factories import EventPageFactory, RegistrationFactory, first_date
from tests.factories import url_names
from tests.suivi.factories import PersonFactory, RecordFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tuesday_the_10th_of_march")]

TODAY = dt.date(2026, 3, 10)
HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>'


@pytest.fixture
def person(centre):
    return PersonFactory(centre=centre, label="G. B.")


@pytest.fixture
def record(centre, person, mediator):
    return RecordFactory(centre=centre, people=[person], mediators=[mediator], follow_up_on=TODAY)


# Every address of the app is in one of these lists: a new one missing from them fails below.

BY_PERSON = {"suivi:person": "get", "suivi:bands": "post"}
BY_RECORD = {"suivi:followed_up": "post"}
BY_CENTRE = {"suivi:new_record": "post", "suivi:people": "get"}
LISTS = {"suivi:team_home", "suivi:follow_ups"}
RESIDENT = {"suivi:erase_my_bands"}


def test_every_address_is_in_the_permission_tests():
    assert set(url_names(get_resolver().url_patterns, {views.__name__})) == {
        *BY_PERSON,
        *BY_RECORD,
        *BY_CENTRE,
        *LISTS,
        *RESIDENT,
    }


def url_for(name, centre, person, record):
    if name in BY_PERSON or name in RESIDENT:
        return reverse(name, args=[person.pk])
    if name in BY_RECORD:
        return reverse(name, args=[record.pk])
    if name in BY_CENTRE:
        return reverse(name, args=[centre.pk])
    return reverse(name)


def state():
    return (
        list(MediationRecord.objects.values_list("pk", "followed_up_at")),
        list(Person.objects.values_list("pk", "gender", "consent_given_at")),
        Participant.objects.count(),
    )


@pytest.mark.parametrize("name", [*BY_PERSON, *BY_RECORD, *BY_CENTRE, *LISTS, *RESIDENT])
def test_anonymous_visitors_are_sent_to_sign_in(client, name, centre, person, record):
    response = client.get(url_for(name, centre, person, record))

    assert response.status_code == 302
    assert response.url.startswith("/compte/connexion/")


@pytest.mark.parametrize("name", [*BY_PERSON, *BY_RECORD, *BY_CENTRE])
def test_another_centres_team_gets_not_found_and_changes_nothing(
    client, staff_login, name, centre, person, record, other_centre
):
    staff_login(client, mediator_of(other_centre))
    method = (BY_PERSON | BY_RECORD | BY_CENTRE)[name]
    before = state()

    response = getattr(client, method)(url_for(name, centre, person, record), {"gender": "femme", "consent": "on"})

    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("name", [*BY_PERSON, *BY_RECORD, *BY_CENTRE])
def test_a_resident_gets_not_found_even_about_themselves(client, name, centre, record):
    resident = resident_of(centre)
    mine = PersonFactory(centre=centre, user=resident, label="")
    client.force_login(resident)

    response = client.get(url_for(name, centre, mine, record))

    assert response.status_code == 404


def test_a_resident_is_told_the_team_pages_are_for_teams(client, centre):
    client.force_login(resident_of(centre))

    assert client.get(reverse("suivi:team_home")).status_code == 403


def test_the_resident_erasure_page_is_not_for_another_persons_row(client, centre, person):
    client.force_login(resident_of(centre))

    assert client.post(reverse("suivi:erase_my_bands", args=[person.pk]), {"confirm": "oui"}).status_code == 404


# Noting a session.


def post_record(client, centre, **changes):
    data = {
        "kind": "individuel",
        "date": "10/03/2026",
        "duration_minutes": "30",
        "place_type": "centre",
        "themes": ["email"],
        "redirected_to": "",
    }
    data.update(changes)
    return client.post(reverse("suivi:new_record", args=[centre.pk]), {k: v for k, v in data.items() if v is not None})


def test_the_form_opens_on_todays_usual_session(client, staff_login, centre, mediator):
    staff_login(client, mediator)

    response = client.get(reverse("suivi:new_record", args=[centre.pk]))

    form = response.context["form"]
    assert form["date"].value() == TODAY
    assert form["duration_minutes"].value() == 30
    assert form["place_type"].value() == "centre"
    assert form["kind"].value() == "individuel"
    assert 'class="form form--taps"' in response.content.decode()


def test_a_few_taps_note_a_session_for_a_new_person(client, staff_login, centre, mediator):
    staff_login(client, mediator)

    response = post_record(client, centre, new_label="G. B.", themes=["email", "sante"], remaining="Revenir lundi")

    person = Person.objects.get(centre=centre, label="G. B.")
    assert response.status_code == 302 and response.url == reverse("suivi:person", args=[person.pk])
    record = MediationRecord.objects.get()
    assert (record.date, record.duration_minutes, record.place_type) == (TODAY, 30, "centre")
    assert sorted(record.themes.values_list("theme", flat=True)) == ["email", "sante"]
    assert list(record.mediators.all()) == [mediator]
    assert record.recorded_by == mediator
    assert Participant.objects.get(record=record).person == person


def test_a_session_for_a_member_makes_their_row_in_the_centre(client, staff_login, centre, mediator):
    resident = resident_of(centre, display_name="Ginette")
    staff_login(client, mediator)

    post_record(client, centre, member=str(resident.pk), kind="demarche", themes=None, procedure_themes=["famille"])

    person = Person.objects.get(centre=centre, user=resident)
    assert MediationRecord.objects.get().kind == "demarche"
    assert Participant.objects.get().person == person


def test_a_workshop_takes_its_participants_from_the_agendas_attendance(client, staff_login, centre, mediator):
    occurrence = first_date(EventPageFactory(parent=centre, title="Atelier tablette"))
    Occurrence.objects.filter(pk=occurrence.pk).update(
        start=timezone.now() - dt.timedelta(days=1, hours=2), end=timezone.now() - dt.timedelta(days=1)
    )
    came = resident_of(centre, display_name="Ahmed")
    RegistrationFactory(occurrence=occurrence, person=came, status=Registration.Status.ATTENDED)
    RegistrationFactory(occurrence=occurrence, person=resident_of(centre), status=Registration.Status.ABSENT)
    RegistrationFactory(occurrence=occurrence, name="Mme Lefèvre", status=Registration.Status.ATTENDED)
    staff_login(client, mediator)

    response = post_record(
        client, centre, kind="atelier", occurrence=str(occurrence.pk), duration_minutes="120", date="09/03/2026"
    )

    assert response.status_code == 302
    record = MediationRecord.objects.get()
    assert record.occurrence_id == occurrence.pk
    participants = Participant.objects.filter(record=record)
    assert sorted(str(row.person) if row.person else "" for row in participants) == ["", "Ahmed"]


def test_a_workshops_and_a_procedures_fields_are_folded_until_needed(client, staff_login, centre, mediator):
    staff_login(client, mediator)

    def folds(response):
        html = response.content.decode()
        return [piece.split(">", 1)[0] for piece in html.split('<details class="record-form__fold"')[1:]]

    assert folds(client.get(reverse("suivi:new_record", args=[centre.pk]))) == ["", ""]
    refused = post_record(client, centre, kind="demarche", new_label="A. B.")
    assert "Cochez au moins une démarche." in refused.content.decode()
    assert folds(refused) == ["", " open"]
    workshop = post_record(client, centre, kind="atelier", themes=None, workshop_title="Tablette")
    assert folds(workshop) == [" open", ""]


def test_a_workshop_outside_the_agenda_keeps_its_title_and_level_and_a_session_never_does(
    client, staff_login, centre, mediator
):
    staff_login(client, mediator)
    title = '<b>Arnaques</b> au "colis"'

    post_record(
        client, centre, kind="atelier", new_label="A. B.", workshop_title=title, workshop_level="intermediaire"
    )
    post_record(client, centre, new_label="C. D.", workshop_title="Atelier oublié", workshop_level="avance")

    workshop, session = MediationRecord.objects.order_by("pk")
    assert (workshop.workshop_title, workshop.workshop_level) == (title, "intermediaire")
    assert (session.kind, session.workshop_title, session.workshop_level) == ("individuel", "", "")
    edit = client.get(reverse("suivi:edit_record", args=[workshop.pk])).content.decode()
    assert "&lt;b&gt;Arnaques&lt;/b&gt;" in edit and "<b>Arnaques" not in edit


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({}, "person", "Choisissez la personne aidée"),
        ({"new_label": "A. B.", "themes": None}, "themes", "Cochez au moins un thème."),
        ({"new_label": "A. B.", "date": "11/03/2026"}, "date", "Cette date est dans le futur"),
        ({"new_label": "A. B.", "date": "n'importe"}, "date", "Saisissez une date comme"),
        ({"new_label": "A. B.", "duration_minutes": "7"}, "duration_minutes", "Choisissez la durée."),
        ({"new_label": "A. B.", "themes": ["piratage"]}, "themes", "Choisissez les thèmes dans la liste."),
        ({"new_label": "A. B.", "follow_up_on": "01/03/2026"}, "follow_up_on", "vient après"),
        ({"new_label": "A. B.", "kind": "demarche"}, "procedure_themes", "Cochez au moins une démarche."),
        ({"new_label": "A" * 31}, "new_label", "30 signes au plus"),
        ({"new_label": "!!"}, "new_label", "Écrivez des lettres"),
        ({"kind": "atelier"}, "person", "Choisissez l'atelier de l'agenda ou la personne."),
    ],
)
def test_bad_input_is_refused_in_french_next_to_the_field_and_nothing_is_written(
    client, staff_login, centre, mediator, changes, field, message
):
    staff_login(client, mediator)

    response = post_record(client, centre, **changes)

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field]), response.context["form"].errors
    assert "Rien n'est noté" in response.content.decode()
    assert not MediationRecord.objects.exists() and not Person.objects.exists()


def test_a_person_of_another_centre_cannot_be_chosen(client, staff_login, centre, mediator, other_centre):
    elsewhere = PersonFactory(centre=other_centre)
    staff_login(client, mediator)

    response = post_record(client, centre, person=str(elsewhere.pk))

    assert response.status_code == 400
    assert "Cette personne n'est pas dans la liste du centre." in response.context["form"].errors["person"]
    assert not MediationRecord.objects.exists()


def test_free_text_is_shown_as_text(client, staff_login, centre, mediator):
    staff_login(client, mediator)
    person = PersonFactory(centre=centre, label=HOSTILE[:30])
    RecordFactory(centre=centre, people=[person], remaining=HOSTILE, follow_up_on=TODAY, mediators=[mediator])

    pages = [
        client.get(reverse("suivi:person", args=[person.pk])).content.decode(),
        client.get(reverse("suivi:follow_ups")).content.decode(),
    ]

    for content in pages:
        assert "<script>alert(1)" not in content and "<img src=x" not in content
        assert "&lt;script&gt;alert(1)" in content or "&lt;img src=x" in content


# The person's history, bands and follow-ups.


def test_the_history_shows_who_helped_when_on_what_and_what_remains(client, staff_login, centre, person, mediator):
    colleague = mediator_of(centre, display_name="Karim")
    RecordFactory(centre=centre, people=[person], mediators=[mediator], themes=["sante"], date=dt.date(2026, 2, 3))
    RecordFactory(centre=centre, people=[person], mediators=[colleague], remaining="Rapporter l'avis d'imposition")
    RecordFactory(centre=centre, people=[PersonFactory(centre=centre, label="X. Y.")], remaining="Pas pour elle")
    staff_login(client, mediator)

    content = client.get(reverse("suivi:person", args=[person.pk])).content.decode()

    assert "Nadia" in content and "Karim" in content
    assert "Santé" in content and "E-mail" in content
    assert "mardi 3\u00a0février 2026" in content
    assert "Rapporter l&#x27;avis d&#x27;imposition" in content
    assert "Pas pour elle" not in content
    assert content.count("<h1>") == 1


def test_bands_without_consent_are_refused_and_not_stored(client, staff_login, centre, person, mediator):
    staff_login(client, mediator)

    response = client.post(reverse("suivi:bands", args=[person.pk]), {"gender": "femme", "commune": "59512"})

    assert response.status_code == 400
    assert "Sans l'accord de la personne, rien n'est noté" in response.context["form"].errors["consent"][0]
    person.refresh_from_db()
    assert person.gender == "" and person.commune == "" and person.consent_given_at is None


def test_bands_with_consent_are_noted_with_who_noted_them(client, staff_login, centre, person, mediator):
    staff_login(client, mediator)

    response = client.post(
        reverse("suivi:bands", args=[person.pk]),
        {"gender": "femme", "age_band": "60_69", "commune": "59599", "first_visit": "oui", "consent": "on"},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.gender, person.age_band, person.commune, person.first_visit) == ("femme", "60_69", "59599", True)
    assert person.consent_recorded_by == mediator


def test_a_commune_outside_the_list_is_refused(client, staff_login, centre, person, mediator):
    staff_login(client, mediator)

    response = client.post(reverse("suivi:bands", args=[person.pk]), {"commune": "59100", "consent": "on"})

    assert response.status_code == 400
    assert "Choisissez la commune dans la liste." in response.context["form"].errors["commune"]


def test_follow_ups_due_come_oldest_first_and_leave_once_done(client, staff_login, centre, mediator):
    staff_login(client, mediator)
    newer = RecordFactory(centre=centre, mediators=[mediator], follow_up_on=TODAY, remaining="Le plus récent")
    older = RecordFactory(
        centre=centre, mediators=[mediator], follow_up_on=TODAY - dt.timedelta(days=5), remaining="Le plus ancien"
    )
    RecordFactory(centre=centre, mediators=[mediator], follow_up_on=TODAY + dt.timedelta(days=1), remaining="Demain")
    RecordFactory(centre=centre, mediators=[mediator_of(centre)], follow_up_on=TODAY, remaining="Pas le mien")

    content = client.get(reverse("suivi:follow_ups")).content.decode()

    assert content.index("Le plus ancien") < content.index("Le plus récent")
    assert "Demain" not in content and "Pas le mien" not in content
    client.post(reverse("suivi:followed_up", args=[older.pk]))
    assert list(MediationRecord.objects.follow_ups_due(mediator)) == [newer]
