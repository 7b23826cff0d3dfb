"""E-mails and SMS for notifications: who gets which, exactly once, retried, held at night, within the SMS budget.

The worker's code is called directly here (`deliver`, `sweep`) with the clock frozen; the task queue and the
worker process are in test_worker.py.
"""

import contextlib
import re
import smtplib
import threading
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.mail.backends import locmem as locmem_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from accounts.notices import ACTED_FOR, WELCOME
from accounts.services import erase_account
from notifications import deliveries, kinds, notices, services
from notifications.models import Channel, Delivery, Notification, Preference, SmsBudgetAlert, SmsNumber
from notifications.services import notify, set_preferences
from notifications.sms import SmsError, SmsMessage
from notifications.sms.backends import brevo as brevo_sms
from notifications.sms.backends import locmem as locmem_sms
from notifications.sms.parts import measure
from tests.accounts.factories import MembershipFactory, mediator_of, resident_of
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import DeliveryFactory, PersonFactory, member_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TEXT = "Karim a répondu à votre offre d'aide aux devoirs."
LINK = urljoin(settings.WAGTAILADMIN_BASE_URL, "/notifications/")


def paris(*moment):
    return datetime(*moment, tzinfo=PARIS)


# A Tuesday at noon, far from the quiet hours.
NOON = paris(2026, 3, 10, 12, 0)
STALE = timedelta(minutes=settings.DELIVERY_STALE_AFTER_MINUTES)


class WorkerDied(BaseException):
    """What the process dying looks like from inside: nothing after it runs, no handler catches it."""


@pytest.fixture
def frozen():
    with freeze_time(NOON) as frozen:
        yield frozen


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home)


@pytest.fixture
def sms_refused(monkeypatch):
    """The SMS provider refuses every message; returns the ones it was given."""
    tried = []

    def refuse(backend, message):
        tried.append(message)
        raise SmsError("Brevo a refusé le SMS (400) : numéro inconnu")

    monkeypatch.setattr(locmem_sms.SmsBackend, "send", refuse)
    return tried


@pytest.fixture
def email_refused(monkeypatch):
    def refuse(backend, messages):
        raise smtplib.SMTPServerDisconnected("421 service momentanément indisponible")

    monkeypatch.setattr(locmem_mail.EmailBackend, "send_messages", refuse)


def tell(person, text=TEXT, *, centre=None, kind=WELCOME.key):
    return notify(person, kind, text, url="/notifications/", centre=centre)


def reloaded(delivery):
    delivery.refresh_from_db()
    return delivery


# Who gets which e-mail or SMS.


def test_a_person_who_chose_email_gets_one_french_email_with_a_link(frozen, centre, mailoutbox, sms_outbox):
    person = member_of(centre, display_name="Awa")

    delivery = tell(person, centre=centre).deliveries.get()
    status = deliveries.deliver(delivery.pk)

    assert status == Delivery.Status.SENT
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [person.email]
    assert email.subject == f"[Placette] {TEXT}"
    assert email.body.startswith("Bonjour Awa,\n\nKarim a répondu à votre offre d'aide aux devoirs.\n\nPour voir : ")
    link = re.search(r"^Pour voir : (\S+)$", email.body, re.MULTILINE)[1]
    assert link == LINK
    assert urlsplit(link).scheme in ("http", "https")
    assert urlsplit(link).hostname
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert '<html lang="fr">' in html
    assert f'<a href="{LINK}"' in html
    assert "Voir sur Placette" in html
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname
    assert email.message()["Message-ID"] == f"<notification-{delivery.notification_id}-email@{host}>"
    assert sms_outbox == []
    delivery = reloaded(delivery)
    assert (delivery.status, delivery.attempts, delivery.sent_at, delivery.last_error) == ("sent", 1, NOON, "")


def test_a_person_who_chose_sms_gets_one_short_sms_with_the_link_and_how_to_stop(
    frozen, centre, mailoutbox, sms_outbox
):
    person = member_of(centre, by_sms=True)

    delivery = tell(person, centre=centre).deliveries.get()
    deliveries.deliver(delivery.pk)

    assert delivery.channel == Channel.SMS
    stop = SmsNumber.objects.get(phone=person.phone).code
    body = f"Placette : {TEXT} {LINK}\nSTOP : répondez STOP ou http://127.0.0.1:8000/s/{stop}"
    assert sms_outbox == [SmsMessage(to=str(person.phone), body=body)]
    assert measure(body).parts == delivery.parts == 1
    assert mailoutbox == []
    assert reloaded(delivery).status == Delivery.Status.SENT


