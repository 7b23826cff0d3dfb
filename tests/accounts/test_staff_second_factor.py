"""The Wagtail admin asks staff for a TOTP code in each session; residents never meet a second factor."""

import re
import time
from urllib.parse import quote

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import URLResolver, get_resolver, reverse
from freezegun import freeze_time

from agenda.models import Registration
from demarches.models import Mandate
from tests.accounts.factories import mediator_of
from tests.agenda.factories import EventPageFactory, RegistrationFactory, first_date
from tests.demarches.factories import ContactFactory, MandateFactory
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import member_of

pytestmark = pytest.mark.django_db

NOW = "2026-11-23 10:00:05+01:00"
ACTIVATE = reverse("mfa_activate_totp")
REAUTHENTICATE = reverse("mfa_reauthenticate")


def totp_code(secret, *, shift=0):
    """The code an authenticator app shows now (frozen), or `shift` steps of 30 seconds away."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + shift))


def wrong_totp_code(secret):
    right = totp_code(secret)
    return next(code for code in ("000000", "111111") if code != right)


def with_next(url, next_url):
    return f"{url}?next={quote(next_url, safe='')}"


def editor_of(centre):
    """An editor of one centre: its team's editors group (which opens the admin on its pages)."""
    editor = UserFactory()
    editor.groups.add(centre.team.editors)
    return editor


def centre_editor():
    """A centre editor: no is_staff flag, but a group that opens the Wagtail admin."""
    group = Group.objects.create(name="Éditeurs du centre")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    editor = UserFactory()
    editor.groups.add(group)
    return editor


@pytest.mark.parametrize("make_staff", [lambda: UserFactory(network_admin=True), centre_editor])
@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/"])
def test_staff_without_totp_are_sent_to_set_it_up_before_any_admin_page(client, make_staff, path):
    client.force_login(make_staff())

    response = client.get(path, follow=True)

    assert response.redirect_chain[0] == (with_next(ACTIVATE, path), 302)
    assert "Pour entrer dans l'administration, activez d'abord la double vérification." in [
        str(m) for m in response.context["messages"]
    ]


def test_staff_with_totp_type_a_code_then_reach_the_admin(client):
    admin = UserFactory(network_admin=True)
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    client.force_login(admin)

    with freeze_time(NOW):
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response.url == with_next(REAUTHENTICATE, "/admin/")
        assert client.get(response.url).status_code == 200

        response = client.post(response.url, {"code": wrong_totp_code(secret)})
        assert response.status_code == 200
        assert 'id="id_code_error"' in response.content.decode()
        assert client.get("/admin/").url == with_next(REAUTHENTICATE, "/admin/")

        response = client.post(with_next(REAUTHENTICATE, "/admin/"), {"code": totp_code(secret)})

        assert response.status_code == 302
        assert response.url == "/admin/"
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/pages/").status_code == 200


def test_a_code_from_another_time_window_is_refused(client):
    admin = UserFactory(network_admin=True)
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    client.force_login(admin)

    with freeze_time(NOW):
        for shift in (-2, 2):
            response = client.post(with_next(REAUTHENTICATE, "/admin/"), {"code": totp_code(secret, shift=shift)})
            assert response.status_code == 200
        assert client.get("/admin/").status_code == 302


def test_the_second_factor_holds_for_one_session_only(client):
    admin = UserFactory(network_admin=True)
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    client.force_login(admin)
    with freeze_time(NOW):
        client.post(with_next(REAUTHENTICATE, "/admin/"), {"code": totp_code(secret)})
        assert client.get("/admin/").status_code == 200

        client.logout()
        client.force_login(admin)

        assert client.get("/admin/").url == with_next(REAUTHENTICATE, "/admin/")


def test_staff_login_fixture_reaches_the_admin_directly(client, staff_login):
    staff_login(client, UserFactory(network_admin=True))

    response = client.get("/admin/")

    assert response.status_code == 200


def test_nothing_is_done_in_the_admin_without_the_second_factor(client, home, staff_login):
    centre = CentrePageFactory(parent=home)
    admin = UserFactory(network_admin=True)
    client.force_login(admin)

    response = client.post(f"/admin/pages/{centre.pk}/delete/")

    assert response.status_code == 302
    assert response.url.startswith(ACTIVATE)
    assert type(centre).objects.filter(pk=centre.pk).exists()

    staff_login(client, admin)
    client.post(f"/admin/pages/{centre.pk}/delete/")
    assert not type(centre).objects.filter(pk=centre.pk).exists(), "the same request goes through with the factor"


