"""Relays and young contributors write terms for their centre in the admin; the centre's team reviews and publishes."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import WorkflowPage, WorkflowState
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import nested_form_data, streamfield

from lexique.models import TermPage, TutorialPage
from notifications.models import Notification
from quartier.models import Membership
from tests.echanges.factories import OfferFactory
from tests.factories import CentrePageFactory, UserFactory
from tests.lexique.factories import TermPageFactory, the_lexicon, the_tutorials

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_a(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre")


@pytest.fixture
def centre_b(home):
    return CentrePageFactory(parent=home, title="Maison des habitants Arc-en-ciel")


def uploads_to(person):
    """The collections `person` may add images to (the admin's image chooser offers them)."""
    return set(policy_registry.get_by_type(get_image_model()).collections_user_has_permission_for(person, "add"))


def member(centre, role, *, first_name="Inès", last_name="Durand", **fields):
    person = UserFactory(first_name=first_name, last_name=last_name)
    Membership.objects.create(user=person, centre=centre, role=role, **fields)
    return person


def editor_of(centre):
    editor = UserFactory(first_name="Sophie", last_name="Animatrice")
    editor.groups.add(centre.team.editors)
    return editor


def signed_in(staff_login, person):
    client = Client()
    staff_login(client, person)
    return client


def term_form(**overrides):
    return nested_form_data(
        {
            "title": "clé USB",
            "slug": "cle-usb",
            "variants": "cle usb\nclef USB",
            "definition": "C'est un petit objet pour garder des fichiers. On le branche sur l'ordinateur.",
            "example": "J'enregistre ma lettre sur ma clé USB.",
            "photo_alt": "",
            **overrides,
        }
    )


def add_url():
    return f"/admin/pages/add/lexique/termpage/{the_lexicon().pk}/"


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def written(client, **overrides):
    response = client.post(add_url(), term_form(**overrides))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return TermPage.objects.get(slug=overrides.get("slug", "cle-usb"))


def workflow_action(client, page, action, **data):
    task_state = page.current_workflow_state.current_task_state
    return client.post(reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]), data)


def test_a_relay_writes_a_draft_for_their_centre_and_cannot_publish_it(staff_login, centre_a):
    relay = member(centre_a, Membership.Role.RELAY)
    client = signed_in(staff_login, relay)

    form = client.get(add_url())
    assert form.status_code == 200
    assert 'name="action-publish"' not in form.content.decode()
    assert "Envoyer à l&#x27;équipe du centre pour relecture" in form.content.decode()

    term = written(client, **{"action-publish": "publish"})

    assert not term.live
    assert term.centre_id == centre_a.pk
    assert term.owner == relay
    edit = client.get(edit_url(term))
    assert edit.status_code == 200
    assert 'name="action-publish"' not in edit.content.decode()
    assert 'name="action-submit"' in edit.content.decode()
    assert "Envoyer à l&#x27;équipe de Centre social Belencontre pour relecture" in edit.content.decode()


def test_a_submitted_term_goes_to_its_centres_workflow_whose_editor_approves_it(staff_login, centre_a, centre_b):
    relay = member(centre_a, Membership.Role.RELAY, first_name="Inès", last_name="Durand")
    term = written(signed_in(staff_login, relay), **{"action-submit": "1"})

    state = term.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == WorkflowPage.objects.get(page=centre_a).workflow
    assert term.get_workflow() != WorkflowPage.objects.get(page=centre_b).workflow
    network_term = TermPageFactory(title="réseau")
    assert network_term.get_workflow() == the_lexicon().get_workflow()  # Wagtail's own, no centre's

    other_editor = signed_in(staff_login, editor_of(centre_b))
    assert workflow_action(other_editor, term, "approve").status_code in (302, 403)
    assert not TermPage.objects.get(pk=term.pk).live

    editor = signed_in(staff_login, editor_of(centre_a))
    dashboard = editor.get("/admin/").content.decode()
    assert "clé USB" in dashboard
    assert editor.get(edit_url(term)).status_code == 200
    response = workflow_action(editor, term, "approve")

    assert response.status_code == 302
    term = TermPage.objects.get(pk=term.pk)
    assert term.live
    html = Client().get(term.url).content.decode()
    assert "Écrit par Inès (habitant-relais, Centre social Belencontre)." in html
    assert "Durand" not in html
    published = Notification.objects.get(recipient=relay, kind="contribution_published")
    assert "« clé USB » est publiée" in published.text
    assert published.url == term.url


