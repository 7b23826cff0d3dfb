"""The notifications socket through the real ASGI stack: who receives what, public topics, catch-up.

Each test runs on the in-memory channel layer and, when REDIS_URL is set, again on channels-redis.
"""

import asyncio
import os

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from accounts.services import erase_account
from notifications.models import Notification
from notifications.services import notify
from quartier.models import CentrePage
from tests.factories import CentrePageFactory, UserFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

LAYERS = {
    "memory": {"BACKEND": "channels.layers.InMemoryChannelLayer"},
    "redis": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [{"address": settings.REDIS_URL, "max_connections": 1000, "socket_timeout": None}]},
    },
}
# Nothing arrives within this, when nothing should; a received message comes well before.
SILENCE = 0.3


@pytest.fixture(params=list(LAYERS))
def channel_layer(request):
    if request.param == "redis" and not settings.REDIS_URL:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but REDIS_URL is not set")
        pytest.skip("Redis requis (REDIS_URL)")
    with override_settings(CHANNEL_LAYERS={"default": LAYERS[request.param]}):
        yield request.param


@pytest.fixture
def application(channel_layer):
    from placette.asgi import application

    return application


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_socket(application, user=None, *, origin=b"http://localhost"):
    headers = [(b"origin", origin), (b"host", b"localhost")]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@database_sync_to_async
def notify_committed(user, text="Karim a répondu à votre offre."):
    with transaction.atomic():
        return notify(user, "welcome", text, url="/notifications/")


@database_sync_to_async
def notify_rolled_back(user):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(user, "welcome", "Jamais envoyée.")
        raise RuntimeError("the cause failed")


async def nothing_arrives(communicator):
    assert await communicator.receive_nothing(timeout=SILENCE)


@pytest.fixture
def people(db):
    return UserFactory(display_name="Fatou"), UserFactory(display_name="Karim")


async def test_a_committed_notification_reaches_its_recipient_and_nobody_else(application, people):
    fatou, karim = people
    fatou_socket = await open_socket(application, fatou)
    karim_socket = await open_socket(application, karim)
    anonymous_socket = await open_socket(application)

    notification = await notify_committed(fatou)

    message = await fatou_socket.receive_json_from(timeout=2)
    assert message["type"] == "notification"
    assert message["notification"]["id"] == notification.pk
    assert message["notification"]["text"] == "Karim a répondu à votre offre."
    assert message["unread"] == 1
    await nothing_arrives(karim_socket)
    await nothing_arrives(anonymous_socket)
    for socket in (fatou_socket, karim_socket, anonymous_socket):
        await socket.disconnect()


async def test_a_rolled_back_transaction_pushes_nothing_and_keeps_nothing(application, people):
    fatou, _karim = people
    socket = await open_socket(application, fatou)

    await notify_rolled_back(fatou)

    await nothing_arrives(socket)
    assert not await Notification.objects.filter(recipient=fatou).aexists()
    await socket.disconnect()


async def test_a_socket_from_a_foreign_origin_is_refused_even_signed_in(application, people):
    fatou, _karim = people
    communicator = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[
            (b"origin", b"https://ailleurs.example"),
            (b"host", b"localhost"),
            (b"cookie", await database_sync_to_async(session_cookie)(fatou)),
        ],
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_nobody_can_join_someone_elses_group(application, people):
    fatou, karim = people
    socket = await open_socket(application, karim)

    for attempt in ({"type": "subscribe", "topic": f"user.{fatou.pk}"}, {"type": "subscribe", "topic": "user"}):
        await socket.send_json_to(attempt)
        assert (await socket.receive_json_from())["type"] == "refused"
    await notify_committed(fatou)

    await nothing_arrives(socket)
    await socket.disconnect()


async def test_catch_up_after_reconnecting_returns_what_was_missed_in_order(application, people):
    fatou, _karim = people
    socket = await open_socket(application, fatou)
    seen = await notify_committed(fatou, "Première.")
    assert (await socket.receive_json_from(timeout=2))["notification"]["id"] == seen.pk
    await socket.disconnect()

    missed = [await notify_committed(fatou, text) for text in ("Deuxième.", "Troisième.")]

    socket = await open_socket(application, fatou)
    await socket.send_json_to({"type": "catch_up", "after": seen.pk})
    answer = await socket.receive_json_from()
    assert answer["type"] == "catch_up"
    assert [n["id"] for n in answer["notifications"]] == [n.pk for n in missed]
    assert [n["text"] for n in answer["notifications"]] == ["Deuxième.", "Troisième."]
    assert answer["unread"] == 3
    await socket.disconnect()


async def test_catch_up_gives_nothing_to_an_anonymous_socket(application, people):
    fatou, _karim = people
    await notify_committed(fatou)
    socket = await open_socket(application)

    await socket.send_json_to({"type": "catch_up", "after": 0})

    answer = await socket.receive_json_from()
    assert answer["type"] == "error"
    assert "notifications" not in answer
    await socket.disconnect()


