"""A centre page reads its view restrictions in one query, and still obeys every one of them (home.models)."""

import pytest
from wagtail.models import PageViewRestriction

from quartier.models import CentrePage
from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("restricted", ["centre", "home"])
def test_a_restriction_on_the_centre_or_above_asks_visitors_to_sign_in(client, home, restricted):
    centre = CentrePageFactory(parent=home)
    PageViewRestriction.objects.create(
        page={"centre": centre, "home": home}[restricted], restriction_type=PageViewRestriction.LOGIN
    )

    response = client.get(centre.url)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_alias_of_the_centre_follows_the_restrictions_of_its_source(client, home):
    centre = CentrePageFactory(parent=home, slug="source")
    alias = centre.create_alias(update_slug="alias")
    PageViewRestriction.objects.create(page=centre, restriction_type=PageViewRestriction.LOGIN)

    assert list(alias.specific.get_view_restrictions()) == list(PageViewRestriction.objects.filter(page=centre))
    assert client.get(alias.url).status_code == 302


def test_an_open_centre_reads_no_restriction_in_one_query(client, home, django_assert_num_queries):
    centre = CentrePageFactory(parent=home)

    with django_assert_num_queries(1):
        assert list(centre.get_view_restrictions()) == []


def test_a_centre_read_through_its_manager_knows_it_has_no_restriction_without_a_query(
    home, django_assert_num_queries
):
    CentrePageFactory(parent=home, slug="ouvert")
    centre = CentrePage.objects.get(slug="ouvert")

    with django_assert_num_queries(0):
        assert list(centre.get_view_restrictions()) == []


@pytest.mark.parametrize("restricted", ["centre", "home", "source"])
def test_a_centre_read_through_its_manager_still_finds_every_restriction(home, restricted):
    source = CentrePageFactory(parent=home, slug="source")
    alias = source.create_alias(update_slug="alias")
    page = {"centre": alias, "home": home, "source": source}[restricted]
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    centre = CentrePage.objects.get(pk=alias.pk)

    assert centre.view_restricted is True
    assert list(centre.get_view_restrictions()) == list(PageViewRestriction.objects.filter(page=page))
