"""Public live topics: a page shows a centre or an occurrence and follows its public changes over the socket.

Each app registers the topics it owns with a check that says whether a given one exists and is public;
the socket refuses every other name. Only public facts are ever broadcast (seats left, cancelled).
"""

import logging
import re

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

TOPICS = {}
TOPIC = re.compile(r"^(?P<name>[a-z_]{1,30})\.(?P<pk>[1-9][0-9]{0,17})$")


def register(name, is_public):
    """`is_public(pk)` answers, from the database, whether that topic exists and anyone may follow it."""
    TOPICS[name] = is_public


def parse(topic):
    """("centre", 12) for "centre.12", or None for anything that is not a registered topic's name."""
    match = TOPIC.match(topic) if isinstance(topic, str) else None
    if match is None or match["name"] not in TOPICS:
        return None
    return match["name"], int(match["pk"])


def is_public(topic):
    parsed = parse(topic)
    return parsed is not None and TOPICS[parsed[0]](parsed[1])


def group_name(topic):
    return f"topic.{topic}"


def broadcast(topic, event, **data):
    """After the current transaction commits, tell every page following `topic` that `event` happened."""
    message = {"type": "topic.message", "topic": topic, "event": event, **data}
    transaction.on_commit(lambda: send_to_group(group_name(topic), message), robust=True)


def send_to_group(group, message):
    """Send over the channel layer; a failure is logged, never raised."""
    try:
        async_to_sync(get_channel_layer().group_send)(group, message)
    # Whatever the channel layer raises (Redis down, a full channel), what caused the message is
    # committed and the page shows it on its next load: a live update must never fail the request.
    except Exception:
        logger.warning("Live message to %s not sent", group, exc_info=True)