@pytest.mark.parametrize("after", [None, "12", -5, True, [1]])
async def test_catch_up_with_a_strange_last_id_starts_from_the_beginning(application, people, after):
    fatou, _karim = people
    notification = await notify_committed(fatou)
    socket = await open_socket(application, fatou)

    await socket.send_json_to({"type": "catch_up", "after": after})

    answer = await socket.receive_json_from()
    assert [n["id"] for n in answer["notifications"]] == [notification.pk]
    await socket.disconnect()


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre")


@database_sync_to_async
def publish_new_version(centre):
    centre = CentrePage.objects.get(pk=centre.pk)
    centre.introduction = "Nouveaux horaires à partir de lundi."
    centre.save_revision().publish()


async def test_an_anonymous_page_follows_a_public_centre_and_hears_its_changes(application, centre):
    socket = await open_socket(application)
    await socket.send_json_to({"type": "subscribe", "topic": f"centre.{centre.pk}"})
    assert await socket.receive_json_from() == {"type": "subscribed", "topic": f"centre.{centre.pk}"}

    await publish_new_version(centre)

    message = await socket.receive_json_from(timeout=2)
    assert message["type"] == "topic"
    assert message["topic"] == f"centre.{centre.pk}"
    assert message["event"] == "updated"
    assert "Rechargez-la" in message["message"]
    await socket.disconnect()


async def test_a_page_that_does_not_follow_a_centre_hears_nothing_of_it(application, centre):
    socket = await open_socket(application)

    await publish_new_version(centre)

    await nothing_arrives(socket)
    await socket.disconnect()


@pytest.fixture
def hidden_centres(home):
    draft = CentrePageFactory(parent=home, live=False)
    private = CentrePageFactory(parent=home)
    private.view_restrictions.create(restriction_type="login")
    return draft, private


@pytest.mark.parametrize(
    "topic",
    ["centre.999999", "centre.0", "centre.abc", "occurrence.1", "centre", "", "centre.1.2", None, 12, ["centre.1"]],
)
async def test_only_existing_public_topics_can_be_followed(application, centre, topic):
    socket = await open_socket(application)

    await socket.send_json_to({"type": "subscribe", "topic": topic})

    answer = await socket.receive_json_from()
    assert answer["type"] == "refused"
    await socket.disconnect()


async def test_drafts_and_private_centres_cannot_be_followed(application, hidden_centres):
    socket = await open_socket(application)
    for centre in hidden_centres:
        await socket.send_json_to({"type": "subscribe", "topic": f"centre.{centre.pk}"})
        assert (await socket.receive_json_from())["type"] == "refused"
    await socket.disconnect()


async def test_a_socket_follows_a_bounded_number_of_topics(application, home):
    centres = await database_sync_to_async(lambda: [CentrePageFactory(parent=home) for _ in range(3)])()
    socket = await open_socket(application)

    with override_settings(LIVE_TOPICS_PER_SOCKET=2):
        answers = []
        for centre in centres:
            await socket.send_json_to({"type": "subscribe", "topic": f"centre.{centre.pk}"})
            answers.append((await socket.receive_json_from())["type"])

    assert answers == ["subscribed", "subscribed", "refused"]
    await socket.disconnect()


async def test_a_malformed_message_is_answered_and_the_socket_stays_open(application, people):
    fatou, _karim = people
    socket = await open_socket(application, fatou)

    await socket.send_to(text_data="{pas du json")
    assert (await socket.receive_json_from())["type"] == "error"
    await socket.send_json_to({"type": "delete_everything"})
    assert (await socket.receive_json_from())["type"] == "error"

    notification = await notify_committed(fatou)
    assert (await socket.receive_json_from(timeout=2))["notification"]["id"] == notification.pk
    await socket.disconnect()


async def test_many_notifications_at_once_all_arrive(application, people):
    fatou, _karim = people
    socket = await open_socket(application, fatou)

    sent = await asyncio.gather(*(notify_committed(fatou, f"Message {number}.") for number in range(5)))

    received = {(await socket.receive_json_from(timeout=2))["notification"]["id"] for _ in sent}
    assert received == {notification.pk for notification in sent}
    await socket.disconnect()


@database_sync_to_async
def sign_out(user):
    client = Client()
    client.force_login(user)
    client.post(reverse("account_logout"))


@database_sync_to_async
def erase(user):
    erase_account(user)


async def closed(communicator):
    return (await communicator.receive_output(timeout=2))["type"] == "websocket.close"


async def test_signing_out_closes_that_persons_sockets_and_no_one_elses(application, people):
    fatou, karim = people
    fatou_socket = await open_socket(application, fatou)
    karim_socket = await open_socket(application, karim)

    await sign_out(fatou)

    assert await closed(fatou_socket)
    await nothing_arrives(karim_socket)
    await karim_socket.disconnect()


async def test_a_page_signed_out_reconnects_anonymous_and_hears_nothing_private(application, people):
    fatou, _karim = people
    await sign_out(fatou)
    socket = await open_socket(application)  # the page's cookie no longer signs anyone in

    await notify_committed(fatou)

    await nothing_arrives(socket)
    await socket.disconnect()


async def test_erasing_an_account_closes_its_sockets(application, people):
    fatou, _karim = people
    socket = await open_socket(application, fatou)

    await erase(fatou)

    assert await closed(socket)