def test_a_term_sent_back_tells_its_writer_what_the_editor_said_with_a_link_to_edit_it(staff_login, centre_a):
    relay = member(centre_a, Membership.Role.RELAY)
    term = written(signed_in(staff_login, relay), **{"action-submit": "1"})
    editor = signed_in(staff_login, editor_of(centre_a))

    response = workflow_action(editor, term, "reject", comment="Une phrase est trop longue : coupez-la.")

    assert response.status_code == 302
    notice = Notification.objects.get(recipient=relay, kind="contribution_sent_back")
    assert "« clé USB » est à reprendre" in notice.text
    assert "Une phrase est trop longue : coupez-la." in notice.text
    assert notice.url == edit_url(term)
    assert not Notification.objects.filter(kind="contribution_published").exists()


def test_colleagues_edit_each_others_drafts_and_another_centre_never(staff_login, centre_a, centre_b):
    term = written(signed_in(staff_login, member(centre_a, Membership.Role.RELAY)))
    colleague = signed_in(staff_login, member(centre_a, Membership.Role.CONTRIBUTOR, first_name="Karim"))
    outsider = signed_in(staff_login, member(centre_b, Membership.Role.CONTRIBUTOR, first_name="Yanis"))

    assert colleague.get(edit_url(term)).status_code == 200
    assert edit_url(term) in colleague.get(f"/admin/pages/{the_lexicon().pk}/").content.decode()

    assert outsider.get(edit_url(term)).status_code in (302, 403)
    refused = outsider.post(edit_url(term), term_form(definition="Réécrit par un autre centre."))
    assert refused.status_code in (302, 403)
    assert "Réécrit" not in TermPage.objects.get(pk=term.pk).get_latest_revision_as_object().definition
    assert edit_url(term) not in outsider.get(f"/admin/pages/{the_lexicon().pk}/").content.decode()
    assert outsider.post(reverse("wagtailadmin_pages:delete", args=[term.pk])).status_code in (302, 403)
    assert TermPage.objects.filter(pk=term.pk).exists()


def test_a_contributor_of_two_centres_chooses_among_theirs_only(staff_login, home, centre_a, centre_b):
    person = member(centre_a, Membership.Role.RELAY)
    Membership.objects.create(user=person, centre=centre_b, role=Membership.Role.CONTRIBUTOR)
    elsewhere = CentrePageFactory(parent=home, title="Centre social Ailleurs")
    client = signed_in(staff_login, person)

    refused = client.post(add_url(), term_form(centre=str(elsewhere.pk)))
    assert refused.status_code == 200
    assert not TermPage.objects.filter(slug="cle-usb").exists()
    assert written(client, centre=str(centre_b.pk)).centre_id == centre_b.pk


def test_leaving_the_role_takes_the_rights_away_and_keeps_other_rights(staff_login, centre_a, centre_b):
    relay = member(centre_a, Membership.Role.RELAY)
    relay.groups.add(centre_b.team.editors)
    assert relay.groups.filter(pk=centre_a.team.contributors_id).exists()
    assert uploads_to(relay) == {centre_a.team.collection, centre_b.team.collection}

    membership = Membership.objects.get(user=relay, centre=centre_a)
    membership.role = Membership.Role.RESIDENT
    membership.save()

    assert not relay.groups.filter(pk=centre_a.team.contributors_id).exists()
    assert relay.groups.filter(pk=centre_b.team.editors_id).exists()
    relay = type(relay).objects.get(pk=relay.pk)
    assert uploads_to(relay) == {centre_b.team.collection}
    assert signed_in(staff_login, relay).get(add_url()).status_code in (302, 403)

    Membership.objects.filter(user=relay).delete()
    former = member(centre_a, Membership.Role.CONTRIBUTOR, first_name="Lou")
    Membership.objects.filter(user=former).delete()
    assert not former.groups.exists()


def test_a_minor_needs_a_referent_who_runs_the_centre(centre_a, centre_b):
    minor = UserFactory(first_name="Léa", last_name="Martin")
    no_referent = Membership(user=minor, centre=centre_a, role=Membership.Role.CONTRIBUTOR, is_minor=True)
    with pytest.raises(ValidationError, match="adulte référent"):
        no_referent.full_clean()

    no_referent.referent = editor_of(centre_b)
    with pytest.raises(ValidationError, match="animateur ou médiateur de ce centre"):
        no_referent.full_clean()

    no_referent.referent = member(centre_a, Membership.Role.MEDIATOR, first_name="Nadia")
    no_referent.full_clean()
    no_referent.referent = editor_of(centre_a)
    no_referent.full_clean()


