"""Public live topics: a page shows a centre or an occurrence and follows its public changes over the socket.

Each app registers the topics it owns with a check that says whether a given one exists and is public;
the socket refuses every other name. Only public facts are ever broadcast (seats left, cancelled).
"""

import asyncio
import logging
import os
import re
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
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


# A send that Redis has not acknowledged by then is given up (and logged): the request goes on.
SEND_TIMEOUT_SECONDS = 5
_sending = {"pid": None, "loop": None}
_sending_lock = threading.Lock()


def _sending_loop():
    """This process's event loop for sends from synchronous code, running in a thread of its own.

    From a gunicorn worker, `async_to_sync` would make a new event loop for each send, and channels-redis keeps
    its connections per loop: each notification paid for a new Redis connection (4.5 ms a send, against 0.1 ms
    for a Redis command). One loop per process keeps them. A forked process makes its own.
    """
    with _sending_lock:
        if _sending["pid"] != os.getpid():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="placette-live-sends", daemon=True).start()
            _sending.update(pid=os.getpid(), loop=loop)
        return _sending["loop"]


def group_send(group, message):
    """Send `message` to `group` over the channel layer, from synchronous code (a view, a service, the worker)."""
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        # Its queues belong to the server's loop, which async_to_sync reaches from a request's thread.
        async_to_sync(layer.group_send)(group, message)
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), _sending_loop())
    future.result(timeout=SEND_TIMEOUT_SECONDS)


def send_to_group(group, message):
    """Send over the channel layer; a failure is logged, never raised."""
    try:
        group_send(group, message)
    # Whatever the channel layer raises (Redis down, a full channel), what caused the message is
    # committed and the page shows it on its next load: a live update must never fail the request.
    except Exception:
        logger.warning("Live message to %s not sent", group, exc_info=True)
