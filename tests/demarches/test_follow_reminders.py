"""Reminders of the procedures people follow: each goes once, `days_before` the deadline closes, by the person's
channel (a front-desk contact by SMS), within the SMS budget and quiet hours, never to a number that said STOP
nor for a deadline already closed."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone
from freezegun import freeze_time

from core.scheduling import PERIODIC
from demarches import notices, services, tasks
from demarches.models import FollowReminder
from home.templatetags.french import plain
from notifications import deliveries, sms_numbers
from notifications.models import Channel, Delivery, Notification, SmsBudgetAlert, SmsNumber
from notifications.sms.parts import gsm_only, measure
from tests.accounts.factories import mediator_of
from tests.concurrency import at_once, unexpected
from tests.conftest import network_home
from tests.demarches.factories import ContactFactory, FollowFactory, ProcedureFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of

pytestmark = pytest.mark.django_db

D = dt.date


def at(moment):
    """A local time in Paris, as the worker's clock would read it."""
    return timezone.make_aware(dt.datetime.fromisoformat(moment))


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Lille-Sud")


@pytest.fixture
def actualisation():
    """Every month from the 1st to the 15th; written ahead from the 6th of December."""
    with freeze_time("2026-12-06 09:00"):
        return ProcedureFactory(name="Actualisation France Travail", slug="actualisation-france-travail")


@pytest.fixture
def contact(centre, actualisation):
    person = ContactFactory(centre=centre, name="Fatima", phone="+33612345678")
    FollowFactory(contact=person, procedure=actualisation)
    return person


def send(moment, django_capture_on_commit_callbacks):
    with freeze_time(at(moment)), django_capture_on_commit_callbacks(execute=True):
        return services.send_due_follow_reminders()


def texts():
    return list(Delivery.objects.filter(notification__isnull=True).order_by("pk"))


def test_the_reminder_task_runs_each_morning():
    periodic = PERIODIC[tasks.send_follow_reminders.module_path]

    assert (periodic.every, periodic.at) == (dt.timedelta(days=1), dt.time(9, 0))


def test_a_contact_is_texted_a_week_before_the_deadline_closes_once_however_many_runs(
    contact, actualisation, django_capture_on_commit_callbacks, sms_outbox
):
    assert send("2026-12-07 09:00", django_capture_on_commit_callbacks) == 0  # 8 days before the 15th

    assert send("2026-12-08 09:00", django_capture_on_commit_callbacks) == 1
    assert send("2026-12-08 09:00", django_capture_on_commit_callbacks) == 0
    assert send("2026-12-09 09:00", django_capture_on_commit_callbacks) == 0

    (delivery,) = texts()
    deadline = actualisation.deadlines.get(closes_on=D(2026, 12, 15))
    follow = contact.follows.get()
    assert delivery.idempotency_key == f"follow-{follow.pk}-deadline-{deadline.pk}"
    assert (delivery.to, delivery.centre, delivery.channel) == ("+33612345678", contact.centre, Channel.SMS)
    # The longest wording that fits one SMS here ("Aide :" goes too when the procedure's id is longer).
    assert delivery.text.startswith("Rappel : Actualisation France Travail, avant le 15 décembre. ")
    assert delivery.text.endswith(f" http://127.0.0.1:8000/demarches/d/{actualisation.pk}/")
    assert measure(sms_numbers.with_stop(delivery.text, delivery.to)).parts == 1
    assert FollowReminder.objects.get().deadline == deadline
    with freeze_time(at("2026-12-08 09:01")):
        deliveries.sweep()
    assert len(sms_outbox) == 1
    assert sms_outbox[0].body.startswith(delivery.text + "\nSTOP : répondez STOP ou ")


def test_a_typical_reminder_is_one_sms_in_the_gsm_alphabet_stop_line_included(centre, actualisation):
    deadline = actualisation.deadlines.get(closes_on=D(2026, 12, 15))
    text = notices.contact_sms(deadline, centre, f"/demarches/d/{actualisation.pk}/", D(2026, 12, 8))

    sent = measure(sms_numbers.with_stop(text, "+33612345678"))

    assert (sent.parts, sent.unicode) == (1, False)


def test_a_short_name_keeps_the_centres_name_and_a_window_to_come_says_when_it_opens(home, actualisation):
    centre = CentrePageFactory(parent=home, title="CS Lille-Sud")
    open_now = actualisation.deadlines.get(closes_on=D(2026, 12, 15))
    to_come = actualisation.deadlines.get(closes_on=D(2027, 2, 15))
    actualisation.name = "CAF"
    open_now.procedure = to_come.procedure = actualisation

    with freeze_time("2026-12-08 09:00"):
        now = notices.contact_sms(open_now, centre, "/demarches/d/1/", D(2026, 12, 8))
    with freeze_time("2027-01-20 09:00"):
        later = notices.contact_sms(to_come, centre, "/demarches/d/1/", D(2027, 1, 20))

    assert (
        now
        == "Rappel : CAF, à faire avant le 15 décembre. Aide au CS Lille-Sud : http://127.0.0.1:8000/demarches/d/1/"
    )
    assert later.startswith("Rappel : CAF, à faire du 1er février au 15 février. Aide")