def test_a_long_text_is_shortened_to_two_sms_but_the_link_and_the_stop_line_are_whole(frozen, centre, sms_outbox):
    person = member_of(centre, by_sms=True)
    text = "Le centre social organise une grande fête de quartier avec des ateliers pour tous les âges. " * 4

    delivery = tell(person, text, centre=centre).deliveries.get()
    deliveries.deliver(delivery.pk)

    [sms] = sms_outbox
    assert measure(sms.body).parts == delivery.parts == 2
    assert sms.body.startswith("Placette : Le centre social organise")
    assert sms.body.split("\n")[0].endswith(f"... {LINK}")
    assert "fete" in sms.body
    assert sms.body.split("\n")[1].startswith("STOP : répondez STOP ou http://127.0.0.1:8000/s/")


def test_a_site_only_person_gets_no_email_nor_sms(frozen, centre, mailoutbox, sms_outbox):
    person = member_of(centre, site_only=True)

    notification = tell(person, centre=centre)

    assert Notification.objects.filter(pk=notification.pk, recipient=person).exists()
    assert not Delivery.objects.exists()
    assert deliveries.sweep() == []
    assert mailoutbox == sms_outbox == []


@pytest.mark.parametrize(
    ("notify_by", "for_welcome", "expected"),
    [
        (Channel.EMAIL, Channel.SMS, [Channel.SMS]),
        (Channel.EMAIL, Channel.SITE, []),
        (Channel.SMS, Channel.EMAIL, [Channel.EMAIL]),
        (Channel.SITE, Channel.EMAIL, [Channel.EMAIL]),
    ],
)
def test_a_choice_for_one_kind_overrides_the_general_one(frozen, centre, notify_by, for_welcome, expected):
    person = member_of(centre, notify_by=notify_by)
    set_preferences(person, {WELCOME.key: for_welcome})

    welcome = tell(person, centre=centre, kind=WELCOME.key)
    other = tell(person, centre=centre, kind=ACTED_FOR.key)

    assert Preference.objects.get(user=person).channel == for_welcome
    assert [delivery.channel for delivery in welcome.deliveries.all()] == expected
    general = [] if notify_by == Channel.SITE else [notify_by]
    assert [delivery.channel for delivery in other.deliveries.all()] == general


def test_sms_without_a_phone_goes_by_email(frozen, centre, mailoutbox, sms_outbox):
    person = member_of(centre, by_sms=True, no_phone=True)

    delivery = tell(person, centre=centre).deliveries.get()
    deliveries.deliver(delivery.pk)

    assert delivery.channel == Channel.EMAIL
    assert [email.to for email in mailoutbox] == [[person.email]]
    assert sms_outbox == []


def test_sms_without_a_phone_nor_an_email_stays_on_the_site(frozen, centre, mailoutbox, sms_outbox):
    person = member_of(centre, by_sms=True, no_phone=True, no_email=True)

    notification = tell(person, centre=centre)

    assert Notification.objects.filter(pk=notification.pk).exists()
    assert not Delivery.objects.exists()
    assert deliveries.sweep() == []
    assert mailoutbox == sms_outbox == []


def test_sms_with_no_centre_to_pay_for_it_goes_by_email(frozen):
    person = PersonFactory(by_sms=True)

    delivery = tell(person).deliveries.get()

    assert (delivery.channel, delivery.centre) == (Channel.EMAIL, None)


def test_the_first_centre_a_person_joined_pays_when_the_notification_names_none(frozen, home):
    first, second = CentrePageFactory(parent=home), CentrePageFactory(parent=home)
    person = PersonFactory(by_sms=True)
    MembershipFactory(centre=second, user=person, joined_at=NOON)
    MembershipFactory(centre=first, user=person, joined_at=NOON - timedelta(days=30))

    delivery = tell(person).deliveries.get()

    assert (delivery.channel, delivery.centre) == (Channel.SMS, first)


def test_html_in_a_notification_is_shown_as_text_in_the_email(frozen, centre, mailoutbox):
    person = member_of(centre)
    text = 'Karim a écrit <script>alert("x")</script>"><img src=x onerror=alert(1)>'

    deliveries.deliver(tell(person, text, centre=centre).deliveries.get().pk)

    [(html, _mimetype)] = mailoutbox[0].alternatives
    assert "<script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert text in mailoutbox[0].body


# Exactly once, even when the worker dies.


