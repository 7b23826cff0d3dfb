""" "Nouvelle activité": from the dashboard, the menu and the team's page to the activity's form under one's centre;
the form puts what a centre worker needs first, "Publier" is its main button, and a repeated title is no error."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import EventPage
from tests.accounts.factories import mediator_of
from tests.agenda.factories import CategoryFactory, EventPageFactory, admin_form_data
from tests.factories import CentrePageFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_ACTIVITY = "/admin/agenda/nouvelle-activite/"


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="belencontre")


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social L'Escale", slug="escale")


def editor_of(*centres):
    editor = UserFactory()
    for centre in centres:
        editor.groups.add(centre.team.editors)
    return editor


def add_url(centre):
    return f"/admin/pages/add/agenda/eventpage/{centre.pk}/"


def test_an_editor_of_one_centre_lands_on_the_form_under_it(client, staff_login, centre, other_centre):
    staff_login(client, editor_of(centre))

    response = client.get(NEW_ACTIVITY)

    assert response.status_code == 302
    assert response["Location"] == add_url(centre)


def test_an_editor_of_two_centres_chooses_one_and_sees_no_other(client, staff_login, centre, other_centre, home):
    third = CentrePageFactory(parent=home, title="Centre social du Pont", slug="pont")
    staff_login(client, editor_of(centre, other_centre))

    response = client.get(NEW_ACTIVITY)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dans quel centre se passe l'activité ?" in html
    assert re.search(r"<h1[^>]*>\s*(<svg.*?</svg>)?\s*Nouvelle activité\s*</h1>", html, re.S)
    assert f'href="{add_url(centre)}"' in html
    assert f'href="{add_url(other_centre)}"' in html
    assert add_url(third) not in html


def test_a_network_admin_chooses_among_every_centre(client, staff_login, centre, other_centre):
    staff_login(client, UserFactory(network_admin=True))

    html = client.get(NEW_ACTIVITY).content.decode()

    assert f'href="{add_url(centre)}"' in html
    assert f'href="{add_url(other_centre)}"' in html


def test_staff_who_may_not_add_pages_are_refused(client, staff_login, centre):
    staff_login(client, UserFactory(is_staff=True))

    assert client.get(NEW_ACTIVITY).status_code in (302, 403)
    assert client.get(reverse("wagtailadmin_home")).content.decode().count("Nouvelle activité") == 0


def test_the_dashboard_and_the_menu_offer_it_first(client, staff_login, centre):
    staff_login(client, editor_of(centre))

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    panel = html.index('id="nouvelle-activite-section"')
    assert html.index(f'href="{NEW_ACTIVITY}"', panel) < html.index("</section>", panel)
    # The sidebar's menu is a JSON description, read by its script.
    assert '"Nouvelle activit\\u00e9"' in html or '"Nouvelle activité"' in html


def test_the_team_page_offers_it_to_editors_not_to_mediators_without_the_admin(client, staff_login, centre):
    staff_login(client, editor_of(centre))
    assert f'href="{NEW_ACTIVITY}"' in client.get(reverse("agenda:team")).content.decode()

    staff_login(client, mediator_of(centre))
    response = client.get(reverse("agenda:team"))
    assert response.status_code == 200
    assert NEW_ACTIVITY not in response.content.decode()


def form_page(client, staff_login, centre):
    staff_login(client, editor_of(centre))
    return client.get(add_url(centre)).content.decode()


def test_publish_is_the_form_main_button(client, staff_login, centre):
    html = form_page(client, staff_login, centre)

    # The default action comes first; the others follow in the "Plus d'actions" list.
    assert html.index('name="action-publish"') < html.index("Enregistrer le brouillon")


def test_a_new_activity_is_not_saved_behind_the_editor_s_back(client, staff_login, centre):
    """Autosave created the page while it was typed; "Publier" pressed meanwhile made two, or failed on the slug."""
    html = form_page(client, staff_login, centre)

    # The form still warns before leaving it unsaved; it no longer saves itself.
    assert 'data-controller="w-init w-unsaved "' in html
    assert "w-unsaved w-autosave" not in html


def test_what_a_centre_worker_needs_comes_first_and_the_rest_is_folded(client, staff_login, centre):
    html = form_page(client, staff_login, centre)

    order = [html.index(f'id="id_{name}"') for name in ("title", "summary", "start_date", "repeat", "category")]
    assert order == sorted(order)
    assert html.index('id="id_capacity"') < html.index('id="id_photo"') < html.index('id="id_slug"')
    # No "Promotion" tab, where an error on the page's address went unseen.
    assert 'id="tab-promotion"' not in html
    assert html.index('id="tab-contenu"') < html.index('id="id_slug"')
    folded = re.findall(r'<section class="w-panel collapsed[^"]*"[^>]*aria-labelledby="[^"]*"', html)
    assert len(folded) >= 3


def test_two_activities_with_the_same_title_in_a_centre_get_two_addresses(client, staff_login, centre):
    """The second "Café numérique" of the season: its address is made free instead of refused on a hidden field."""
    EventPageFactory(parent=centre, title="Café numérique", slug="cafe-numerique")
    staff_login(client, editor_of(centre))
    category = CategoryFactory()
    start = timezone.localdate() + dt.timedelta(days=3)
    data = admin_form_data(
        title="Café numérique",
        slug="cafe-numerique",
        summary="Vos questions sur le téléphone.",
        start_date=start.isoformat(),
        category=str(category.pk),
        **{"action-publish": "action-publish"},
    )

    response = client.post(add_url(centre), data)

    assert response.status_code == 302, response.context["form"].errors
    assert sorted(EventPage.objects.live().values_list("slug", flat=True)) == ["cafe-numerique", "cafe-numerique-2"]

    # An address typed on purpose that is taken stays an error, shown next to the field.
    data.update(title="Atelier photo", slug="cafe-numerique")
    response = client.post(add_url(centre), data)
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
