"""The code page: the number as the person typed it, spam only for e-mail, and a new code within the limits."""

import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REQUEST_CODE = "/compte/connexion/"
CONFIRM_CODE = "/compte/connexion/code/"
MY_ACCOUNT = "/compte/"
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
RESEND = {"action": "resend"}
NEW_CODE_SENT = "Nous vous avons envoyé un nouveau code. Seul le dernier marche."
RATE_LIMITED = "Vous avez demandé beaucoup de codes d'un coup. Attendez une minute, puis réessayez."


def text_of(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def codes_in(messages):
    return [CODE.findall(message.body)[0] for message in messages]


@pytest.fixture
def fatou():
    return UserFactory(email="fatou@exemple.test")


@pytest.fixture
def karim():
    return UserFactory(phone="+33612340001", phone_verified=True, notify_by=User.Channel.SMS)


def test_the_sms_code_page_shows_the_number_the_french_way_and_speaks_of_no_spam(client, karim, sms_outbox):
    response = client.post(REQUEST_CODE, {"phone": "06 12 34 00 01"}, follow=True)

    html = response.content.decode()
    assert "<strong>06\xa012\xa034\xa000\xa001</strong>" in html
    assert "+33612340001" not in html, "neither in the page nor in a message above it"
    words = text_of(response)
    assert "par SMS" in words
    assert "indésirables" not in words and "spam" not in words


def test_the_email_code_page_says_to_look_in_the_spam(client, fatou):
    response = client.post(REQUEST_CODE, {"email": fatou.email}, follow=True)

    words = text_of(response)
    assert "à l'adresse fatou@exemple.test" in words
    assert "regardez aussi dans les courriers indésirables (spam)" in words
    assert words.count("fatou@exemple.test") == 1, "said once, not again in a message"


def test_renvoyer_le_code_sends_a_new_code_and_only_the_last_one_works(client, fatou):
    page = client.post(REQUEST_CODE, {"email": fatou.email}, follow=True)
    assert re.search(r'<input type="hidden" name="action" value="resend">', page.content.decode())
    assert "Renvoyer le code" in text_of(page)
    first = codes_in(mail.outbox)[0]

    response = client.post(CONFIRM_CODE, RESEND, follow=True)

    assert response.redirect_chain == [(CONFIRM_CODE, 302)]
    assert NEW_CODE_SENT in messages_of(response)
    assert [message.to for message in mail.outbox] == [[fatou.email], [fatou.email]]
    last = codes_in(mail.outbox)[-1]
    if first != last:
        assert client.post(CONFIRM_CODE, {"code": first}).status_code == 200
    response = client.post(CONFIRM_CODE, {"code": last})
    assert response.url == MY_ACCOUNT
    assert client.session["_auth_user_id"] == str(fatou.pk)


def test_renvoyer_le_code_by_sms_keeps_the_page_the_person_was_going_to(client, karim, sms_outbox):
    client.post(f"{REQUEST_CODE}?next=/agenda/inscription/7/", {"phone": "06 12 34 00 01"})

    response = client.post(f"{CONFIRM_CODE}?next=/agenda/inscription/7/", {**RESEND, "next": "/agenda/inscription/7/"})

    assert response.url == f"{CONFIRM_CODE}?next=%2Fagenda%2Finscription%2F7%2F"
    assert [message.to for message in sms_outbox] == ["+33612340001", "+33612340001"]


def test_after_two_new_codes_the_page_says_what_to_do_instead(client, fatou):
    client.post(REQUEST_CODE, {"email": fatou.email})
    client.post(CONFIRM_CODE, RESEND)
    client.post(CONFIRM_CODE, RESEND)

    page = client.get(CONFIRM_CODE)

    words = text_of(page)
    assert "Renvoyer le code" not in words
    assert "Vous avez déjà demandé plusieurs codes. Si rien n'arrive, vérifiez l'adresse en recommençant" in words
    client.post(CONFIRM_CODE, RESEND)
    assert len(mail.outbox) == 3


def test_a_new_code_counts_against_the_limit_of_codes_for_one_address(client, fatou):
    for _ in range(2):
        Client().post(REQUEST_CODE, {"email": fatou.email})
    client.post(REQUEST_CODE, {"email": fatou.email})
    assert len(mail.outbox) == 3

    response = client.post(CONFIRM_CODE, RESEND, follow=True)

    assert RATE_LIMITED in messages_of(response)
    assert NEW_CODE_SENT not in messages_of(response)
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("data", [{"email": "personne@exemple.test"}, {"phone": "06 98 76 54 32"}])
def test_a_new_code_for_an_unknown_account_looks_the_same_and_sends_nothing(client, data, sms_outbox):
    client.post(REQUEST_CODE, data)
    sent = len(mail.outbox) + len(sms_outbox)

    response = client.post(CONFIRM_CODE, RESEND, follow=True)

    assert NEW_CODE_SENT in messages_of(response)
    assert len(mail.outbox) + len(sms_outbox) == sent


def test_the_code_page_for_a_new_number_writes_it_the_french_way(client, fatou, sms_outbox):
    client.force_login(fatou)
    client.post("/compte/phone/change/", {"phone": "06 12 34 00 01"})

    page = client.get("/compte/phone/verify/")

    html = page.content.decode()
    assert "<strong>06\xa012\xa034\xa000\xa001</strong>" in html
    assert "+33612340001" not in html, "neither in the page nor in a message above it"
    assert "indésirables" not in text_of(page)
    client.post("/compte/phone/verify/", {"code": CODE.findall(sms_outbox[-1].body)[0]})
    fatou.refresh_from_db()
    assert fatou.phone == "+33612340001" and fatou.phone_verified
