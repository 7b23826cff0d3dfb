"""The centre team's "call back" list: an SMS reply that is not STOP becomes someone to call, on a phone page."""

import json
import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts.retention import forget_expired
from accounts.services import erase_account
from demarches.models import Callback, Contact
from demarches.notices import SMS_REPLY
from notifications.models import Notification
from tests.accounts.factories import mediator_of
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.brevo_payloads import brevo_event
from tests.notifications.factories import PersonFactory, TextDeliveryFactory

pytestmark = pytest.mark.django_db

WEBHOOK = reverse("notifications:sms_webhook")
TOKEN = "jeton-secret-de-test-0123456789"
LIST = reverse("demarches:callbacks")
NOW = "2026-12-05 10:15:00+01:00"
PHONE = "+33612345678"


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.SMS_WEBHOOK_TOKEN = TOKEN
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def mediator(centre):
    return mediator_of(centre, display_name="Nadia")


@pytest.fixture
def campaign_sms(centre):
    """What the centre texted a front-desk contact."""
    Contact.objects.create(centre=centre, name="Mme Lefèvre", phone=PHONE)
    return TextDeliveryFactory(
        to=PHONE, centre=centre, text="Atelier CAF jeudi 14 h au centre. Vous voulez de l'aide ? Répondez OUI."
    )


def reply(client, text, *, to=PHONE, message_id=1511882900176220):
    body = json.dumps(brevo_event("replied", to=to.lstrip("+"), reply=text, message_id=message_id))
    return client.post(WEBHOOK, body, content_type="application/json", headers={"Authorization": f"Bearer {TOKEN}"})


def callback_of(centre, *, phone=PHONE, name="Mme Lefèvre", text="OUI", **fields):
    return Callback.objects.create(
        centre=centre, phone=phone, name=name, text=text, received_at=timezone.now(), **fields
    )


# A reply becomes someone to call back.


def test_a_reply_becomes_a_callback_for_the_centre_that_sent_the_sms(client, centre, mediator, campaign_sms):
    response = reply(client, "OUI")

    assert response.status_code == 200
    callback = Callback.objects.get()
    assert (callback.centre, callback.phone, callback.name, callback.text, callback.delivery) == (
        centre,
        PHONE,
        "Mme Lefèvre",
        "OUI",
        campaign_sms,
    )
    assert callback.received_at == timezone.now()
    assert (callback.done_at, callback.done_by) == (None, None)


def test_the_team_is_told_at_once_with_a_link_to_their_page(client, centre, mediator, campaign_sms):
    reply(client, "Rappelez-moi svp")

    notification = Notification.objects.get(recipient=mediator, kind=SMS_REPLY.key)
    assert notification.url == LIST
    assert notification.text == (
        "Mme Lefèvre a répondu à un SMS du centre : « Rappelez-moi svp ». Rappelez cette personne."
    )
    assert notification.centre == centre


def test_the_name_of_the_account_that_has_the_number_comes_first(client, centre, mediator, campaign_sms):
    PersonFactory(phone=PHONE, display_name="Fatou")

    reply(client, "OUI")

    assert Callback.objects.get().name == "Fatou"


def test_an_unknown_person_is_called_back_by_number(client, centre, mediator):
    TextDeliveryFactory(to=PHONE, centre=centre)

    reply(client, "OUI")

    assert Callback.objects.get().name == ""
    assert Notification.objects.get(recipient=mediator).text.startswith("06\N{NO-BREAK SPACE}12")


def test_a_contact_of_another_centre_does_not_name_the_number(client, centre, mediator, home):
    Contact.objects.create(centre=CentrePageFactory(parent=home), name="Autre nom", phone=PHONE)
    TextDeliveryFactory(to=PHONE, centre=centre)

    reply(client, "OUI")

    assert Callback.objects.get().name == ""


def test_stop_is_no_one_to_call_back(client, campaign_sms, mediator):
    reply(client, "Stop.")

    assert not Callback.objects.exists()
    assert not Notification.objects.filter(recipient=mediator).exists()


