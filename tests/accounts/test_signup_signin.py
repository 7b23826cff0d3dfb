"""Signing up and signing in with a 6-digit code sent by e-mail or SMS, and everything that must go wrong politely."""

import datetime as dt
import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from freezegun import freeze_time

from accounts.fields import phone_as_written
from accounts.models import User
from notifications.sms import SmsError
from quartier.models import Membership
from tests.factories import CentrePageFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/compte/inscription/"
REQUEST_CODE = "/compte/connexion/"
CONFIRM_CODE = "/compte/connexion/code/"
MY_ACCOUNT = "/compte/"
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def code_in(text):
    """The one 6-digit code a message holds."""
    codes = CODE.findall(text)
    assert len(codes) == 1, f"expected one 6-digit code in {text!r}"
    return codes[0]


def wrong_code(code):
    return "000000" if code != "000000" else "111111"


def html_of(response):
    return unescape(response.content.decode())


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


class FailingSmsBackend:
    """An SMS provider that is down."""

    def send(self, message):
        raise SmsError("Le fournisseur ne répond pas.")


# Sign-up


def test_signup_by_email_needs_no_password_and_ends_signed_in_with_the_chosen_centres(client, home, sms_outbox):
    centre = CentrePageFactory(parent=home, title="Centre social du Pont")
    CentrePageFactory(parent=home, title="Centre social de la Gare")

    response = client.post(
        SIGNUP, {"display_name": "  Fatou  ", "email": "Fatou@Exemple.test", "centres": [centre.pk]}
    )

    assert response.status_code == 302
    assert response.url == CONFIRM_CODE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fatou@exemple.test"]
    assert message.subject == "[Placette] Votre code de connexion"
    code = code_in(message.body)
    assert client.get(MY_ACCOUNT).status_code == 302, "not signed in before the code is typed"

    page = client.get(CONFIRM_CODE)
    assert page.status_code == 200
    assert "à l'adresse fatou@exemple.test" in re.sub(r"<[^>]+>", "", html_of(page))

    response = client.post(CONFIRM_CODE, {"code": code})

    assert response.status_code == 302
    assert response.url == MY_ACCOUNT
    assert client.get(MY_ACCOUNT).status_code == 200
    user = User.objects.get()
    assert signed_in_user_id(client) == str(user.pk)
    assert user.display_name == "Fatou"
    assert user.email == "fatou@exemple.test"
    assert not user.has_usable_password()
    assert user.notify_by == User.Channel.EMAIL
    assert user.phone is None
    assert EmailAddress.objects.filter(user=user, email="fatou@exemple.test", verified=True, primary=True).exists()
    membership = Membership.objects.get(user=user)
    assert membership.centre_id == centre.pk
    assert membership.role == Membership.Role.RESIDENT
    assert user.username.startswith("u-") and "fatou" not in user.username
    assert sms_outbox == []


def test_signup_by_mobile_phone_sends_an_sms_and_verifies_the_number(client, home, sms_outbox):
    response = client.post(SIGNUP, {"display_name": "Karim", "phone": "06 12 34 56 78"})

    assert response.status_code == 302
    assert response.url == CONFIRM_CODE
    assert mail.outbox == []
    assert len(sms_outbox) == 1
    assert sms_outbox[0].to == "+33612345678"
    assert "Placette" in sms_outbox[0].body
    code = code_in(sms_outbox[0].body)
    assert not User.objects.get().phone_verified, "the number is not proven before the code is typed"
    assert "par SMS au 06\xa012\xa034\xa056\xa078." in re.sub(r"<[^>]+>", "", html_of(client.get(CONFIRM_CODE)))

    response = client.post(CONFIRM_CODE, {"code": code})

    assert response.status_code == 302
    assert response.url == MY_ACCOUNT
    assert client.get(MY_ACCOUNT).status_code == 200
    user = User.objects.get()
    assert signed_in_user_id(client) == str(user.pk)
    assert user.phone == "+33612345678"
    assert user.phone_verified
    assert user.notify_by == User.Channel.SMS
    assert user.display_name == "Karim"
    assert user.email == ""
    assert not EmailAddress.objects.exists()
    assert not Membership.objects.exists()


