"""A procedure's page links to its tutorial when a reader may open it: published and not restricted."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.demarches.factories import ProcedureFactory
from tests.factories import UserFactory
from tests.lexique.factories import TutorialPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(home):
    tutorial = TutorialPageFactory(title="Faire sa déclaration trimestrielle CAF", slug="declaration-caf")
    procedure = ProcedureFactory(name="Déclaration trimestrielle", slug="declaration", tutorial=tutorial)
    return procedure, tutorial


LINK = '<a href="/tutoriels/declaration-caf/">Voir le tutoriel : Faire sa déclaration trimestrielle CAF</a>'


def test_the_procedure_page_links_to_its_tutorial(client, linked):
    assert LINK in client.get("/demarches/declaration/").content.decode()


def test_a_draft_or_restricted_tutorial_is_not_linked(client, linked):
    _procedure, tutorial = linked
    PageViewRestriction.objects.create(page=tutorial, restriction_type=PageViewRestriction.LOGIN)
    assert "Voir le tutoriel" not in client.get("/demarches/declaration/").content.decode()

    PageViewRestriction.objects.all().delete()
    tutorial.unpublish()
    assert "Voir le tutoriel" not in client.get("/demarches/declaration/").content.decode()


def test_deleting_the_tutorial_keeps_the_procedure_without_it(client, linked):
    procedure, tutorial = linked

    tutorial.delete()

    procedure.refresh_from_db()
    assert procedure.tutorial is None
    assert "Voir le tutoriel" not in client.get("/demarches/declaration/").content.decode()


def test_a_tutorial_costs_the_procedure_page_one_query(client, linked, django_assert_num_queries):
    procedure, _tutorial = linked
    without = ProcedureFactory(slug="sans-tutoriel")
    client.get(without.get_absolute_url())
    client.get(procedure.get_absolute_url())

    with django_assert_num_queries(5):
        client.get(without.get_absolute_url())
    with django_assert_num_queries(6):
        client.get(procedure.get_absolute_url())


def test_a_network_admin_chooses_the_tutorial_in_the_procedures_form(client, staff_login, linked):
    procedure, tutorial = linked
    staff_login(client, UserFactory(network_admin=True))
    url = reverse("wagtailsnippets_demarches_procedure:edit", args=[procedure.pk])

    html = client.get(url).content.decode()

    assert 'name="tutorial"' in html and f'value="{tutorial.pk}"' in html
    assert "Faire sa déclaration trimestrielle CAF" in html