def test_a_delivery_whose_worker_died_is_sent_once_after_the_stale_delay(frozen, centre, monkeypatch, sms_outbox):
    person = member_of(centre, by_sms=True)
    delivery = tell(person, centre=centre).deliveries.get()

    def die(backend, message):
        raise WorkerDied

    with monkeypatch.context() as crash:
        crash.setattr(locmem_sms.SmsBackend, "send", die)
        with pytest.raises(WorkerDied):
            deliveries.deliver(delivery.pk)

    delivery = reloaded(delivery)
    assert (delivery.status, delivery.attempts, delivery.claimed_at) == ("sending", 1, NOON)
    frozen.move_to(NOON + STALE)
    assert deliveries.sweep() == []
    assert deliveries.deliver(delivery.pk) is None
    assert sms_outbox == []

    frozen.move_to(NOON + STALE + timedelta(seconds=1))
    assert deliveries.sweep() == [Delivery.Status.SENT]

    assert len(sms_outbox) == 1
    delivery = reloaded(delivery)
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    frozen.move_to(NOON + timedelta(days=2))
    assert deliveries.sweep() == []
    assert deliveries.deliver(delivery.pk) is None
    assert len(sms_outbox) == 1


@pytest.fixture
def brevo_backend(fake_brevo, settings):
    settings.SMS_BACKEND = "notifications.sms.backends.brevo.SmsBackend"
    return fake_brevo


def send_then_die(monkeypatch):
    """The provider takes the SMS, then the worker dies before it can mark the delivery sent."""
    send = brevo_sms.SmsBackend.send

    def accepted_then_killed(backend, message):
        send(backend, message)
        raise WorkerDied

    monkeypatch.setattr(brevo_sms.SmsBackend, "send", accepted_then_killed)


def test_an_sms_the_provider_took_before_its_worker_died_is_not_sent_again(frozen, centre, monkeypatch, brevo_backend):
    person = member_of(centre, by_sms=True)
    delivery = tell(person, centre=centre).deliveries.get()
    with monkeypatch.context() as crash:
        send_then_die(crash)
        with pytest.raises(WorkerDied):
            deliveries.deliver(delivery.pk)
    assert reloaded(delivery).status == Delivery.Status.SENDING

    frozen.move_to(NOON + STALE + timedelta(seconds=1))
    assert deliveries.sweep() == [Delivery.Status.SENT]

    [request] = brevo_backend.requests
    assert request["json"]["tag"] == f"notification-{delivery.notification_id}-sms@{urlsplit(LINK).hostname}"
    assert len(brevo_backend.lookups) == 1
    delivery = reloaded(delivery)
    assert (delivery.status, delivery.attempts, delivery.sent_at) == ("sent", 2, NOON + STALE + timedelta(seconds=1))
    frozen.move_to(NOON + timedelta(days=2))
    assert deliveries.sweep() == []
    assert len(brevo_backend.requests) == 1


def test_an_sms_the_provider_never_got_is_sent_after_asking(frozen, centre, monkeypatch, brevo_backend):
    person = member_of(centre, by_sms=True)
    delivery = tell(person, centre=centre).deliveries.get()

    def die(backend, message):
        raise WorkerDied

    with monkeypatch.context() as crash:
        crash.setattr(brevo_sms.SmsBackend, "send", die)
        with pytest.raises(WorkerDied):
            deliveries.deliver(delivery.pk)
    frozen.move_to(NOON + STALE + timedelta(seconds=1))
    assert deliveries.sweep() == [Delivery.Status.SENT]

    assert len(brevo_backend.lookups) == 1
    assert [request["json"]["content"].split("\n")[0] for request in brevo_backend.requests] == [
        f"Placette : {TEXT} {LINK}"
    ]


def test_the_first_try_of_an_sms_asks_the_provider_nothing(frozen, centre, brevo_backend):
    person = member_of(centre, by_sms=True)
    delivery = tell(person, centre=centre).deliveries.get()

    assert deliveries.deliver(delivery.pk) == Delivery.Status.SENT

    assert (len(brevo_backend.requests), brevo_backend.lookups) == (1, [])


def test_an_sms_whose_answer_was_lost_is_not_sent_again_on_retry(frozen, centre, monkeypatch, brevo_backend):
    """The provider took it but its answer never came back (a timeout): the retry finds it and stops there."""
    person = member_of(centre, by_sms=True)
    delivery = tell(person, centre=centre).deliveries.get()
    send = brevo_sms.SmsBackend.send

    def taken_but_timed_out(backend, message):
        send(backend, message)
        raise SmsError("Brevo est injoignable : timed out")

    with monkeypatch.context() as slow:
        slow.setattr(brevo_sms.SmsBackend, "send", taken_but_timed_out)
        assert deliveries.deliver(delivery.pk) == Delivery.Status.PENDING
    frozen.move_to(NOON + timedelta(minutes=1))

    assert deliveries.sweep() == [Delivery.Status.SENT]
    assert len(brevo_backend.requests) == 1


