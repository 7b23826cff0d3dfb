"""Leaving a centre asks first, on a page that works without JavaScript and says what it ends."""

import pytest
from django.urls import reverse

from quartier.models import Membership
from tests.accounts.factories import ConsentFactory, MembershipFactory, mediator_of, resident_of
from tests.accounts.pages import messages_of, signed_in, text_of
from tests.factories import CentrePageFactory

CONFIRM = {"confirm": "oui"}


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Pont")


def leave_url(centre):
    return reverse("accounts:leave_centre", args=[centre.pk])


def plain(response):
    return text_of(response).replace("\xa0", " ")


def test_my_account_links_to_a_question_not_a_one_tap_form(centre):
    html = signed_in(resident_of(centre)).get(reverse("accounts:my_account")).content.decode()

    assert f'href="{leave_url(centre)}"' in html
    assert f'action="{leave_url(centre)}"' not in html


def test_leaving_asks_first_and_says_what_ends(centre):
    resident = resident_of(centre, consent=True)

    response = signed_in(resident).get(leave_url(centre))

    text = plain(response)
    assert response.status_code == 200
    assert "Quitter « Centre social du Pont » ?" in text
    assert "Votre accord s'arrête : ses médiateurs ne pourront plus vous aider sur le site." in text
    assert "Vos inscriptions et vos annonces restent." in text
    assert "Oui, je quitte ce centre" in text
    assert f'<a class="button button--secondary" href="{reverse("accounts:my_account")}">Non, je reste</a>' in text
    assert Membership.objects.filter(user=resident, centre=centre).exists()


def test_without_a_consent_or_a_role_the_question_does_not_mention_them(centre):
    text = plain(signed_in(resident_of(centre)).get(leave_url(centre)))

    assert "Votre accord" not in text
    assert "Votre rôle" not in text


def test_a_mediator_is_told_their_role_ends(centre):
    text = plain(signed_in(mediator_of(centre)).get(leave_url(centre)))

    assert "Votre rôle dans ce centre (médiateur) s'arrête." in text


def test_a_post_without_the_confirmation_leaves_nothing(centre):
    resident = resident_of(centre)
    ConsentFactory(resident=resident, centre=centre)

    response = signed_in(resident).post(leave_url(centre))

    assert response.status_code == 200
    assert "Oui, je quitte ce centre" in plain(response)
    assert Membership.objects.filter(user=resident, centre=centre).exists()
    assert resident.consents.get().withdrawn_at is None


def test_the_yes_leaves(centre):
    resident = resident_of(centre)
    MembershipFactory(user=resident, centre=CentrePageFactory(parent=centre.get_parent(), title="Ailleurs"))

    response = signed_in(resident).post(leave_url(centre), CONFIRM, follow=True)

    assert response.redirect_chain == [(reverse("accounts:my_account"), 302)]
    assert ("success", "Vous avez quitté le centre Centre social du Pont.") in messages_of(response)
    assert not Membership.objects.filter(user=resident, centre=centre).exists()
    assert Membership.objects.filter(user=resident).count() == 1


def test_a_centre_i_am_not_in_is_not_asked_about(centre, home):
    resident = resident_of(centre)
    elsewhere = CentrePageFactory(parent=home, title="Ailleurs")

    assert signed_in(resident).get(leave_url(elsewhere)).status_code == 404