def test_a_long_name_still_goes_in_two_parts_rather_than_cut(centre, actualisation):
    deadline = actualisation.deadlines.get(closes_on=D(2026, 12, 15))
    deadline.procedure.name = "Demande de logement social : renouvellement annuel de la demande " * 2

    text = notices.contact_sms(deadline, centre, "/demarches/d/1/", D(2026, 12, 8))

    assert text.startswith("Rappel : Demande de logement social") and text.endswith("/demarches/d/1/")
    assert measure(sms_numbers.with_stop(text, "+33612345678")).parts == 2


def test_letters_outside_the_gsm_alphabet_are_written_plainly_not_sent_as_unicode():
    assert gsm_only(plain("Bourse de collège, lycée ; fenêtre « ouverte » — l’été, août, cœur 😀")) == (
        'Bourse de collège, lycée ; fenetre "ouverte" - l\'été, aout, coeur '
    )
    assert not measure(gsm_only(plain("ça, Noël, hôtel, maïs, où"))).unicode


def test_a_resident_is_told_by_their_own_channel_with_a_link_to_the_procedure(
    centre, actualisation, django_capture_on_commit_callbacks
):
    by_mail = member_of(centre)
    on_site = member_of(centre, site_only=True)
    FollowFactory(user=by_mail, procedure=actualisation, days_before=14)
    FollowFactory(user=on_site, procedure=actualisation, days_before=14)

    assert send("2026-12-06 09:00", django_capture_on_commit_callbacks) == 2
    assert send("2026-12-07 09:00", django_capture_on_commit_callbacks) == 0

    told = Notification.objects.filter(kind=notices.REMINDER.key)
    assert sorted(told.values_list("recipient", flat=True)) == sorted([by_mail.pk, on_site.pk])
    notice = told.get(recipient=by_mail)
    assert notice.text == "Rappel : « Actualisation France Travail », à faire avant le mardi 15\u00a0décembre."
    assert notice.url == actualisation.get_absolute_url()
    assert list(notice.deliveries.values_list("channel", flat=True)) == [Channel.EMAIL]
    assert not told.get(recipient=on_site).deliveries.exists()


def test_a_resident_by_sms_goes_through_the_budget_and_stop_of_notify(
    centre, actualisation, django_capture_on_commit_callbacks
):
    resident = member_of(centre, by_sms=True)
    FollowFactory(user=resident, procedure=actualisation)
    sms_numbers.stop(str(resident.phone), how=SmsNumber.How.SMS)

    send("2026-12-08 09:00", django_capture_on_commit_callbacks)

    notice = Notification.objects.get(recipient=resident)
    assert list(notice.deliveries.values_list("channel", flat=True)) == [Channel.EMAIL]


def test_at_night_the_sms_waits_for_the_end_of_the_quiet_hours(contact, django_capture_on_commit_callbacks):
    assert send("2026-12-08 22:00", django_capture_on_commit_callbacks) == 1

    (delivery,) = texts()
    assert delivery.due_at == at("2026-12-09 08:00")
    assert delivery.status == Delivery.Status.PENDING


def test_a_spent_budget_sends_nothing_tells_the_team_once_and_the_reminder_goes_when_it_allows(
    centre, contact, django_capture_on_commit_callbacks
):
    mediator = mediator_of(centre)
    centre.sms_monthly_budget = 0
    centre.save()

    assert send("2026-12-08 09:00", django_capture_on_commit_callbacks) == 0
    assert send("2026-12-09 09:00", django_capture_on_commit_callbacks) == 0

    assert not texts() and not FollowReminder.objects.exists()
    assert SmsBudgetAlert.objects.filter(centre=centre).count() == 1
    assert Notification.objects.filter(recipient=mediator).count() == 1

    centre.sms_monthly_budget = 10
    centre.save()
    assert send("2026-12-10 09:00", django_capture_on_commit_callbacks) == 1
    assert len(texts()) == 1


def test_a_number_that_said_stop_gets_nothing_queued(contact, django_capture_on_commit_callbacks):
    sms_numbers.stop(contact.phone, how=SmsNumber.How.LINK)

    assert send("2026-12-08 09:00", django_capture_on_commit_callbacks) == 0

    assert not texts() and not FollowReminder.objects.exists()


