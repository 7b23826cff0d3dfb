"""A centre's team manages the places its centre looks after in the admin, and no other; network admins all."""

import pytest
from django.urls import reverse

from carte.models import UsefulPlace
from carte.wagtail_hooks import place_policy
from tests.carte.factories import UsefulPlaceFactory, category
from tests.factories import CentrePageFactory, UserFactory

LIST = "wagtailsnippets_carte_usefulplace:list"
ADD = "wagtailsnippets_carte_usefulplace:add"
EDIT = "wagtailsnippets_carte_usefulplace:edit"
DELETE = "wagtailsnippets_carte_usefulplace:delete"
HISTORY = "wagtailsnippets_carte_usefulplace:history"


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre")


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Canal")


@pytest.fixture
def editor(centre):
    person = UserFactory()
    person.groups.add(centre.team.editors)
    return person


@pytest.fixture
def places(centre, other_centre):
    return (
        UsefulPlaceFactory(name="Wi-Fi de la mairie annexe", centre=centre),
        UsefulPlaceFactory(name="Médiathèque du Canal", centre=other_centre),
        UsefulPlaceFactory(name="CAF de Roubaix", centre=None),
    )


def form_data(centre_id, **changes):
    return {
        "name": "Épicerie solidaire",
        "categories": [category("alimentation-solidaire").pk],
        "street_address": "3 rue du Pile",
        "postcode": "59100",
        "town": "Roubaix",
        "is_free": "on",
        "centre": centre_id,
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "1000",
        **changes,
    }


def test_an_editor_sees_and_edits_the_places_of_their_centre_only(client, staff_login, editor, places):
    ours, theirs, network = places
    staff_login(client, editor)
    listing = client.get(reverse(LIST))
    assert [place.name for place in listing.context["object_list"]] == ["Wi-Fi de la mairie annexe"]
    assert client.get(reverse(EDIT, args=[ours.pk])).status_code == 200
    for other in (theirs, network):
        for view in (EDIT, DELETE, HISTORY):
            assert client.get(reverse(view, args=[other.pk])).status_code == 404
        assert client.post(reverse(DELETE, args=[other.pk])).status_code == 404
    assert UsefulPlace.objects.filter(pk__in=[theirs.pk, network.pk]).count() == 2


def test_an_editor_adds_a_place_for_their_centre_not_another(client, staff_login, editor, centre, other_centre):
    staff_login(client, editor)
    form = client.get(reverse(ADD)).context["form"]
    assert list(form.fields["centre"].queryset) == [centre]
    assert form.initial["centre"] == centre.pk
    refused = client.post(reverse(ADD), form_data(other_centre.pk))
    assert refused.status_code == 200 and "centre" in refused.context["form"].errors
    without = client.post(reverse(ADD), form_data(""))
    assert "centre" in without.context["form"].errors  # a place with no centre would slip out of their reach
    client.post(reverse(ADD), form_data(centre.pk))
    assert list(UsefulPlace.objects.values_list("name", "centre")) == [("Épicerie solidaire", centre.pk)]


def test_network_admins_manage_every_place_but_a_centre_s_own(client, staff_login, places, centre):
    staff_login(client, UserFactory(network_admin=True))
    listing = client.get(reverse(LIST))
    assert {place.name for place in listing.context["object_list"]} == {place.name for place in places}
    for place in places:
        assert client.get(reverse(EDIT, args=[place.pk])).status_code == 200
    assert client.get(reverse(ADD)).context["form"].fields["centre"].required is False
    # The centre's own place is written from its page (carte/signals.py): not edited here, by anyone.
    centre.save_revision().publish()
    assert client.get(reverse(EDIT, args=[centre.place.pk])).status_code == 404


def test_a_resident_manages_no_place(client, staff_login, places, centre):
    resident = UserFactory(is_staff=True)
    staff_login(client, resident)
    assert not place_policy.user_has_permission(resident, "change")
    response = client.get(reverse(EDIT, args=[places[0].pk]))
    # Without any admin right, Wagtail sends them to sign in as someone who has one.
    assert response.status_code == 302 and "?next=/admin/snippets/carte/usefulplace/edit/" in response["Location"]