def test_a_replayed_reply_makes_one_callback(client, campaign_sms, mediator):
    reply(client, "OUI")
    reply(client, "OUI")

    assert Callback.objects.count() == 1
    assert Notification.objects.filter(recipient=mediator).count() == 1


@pytest.mark.parametrize("sms_centre", [False, True])
def test_a_reply_to_no_centres_sms_is_logged_and_dropped(client, caplog, centre, sms_centre):
    """A number never texted, or an SMS the network paid for (no centre): nobody to call back."""
    if sms_centre:
        TextDeliveryFactory(to=PHONE, centre=None)

    with caplog.at_level(logging.WARNING, logger="demarches.callbacks"):
        response = reply(client, "OUI")

    assert response.status_code == 200
    assert not Callback.objects.exists()
    assert "answers no centre's SMS" in caplog.text


# The team's phone page.


def test_the_team_sees_who_to_call_what_they_answered_and_to_which_sms(
    client, staff_login, centre, mediator, campaign_sms
):
    reply(client, "OUI, jeudi ça me va <script>alert(1)</script>")
    staff_login(client, mediator)

    response = client.get(LIST)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Mme Lefèvre" in content
    assert f'href="tel:{PHONE}"' in content
    assert "06\N{NO-BREAK SPACE}12\N{NO-BREAK SPACE}34\N{NO-BREAK SPACE}56\N{NO-BREAK SPACE}78" in content
    assert "OUI, jeudi ça me va &lt;script&gt;" in content
    assert "<script>alert" not in content
    assert "Atelier CAF jeudi 14 h au centre." in content
    assert f'action="{reverse("demarches:callback_done", args=[Callback.objects.get().pk])}"' in content


def test_the_page_lists_only_open_callbacks_of_my_centres_oldest_first(client, staff_login, centre, mediator, home):
    other = CentrePageFactory(parent=home)
    frozen_now = timezone.now()
    Callback.objects.create(centre=centre, phone=PHONE, name="Deuxième", text="OUI", received_at=frozen_now)
    Callback.objects.create(
        centre=centre, phone="+33611111111", name="Première", text="OUI", received_at=frozen_now - timedelta(hours=2)
    )
    Callback.objects.create(
        centre=centre,
        phone="+33622222222",
        name="Déjà rappelée",
        text="OUI",
        received_at=frozen_now,
        done_at=frozen_now,
    )
    Callback.objects.create(
        centre=other, phone="+33633333333", name="Autre centre", text="OUI", received_at=frozen_now
    )
    staff_login(client, mediator)

    content = client.get(LIST).content.decode()

    assert content.index("Première") < content.index("Deuxième")
    assert "Déjà rappelée" not in content
    assert "Autre centre" not in content


def test_an_empty_list_says_so(client, staff_login, mediator):
    staff_login(client, mediator)

    assert "Personne à rappeler pour le moment." in client.get(LIST).content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_reads_the_same_few_queries_whatever_the_number_of_callbacks(
    client, staff_login, centre, mediator, django_assert_max_num_queries, count
):
    for n in range(count):
        delivery = TextDeliveryFactory(centre=centre)
        callback_of(centre, phone=f"+336{n:08d}", delivery=delivery)
    staff_login(client, mediator)

    with django_assert_max_num_queries(12):
        response = client.get(LIST)

    assert response.status_code == 200


# "C'est fait".


