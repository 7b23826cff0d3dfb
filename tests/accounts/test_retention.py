"""Personal data is kept no longer than the privacy page says: the daily task erases each kind when its time is up."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from accounts.models import ActingLog
from accounts.tasks import forget_expired_personal_data
from agenda.models import Registration
from core.scheduling import PERIODIC, enqueue_due
from echanges.models import Message, Report
from notifications.models import Delivery, Notification
from tests.accounts.factories import ActingLogFactory
from tests.agenda.factories import EventPageFactory, RegistrationFactory, first_date
from tests.echanges.factories import ConversationFactory, MessageFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import DeliveryFactory, NotificationFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def periods(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {
        "front_desk_registrations": 90,
        "acting_logs": 365,
        "messages": 730,
        "notifications": 180,
        "sms_callbacks": 90,
        "tutorial_help_requests": 90,
        "place_proposals": 365,
        "mediation_records": 3 * 365,
        "mediation_people": 3 * 365,
    }


@pytest.fixture
def frozen():
    with freeze_time(START) as frozen:
        yield frozen


def run_daily_task():
    """What the worker runs each night (accounts.tasks), called as the worker calls it."""
    return forget_expired_personal_data.call()


def test_the_daily_task_is_scheduled_once_a_day(frozen):
    assert "accounts.tasks.forget_expired_personal_data" in PERIODIC
    assert "accounts.tasks.forget_expired_personal_data" in enqueue_due()
    frozen.tick(dt.timedelta(hours=12))
    assert "accounts.tasks.forget_expired_personal_data" not in enqueue_due()


def test_a_mediators_log_goes_a_year_later(frozen):
    old = ActingLogFactory()
    frozen.tick(200 * DAY)
    recent = ActingLogFactory()

    frozen.tick(164 * DAY)
    assert run_daily_task()["acting_logs"] == 0
    frozen.tick(2 * DAY)
    assert run_daily_task()["acting_logs"] == 1

    assert list(ActingLog.objects.all()) == [recent]
    assert not ActingLog.objects.filter(pk=old.pk).exists()


def test_notifications_go_six_months_later_unless_their_message_is_still_to_send(frozen):
    read = NotificationFactory(read_at=START)
    unread = NotificationFactory()
    waiting = DeliveryFactory(notification=NotificationFactory()).notification
    sent = DeliveryFactory(status=Delivery.Status.SENT, sent_at=START)
    frozen.tick(100 * DAY)
    recent = NotificationFactory()

    frozen.tick(81 * DAY)
    assert run_daily_task()["notifications"] == 3

    assert set(Notification.objects.all()) == {waiting, recent}
    assert not Notification.objects.filter(pk__in=[read.pk, unread.pk]).exists()
    assert not Delivery.objects.filter(pk=sent.pk).exists()


def test_a_conversations_messages_go_two_years_after_its_last_one(frozen):
    quiet = ConversationFactory(last_message_at=START)
    quiet_messages = MessageFactory.create_batch(3, conversation=quiet)
    lively = ConversationFactory(last_message_at=START + 700 * DAY)
    # Old words of a conversation still going on stay with it.
    old_in_lively = MessageFactory(conversation=lively)
    frozen.tick(731 * DAY)

    assert run_daily_task()["messages"] == 3

    assert not Message.objects.filter(pk__in=[m.pk for m in quiet_messages]).exists()
    assert Message.objects.filter(pk=old_in_lively.pk).exists()
    quiet.refresh_from_db()  # the conversation and its agreements stay: the ledger rests on them


def test_a_reported_message_stays_until_the_moderators_have_dealt_with_it(frozen):
    conversation = ConversationFactory(last_message_at=START)
    message = MessageFactory(conversation=conversation)
    report = Report.objects.create(
        reporter=conversation.offer.author,
        centre=conversation.offer.centre,
        person=message.sender,
        message=message,
        reason=Report.Reason.RUDE,
    )
    frozen.tick(731 * DAY)

    assert run_daily_task()["messages"] == 0
    assert Message.objects.filter(pk=message.pk).exists()

    report.status = Report.Status.CLOSED
    report.save()
    assert run_daily_task()["messages"] == 1
    assert not Message.objects.filter(pk=message.pk).exists()


def test_a_front_desk_name_and_phone_go_three_months_after_the_activity_the_row_stays(frozen):
    occurrence = first_date(EventPageFactory(parent=CentrePageFactory()))
    walk_in = RegistrationFactory(occurrence=occurrence, name="Mme Leroy", phone="+33612345678")
    online = RegistrationFactory(occurrence=occurrence, person=NotificationFactory().recipient)

    frozen.move_to(occurrence.end + 89 * DAY)
    assert run_daily_task()["front_desk_registrations"] == 0
    frozen.move_to(occurrence.end + 91 * DAY)
    assert run_daily_task()["front_desk_registrations"] == 1
    # Done once: the next night finds nothing more to erase.
    assert run_daily_task()["front_desk_registrations"] == 0

    walk_in.refresh_from_db()
    assert (walk_in.name, str(walk_in.phone), walk_in.status) == ("Nom effacé", "", Registration.Status.CONFIRMED)
    online.refresh_from_db()
    assert online.person is not None


def test_a_dry_run_counts_and_erases_nothing(frozen):
    ActingLogFactory()
    NotificationFactory()
    frozen.tick(400 * DAY)
    out = io.StringIO()

    call_command("forget_expired_data", "--dry-run", stdout=out)

    assert "Ce qu'un médiateur a fait pour un habitant : 1" in out.getvalue()
    assert "Les notifications, lues ou non : 1" in out.getvalue()
    assert "2 élément(s) seraient effacés, rien n'a été effacé" in out.getvalue()
    assert ActingLog.objects.count() == 1
    assert Notification.objects.count() == 1

    call_command("forget_expired_data", stdout=out)
    assert "Terminé : 2 élément(s) effacé(s)." in out.getvalue()
    assert ActingLog.objects.count() == Notification.objects.count() == 0


def test_the_privacy_page_says_each_period_the_worker_applies(client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {**settings.PERSONAL_DATA_RETENTION_DAYS, "notifications": 120}

    page = client.get(reverse("accounts:privacy")).content.decode()

    assert "Ce qu&#x27;un médiateur a fait pour un habitant : effacé 1 an après." in page
    assert "Les notifications, lues ou non : effacées 4 mois après." in page
    assert "inscrite à l&#x27;accueil, sans compte : effacés 3 mois après l&#x27;activité." in page
    assert "Les messages d&#x27;une conversation d&#x27;échange : effacés 2 ans après son dernier message." in page
