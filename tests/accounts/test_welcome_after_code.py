"""The welcome to a centre chosen at sign-up comes once the code is typed, in an e-mail whose subject is whole."""

import re

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import User
from notifications import deliveries
from notifications.models import Delivery, Notification
from quartier.models import Membership
from tests.factories import CentrePageFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/compte/inscription/"
REQUEST_CODE = "/compte/connexion/"
CONFIRM_CODE = "/compte/connexion/code/"
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Pont")


def last_code():
    return CODE.findall(mail.outbox[-1].body)[0]


def sign_up(client, centre):
    client.post(SIGNUP, {"display_name": "Fatou", "email": "fatou@exemple.test", "centres": [centre.pk]})
    return User.objects.get(email="fatou@exemple.test")


def test_nothing_is_joined_nor_sent_before_the_code_then_the_welcome_comes(client, centre):
    person = sign_up(client, centre)

    assert not Membership.objects.exists()
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert [message.subject for message in mail.outbox] == ["[Placette] Votre code de connexion"]

    client.post(CONFIRM_CODE, {"code": last_code()})

    assert Membership.objects.get().user == person
    welcome = Notification.objects.get(recipient=person)
    assert welcome.text.startswith("Bienvenue ! Vous avez rejoint « Centre social du Pont ».")
    assert welcome.deliveries.count() == 1


def test_a_sign_up_whose_code_is_never_right_joins_nothing(client, centre):
    sign_up(client, centre)
    code = last_code()

    for _ in range(settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS):
        client.post(CONFIRM_CODE, {"code": "000000" if code != "000000" else "111111"})

    assert not Membership.objects.exists()
    assert not Notification.objects.exists()


def test_centres_ticked_in_an_abandoned_sign_up_are_not_joined_by_a_later_sign_in(client, centre):
    sign_up(client, centre)
    client.post("/compte/deconnexion/", {"next": REQUEST_CODE})
    karim = UserFactory(email="karim@exemple.test")

    client.post(REQUEST_CODE, {"email": karim.email})
    client.post(CONFIRM_CODE, {"code": last_code()})

    assert client.session["_auth_user_id"] == str(karim.pk)
    assert not Membership.objects.exists()


def test_the_welcome_e_mail_subject_is_whole_sentences_not_cut(client, centre):
    person = sign_up(client, centre)
    client.post(CONFIRM_CODE, {"code": last_code()})

    deliveries.deliver(Delivery.objects.get(notification__recipient=person).pk)

    assert mail.outbox[-1].to == ["fatou@exemple.test"]
    assert mail.outbox[-1].subject == "[Placette] Bienvenue ! Vous avez rejoint « Centre social du Pont »."