def test_cest_fait_records_who_called_back_and_when(client, staff_login, centre, mediator, frozen):
    callback = callback_of(centre)
    staff_login(client, mediator)
    frozen.tick(timedelta(minutes=5))

    response = client.post(reverse("demarches:callback_done", args=[callback.pk]), follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert "C'est noté : vous avez rappelé Mme Lefèvre." in [str(m) for m in response.context["messages"]]
    callback.refresh_from_db()
    assert (callback.done_at, callback.done_by) == (timezone.now(), mediator)
    assert "Personne à rappeler pour le moment." in response.content.decode()


def test_a_second_cest_fait_keeps_the_first(client, staff_login, centre, mediator, frozen):
    callback = callback_of(centre)
    colleague = mediator_of(centre)
    staff_login(client, mediator)
    client.post(reverse("demarches:callback_done", args=[callback.pk]))
    first = timezone.now()
    frozen.tick(timedelta(hours=1))
    staff_login(client, colleague)

    client.post(reverse("demarches:callback_done", args=[callback.pk]))

    callback.refresh_from_db()
    assert (callback.done_at, callback.done_by) == (first, mediator)


def test_cest_fait_is_a_post(client, staff_login, centre, mediator):
    callback = callback_of(centre)
    staff_login(client, mediator)

    response = client.get(reverse("demarches:callback_done", args=[callback.pk]))

    assert response.status_code == 405
    callback.refresh_from_db()
    assert callback.done_at is None


def test_another_centres_callback_is_not_found(client, staff_login, centre, mediator, home):
    theirs = callback_of(CentrePageFactory(parent=home))
    staff_login(client, mediator)

    response = client.post(reverse("demarches:callback_done", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.done_at is None


def test_a_callback_that_does_not_exist_is_not_found(client, staff_login, mediator):
    staff_login(client, mediator)

    assert client.post(reverse("demarches:callback_done", args=[987654])).status_code == 404


def test_a_resident_gets_the_teams_only_page_and_cannot_mark_done(client, centre):
    callback = callback_of(centre)
    client.force_login(UserFactory())

    listing = client.get(LIST)
    done = client.post(reverse("demarches:callback_done", args=[callback.pk]))

    assert listing.status_code == 403
    assert "Mme Lefèvre" not in listing.content.decode()
    assert done.status_code == 404
    callback.refresh_from_db()
    assert callback.done_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(client, centre, method):
    callback = callback_of(centre)
    url = LIST if method == "get" else reverse("demarches:callback_done", args=[callback.pk])

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url.startswith("/compte/connexion/")


def test_a_mediator_without_a_second_factor_is_sent_to_set_it_up(client, centre, mediator):
    callback_of(centre)
    client.force_login(mediator)

    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_the_team_finds_the_page_from_their_account_and_their_dates(client, staff_login, mediator):
    staff_login(client, mediator)

    assert LIST in client.get(reverse("accounts:my_account")).content.decode()
    assert LIST in client.get(reverse("agenda:team")).content.decode()


def test_a_callback_is_forgotten_three_months_after_the_call_and_never_before(centre, frozen):
    done = callback_of(centre, done_at=timezone.now())
    waiting = callback_of(centre, phone="+33611111111")
    frozen.tick(timedelta(days=89))
    assert forget_expired()["sms_callbacks"] == 0

    frozen.tick(timedelta(days=2))

    assert forget_expired()["sms_callbacks"] == 1
    assert list(Callback.objects.all()) == [waiting]
    assert not Callback.objects.filter(pk=done.pk).exists()


def test_the_privacy_page_says_how_long_callbacks_are_kept(client):
    page = client.get(reverse("accounts:privacy")).content.decode()

    assert "a répondu à un SMS du centre : effacés 3 mois après que l&#x27;équipe l&#x27;a rappelée." in page


def test_my_data_shows_my_replies_and_erasing_my_account_forgets_them(client, centre):
    person = PersonFactory(phone=PHONE)
    callback_of(centre, phone=PHONE, text="OUI, appelez-moi le matin")
    callback_of(centre, phone="+33699999999", text="Quelqu'un d'autre")
    client.force_login(person)

    page = client.get(reverse("accounts:my_data")).content.decode()

    assert "Mes réponses aux SMS des centres" in page
    assert "OUI, appelez-moi le matin" in page
    assert "Quelqu&#x27;un d&#x27;autre" not in page and "Quelqu'un d'autre" not in page
    erase_account(person)
    assert list(Callback.objects.values_list("phone", flat=True)) == ["+33699999999"]