def test_signup_page_ticks_the_centre_the_person_came_from(client, home):
    centre = CentrePageFactory(parent=home, title="Centre social du Pont")
    other = CentrePageFactory(parent=home, title="Centre social de la Gare")

    html = client.get(SIGNUP, {"centre": [str(centre.pk), "x"]}).content.decode()

    assert re.search(rf'<input type="checkbox" name="centres" value="{centre.pk}"[^>]*checked', html)
    assert not re.search(rf'<input type="checkbox" name="centres" value="{other.pk}"[^>]*checked', html)


def test_signup_offers_only_live_centres(client, home):
    CentrePageFactory(parent=home, title="Centre social du Pont")
    draft = CentrePageFactory(parent=home, title="Centre en préparation", live=False)

    response = client.post(SIGNUP, {"display_name": "Fatou", "email": "fatou@exemple.test", "centres": [draft.pk]})

    assert response.status_code == 200
    assert 'id="id_centres_error"' in response.content.decode()
    assert "Centre en préparation" not in html_of(response)
    assert not User.objects.exists()


# Sign-in by code


def test_sign_in_by_code_sent_by_email(client):
    person = UserFactory(email="fatou@exemple.test", display_name="Fatou")
    EmailAddress.objects.create(user=person, email="fatou@exemple.test", primary=True, verified=False)

    response = client.post(REQUEST_CODE, {"email": "FATOU@exemple.test"})

    assert response.status_code == 302
    assert response.url == CONFIRM_CODE
    assert [m.to for m in mail.outbox] == [["fatou@exemple.test"]]
    code = code_in(mail.outbox[0].body)
    assert signed_in_user_id(client) is None

    response = client.post(CONFIRM_CODE, {"code": code})

    assert response.status_code == 302
    assert response.url == MY_ACCOUNT
    assert signed_in_user_id(client) == str(person.pk)
    assert client.get(MY_ACCOUNT).status_code == 200
    assert EmailAddress.objects.get(user=person).verified, "a code received at the address proves it"


def test_sign_in_by_code_sent_by_sms(client, sms_outbox):
    person = UserFactory(phone="+33761234567", phone_verified=True, notify_by=User.Channel.SMS)

    response = client.post(REQUEST_CODE, {"phone": "07 61 23 45 67"})

    assert response.status_code == 302
    assert response.url == CONFIRM_CODE
    assert mail.outbox == []
    assert [m.to for m in sms_outbox] == ["+33761234567"]
    code = code_in(sms_outbox[0].body)

    response = client.post(CONFIRM_CODE, {"code": code})

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(person.pk)
    assert client.get(MY_ACCOUNT).status_code == 200


def test_sign_in_keeps_the_page_the_person_was_going_to(client):
    person = UserFactory(email="fatou@exemple.test")

    response = client.get(MY_ACCOUNT + "mes-donnees/")
    assert response.status_code == 302
    assert response.url == f"{REQUEST_CODE}?next=/compte/mes-donnees/"

    response = client.post(f"{REQUEST_CODE}?next=/compte/mes-donnees/", {"email": person.email})
    assert response.url == f"{CONFIRM_CODE}?next=%2Fcompte%2Fmes-donnees%2F"
    response = client.post(response.url, {"code": code_in(mail.outbox[0].body)})

    assert response.status_code == 302
    assert response.url == "/compte/mes-donnees/"


def test_confirm_page_without_a_pending_code_sends_back_to_the_request_page(client):
    response = client.get(CONFIRM_CODE)

    assert response.status_code == 302
    assert response.url == REQUEST_CODE


def test_sms_provider_down_is_said_in_french_and_reveals_nothing(client, settings):
    settings.SMS_BACKEND = "tests.accounts.test_signup_signin.FailingSmsBackend"
    UserFactory(phone="+33612345678")

    known = client.post(REQUEST_CODE, {"phone": "06 12 34 56 78"}, follow=True)
    client.cookies.clear()
    unknown = client.post(REQUEST_CODE, {"phone": "06 99 99 99 99"}, follow=True)

    for response in (known, unknown):
        assert response.redirect_chain == [(CONFIRM_CODE, 302)]
        assert "Le SMS n'a pas pu partir. Réessayez dans quelques minutes ou passez au centre." in messages_of(
            response
        )


# Wrong and expired codes


