"""The notifications socket, `/ws/notifications/`: my own notifications, and public topics any page may follow.

A signed-in person's socket joins their own group and nothing else private; any socket, signed in or
not, may follow a bounded number of public topics that exist. On (re)connection the page sends the
last id it saw and receives what it missed, so a dropped connection loses nothing.
"""

import json

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils.translation import gettext as _

from core import topics
from notifications import services

# Messages from the channel layer that only forward data to the browser, without the database.
PUSHES = {"notification.message", "topic.message", "session.ended"}


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def dispatch(self, message):
        # Channels runs close_old_connections() in its one database thread before every message: a quarter
        # of daphne's time in a broadcast to 1 000 sockets (docs/performance.md). Pushes touch no database.
        if message["type"] in PUSHES:
            await getattr(self, get_handler_name(message))(message)
        else:
            await super().dispatch(message)

    async def connect(self):
        user = self.scope.get("user")
        self.user_id = user.pk if user is not None and user.is_authenticated else None
        self.topics = set()
        if self.user_id is not None:
            await self.channel_layer.group_add(services.user_group(self.user_id), self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        groups = [topics.group_name(topic) for topic in self.topics]
        if self.user_id is not None:
            groups.append(services.user_group(self.user_id))
        for group in groups:
            await self.channel_layer.group_discard(group, self.channel_name)

    @classmethod
    async def decode_json(cls, text_data):
        # Malformed JSON gets the same answer as an unknown request instead of closing the socket.
        try:
            return json.loads(text_data)
        except ValueError:
            return None

    async def receive_json(self, content, **kwargs):
        action = content.get("type") if isinstance(content, dict) else None
        if action == "catch_up":
            await self.catch_up(content.get("after"))
        elif action == "subscribe":
            await self.subscribe(content.get("topic"))
        elif action == "unsubscribe":
            await self.unsubscribe(content.get("topic"))
        else:
            await self.send_json({"type": "error", "message": _("Demande inconnue.")})

    async def catch_up(self, after):
        if self.user_id is None:
            await self.send_json({"type": "error", "message": _("Connectez-vous pour recevoir vos notifications.")})
            return
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            after = 0
        missed, summary = await self.missed(after)
        await self.send_json({"type": "catch_up", "notifications": missed, "unread": summary["unread"]})

    @database_sync_to_async
    def missed(self, after):
        return services.missed_since(self.user_id, after), services.inbox_summary(self.user_id)

    async def subscribe(self, topic):
        if not isinstance(topic, str):
            await self.send_json({"type": "refused", "topic": None, "message": _("Sujet inconnu ou privé.")})
            return
        if topic in self.topics:
            await self.send_json({"type": "subscribed", "topic": topic})
            return
        if len(self.topics) >= settings.LIVE_TOPICS_PER_SOCKET:
            await self.send_json({"type": "refused", "topic": topic, "message": "Trop de sujets suivis."})
            return
        if not await database_sync_to_async(topics.is_public)(topic):
            await self.send_json({"type": "refused", "topic": topic, "message": _("Sujet inconnu ou privé.")})
            return
        self.topics.add(topic)
        await self.channel_layer.group_add(topics.group_name(topic), self.channel_name)
        await self.send_json({"type": "subscribed", "topic": topic})

    async def unsubscribe(self, topic):
        if isinstance(topic, str) and topic in self.topics:
            self.topics.discard(topic)
            await self.channel_layer.group_discard(topics.group_name(topic), self.channel_name)

    async def notification_message(self, event):
        await self.send_json(
            {"type": "notification", "notification": event["notification"], "unread": event["unread"]}
        )

    async def session_ended(self, event):
        # Signed out somewhere (a shared computer at the centre): every socket of this person closes, and
        # the pages reconnect with their own cookie, so only those still signed in hear their news again.
        await self.close()

    async def topic_message(self, event):
        await self.send_json({key: value for key, value in event.items() if key != "type"} | {"type": "topic"})
