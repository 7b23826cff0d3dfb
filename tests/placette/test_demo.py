"""`manage.py demo`: believable data, loaded twice without a duplicate, and the logins printed."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management import call_command

from home.models import ContentPage
from quartier.models import CentrePage, Membership

pytestmark = pytest.mark.django_db


def run_demo():
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_loads_five_centres_with_editors_and_prints_the_logins(client, home):
    output = run_demo()

    centres = CentrePage.objects.live()
    assert centres.count() == 5
    assert all(centre.photo and centre.photo_alt and centre.opening_hours.exists() for centre in centres)
    belencontre = CentrePage.objects.get(slug="centre-social-belencontre")
    editor = get_user_model().objects.get(username="animateur.belencontre")
    assert list(editor.groups.all()) == [belencontre.team.editors]
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "Administration : http://127.0.0.1:8000/admin/" in output
    assert "admin / placette-demo" in output
    assert client.get("/centre-social-belencontre/").status_code == 200
    assert client.login(username="admin", password="placette-demo")


def test_demo_can_be_run_again_without_duplicates(home):
    run_demo()
    counts = (CentrePage.objects.count(), ContentPage.objects.count(), get_user_model().objects.count())
    run_demo()
    assert (CentrePage.objects.count(), ContentPage.objects.count(), get_user_model().objects.count()) == counts


def test_demo_mediators_have_the_second_factor_the_team_pages_ask_for(home):
    run_demo()

    mediators = get_user_model().objects.filter(memberships__role=Membership.Role.MEDIATOR)
    assert mediators.exists()
    assert all(Authenticator.objects.filter(user=mediator, type="totp").exists() for mediator in mediators)