def test_wrong_code_is_refused_in_french_next_to_the_field_and_kept(client):
    person = UserFactory(email="fatou@exemple.test")
    client.post(REQUEST_CODE, {"email": person.email})
    code = code_in(mail.outbox[0].body)

    response = client.post(CONFIRM_CODE, {"code": wrong_code(code)})

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<ul class="errorlist" id="id_code_error"><li>Ce code n&#x27;est pas le bon\.', html)
    assert re.search(r'<input[^>]*name="code"[^>]*aria-describedby="id_code_error"', html)
    assert f'value="{wrong_code(code)}"' in html
    assert signed_in_user_id(client) is None

    response = client.post(CONFIRM_CODE, {"code": '"><script>alert(1)</script>'})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_code_error"' in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<script>alert(1)</script>" not in html

    # Spaces and dashes typed for readability do not matter.
    response = client.post(CONFIRM_CODE, {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(person.pk), "two mistakes leave the third try"


def test_an_empty_code_is_asked_for_in_french(client):
    UserFactory(email="fatou@exemple.test")
    client.post(REQUEST_CODE, {"email": "fatou@exemple.test"})

    response = client.post(CONFIRM_CODE, {"code": ""})

    assert response.status_code == 200
    error = re.search(r'<ul class="errorlist" id="id_code_error">(.*?)</ul>', html_of(response), re.S)
    assert error and "Tapez le code à 6 chiffres que vous avez reçu." in error.group(1)


def test_three_wrong_codes_end_the_attempt_and_the_right_code_no_longer_works(client):
    person = UserFactory(email="fatou@exemple.test")
    client.post(REQUEST_CODE, {"email": person.email})
    code = code_in(mail.outbox[0].body)
    assert settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS == 3

    for _ in range(settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS - 1):
        assert client.post(CONFIRM_CODE, {"code": wrong_code(code)}).status_code == 200
    response = client.post(CONFIRM_CODE, {"code": wrong_code(code)}, follow=True)

    assert response.redirect_chain == [(REQUEST_CODE, 302)]
    assert "Ce code a été essayé trop de fois : il ne marche plus. Demandez un nouveau code." in messages_of(response)
    response = client.post(CONFIRM_CODE, {"code": code})
    assert response.status_code == 302
    assert response.url == REQUEST_CODE
    assert signed_in_user_id(client) is None
    assert client.get(MY_ACCOUNT).status_code == 302


def test_three_wrong_codes_after_signup_end_it_without_signing_in(client, home):
    client.post(SIGNUP, {"display_name": "Fatou", "email": "fatou@exemple.test"})
    code = code_in(mail.outbox[0].body)

    for _ in range(settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS - 1):
        assert client.post(CONFIRM_CODE, {"code": wrong_code(code)}).status_code == 200
    response = client.post(CONFIRM_CODE, {"code": wrong_code(code)}, follow=True)

    # Back to the request page, where a person without a password can ask a new code (allauth would have
    # sent a code it did not start from that page, this one from the sign-up, to the password page).
    assert response.redirect_chain[-1][0] == REQUEST_CODE
    assert "Ce code a été essayé trop de fois : il ne marche plus. Demandez un nouveau code." in messages_of(response)
    assert client.post(CONFIRM_CODE, {"code": code}).url == REQUEST_CODE
    assert signed_in_user_id(client) is None
    assert not EmailAddress.objects.filter(verified=True).exists()


@pytest.mark.parametrize(
    ("seconds_later", "signed_in"),
    [(settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT - 5, True), (settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 1, False)],
)
def test_a_code_works_only_for_a_few_minutes(client, seconds_later, signed_in):
    person = UserFactory(email="fatou@exemple.test")
    with freeze_time("2026-11-23 10:00:00+01:00") as clock:
        client.post(REQUEST_CODE, {"email": person.email})
        code = code_in(mail.outbox[0].body)
        clock.tick(dt.timedelta(seconds=seconds_later))

        response = client.post(CONFIRM_CODE, {"code": code})

    assert response.status_code == 302
    if signed_in:
        assert response.url == MY_ACCOUNT
        assert signed_in_user_id(client) == str(person.pk)
    else:
        assert response.url == REQUEST_CODE
        assert signed_in_user_id(client) is None


# Rate limits


def ask_code_from_a_new_session(client, data):
    """While a code is pending, allauth sends its session back to the code page: each try starts afresh."""
    client.cookies.clear()
    return client.post(REQUEST_CODE, data)


def test_asking_too_many_codes_for_one_address_is_refused_in_french(client):
    UserFactory(email="fatou@exemple.test")

    for _ in range(3):
        assert ask_code_from_a_new_session(client, {"email": "fatou@exemple.test"}).status_code == 302
    response = ask_code_from_a_new_session(client, {"email": "FATOU@exemple.test"})

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="id_email_error"><li>Trop d&#x27;essais\.', html)
    assert 'value="FATOU@exemple.test"' in html
    assert len(mail.outbox) == 3
    assert ask_code_from_a_new_session(client, {"email": "karim@exemple.test"}).status_code == 302, "per address"


def test_asking_too_many_codes_for_one_phone_is_refused_in_french(client, sms_outbox):
    UserFactory(phone="+33612345678")

    for _ in range(3):
        assert ask_code_from_a_new_session(client, {"phone": "06 12 34 56 78"}).status_code == 302
    response = ask_code_from_a_new_session(client, {"phone": "+33 6 12 34 56 78"})

    assert response.status_code == 200
    assert re.search(r'id="id_phone_error"><li>Trop d&#x27;essais\.', response.content.decode())
    assert len(sms_outbox) == 3


def test_the_limit_holds_when_signing_up_again_with_an_existing_address(client, home):
    UserFactory(email="fatou@exemple.test")
    for _ in range(3):
        ask_code_from_a_new_session(client, {"email": "fatou@exemple.test"})
    client.cookies.clear()

    response = client.post(SIGNUP, {"display_name": "Fatou", "email": "fatou@exemple.test"})

    assert response.status_code == 200
    assert re.search(r'<ul class="errorlist nonfield"><li>Trop d&#x27;essais\.', response.content.decode())
    assert 'value="fatou@exemple.test"' in response.content.decode()
    assert len(mail.outbox) == 3
    assert User.objects.count() == 1


def test_the_limit_wears_off_after_a_minute(client):
    UserFactory(email="fatou@exemple.test")
    with freeze_time("2026-11-23 10:00:00+01:00") as clock:
        for _ in range(3):
            ask_code_from_a_new_session(client, {"email": "fatou@exemple.test"})
        assert ask_code_from_a_new_session(client, {"email": "fatou@exemple.test"}).status_code == 200
        clock.tick(dt.timedelta(seconds=61))

        assert ask_code_from_a_new_session(client, {"email": "fatou@exemple.test"}).status_code == 302
    assert len(mail.outbox) == 4


def test_a_pending_code_keeps_the_session_on_the_code_page_until_cancelled(client):
    UserFactory(email="fatou@exemple.test")
    client.post(REQUEST_CODE, {"email": "fatou@exemple.test"})

    response = client.post(REQUEST_CODE, {"email": "karim@exemple.test"})
    assert response.status_code == 302
    assert response.url == CONFIRM_CODE
    assert len(mail.outbox) == 1

    response = client.post("/compte/deconnexion/", {"next": REQUEST_CODE})

    assert response.status_code == 302
    assert response.url == REQUEST_CODE
    assert client.get(REQUEST_CODE).status_code == 200
    assert client.post(REQUEST_CODE, {"email": "karim@exemple.test"}).url == CONFIRM_CODE
    assert [m.to for m in mail.outbox] == [["fatou@exemple.test"], ["karim@exemple.test"]]


# Enumeration


def normalized_confirm_page(client, contact):
    html = client.get(CONFIRM_CODE).content.decode()
    # A number shows as people write it, "06 12 34 56 78"; an address as it is.
    return CSRF.sub("", html).replace(phone_as_written(contact), "CONTACT")


@pytest.mark.parametrize(
    ("field", "known", "unknown", "recipient_known", "recipient_unknown"),
    [
        ("email", "fatou@exemple.test", "personne@exemple.test", "fatou@exemple.test", "personne@exemple.test"),
        ("phone", "06 12 34 56 78", "06 98 76 54 32", "+33612345678", "+33698765432"),
    ],
)
def test_asking_a_code_for_an_unknown_account_looks_the_same(
    client, field, known, unknown, recipient_known, recipient_unknown, sms_outbox
):
    UserFactory(email="fatou@exemple.test", phone="+33612345678")

    known_response = client.post(REQUEST_CODE, {field: known}, follow=True)
    known_page = normalized_confirm_page(client, recipient_known)
    client.cookies.clear()
    unknown_response = client.post(REQUEST_CODE, {field: unknown}, follow=True)
    unknown_page = normalized_confirm_page(client, recipient_unknown)

    assert known_response.redirect_chain == unknown_response.redirect_chain == [(CONFIRM_CODE, 302)]
    assert messages_of(known_response) == [
        m.replace(recipient_unknown, recipient_known) for m in messages_of(unknown_response)
    ]
    assert known_page == unknown_page
    sent = mail.outbox if field == "email" else sms_outbox
    bodies = {(m.to[0] if field == "email" else m.to): m.body for m in sent}
    assert set(bodies) == {recipient_known, recipient_unknown}
    code_in(bodies[recipient_known])
    assert not CODE.search(bodies[recipient_unknown])
    assert "pas de compte" in bodies[recipient_unknown]
    if field == "email":
        assert "https://testserver/compte/inscription/" in bodies[recipient_unknown]

    response = client.post(CONFIRM_CODE, {"code": "123456"})
    assert response.status_code == 200
    assert "Ce code n'est pas le bon" in html_of(response)
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(
    ("form", "sent_to", "email_row"),
    [
        ({"email": "Fatou@Exemple.test"}, "fatou@exemple.test", True),
        # An account made in the admin has its address on the user row only.
        ({"email": "fatou@exemple.test"}, "fatou@exemple.test", False),
        ({"phone": "06 12 34 56 78"}, "+33612345678", True),
    ],
)
def test_signing_up_again_with_an_existing_account_sends_a_sign_in_code_and_creates_nothing(
    client, home, form, sent_to, email_row, sms_outbox
):
    centre = CentrePageFactory(parent=home)
    person = UserFactory(email="fatou@exemple.test", phone="+33612345678", phone_verified=True, display_name="Fatou")
    if email_row:
        EmailAddress.objects.create(user=person, email="fatou@exemple.test", primary=True, verified=True)
    new_person = Client()
    new_form = {"email": "karim@exemple.test"} if "email" in form else {"phone": "07 81 22 33 44"}

    response = client.post(SIGNUP, {"display_name": "Quelqu'un", "centres": [centre.pk], **form})
    new_response = new_person.post(SIGNUP, {"display_name": "Karim", "centres": [centre.pk], **new_form})

    assert response.status_code == new_response.status_code == 302
    assert response.url == new_response.url == CONFIRM_CODE
    assert User.objects.count() == 2, "only the new person got an account"
    sent = {m.to[0]: m.body for m in mail.outbox} if "email" in form else {m.to: m.body for m in sms_outbox}
    assert set(sent) == {sent_to, new_form.get("email") or "+33781223344"}
    code = code_in(sent[sent_to])
    person.refresh_from_db()
    assert person.display_name == "Fatou", "nothing is written to an account before its code is typed"
    assert not Membership.objects.filter(user=person).exists()

    response = client.post(CONFIRM_CODE, {"code": code})

    assert response.status_code == 302
    assert response.url == MY_ACCOUNT
    assert signed_in_user_id(client) == str(person.pk)


@pytest.mark.parametrize(
    ("form", "outbox"), [({"email": "fatou@exemple.test"}, "mail"), ({"phone": "06 12 34 56 78"}, "sms")]
)
def test_signing_up_with_the_address_of_a_deactivated_account_reveals_nothing(client, home, form, outbox, sms_outbox):
    UserFactory(email="fatou@exemple.test", phone="+33612345678", is_active=False)

    response = client.post(SIGNUP, {"display_name": "Fatou", **form})

    assert response.status_code == 302
    assert response.url == CONFIRM_CODE
    assert User.objects.count() == 1
    sent = mail.outbox if outbox == "mail" else sms_outbox
    assert len(sent) == 1
    assert "pas de compte" in sent[0].body
    assert not CODE.search(sent[0].body)


# Bad input

SIGNUP_OK = {"display_name": "Fatou", "email": "", "phone": ""}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"phone": "12"}, "phone", "Ce numéro de téléphone n'est pas valide. Exemple : 06 12 34 56 78."),
        ({"phone": "03 20 00 00 00"}, "phone", "Indiquez un numéro de portable (06 ou 07), pour recevoir les SMS."),
        (
            {"email": "fatou@exemple.test", "phone": "06 12 34 56 78"},
            "phone",
            "Un seul des deux suffit : une adresse e-mail ou un numéro de portable.",
        ),
        ({"email": "fatou@exemple"}, "email", "Saisissez une adresse de courriel valide."),
        ({"email": "<script>alert(1)</script>@exemple.test"}, "email", "Saisissez une adresse de courriel valide."),
        ({"display_name": "", "email": "fatou@exemple.test"}, "display_name", "Indiquez un prénom ou un surnom."),
        ({"display_name": "   ", "email": "fatou@exemple.test"}, "display_name", "Indiquez un prénom ou un surnom."),
        (
            {"display_name": "F" * 200, "email": "fatou@exemple.test"},
            "display_name",
            "Ce nom est trop long : 60 signes au plus.",
        ),
        (
            {"display_name": "<script>alert(1)</script>", "email": "fatou@exemple.test"},
            "display_name",
            "Le nom ne peut pas contenir les signes < ou >.",
        ),
        (
            {"display_name": '"><img src=x onerror=alert(1)>', "email": "fatou@exemple.test"},
            "display_name",
            "Le nom ne peut pas contenir les signes < ou >.",
        ),
    ],
)
def test_bad_signup_is_answered_in_french_next_to_the_field_and_writes_nothing(
    client, home, data, field, message, sms_outbox
):
    centre = CentrePageFactory(parent=home)
    posted = {**SIGNUP_OK, "centres": [centre.pk], **data}

    response = client.post(SIGNUP, posted)

    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert error, f"no error next to {field}"
    assert message in unescape(error.group(1))
    assert "aria-invalid" in html
    for name in ("display_name", "email", "phone"):
        if posted[name].strip():
            escaped = posted[name].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            escaped = escaped.replace('"', "&quot;").replace("'", "&#x27;")
            assert f'value="{escaped}"' in html, f"{name} not kept"
    assert re.search(rf'value="{centre.pk}"[^>]*checked', html), "chosen centre not kept"
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not Membership.objects.exists()
    assert mail.outbox == [] and sms_outbox == []


