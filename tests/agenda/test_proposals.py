"""Residents propose activities; the centre's own team reviews them in Wagtail, and the resident hears the answer."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupApprovalTask, TaskState, WorkflowPage, WorkflowState

from accounts.models import ActingLog
from agenda import proposals
from agenda.models import EventPage
from core.errors import NotAllowed
from notifications.models import Notification
from tests.accounts.factories import MembershipFactory, mediator_of, resident_of
from tests.accounts.pages import field_errors, input_value, textarea_value
from tests.agenda.factories import CategoryFactory, PlaceFactory
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import PersonFactory, member_of

pytestmark = pytest.mark.django_db

URL = "/agenda/proposer/"
NEXT_WEEK = timezone.localdate() + dt.timedelta(days=7)


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre des Oliviers")


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre des Tilleuls")


@pytest.fixture
def category():
    return CategoryFactory(name="Atelier numérique", slug="atelier-numerique")


def editor_of(centre):
    editor = UserFactory()
    editor.groups.add(centre.team.editors)
    return editor


def proposal_data(kind, **overrides):
    return {
        "title": "Atelier tricot",
        "summary": "On apprend à tricoter une écharpe, ensemble et sans se presser.",
        "date": NEXT_WEEK.isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "place": "",
        "category": str(kind.pk),
        "capacity": "",
        "needs": "Des aiguilles et de la laine.",
        **overrides,
    }


def proposed(client, centre, category, person=None, **overrides):
    """`person` (a new member of `centre` by default) proposes through the form; returns the draft."""
    person = person or member_of(centre)
    client.force_login(person)
    response = client.post(f"{URL}?centre={centre.pk}", proposal_data(category, **overrides))
    assert response.status_code == 302, response.content.decode()
    return EventPage.objects.get(proposed_by=person)


def workflow_action(client, event, action, **data):
    task_state = event.current_workflow_state.current_task_state
    return client.post(reverse("wagtailadmin_pages:workflow_action", args=[event.pk, action, task_state.pk]), data)


def test_a_member_proposes_an_activity_which_waits_in_the_centres_own_workflow(client, centre, category):
    person = member_of(centre)
    place = PlaceFactory(centre=centre, name="Salle du fond")
    client.force_login(person)
    page = client.get(f"{URL}?centre={centre.pk}").content.decode()
    assert "Salle du fond" in page and "Au centre" in page

    response = client.post(
        f"{URL}?centre={centre.pk}", proposal_data(category, place=str(place.pk), capacity="8"), follow=True
    )

    assert response.redirect_chain == [(f"{URL}?centre={centre.pk}", 302)]
    html = response.content.decode()
    assert "Merci ! L&#x27;équipe du centre va relire votre proposition." in html
    event = EventPage.objects.get(proposed_by=person)
    assert event.get_parent().pk == centre.pk
    assert not event.live and event.has_unpublished_changes
    assert (event.owner, event.place, event.capacity, event.registration_required) == (person, place, 8, True)
    assert event.needs == "Des aiguilles et de la laine."
    assert (event.start_date, event.start_time, event.end_time) == (NEXT_WEEK, dt.time(14), dt.time(16))
    assert not event.occurrences.exists()
    state = event.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == person
    assert state.workflow == WorkflowPage.objects.get(page=centre).workflow
    assert set(state.current_task_state.task.specific.groups.all()) == {centre.team.editors}
    assert "Atelier tricot" in html and "En attente" in html


def test_without_a_capacity_the_proposal_gets_twelve_seats_and_the_centre_as_its_place(client, centre, category):
    event = proposed(client, centre, category)

    assert (event.capacity, event.place) == (12, None)


def test_the_centres_editors_and_mediators_are_told_and_no_one_else(client, centre, other_centre, category):
    editor, mediator = editor_of(centre), mediator_of(centre)
    both = mediator_of(centre)
    both.groups.add(centre.team.editors)
    other_editor, other_mediator = editor_of(other_centre), mediator_of(other_centre)
    neighbour = member_of(centre)
    person = member_of(centre, display_name="Awa")

    event = proposed(client, centre, category, person=person)

    told = Notification.objects.filter(kind="proposal_submitted")
    assert sorted(told.values_list("recipient", flat=True)) == sorted([editor.pk, mediator.pk, both.pk])
    notice = told.get(recipient=editor)
    assert notice.text.startswith("Awa propose une activité : « Atelier tricot »")
    assert notice.url == f"/admin/pages/{event.pk}/edit/"
    assert (notice.actor, notice.centre_id) == (person, centre.pk)
    for outsider in (other_editor, other_mediator, neighbour, person):
        assert not Notification.objects.filter(recipient=outsider, kind="proposal_submitted").exists()


def test_an_editor_approves_in_the_admin_then_the_activity_is_live_with_its_date_and_the_proposer_told(
    client, staff_login, centre, category
):
    person = member_of(centre)
    event = proposed(client, centre, category, person=person)
    editor = editor_of(centre)
    client.logout()
    staff_login(client, editor)

    response = workflow_action(client, event, "approve")

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.live
    assert event.current_workflow_state is None
    assert event.workflow_states.get().status == WorkflowState.STATUS_APPROVED
    occurrence = event.occurrences.get()
    assert (occurrence.centre_id, occurrence.capacity) == (centre.pk, 12)
    assert timezone.localtime(occurrence.start).date() == NEXT_WEEK
    told = Notification.objects.get(recipient=person, kind="proposal")
    assert told.url == event.url and told.url.startswith("/")
    assert "« Atelier tricot » est dans l'agenda du centre Centre des Oliviers" in told.text
    # Wagtail's own e-mail (its admin's words and links) is not sent to a resident.
    assert not [message for message in mail.outbox if person.email in message.to]

    client.force_login(person)
    html = client.get(URL).content.decode()
    assert f'<a href="{event.url}">Atelier tricot</a>' in html and "Publiée" in html


def test_an_editor_publishing_the_proposal_directly_tells_the_proposer_once(client, centre, category):
    person = member_of(centre)
    event = proposed(client, centre, category, person=person)

    event.get_latest_revision().publish(user=editor_of(centre))
    event.refresh_from_db()
    event.save_revision().publish()

    assert Notification.objects.filter(recipient=person, kind="proposal").count() == 1
    assert event.workflow_states.get().status == WorkflowState.STATUS_CANCELLED


def test_an_editor_declines_with_a_comment_which_the_proposer_reads(client, staff_login, centre, category):
    person = member_of(centre)
    event = proposed(client, centre, category, person=person)
    editor = editor_of(centre)
    client.logout()
    staff_login(client, editor)

    response = workflow_action(client, event, "reject", comment="La salle est prise ce jour-là. Un autre mardi ?")

    assert response.status_code == 302
    event.refresh_from_db()
    assert not event.live and not event.occurrences.exists()
    assert event.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    told = Notification.objects.get(recipient=person, kind="proposal")
    assert told.text == (
        "Le centre Centre des Oliviers ne publie pas votre activité « Atelier tricot ». "
        "Message de l'équipe : « La salle est prise ce jour-là. Un autre mardi ? »"
    )
    assert told.url == URL and told.actor == editor
    assert not [message for message in mail.outbox if person.email in message.to]

    client.force_login(person)
    html = client.get(URL).content.decode()
    assert "Refusée" in html and "La salle est prise ce jour-là. Un autre mardi ?" in html


def test_declining_through_wagtails_api_without_comment_says_so_plainly(client, centre, category):
    person = member_of(centre)
    event = proposed(client, centre, category, person=person)
    task_state = event.current_workflow_state.current_task_state

    task_state.task.specific.on_action(task_state, editor_of(centre), "reject")

    told = Notification.objects.get(recipient=person, kind="proposal")
    assert told.text == "Le centre Centre des Oliviers ne publie pas votre activité « Atelier tricot »."


def test_an_editor_of_another_centre_can_neither_approve_nor_decline(
    client, staff_login, centre, other_centre, category
):
    person = member_of(centre)
    event = proposed(client, centre, category, person=person)
    outsider = editor_of(other_centre)
    task_state = event.current_workflow_state.current_task_state
    assert task_state.task.specific.get_actions(event, outsider) == []
    client.logout()
    staff_login(client, outsider)

    for action in ("approve", "reject"):
        response = workflow_action(client, event, action, comment="Non.")
        assert response.status_code in {302, 403}
        if response.status_code == 302:
            assert response.url == "/admin/"

    event.refresh_from_db()
    assert not event.live
    assert event.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert TaskState.objects.get().status == TaskState.STATUS_IN_PROGRESS
    assert not Notification.objects.filter(recipient=person).exists()


def test_a_visitor_is_sent_to_sign_in_and_comes_back(client, centre):
    response = client.get(f"{URL}?centre={centre.pk}")

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_request_login_code"))
    assert "next=/agenda/proposer/%3Fcentre%3D" in response.url


def test_someone_outside_the_centre_is_told_how_to_join_and_nothing_is_written(client, centre, other_centre, category):
    person = member_of(other_centre)
    client.force_login(person)

    shown = client.get(f"{URL}?centre={centre.pk}")
    sent = client.post(f"{URL}?centre={centre.pk}", proposal_data(category))

    for response in (shown, sent):
        assert response.status_code == 403
        html = response.content.decode()
        assert "il faut d&#x27;abord en être membre" in html
        assert "Rejoindre ce centre" in html
        assert f'href="{centre.url}"' in html
        assert "<form" not in html.split("<main")[1]
    assert not EventPage.objects.exists()
    assert not WorkflowState.objects.exists()


def test_someone_in_no_centre_is_told_to_join_one(client, centre):
    client.force_login(PersonFactory())

    response = client.get(URL)

    assert response.status_code == 403
    html = response.content.decode()
    assert "rejoignez d&#x27;abord votre centre social" in html
    assert 'href="/#centres"' in html


def test_the_service_refuses_a_non_member_whatever_the_form_says(centre, category):
    with pytest.raises(NotAllowed, match="il faut d'abord en être membre"):
        proposals.propose(
            PersonFactory(),
            centre,
            title="Atelier",
            summary="Un atelier.",
            start_date=NEXT_WEEK,
            start_time=dt.time(10),
            end_time=dt.time(11),
            place=None,
            category=category,
            capacity=12,
            needs="",
        )
    assert not EventPage.objects.exists()


def test_a_member_of_several_centres_chooses_one_and_sees_only_its_places(client, centre, other_centre):
    person = member_of(centre)
    MembershipFactory(user=person, centre=other_centre)
    PlaceFactory(centre=centre, name="Salle des Oliviers")
    PlaceFactory(centre=other_centre, name="Salle des Tilleuls")
    client.force_login(person)

    choice = client.get(URL).content.decode()
    assert f'href="{URL}?centre={centre.pk}"' in choice and f'href="{URL}?centre={other_centre.pk}"' in choice
    assert "<form" not in choice.split("<main")[1]

    form = client.get(f"{URL}?centre={other_centre.pk}").content.decode()
    assert "Salle des Tilleuls" in form and "Salle des Oliviers" not in form


def test_an_unknown_centre_is_not_found(client, centre):
    client.force_login(member_of(centre))
    assert client.get(f"{URL}?centre=999999").status_code == 404
    assert client.get(f"{URL}?centre=abc").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Champ requis."),
        ("title", "x" * 101, "au plus 100 caractères"),
        ("title", "!!! ???", "avec des lettres"),
        ("summary", "y" * 201, "au plus 200 caractères"),
        ("needs", "z" * 1001, "au plus 1000 caractères"),
        ("date", (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "Cette date est passée"),
        ("date", "31/02/2030", "Saisissez une date comme 08/12/2026 ou 8\u00a0décembre 2026."),
        ("date", "32/13/2030", "Saisissez une date comme 08/12/2026 ou 8\u00a0décembre 2026."),
        ("date", "demain", "Saisissez une date comme 08/12/2026 ou 8\u00a0décembre 2026."),
        ("date", "<script>alert(1)</script>", "Saisissez une date comme 08/12/2026 ou 8\u00a0décembre 2026."),
        ("date", "mardi 3 juin 2030", "2030 est un lundi, pas un mardi."),
        ("start_time", "25:00", "Saisissez une heure comme 14\u00a0h\u00a030 ou 14:30."),
        ("start_time", "l'après-midi", "Saisissez une heure comme 14\u00a0h\u00a030 ou 14:30."),
        ("end_time", "13:00", "L'heure de fin doit venir après l'heure de début."),
        ("end_time", "14:00", "L'heure de fin doit venir après l'heure de début."),
        ("capacity", "0", "supérieure ou égale à 1"),
        ("capacity", "-3", "supérieure ou égale à 1"),
        ("capacity", "201", "inférieure ou égale à 200"),
        ("capacity", "douze", "Saisissez un nombre entier."),
        ("category", "", "Champ requis."),
    ],
)
def test_bad_input_is_answered_next_to_the_field_keeping_what_was_typed(
    client, centre, category, field, value, message
):
    client.force_login(member_of(centre))

    response = client.post(f"{URL}?centre={centre.pk}", proposal_data(category, **{field: value}))

    assert response.status_code == 400
    errors = field_errors(response, field)
    assert len(errors) == 1 and message in errors[0]
    html = response.content.decode()
    assert re.search(rf'name="{field}"[^>]*aria-describedby="[^"]*id_{field}_error"', html)
    typed = proposal_data(category, **{field: value})
    assert input_value(response, "title") == (typed["title"] or None)
    assert textarea_value(response, "summary") == typed["summary"]
    assert textarea_value(response, "needs") == typed["needs"]
    if field in {"date", "start_time", "end_time", "capacity"}:
        assert input_value(response, field) == value
    assert not EventPage.objects.exists()
    assert not WorkflowState.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("date", "start", "end"),
    [
        ("08/12/2030", "14h", "16 h 30"),
        ("8 décembre 2030", "14:00", "16h30"),
        ("dimanche 8 déc. 2030", "14 h", "16:30"),
    ],
)
def test_a_date_and_hours_typed_the_french_way_are_the_ones_proposed(client, centre, category, date, start, end):
    event = proposed(client, centre, category, date=date, start_time=start, end_time=end)

    assert (event.start_date, event.start_time, event.end_time) == (dt.date(2030, 12, 8), dt.time(14), dt.time(16, 30))


def test_the_proposal_form_asks_for_dates_and_hours_as_text_with_an_example(client, centre):
    client.force_login(member_of(centre))

    html = client.get(f"{URL}?centre={centre.pk}").content.decode()

    assert re.search(r'<input type="text" name="date"', html)
    assert re.search(r'<input type="text" name="start_time"', html)
    assert "Par exemple\u00a0: 08/12/2026 ou 8\u00a0décembre 2026." in html


def test_a_mediator_acting_for_a_resident_proposes_in_their_name(client, centre, category):
    mediator, resident = mediator_of(centre), resident_of(centre, consent=True)
    client.force_login(mediator)
    client.post(reverse("accounts:act_for", args=[resident.pk]))

    response = client.post(f"{URL}?centre={centre.pk}", proposal_data(category))

    assert response.status_code == 302
    event = EventPage.objects.get()
    assert event.proposed_by == event.owner == event.current_workflow_state.requested_by == resident
    log = ActingLog.objects.get(resident=resident)
    assert (log.mediator, log.succeeded) == (mediator, True)
    assert log.action == "Proposition d'une activité : « Atelier tricot »"


def test_today_earlier_than_now_is_refused(client, centre, category):
    client.force_login(member_of(centre))
    earlier = (timezone.localtime() - dt.timedelta(minutes=5)).time()
    if earlier >= timezone.localtime().time():
        pytest.skip("Juste après minuit : pas d'heure passée aujourd'hui.")

    response = client.post(
        f"{URL}?centre={centre.pk}",
        proposal_data(
            category,
            date=timezone.localdate().isoformat(),
            start_time=earlier.strftime("%H:%M"),
            end_time="23:59",
        ),
    )

    assert response.status_code == 400
    assert "Cette heure est passée" in response.content.decode()
    assert not EventPage.objects.exists()


def test_a_place_of_another_centre_is_refused(client, centre, other_centre, category):
    client.force_login(member_of(centre))
    theirs = PlaceFactory(centre=other_centre)

    response = client.post(f"{URL}?centre={centre.pk}", proposal_data(category, place=str(theirs.pk)))

    assert response.status_code == 400
    assert 'id="id_place_error"' in response.content.decode()
    assert not EventPage.objects.exists()


def test_html_in_a_title_stays_plain_text(client, centre, category):
    payload = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    person = member_of(centre)

    event = proposed(client, centre, category, person=person, title=f"Atelier {payload}")
    html = client.get(URL).content.decode()

    assert event.title == f"Atelier {payload}"
    assert "<script>alert(2)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html

    refused = client.post(f"{URL}?centre={centre.pk}", proposal_data(category, title=payload, end_time="13:00"))
    kept = refused.content.decode()
    assert "<img src=x" not in kept and "&lt;img src=x onerror=alert(1)&gt;" in kept


def test_each_centre_gets_its_own_workflow_renamed_with_it(home):
    centre = CentrePageFactory(parent=home, title="Centre A")
    workflow = WorkflowPage.objects.get(page=centre).workflow
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow)
    assert workflow.name == "Relecture par Centre A — animateurs"
    assert list(task.groups.all()) == [centre.team.editors]
    assert centre.get_workflow() == workflow

    centre.title = "Centre social Arc-en-ciel"
    centre.save_revision().publish()

    workflow.refresh_from_db()
    task.refresh_from_db()
    assert workflow.name == "Relecture par Centre social Arc-en-ciel — animateurs"
    assert task.name == "Centre social Arc-en-ciel — animateurs"


def test_a_centre_whose_team_is_set_up_again_keeps_its_workflow_and_waiting_proposals(client, centre, category):
    person = member_of(centre)
    event = proposed(client, centre, category, person=person)
    workflow = WorkflowPage.objects.get(page=centre).workflow
    centre.team.editors.delete()

    centre.save_revision().publish()

    centre.refresh_from_db()
    assert WorkflowPage.objects.get(page=centre).workflow == workflow
    task_state = event.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, editor_of(centre), "approve")
    event.refresh_from_db()
    assert event.live


def test_the_data_migration_gives_existing_centres_their_workflow(centre):
    WorkflowPage.objects.filter(page=centre).delete()
    migration = importlib.import_module("quartier.migrations.0004_centre_review_workflows")

    migration.set_up_reviews(apps, None)
    migration.set_up_reviews(apps, None)

    workflow = WorkflowPage.objects.get(page=centre).workflow
    assert workflow.name == "Relecture par Centre des Oliviers — animateurs"
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow)
    assert list(task.groups.all()) == [centre.team.editors]


def test_the_list_of_my_proposals_costs_the_same_queries_for_one_or_many(client, centre, category):
    person = member_of(centre)
    proposed(client, centre, category, person=person)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"{URL}?centre={centre.pk}").status_code == 200
    for number in range(4):
        client.post(f"{URL}?centre={centre.pk}", proposal_data(category, title=f"Atelier {number}"))
    assert EventPage.objects.filter(proposed_by=person).count() == 5

    with CaptureQueriesContext(connection) as five:
        html = client.get(f"{URL}?centre={centre.pk}").content.decode()

    assert html.count("En attente") == 5
    assert len(five) == len(one)