def test_closed_deadlines_are_never_reminded_but_a_missed_day_is_caught_up_while_open(
    centre, django_capture_on_commit_callbacks
):
    with freeze_time("2026-12-01 09:00"):
        school = ProcedureFactory(
            dated=True,
            name="Inscription cantine",
            periods=[(D(2026, 12, 1), D(2026, 12, 5)), (D(2026, 12, 1), D(2026, 12, 20))],
        )
    person = ContactFactory(centre=centre)
    FollowFactory(contact=person, procedure=school, days_before=7)

    # The worker was stopped from the 1st to the 18th: the window of the 5th is over, the one of the 20th is not.
    assert send("2026-12-18 09:00", django_capture_on_commit_callbacks) == 1

    assert FollowReminder.objects.get().deadline.closes_on == D(2026, 12, 20)
    assert "avant le 20 décembre" in texts()[0].text


def test_the_last_day_says_so(contact, django_capture_on_commit_callbacks):
    send("2026-12-15 09:00", django_capture_on_commit_callbacks)

    assert texts()[0].text.startswith("Rappel : Actualisation France Travail, dernier jour aujourd'hui.")


def test_a_worker_dying_before_its_commit_leaves_nothing_and_the_next_run_sends_it_once(
    contact, django_capture_on_commit_callbacks, sms_outbox
):
    with mock.patch.object(services, "queue_texts", side_effect=SystemExit), pytest.raises(SystemExit):
        send("2026-12-08 09:00", django_capture_on_commit_callbacks)
    assert not FollowReminder.objects.exists() and not texts()

    send("2026-12-08 09:05", django_capture_on_commit_callbacks)
    send("2026-12-08 09:10", django_capture_on_commit_callbacks)

    assert FollowReminder.objects.count() == 1 and len(texts()) == 1
    with freeze_time(at("2026-12-08 10:00")):
        deliveries.sweep()
        deliveries.sweep()
    assert len(sms_outbox) == 1


def test_a_reminder_already_written_is_not_written_again_even_if_asked_directly(
    contact, django_capture_on_commit_callbacks
):
    with freeze_time(at("2026-12-08 09:00")):
        (pair,) = services.due_reminders(D(2026, 12, 8))
        now = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            assert services.send_follow_reminder(*pair, now) == 1
            # A second worker that read the same list before the first one wrote.
            assert services.send_follow_reminder(*pair, now) == 0

    assert len(texts()) == 1


def test_the_same_person_following_two_procedures_gets_one_reminder_each(
    centre, contact, django_capture_on_commit_callbacks
):
    with freeze_time("2026-12-06 09:00"):
        other = ProcedureFactory(name="Déclaration CAF", opens_day=1, closes_day=10)
    FollowFactory(contact=contact, procedure=other, days_before=3)

    assert send("2026-12-08 09:00", django_capture_on_commit_callbacks) == 2

    assert sorted(delivery.text.split(",")[0] for delivery in texts()) == [
        "Rappel : Actualisation France Travail",
        "Rappel : Déclaration CAF",
    ]


def test_the_due_reminders_are_found_in_a_fixed_number_of_queries(
    centre, actualisation, django_assert_max_num_queries
):
    for _ in range(10):
        FollowFactory(contact=ContactFactory(centre=centre), procedure=actualisation)
        FollowFactory(user=member_of(centre), procedure=actualisation, days_before=14)

    with django_assert_max_num_queries(len(services.Follow.DaysBefore.values)):
        due = services.due_reminders(D(2026, 12, 8))

    assert len(due) == 20


def test_a_contact_erased_or_no_longer_following_gets_none_of_the_reminders_waiting_for_the_morning(
    centre, contact, actualisation, django_capture_on_commit_callbacks, sms_outbox
):
    other = ContactFactory(centre=centre)
    FollowFactory(contact=other, procedure=actualisation)
    send("2026-12-08 22:00", django_capture_on_commit_callbacks)  # both wait for 8:00
    mediator = mediator_of(centre)

    services.delete_contact(contact, by=mediator)
    services.save_contact(
        centre,
        by=mediator,
        contact=other,
        name=other.name,
        phone=other.phone,
        procedures=[ProcedureFactory()],
        days_before=7,
        accepts_campaigns=False,
    )
    with freeze_time(at("2026-12-09 08:30")):
        deliveries.sweep()

    assert sms_outbox == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.CANCELLED}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_send_each_reminder_once():
    centre = CentrePageFactory(parent=network_home())
    with freeze_time("2026-12-06 09:00"):
        procedure = ProcedureFactory(name="Actualisation France Travail")
    FollowFactory(contact=ContactFactory(centre=centre), procedure=procedure)
    resident = member_of(centre)
    FollowFactory(user=resident, procedure=procedure)

    with freeze_time(at("2026-12-08 09:00")):
        outcomes = at_once(*[services.send_due_follow_reminders for _ in range(4)])

    assert unexpected(outcomes) == []
    assert sum(outcomes) == 2
    assert FollowReminder.objects.count() == 2
    assert len(texts()) == 1
    assert Notification.objects.filter(recipient=resident, kind=notices.REMINDER.key).count() == 1