def test_when_the_provider_cannot_say_the_sms_waits_and_is_not_sent(frozen, centre, monkeypatch, brevo_backend):
    person = member_of(centre, by_sms=True)
    delivery = tell(person, centre=centre).deliveries.get()
    with monkeypatch.context() as crash:
        send_then_die(crash)
        with pytest.raises(WorkerDied):
            deliveries.deliver(delivery.pk)
    brevo_backend.status = 503
    frozen.move_to(NOON + STALE + timedelta(seconds=1))

    assert deliveries.sweep() == [Delivery.Status.PENDING]

    delivery = reloaded(delivery)
    assert delivery.last_error.startswith("SmsError: Brevo n'a pas pu dire si le SMS est parti (503)")
    assert len(brevo_backend.requests) == 1


def test_an_email_sent_again_after_a_crash_is_the_same_message_for_mail_clients(
    frozen, centre, monkeypatch, mailoutbox
):
    """The worker died after the server took the e-mail but before marking it sent: the copy has the same id."""
    person = member_of(centre)
    delivery = tell(person, centre=centre).deliveries.get()
    send_email = deliveries.send_email

    def send_then_die(delivery, address):
        send_email(delivery, address)
        raise WorkerDied

    with monkeypatch.context() as crash:
        crash.setattr(deliveries, "send_email", send_then_die)
        with pytest.raises(WorkerDied):
            deliveries.deliver(delivery.pk)
    frozen.move_to(NOON + STALE + timedelta(seconds=1))
    deliveries.sweep()

    assert len(mailoutbox) == 2
    first, second = (email.message()["Message-ID"] for email in mailoutbox)
    assert first == second
    assert first.startswith(f"<notification-{delivery.notification_id}-email@")
    assert reloaded(delivery).status == Delivery.Status.SENT


def test_only_the_first_of_two_claims_wins(frozen):
    delivery = DeliveryFactory()

    assert deliveries.claim(delivery.pk, NOON) is True
    assert deliveries.claim(delivery.pk, NOON) is False
    assert deliveries.claim(delivery.pk, NOON + STALE) is False
    assert reloaded(delivery).attempts == 1


def test_a_delivery_not_due_yet_is_not_claimed(frozen):
    delivery = DeliveryFactory(due_at=NOON + timedelta(minutes=1))

    assert deliveries.claim(delivery.pk, NOON) is False
    assert deliveries.claim(delivery.pk, NOON + timedelta(minutes=1)) is True


@pytest.mark.parametrize("status", ["sent", "failed", "cancelled"])
def test_a_finished_delivery_is_never_claimed_again(frozen, status):
    delivery = DeliveryFactory(status=status, claimed_at=NOON, sent_at=NOON)

    assert deliveries.claim(delivery.pk, NOON + timedelta(days=30)) is False
    assert reloaded(delivery).attempts == 0