def test_a_new_staff_member_signed_in_by_code_sets_up_totp_and_reaches_the_admin(client):
    admin = UserFactory(network_admin=True, email="direction@exemple.test")
    admin.set_unusable_password()
    admin.save()

    with freeze_time(NOW):
        client.post("/compte/connexion/", {"email": admin.email})
        code = re.search(r"\b\d{6}\b", mail.outbox[0].body).group()
        client.post("/compte/connexion/code/", {"code": code})
        response = client.get("/admin/")
        assert response.url == with_next(ACTIVATE, "/admin/")

        assert client.get(response.url).status_code == 200
        secret = client.session[SECRET_SESSION_KEY]
        response = client.post(response.url, {"code": totp_code(secret)})

        assert response.status_code == 302
        assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
        # Setting the app up is not typing a code in this session: the admin asks for one.
        response = client.get("/admin/")
        assert response.url == with_next(REAUTHENTICATE, "/admin/")
        client.post(response.url, {"code": totp_code(secret)})

        assert client.get("/admin/").status_code == 200


def test_a_resident_never_meets_a_second_factor(client, home):
    resident = UserFactory(email="fatou@exemple.test")

    with freeze_time(NOW):
        client.post("/compte/connexion/", {"email": resident.email})
        code = re.search(r"\b\d{6}\b", mail.outbox[0].body).group()
        response = client.post("/compte/connexion/code/", {"code": code})
    assert response.url == "/compte/"

    for path in ("/compte/", "/compte/mes-donnees/", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert not response.get("Location", "").startswith("/compte/2fa/")
    assert not Authenticator.objects.filter(user=resident).exists()


def test_a_resident_signed_in_without_code_is_not_sent_to_mfa_pages(client, home):
    client.force_login(UserFactory())

    response = client.get("/compte/")

    assert response.status_code == 200
    response = client.get("/admin/")
    assert not response.get("Location", "").startswith("/compte/2fa/")


def test_anonymous_visitors_of_the_admin_are_sent_to_sign_in(client):
    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert all(not url.startswith("/compte/2fa/") for url, _status in response.redirect_chain)
    assert response.redirect_chain[-1][0].startswith("/compte/connexion/")


# The centre team's pages show residents' names and phone numbers: the same second factor as the admin.

TEAM_MODULES = {
    "agenda.views.team",
    "echanges.views.team",
    "demarches.team_views",
    "demarches.callback_views",
    "demarches.views_front_desk",
}


def team_routes(patterns, prefix="", namespace=""):
    """Every address served by a team view, as (route, URL name): a new team page is tested without being listed."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from team_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.callback.__module__ in TEAM_MODULES:
            yield prefix + str(pattern.pattern), namespace + pattern.name


TEAM_ROUTES = sorted(team_routes(get_resolver().url_patterns))
MANDATE_PAGES = {"demarches:team_mandates", "demarches:team_mandate", "demarches:print_mandate"}


def team_url(name, occurrence, registration):
    route = {route_name: route for route, route_name in TEAM_ROUTES}[name]
    kwargs = {
        "occurrence_id": occurrence.pk,
        "registration_id": registration.pk,
        "format": "csv",
        # Any callback id will do: the second factor is asked before a page looks anything up.
        "callback_id": registration.pk,
        # The team day's mandate (made by `team_day`), for the mandate pages.
        "mandate_id": Mandate.objects.get(centre=occurrence.centre).pk,
        "centre_id": occurrence.centre_id,
        # The front desk's contact of the same centre, with the same number as the registered resident.
        "contact_id": ContactFactory(centre=occurrence.centre, phone="+33612345678").pk
        if "contact_id" in route
        else None,
    }
    return reverse(name, kwargs={key: value for key, value in kwargs.items() if key in route})


@pytest.fixture
def team_day(home):
    """A centre, its mediator, a date and one registered resident with a phone number, who gave a mandate."""
    centre = CentrePageFactory(parent=home)
    occurrence = first_date(EventPageFactory(parent=centre, title="Atelier tablette", capacity=5))
    registration = RegistrationFactory(occurrence=occurrence, name="Mme Lefèvre", phone="+33612345678")
    MandateFactory(centre=centre, resident=member_of(centre))
    return centre, occurrence, registration


def test_every_team_page_lives_under_equipe():
    assert len(TEAM_ROUTES) >= 9
    assert all("equipe/" in route for route, _name in TEAM_ROUTES), TEAM_ROUTES


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", [name for _route, name in TEAM_ROUTES])
def test_a_mediator_without_a_second_factor_is_sent_to_set_it_up_from_every_team_page(client, team_day, name, method):
    centre, occurrence, registration = team_day
    client.force_login(mediator_of(centre))
    url = team_url(name, occurrence, registration)
    before = list(Registration.objects.values_list("pk", "status", "name", "phone"))

    data = {"name": "Intrus", "present": "1", "reason": "Non."} if method == "post" else {}
    response = getattr(client, method)(url, data, follow=True)

    assert response.redirect_chain[0] == (with_next(ACTIVATE, url), 302)
    assert "Pour ouvrir les pages de l'équipe, activez d'abord la double vérification." in [
        str(m) for m in response.context["messages"]
    ]
    assert "06 12 34 56 78" not in response.content.decode()
    assert list(Registration.objects.values_list("pk", "status", "name", "phone")) == before


@pytest.mark.parametrize("make_staff", [lambda centre: UserFactory(network_admin=True), editor_of])
def test_staff_with_totp_type_their_code_before_the_team_page(client, team_day, make_staff):
    centre, occurrence, _registration = team_day
    person = make_staff(centre)
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    client.force_login(person)
    page = reverse("agenda:team_occurrence", args=[occurrence.pk])

    with freeze_time(NOW):
        response = client.get(page)
        assert response.url == with_next(REAUTHENTICATE, page)

        response = client.post(response.url, {"code": totp_code(secret)})
        assert response.url == page

        response = client.get(page)
    assert response.status_code == 200
    assert "Mme Lefèvre" in response.content.decode()


def test_a_mediator_who_set_up_totp_reaches_every_team_page_after_typing_the_code(client, team_day):
    centre, occurrence, registration = team_day
    # Signed up by code, as mediators are: no password, so allauth asks for none before setting TOTP up.
    mediator = mediator_of(centre, email="nadia@exemple.test")
    mediator.set_unusable_password()
    mediator.save()
    dashboard = reverse("agenda:team")

    with freeze_time(NOW):
        client.post("/compte/connexion/", {"email": "nadia@exemple.test"})
        code = re.search(r"\b\d{6}\b", mail.outbox[0].body).group()
        client.post("/compte/connexion/code/", {"code": code})
        response = client.get(dashboard)
        assert response.url == with_next(ACTIVATE, dashboard)
        assert client.get(response.url).status_code == 200
        secret = client.session[SECRET_SESSION_KEY]
        client.post(response.url, {"code": totp_code(secret)})
        response = client.get(dashboard)
        assert response.url == with_next(REAUTHENTICATE, dashboard), "setting the app up is not typing a code"
        client.post(response.url, {"code": totp_code(secret)})

        for route, name in TEAM_ROUTES:
            if name in {"agenda:team", "agenda:team_occurrence", "agenda:export", "echanges:figures", *MANDATE_PAGES}:
                response = client.get(team_url(name, occurrence, registration))
                assert response.status_code == 200, route
    assert "Mme Lefèvre" in client.get(reverse("agenda:team_occurrence", args=[occurrence.pk])).content.decode()


def test_the_staff_login_fixture_reaches_the_team_pages_directly(client, team_day, staff_login):
    centre, occurrence, _registration = team_day
    staff_login(client, mediator_of(centre))

    response = client.get(reverse("agenda:team_occurrence", args=[occurrence.pk]))

    assert response.status_code == 200
    assert "06 12 34 56 78" in response.content.decode()


def test_residents_meet_no_second_factor_on_team_pages_and_are_refused(client, team_day):
    centre, _occurrence, _registration = team_day
    client.force_login(member_of(centre))

    for name in ("agenda:team", "echanges:figures"):
        response = client.get(reverse(name))
        assert response.status_code == 403, name
    assert not Authenticator.objects.exists()
