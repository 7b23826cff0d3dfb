"""A centre's editors work on their centre's pages, and on no other centre's (through the admin URLs)."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from quartier.models import CentrePage, CentreTeam
from tests.factories import CentrePageFactory, ContentPageFactory, ImageFactory, UserFactory

pytestmark = pytest.mark.django_db


def centre_form(**overrides):
    data = {
        "title": "Centre social des Oliviers",
        "slug": "centre-social-des-oliviers",
        "introduction": "Un lieu pour tous les habitants.",
        "street_address": "8 rue des Oliviers",
        "postcode": "59000",
        "town": "Lille",
        "latitude": "50.630000",
        "longitude": "3.060000",
        "phone": "03 53 01 09 09",
        "email": "contact@oliviers.exemple.test",
        "photo_alt": "",
        "presentation": rich_text("<p>Ateliers et entraide.</p>"),
        "opening_hours": inline_formset([{"weekday": "0", "opens": "09:00", "closes": "12:00"}]),
        "action-publish": "publish",
        **overrides,
    }
    return nested_form_data(data)


def editor_of(centre):
    editor = UserFactory()
    editor.groups.add(centre.team.editors)
    return editor


def test_network_admin_creating_a_centre_creates_its_editors_group(client, staff_login, home):
    staff_login(client, UserFactory(network_admin=True))

    response = client.post(f"/admin/pages/add/quartier/centrepage/{home.pk}/", centre_form())

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    centre = CentrePage.objects.get(slug="centre-social-des-oliviers")
    assert centre.live
    assert centre.opening_hours.get().opens.hour == 9
    group = Group.objects.get(name="Centre social des Oliviers — animateurs")
    assert group.centre_team.centre == centre
    assert group.permissions.filter(codename="access_admin").exists()
    assert set(GroupPagePermission.objects.filter(group=group).values_list("page", flat=True)) == {centre.pk}
    assert set(GroupPagePermission.objects.filter(group=group).values_list("permission__codename", flat=True)) == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    }
    assert group.collection_permissions.filter(collection__name=centre.title).count() == 6


def test_the_admin_form_refuses_a_photo_without_description_and_closing_before_opening(client, staff_login, home):
    staff_login(client, UserFactory(network_admin=True))

    response = client.post(
        f"/admin/pages/add/quartier/centrepage/{home.pk}/",
        centre_form(
            photo=str(ImageFactory().pk),
            opening_hours=inline_formset([{"weekday": "0", "opens": "14:00", "closes": "12:00"}]),
        ),
    )

    assert response.status_code == 200
    assert not CentrePage.objects.filter(slug="centre-social-des-oliviers").exists()
    assert not Group.objects.filter(name__startswith="Centre social des Oliviers").exists()
    html = response.content.decode()
    assert "Décrivez la photo en quelques mots." in html
    assert "heure de fermeture doit venir après" in html


def test_renaming_a_centre_renames_its_group_and_deleting_it_removes_the_group(home):
    centre = CentrePageFactory(parent=home, title="Centre A")
    group_pk = centre.team.editors.pk

    centre.title = "Centre social Arc-en-ciel"
    centre.save_revision().publish()
    assert Group.objects.get(pk=group_pk).name == "Centre social Arc-en-ciel — animateurs"

    centre.delete()
    assert not Group.objects.filter(pk=group_pk).exists()
    assert not CentreTeam.objects.exists()


def test_two_centres_with_the_same_name_get_two_groups(home):
    first = CentrePageFactory(parent=home, title="Centre social", slug="a")
    second = CentrePageFactory(parent=home, title="Centre social", slug="b")
    assert first.team.editors.name == "Centre social — animateurs"
    assert second.team.editors.name == "Centre social — animateurs (2)"


@pytest.fixture
def two_centres(home):
    return CentrePageFactory(parent=home, title="Centre A"), CentrePageFactory(parent=home, title="Centre B")


def test_editor_edits_and_publishes_own_centre(client, staff_login, two_centres):
    mine, _ = two_centres
    staff_login(client, editor_of(mine))

    assert client.get(f"/admin/pages/{mine.pk}/edit/").status_code == 200
    response = client.post(f"/admin/pages/{mine.pk}/edit/", centre_form(title="Centre A rénové", slug=mine.slug))

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "Centre A rénové"


def test_editor_may_add_a_page_under_own_centre(client, staff_login, two_centres):
    mine, _ = two_centres
    staff_login(client, editor_of(mine))
    assert client.get(f"/admin/pages/add/home/contentpage/{mine.pk}/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/{pk}/edit/",
        "/admin/pages/add/home/contentpage/{pk}/",
        "/admin/pages/{pk}/delete/",
        "/admin/pages/{pk}/unpublish/",
        "/admin/pages/{pk}/move/",
        "/admin/pages/{pk}/copy/",
    ],
)
def test_editor_is_refused_another_centres_admin_views(client, staff_login, two_centres, path):
    mine, theirs = two_centres
    staff_login(client, editor_of(mine))

    response = client.get(path.format(pk=theirs.pk))

    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert response.url == "/admin/"


def test_editor_cannot_change_another_centre_by_posting(client, staff_login, two_centres):
    mine, theirs = two_centres
    staff_login(client, editor_of(mine))

    client.post(f"/admin/pages/{theirs.pk}/edit/", centre_form(title="Piraté", slug=theirs.slug))

    theirs.refresh_from_db()
    assert theirs.title == "Centre B"
    assert theirs.draft_title == "Centre B"
    assert not theirs.revisions.exists()


def test_editor_is_refused_pages_under_another_centre(client, staff_login, two_centres):
    mine, theirs = two_centres
    page_of_theirs = ContentPageFactory(parent=theirs)
    staff_login(client, editor_of(mine))
    assert client.get(f"/admin/pages/{page_of_theirs.pk}/edit/").status_code in {302, 403}


def test_editor_explorer_starts_at_own_centre(client, staff_login, two_centres):
    mine, theirs = two_centres
    staff_login(client, editor_of(mine))

    response = client.get("/admin/pages/")

    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert response.url == f"/admin/pages/{mine.pk}/"
    listing = client.get(f"/admin/pages/{mine.pk}/").content.decode()
    assert "Centre A" in listing
    assert f"/admin/pages/{theirs.pk}/edit/" not in listing