def test_a_delivery_that_kills_its_worker_every_time_is_given_up_after_the_maximum_tries(
    frozen, centre, monkeypatch, sms_outbox
):
    """A stale claim is a try too: a delivery that always takes its worker down stops and staff hear of it."""
    person = member_of(centre, by_sms=True)
    mediator = mediator_of(centre)
    delivery = tell(person, centre=centre).deliveries.get()
    tries = []

    def die(backend, message):
        tries.append(message)
        raise WorkerDied

    monkeypatch.setattr(locmem_sms.SmsBackend, "send", die)
    for _ in range(settings.DELIVERY_MAX_ATTEMPTS + 1):
        frozen.tick(STALE + timedelta(seconds=1))
        with contextlib.suppress(WorkerDied):
            deliveries.sweep()

    assert len(tries) == settings.DELIVERY_MAX_ATTEMPTS
    assert reloaded(delivery).status == Delivery.Status.FAILED
    assert Notification.objects.filter(recipient=mediator, kind=notices.DELIVERY_FAILED.key).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_delivering_the_same_sms_at_once_send_it_once(home, sms_outbox, settings):
    # Threads run on the real clock: at night the SMS would wait for the morning. No quiet hours here.
    settings.SMS_QUIET_HOURS = ("12:00", "12:00")
    centre = CentrePageFactory(parent=home)
    person = member_of(centre, by_sms=True)
    delivery = tell(person, centre=centre).deliveries.get()
    workers = 8
    start = threading.Barrier(workers)
    statuses = []

    def work():
        try:
            start.wait()
            statuses.append(deliveries.deliver(delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses, key=str) == sorted([Delivery.Status.SENT] + [None] * (workers - 1), key=str)
    code = SmsNumber.objects.get(phone=person.phone).code
    body = f"Placette : {TEXT} {LINK}\nSTOP : répondez STOP ou http://127.0.0.1:8000/s/{code}"
    assert sms_outbox == [SmsMessage(to=str(person.phone), body=body)]
    assert (reloaded(delivery).status, reloaded(delivery).attempts) == ("sent", 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_due_sms_once(home, sms_outbox):
    due = DeliveryFactory.create_batch(30, sms=True, notification__recipient__by_sms=True)
    workers = 4
    start = threading.Barrier(workers)

    def work():
        try:
            start.wait()
            deliveries.sweep()
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    phones = sorted(str(delivery.notification.recipient.phone) for delivery in due)
    assert sorted(sms.to for sms in sms_outbox) == phones
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}


# Provider errors: retried later, then given up and shown to staff.


def test_a_refused_sms_is_retried_after_1_2_4_8_minutes_then_given_up_and_staff_told(
    frozen, centre, home, sms_refused, sms_outbox
):
    person = member_of(centre, by_sms=True, display_name="Awa")
    mediators = [mediator_of(centre), mediator_of(centre)]
    elsewhere = mediator_of(CentrePageFactory(parent=home))
    delivery = tell(person, centre=centre).deliveries.get()
    error = "SmsError: Brevo a refusé le SMS (400) : numéro inconnu"

    for tries, minutes in enumerate([1, 2, 4, 8], start=1):
        assert deliveries.deliver(delivery.pk) == Delivery.Status.PENDING
        delivery = reloaded(delivery)
        assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", tries, error)
        assert delivery.due_at == timezone.now() + timedelta(minutes=minutes)
        frozen.move_to(delivery.due_at - timedelta(seconds=1))
        assert deliveries.sweep() == []
        frozen.move_to(delivery.due_at)
    assert not Notification.objects.filter(kind=notices.DELIVERY_FAILED.key).exists()

    assert deliveries.deliver(delivery.pk) == Delivery.Status.FAILED

    delivery = reloaded(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 5, error)
    assert settings.DELIVERY_MAX_ATTEMPTS == len(sms_refused) == 5
    told = Notification.objects.filter(kind=notices.DELIVERY_FAILED.key)
    assert sorted(notice.recipient_id for notice in told) == sorted(mediator.pk for mediator in mediators)
    for notice in told:
        assert notice.text == "Un SMS pour Awa n'a pas pu partir. Prévenez la personne autrement."
        # Mediators without admin access: no link to the admin, whose sign-in page they would meet (ADR 0005).
        assert notice.url == ""
        assert (notice.actor, notice.centre) == (person, centre)
    others = Notification.objects.filter(recipient__in=[elsewhere, person], kind=notices.DELIVERY_FAILED.key)
    assert not others.exists()
    frozen.move_to(NOON + timedelta(days=1))
    assert deliveries.sweep() == []
    assert sms_outbox == []


def test_a_refused_email_is_retried_and_sent_once_the_server_answers(frozen, centre, monkeypatch, mailoutbox):
    person = member_of(centre)
    delivery = tell(person, centre=centre).deliveries.get()

    def refuse(backend, messages):
        raise smtplib.SMTPServerDisconnected("421 indisponible")

    with monkeypatch.context() as down:
        down.setattr(locmem_mail.EmailBackend, "send_messages", refuse)
        assert deliveries.deliver(delivery.pk) == Delivery.Status.PENDING
    delivery = reloaded(delivery)
    assert delivery.last_error == "SMTPServerDisconnected: 421 indisponible"
    assert delivery.due_at == NOON + timedelta(minutes=1)
    assert mailoutbox == []

    frozen.move_to(NOON + timedelta(minutes=1))
    assert deliveries.sweep() == [Delivery.Status.SENT]

    assert len(mailoutbox) == 1
    delivery = reloaded(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")


def test_a_given_up_email_that_concerns_no_centre_tells_no_mediator(frozen, email_refused):
    person = PersonFactory()
    delivery = tell(person).deliveries.get()

    for _ in range(settings.DELIVERY_MAX_ATTEMPTS):
        deliveries.deliver(delivery.pk)
        frozen.move_to(reloaded(delivery).due_at)

    assert reloaded(delivery).status == Delivery.Status.FAILED
    assert not Notification.objects.filter(kind=notices.DELIVERY_FAILED.key).exists()


# The staff's list of sendings, in the admin.


def with_admin_access(user, *codenames):
    group = Group.objects.create(name=f"Accès à l'administration {user.pk}")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in codenames:
        group.permissions.add(Permission.objects.get(content_type__app_label="notifications", codename=codename))
    user.groups.add(group)
    return user


def network_admin(centre, home):
    return UserFactory(network_admin=True)


def mediator_who_may_view_deliveries(centre, home):
    return with_admin_access(mediator_of(centre), "view_delivery")


def mediator_of_another_centre(centre, home):
    return with_admin_access(mediator_of(CentrePageFactory(parent=home)), "view_delivery")


def mediator_without_the_permission(centre, home):
    return with_admin_access(mediator_of(centre))


def resident(centre, home):
    return resident_of(centre)


@pytest.fixture
def failed_sms(centre):
    person = member_of(centre, by_sms=True, display_name="Awa Diallo")
    return DeliveryFactory(sms=True, failed=True, notification__recipient=person, notification__centre=centre)


@pytest.mark.parametrize("viewer", [network_admin, mediator_who_may_view_deliveries])
def test_staff_of_the_centre_see_a_given_up_sms_in_the_admin(client, staff_login, centre, home, failed_sms, viewer):
    staff_login(client, viewer(centre, home))

    response = client.get(reverse("notifications_deliveries"), {"status": "failed"})

    assert response.status_code == 200
    assert list(response.context["object_list"]) == [failed_sms]
    content = response.content.decode()
    assert "Awa Diallo" in content
    assert "numéro inconnu" in content


def test_staff_see_what_the_provider_reported_and_find_the_unknown_numbers(client, staff_login, centre, home):
    person = member_of(centre, display_name="Awa Diallo")
    DeliveryFactory(
        sms=True,
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        report=Delivery.Report.UNKNOWN_NUMBER,
        notification__recipient=person,
        notification__centre=centre,
    )
    DeliveryFactory(sms=True, status=Delivery.Status.SENT, sent_at=timezone.now(), report=Delivery.Report.DELIVERED)
    staff_login(client, network_admin(centre, home))

    response = client.get(reverse("notifications_deliveries"), {"report": Delivery.Report.UNKNOWN_NUMBER})

    assert [delivery.report for delivery in response.context["object_list"]] == [Delivery.Report.UNKNOWN_NUMBER]
    assert "Awa Diallo" in response.content.decode()
    assert "Accusé de réception" in response.content.decode()


def test_a_mediator_of_another_centre_does_not_see_its_sendings(client, staff_login, centre, home, failed_sms):
    staff_login(client, mediator_of_another_centre(centre, home))

    response = client.get(reverse("notifications_deliveries"))

    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert "Awa Diallo" not in response.content.decode()


def test_a_mediator_without_the_permission_is_sent_back_to_the_admins_home(
    client, staff_login, centre, home, failed_sms
):
    staff_login(client, mediator_without_the_permission(centre, home))

    response = client.get(reverse("notifications_deliveries"))

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


@pytest.mark.parametrize("viewer", [resident, None])
def test_residents_and_anonymous_visitors_are_sent_to_sign_in(client, staff_login, centre, home, failed_sms, viewer):
    if viewer is not None:
        staff_login(client, viewer(centre, home))

    response = client.get(reverse("notifications_deliveries"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('notifications_deliveries')}"


# No SMS at night.


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (paris(2026, 3, 10, 12, 0), paris(2026, 3, 10, 12, 0)),
        (paris(2026, 3, 10, 8, 0), paris(2026, 3, 10, 8, 0)),
        (paris(2026, 3, 10, 20, 59), paris(2026, 3, 10, 20, 59)),
        (paris(2026, 3, 10, 21, 0), paris(2026, 3, 11, 8, 0)),
        (paris(2026, 3, 10, 22, 30), paris(2026, 3, 11, 8, 0)),
        (paris(2026, 3, 11, 0, 30), paris(2026, 3, 11, 8, 0)),
        (paris(2026, 3, 11, 7, 59), paris(2026, 3, 11, 8, 0)),
        # The night the clocks go forward: still 8 o'clock on the wall.
        (paris(2026, 3, 28, 23, 0), paris(2026, 3, 29, 8, 0)),
    ],
)
def test_an_sms_asked_for_at_night_waits_for_eight_in_the_morning(centre, moment, due):
    person = member_of(centre, by_sms=True)

    with freeze_time(moment):
        delivery = tell(person, centre=centre).deliveries.get()

    assert delivery.channel == Channel.SMS
    assert delivery.due_at == due


def test_an_sms_of_2230_is_sent_at_8_the_next_morning_and_not_before(
    centre, sms_outbox, django_capture_on_commit_callbacks
):
    person = member_of(centre, by_sms=True)
    with freeze_time(paris(2026, 3, 10, 22, 30)) as frozen:
        with django_capture_on_commit_callbacks(execute=True):
            tell(person, centre=centre)
        assert not DBTaskResult.objects.filter(task_path="notifications.tasks.deliver").exists()

        frozen.move_to(paris(2026, 3, 10, 23, 0))
        assert deliveries.sweep() == []
        frozen.move_to(paris(2026, 3, 11, 7, 59, 59))
        assert deliveries.sweep() == []
        assert sms_outbox == []

        frozen.move_to(paris(2026, 3, 11, 8, 0))
        assert deliveries.sweep() == [Delivery.Status.SENT]

    assert [sms.to for sms in sms_outbox] == [str(person.phone)]


def test_an_sms_retry_that_falls_at_night_waits_for_the_morning(centre, sms_refused):
    person = member_of(centre, by_sms=True)

    with freeze_time(paris(2026, 3, 10, 20, 59, 30)):
        delivery = tell(person, centre=centre).deliveries.get()
        deliveries.deliver(delivery.pk)

    assert reloaded(delivery).due_at == paris(2026, 3, 11, 8, 0)
    assert reloaded(delivery).status == Delivery.Status.PENDING


def test_emails_are_not_held_at_night(centre, mailoutbox):
    person = member_of(centre)

    with freeze_time(paris(2026, 3, 10, 22, 30)):
        delivery = tell(person, centre=centre).deliveries.get()
        assert delivery.due_at == timezone.now()
        assert deliveries.sweep() == [Delivery.Status.SENT]

    assert len(mailoutbox) == 1


def test_an_email_retry_at_night_is_not_held_either(centre, email_refused):
    person = member_of(centre)

    with freeze_time(paris(2026, 3, 10, 22, 30)):
        delivery = tell(person, centre=centre).deliveries.get()
        deliveries.deliver(delivery.pk)

    assert reloaded(delivery).due_at == paris(2026, 3, 10, 22, 31)


# The centre's monthly SMS budget.


def budget_alerts(mediator):
    return Notification.objects.filter(recipient=mediator, kind=notices.SMS_BUDGET_SPENT.key)


def test_once_the_months_sms_are_spent_messages_go_by_email_and_mediators_are_told_once(frozen, centre):
    centre.sms_monthly_budget = 2
    centre.save()
    mediators = [mediator_of(centre), mediator_of(centre)]
    people = [member_of(centre, by_sms=True) for _ in range(3)]
    without_email = member_of(centre, by_sms=True, no_email=True)

    channels = [[d.channel for d in tell(person, centre=centre).deliveries.all()] for person in people]

    assert channels == [[Channel.SMS], [Channel.SMS], [Channel.EMAIL]]
    assert not tell(without_email, centre=centre).deliveries.exists()
    tell(people[0], centre=centre)
    assert Delivery.objects.filter(channel=Channel.SMS).count() == 2
    assert SmsBudgetAlert.objects.get().centre == centre
    for mediator in mediators:
        [alert] = budget_alerts(mediator)
        assert alert.text == (
            f"Le centre {centre.title} a envoyé ses 2 SMS du mois. Jusqu'au mois prochain, "
            "les messages partent par e-mail ou restent sur le site."
        )
        assert alert.url == "", "no link to the admin for a mediator without admin access (ADR 0005)"


def test_the_centre_a_notification_concerns_pays_not_the_persons_first_centre(frozen, centre, home):
    other = CentrePageFactory(parent=home, sms_monthly_budget=0)
    person = member_of(centre, by_sms=True)

    delivery = tell(person, centre=other).deliveries.get()

    assert delivery.channel == Channel.EMAIL
    assert SmsBudgetAlert.objects.get().centre == other


def test_a_new_month_in_paris_gives_the_centre_its_sms_again(centre):
    centre.sms_monthly_budget = 1
    centre.save()
    mediator = mediator_of(centre)
    person = member_of(centre, by_sms=True)

    with freeze_time(paris(2026, 3, 31, 23, 30)) as frozen:
        assert [d.channel for d in Delivery.objects.filter(notification=tell(person, centre=centre))] == ["sms"]
        assert tell(person, centre=centre).deliveries.get().channel == Channel.EMAIL
        # Ten past midnight in Paris is still March in UTC.
        frozen.move_to(paris(2026, 4, 1, 0, 10))
        april = tell(person, centre=centre).deliveries.get()
        assert (april.channel, april.due_at) == (Channel.SMS, paris(2026, 4, 1, 8, 0))
        assert tell(person, centre=centre).deliveries.get().channel == Channel.EMAIL

    assert sorted(alert.month.isoformat() for alert in SmsBudgetAlert.objects.all()) == ["2026-03-01", "2026-04-01"]
    assert budget_alerts(mediator).count() == 2


def test_failed_and_cancelled_sms_cost_nothing(frozen, centre):
    centre.sms_monthly_budget = 2
    centre.save()
    person = member_of(centre, by_sms=True)
    spent = [tell(person, centre=centre).deliveries.get() for _ in range(2)]
    Delivery.objects.filter(pk=spent[0].pk).update(status=Delivery.Status.FAILED)
    Delivery.objects.filter(pk=spent[1].pk).update(status=Delivery.Status.CANCELLED)

    assert tell(person, centre=centre).deliveries.get().channel == Channel.SMS
    assert not SmsBudgetAlert.objects.exists()


def test_a_centre_without_its_own_budget_has_the_networks(frozen, centre, settings):
    settings.SMS_MONTHLY_BUDGET = 1
    assert centre.sms_monthly_budget is None
    person = member_of(centre, by_sms=True)

    first, second = (tell(person, centre=centre).deliveries.get() for _ in range(2))

    assert (first.channel, second.channel) == (Channel.SMS, Channel.EMAIL)


# Bad or odd input, and people who leave.


def test_an_unknown_kind_is_refused_and_nothing_is_written(frozen, centre, django_capture_on_commit_callbacks):
    person = member_of(centre)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(kinds.UnknownKind):
        notify(person, "nouvelle_sorte_inconnue", TEXT, centre=centre)

    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_a_text_over_300_characters_is_cut(frozen, centre, mailoutbox):
    person = member_of(centre)
    text = "Atelier cuisine du monde : " + "x" * 400

    notification = tell(person, text, centre=centre)
    deliveries.deliver(notification.deliveries.get().pk)

    assert Notification.objects.get().text == text[:300]
    assert len(notification.text) == 300
    assert mailoutbox[0].subject == f"[Placette] {text[:79]}…"


def test_a_notification_rolled_back_with_its_cause_leaves_nothing_to_send(
    frozen, centre, django_capture_on_commit_callbacks
):
    person = member_of(centre)

    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            tell(person, centre=centre)
            raise RuntimeError("the cause failed")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("traits", [{}, {"by_sms": True}])
def test_nothing_is_sent_to_an_account_erased_before_its_delivery(centre, mailoutbox, sms_outbox, traits):
    person = member_of(centre, **traits)
    # An SMS asked for at night waits for the morning; the e-mail would go at once.
    with freeze_time(paris(2026, 3, 10, 23, 0)) as frozen:
        delivery = tell(person, centre=centre).deliveries.get()

        erase_account(person)
        frozen.move_to(paris(2026, 3, 11, 9, 0))
        statuses = deliveries.sweep()

    assert statuses == []
    assert deliveries.deliver(delivery.pk) is None
    assert not Delivery.objects.filter(pk=delivery.pk, status__in=["pending", "sending", "sent"]).exists()
    assert mailoutbox == sms_outbox == []


@pytest.mark.parametrize(("traits", "removed"), [({}, {"email": ""}), ({"by_sms": True}, {"phone": None})])
def test_a_delivery_to_an_address_removed_since_is_cancelled(frozen, centre, mailoutbox, sms_outbox, traits, removed):
    person = member_of(centre, **traits)
    delivery = tell(person, centre=centre).deliveries.get()
    for field, value in removed.items():
        setattr(person, field, value)
    person.save()

    assert deliveries.deliver(delivery.pk) == Delivery.Status.CANCELLED

    delivery = reloaded(delivery)
    assert delivery.status == Delivery.Status.CANCELLED
    assert delivery.last_error == "La personne n'a plus d'adresse pour ce canal."
    frozen.move_to(NOON + timedelta(days=1))
    assert deliveries.sweep() == []
    assert mailoutbox == sms_outbox == []


# What staff notices link to: a page each member of the team can open (ADR 0005).


def staff_notices(centre, failed_sms):
    """The centre's SMS budget runs out and an SMS is given up: both notices go to the whole team."""
    services.tell_team_sms_budget_spent(centre, timezone.now())
    services.tell_team_delivery_failed(failed_sms)
    return Notification.objects.filter(kind__in=[notices.SMS_BUDGET_SPENT.key, notices.DELIVERY_FAILED.key])


def test_a_mediator_follows_the_link_of_each_staff_notice_to_a_page_not_a_sign_in_form(client, centre, failed_sms):
    mediator = mediator_of(centre)
    notices = staff_notices(centre, failed_sms).filter(recipient=mediator)
    assert notices.count() == 2
    client.force_login(mediator)

    for notice in notices:
        response = client.get(reverse("notifications:open", args=[notice.pk]), follow=True)

        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == reverse("notifications:inbox"), notice.kind
        assert "/admin/" not in notice.url


def test_the_centres_editors_are_told_too_with_the_admin_pages_they_may_open(centre, failed_sms):
    editor = UserFactory()
    editor.groups.add(centre.team.editors)
    reader = with_admin_access(mediator_of(centre), "view_delivery")

    staff_notices(centre, failed_sms)

    urls = dict(Notification.objects.filter(recipient=editor).values_list("kind", "url"))
    assert urls == {notices.SMS_BUDGET_SPENT.key: f"/admin/pages/{centre.pk}/edit/", notices.DELIVERY_FAILED.key: ""}
    urls = dict(Notification.objects.filter(recipient=reader).values_list("kind", "url"))
    assert urls == {
        notices.SMS_BUDGET_SPENT.key: "",
        notices.DELIVERY_FAILED.key: f"{reverse('notifications_deliveries')}?status=failed",
    }
