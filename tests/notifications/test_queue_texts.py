"""SMS to numbers without an account (notifications.services.queue_texts): once per key, never to a number that
said STOP, never at night, and counted in parts against the centre's monthly budget."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from notifications import deliveries, sms_numbers
from notifications.models import Channel, Delivery, SmsNumber
from notifications.services import Text, queue_texts, sms_budget_left, sms_parts, sms_used
from notifications.sms import SmsMessage
from notifications.tasks import deliver_many
from tests.factories import CentrePageFactory
from tests.notifications.factories import TextDeliveryFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=PARIS)
TEXT = "Atelier CAF jeudi 14 h au centre social."


def paris(*moment):
    return datetime(*moment, tzinfo=PARIS)


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home)


@pytest.fixture
def frozen():
    with freeze_time(NOON) as frozen:
        yield frozen


def queued_tasks():
    """The SMS handed to the worker: one task for each batch queued together, with the batch's ids."""
    batches = DBTaskResult.objects.filter(task_path="notifications.tasks.deliver_many")
    return sum(len(batch.args_kwargs["args"][0]) for batch in batches)


def test_each_text_becomes_one_sms_delivery_for_its_number(frozen, centre, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ids = queue_texts(
            [Text("+33611111111", TEXT, "rappel-1-a"), Text("+33622222222", TEXT + " Répondez OUI.", "rappel-1-b")],
            centre=centre,
        )

    rows = Delivery.objects.filter(pk__in=ids).order_by("to")
    assert [(row.to, row.channel, row.centre, row.status, row.due_at, row.notification) for row in rows] == [
        ("+33611111111", Channel.SMS, centre, Delivery.Status.PENDING, NOON, None),
        ("+33622222222", Channel.SMS, centre, Delivery.Status.PENDING, NOON, None),
    ]
    assert [row.parts for row in rows] == [sms_parts(TEXT), sms_parts(TEXT + " Répondez OUI.")]
    assert queued_tasks() == 2, "due now: handed to the worker after commit"
    assert DBTaskResult.objects.filter(task_path="notifications.tasks.deliver_many").count() == 1, "one for the batch"


def test_the_batch_task_sends_each_sms_once_even_run_twice(frozen, centre, sms_outbox):
    ids = queue_texts([Text(f"+3361111111{n}", TEXT, f"lot-{n}") for n in range(3)], centre=centre)

    assert deliver_many.call(ids) == [Delivery.Status.SENT] * 3
    assert deliver_many.call(ids) == [None] * 3
    assert sorted(message.to for message in sms_outbox) == [f"+3361111111{n}" for n in range(3)]


def test_a_key_already_queued_is_not_queued_again(frozen, centre):
    first = queue_texts([Text("+33611111111", TEXT, "rappel-1-a")], centre=centre)

    again = queue_texts(
        [Text("+33611111111", "Autre texte", "rappel-1-a"), Text("+33622222222", TEXT, "rappel-1-b")], centre=centre
    )

    assert first[0] in again
    assert Delivery.objects.count() == 2
    assert Delivery.objects.get(idempotency_key="rappel-1-a").text == TEXT


def test_a_number_that_said_stop_gets_nothing(frozen, centre):
    sms_numbers.stop("+33611111111", how=SmsNumber.How.SMS)

    ids = queue_texts(
        [Text("+33611111111", TEXT, "rappel-1-a"), Text("+33622222222", TEXT, "rappel-1-b")], centre=centre
    )

    assert list(Delivery.objects.filter(pk__in=ids).values_list("to", flat=True)) == ["+33622222222"]


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        (paris(2026, 3, 10, 22, 30), paris(2026, 3, 11, 8, 0)),
        (paris(2026, 3, 11, 6, 0), paris(2026, 3, 11, 8, 0)),
        (paris(2026, 3, 10, 20, 59), paris(2026, 3, 10, 20, 59)),
    ],
)
def test_no_sms_leaves_at_night(centre, django_capture_on_commit_callbacks, asked, due):
    with freeze_time(asked), django_capture_on_commit_callbacks(execute=True):
        [pk] = queue_texts([Text("+33611111111", TEXT, "rappel-nuit")], centre=centre)

    assert Delivery.objects.get(pk=pk).due_at == due
    assert queued_tasks() == (1 if due == asked else 0), "what waits for the morning is left to the sweep"


def test_a_text_queued_for_later_waits_for_its_time(frozen, centre, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [pk] = queue_texts([Text("+33611111111", TEXT, "plus-tard")], centre=centre, due_at=paris(2026, 3, 12, 9, 0))

    assert Delivery.objects.get(pk=pk).due_at == paris(2026, 3, 12, 9, 0)
    assert queued_tasks() == 0


def test_the_sms_leaves_with_the_stop_line_and_its_reference(frozen, centre, sms_outbox):
    [pk] = queue_texts([Text("+33611111111", TEXT, "rappel-1-a")], centre=centre)

    assert deliveries.deliver(pk) == Delivery.Status.SENT

    code = SmsNumber.objects.get(phone="+33611111111").code
    assert sms_outbox == [
        SmsMessage("+33611111111", f"{TEXT}\nSTOP : répondez STOP ou http://127.0.0.1:8000/s/{code}")
    ]
    assert sms_outbox[0].reference == "rappel-1-a@127.0.0.1"


def test_the_budget_counts_parts_and_not_what_never_left(frozen, centre):
    centre.sms_monthly_budget = 5
    centre.save()
    long_text = "a" * 200
    queue_texts([Text("+33611111111", long_text, "long"), Text("+33622222222", TEXT, "court")], centre=centre)
    TextDeliveryFactory(centre=centre, parts=3, status=Delivery.Status.CANCELLED, sent_at=None)
    TextDeliveryFactory(centre=centre, parts=3, status=Delivery.Status.FAILED, sent_at=None)

    assert sms_parts(long_text) == 2
    assert sms_used(centre, NOON) == sms_parts(long_text) + sms_parts(TEXT) == 3
    assert sms_budget_left(centre, NOON)

    queue_texts([Text("+33633333333", long_text, "encore")], centre=centre)

    assert sms_used(centre, NOON) == 5
    assert not sms_budget_left(centre, NOON)


def test_last_months_sms_are_not_counted(centre):
    with freeze_time(paris(2026, 2, 27, 12, 0)):
        queue_texts([Text("+33611111111", "a" * 200, "fevrier")], centre=centre)

    assert sms_used(centre, NOON) == 0