def test_signup_without_email_or_phone_asks_for_one_of_them(client, home):
    response = client.post(SIGNUP, {**SIGNUP_OK, "display_name": "Fatou"})

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<ul class="errorlist nonfield"><li>Indiquez une adresse e-mail ou un numéro de portable', html)
    assert 'value="Fatou"' in html
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"phone": "12"}, "phone", "Ce numéro de téléphone n'est pas valide."),
        ({"phone": "03 20 00 00 00"}, "phone", "Indiquez un numéro de portable (06 ou 07), pour recevoir les SMS."),
        ({"email": "fatou@"}, "email", "Saisissez une adresse de courriel valide."),
        (
            {"email": "fatou@exemple.test", "phone": "06 12 34 56 78"},
            None,
            "Indiquez une adresse e-mail ou un numéro de téléphone, pas les deux.",
        ),
        ({}, None, "Indiquez votre adresse e-mail ou votre numéro de portable."),
    ],
)
def test_bad_code_request_is_answered_in_french_and_sends_nothing(client, data, field, message, sms_outbox):
    UserFactory(email="fatou@exemple.test", phone="+33612345678")

    response = client.post(REQUEST_CODE, {"email": "", "phone": "", **data})

    assert response.status_code == 200
    html = response.content.decode()
    error_id = f'id="id_{field}_error"' if field else 'class="errorlist nonfield"'
    error = re.search(rf"<ul {error_id}>(.*?)</ul>", html.replace('class="errorlist" id=', "id="), re.S)
    assert error, f"no error at {error_id}"
    assert message in unescape(error.group(1))
    for value in data.values():
        assert f'value="{value}"' in html
    assert mail.outbox == [] and sms_outbox == []
    assert client.get(CONFIRM_CODE).url == REQUEST_CODE, "no code pending"