def test_a_minors_surname_is_on_no_public_page(client, staff_login, centre_a):
    minor = UserFactory(first_name="Léa", last_name="Martinez", display_name="Léa Martinez")
    referent = member(centre_a, Membership.Role.MEDIATOR, first_name="Nadia")
    Membership.objects.create(
        user=minor, centre=centre_a, role=Membership.Role.CONTRIBUTOR, is_minor=True, referent=referent
    )
    term = written(signed_in(staff_login, minor))
    term.save_revision().publish()
    offer = OfferFactory(author=minor, centre=centre_a)

    assert str(minor) == "Léa"
    pages = [term.url, f"{the_lexicon().url}contributions/", offer.get_absolute_url()]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Léa" in html, url
        assert "Martinez" not in html, url
    assert "Écrit par Léa (jeune contributeur, Centre social Belencontre)." in client.get(term.url).content.decode()


def test_the_contributions_page_lists_each_centres_pages_in_the_same_queries(
    client, centre_a, centre_b, django_assert_max_num_queries
):
    relays = {
        centre_a: member(centre_a, Membership.Role.RELAY, first_name="Inès"),
        centre_b: member(centre_b, Membership.Role.RELAY, first_name="Karim"),
    }
    colleague = member(centre_a, Membership.Role.CONTRIBUTOR, first_name="Lucie")
    TermPageFactory(title="réseau")  # a network page credits nobody

    def contribute(count):
        for centre, relay in relays.items():
            for _ in range(count):
                term = TermPageFactory(owner=relay, centre=centre)
                term.save_revision(user=colleague if centre == centre_a else relay).publish()

    def queries():
        client.get(f"{the_lexicon().url}contributions/")  # the site's root paths are read by the first visit
        with django_assert_max_num_queries(15) as captured:
            response = client.get(f"{the_lexicon().url}contributions/")
        assert response.status_code == 200
        return len(captured.captured_queries), response.content.decode()

    contribute(1)
    few, html = queries()
    assert "Centre social Belencontre" in html and "Maison des habitants Arc-en-ciel" in html
    assert "1 page écrite." in html
    assert "par Inès et Lucie" in html and "par Karim" in html
    assert "réseau" not in html
    contribute(4)
    many, html = queries()
    assert "5 pages écrites." in html
    assert many == few


def tutorial_form(**overrides):
    return nested_form_data(
        {
            "title": "Brancher une clé USB",
            "slug": "brancher-une-cle-usb",
            "summary": "Vous saurez garder vos fichiers sur une clé.",
            "level": "debutant",
            "duration": "5 minutes",
            "needs": "Une clé USB",
            "steps": streamfield(
                [("step", {"title": "Trouver la prise", "body": streamfield([("text", "Elle est sur le côté.")])})]
            ),
            "linked_terms": [],
            **overrides,
        }
    )


def test_a_relay_writes_a_tutorial_draft_for_their_centre_and_its_team_approves_it(staff_login, centre_a, centre_b):
    relay = member(centre_a, Membership.Role.RELAY)
    client = signed_in(staff_login, relay)
    add = f"/admin/pages/add/lexique/tutorialpage/{the_tutorials().pk}/"

    form = client.get(add)
    assert form.status_code == 200 and 'name="action-publish"' not in form.content.decode()
    response = client.post(add, tutorial_form(**{"action-submit": "submit"}))

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    tutorial = TutorialPage.objects.get(slug="brancher-une-cle-usb")
    assert not tutorial.live and tutorial.centre_id == centre_a.pk
    assert tutorial.current_workflow_state.workflow == WorkflowPage.objects.get(page=centre_a).workflow
    outsider = signed_in(staff_login, member(centre_b, Membership.Role.RELAY, first_name="Karim"))
    assert outsider.get(edit_url(tutorial)).status_code == 302

    reviewer = signed_in(staff_login, editor_of(centre_a))
    assert workflow_action(reviewer, tutorial, "approve").status_code == 302

    tutorial.refresh_from_db()
    assert tutorial.live
    html = Client().get(tutorial.url).content.decode()
    assert "Écrit par Inès (habitant-relais, Centre social Belencontre)." in html and "Durand" not in html


def test_a_relay_submits_to_her_centre_even_when_the_site_has_no_default_review(staff_login, centre_a, admin_user):
    WorkflowPage.objects.exclude(page=centre_a).delete()  # the network removed Wagtail's default workflow
    client = signed_in(staff_login, member(centre_a, Membership.Role.RELAY))

    assert 'name="action-submit"' in client.get(add_url()).content.decode()
    term = written(client, **{"action-submit": "submit"})

    assert term.current_workflow_state.workflow == WorkflowPage.objects.get(page=centre_a).workflow
    # A network page has no centre to review it: said next to the field, not a crash.
    network = signed_in(staff_login, admin_user)
    refused = network.post(add_url(), term_form(slug="cle-usb-2", title="clef", variants="", **{"action-submit": "1"}))
    assert refused.status_code == 200
    assert "Choisissez le centre dont l&#x27;équipe relira la page." in refused.content.decode()
