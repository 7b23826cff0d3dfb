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
from django.urls import reverse
from freezegun import freeze_time

from tests.factories import CentrePageFactory, UserFactory

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
