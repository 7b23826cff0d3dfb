"""The sends `bench/ws_fanout.py` times, shared by its two triggers: inside daphne (`bench/fanout_asgi.py`) and
inside gunicorn (`bench/fanout_urls.py`, the production path). Import it once Django is set up.

Each app send says when its cause committed (`time.time()` in an on-commit callback registered before `notify()`
or `broadcast()`, so it runs first); the client compares that with its receive time on the same machine clock.
"""

import time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core import topics
from notifications import services

TEXT = "Bienvenue au centre social : vous recevrez ici les nouvelles de votre quartier."


def notify(user_id):
    """One welcome notification in its own transaction; returns its id and commit time."""
    committed = {}
    with transaction.atomic():
        recipient = get_user_model().objects.get(pk=user_id)
        transaction.on_commit(lambda: committed.setdefault("at", time.time()))
        notification = services.notify(recipient, "welcome", TEXT)
    return notification.pk, committed["at"]


def broadcast(topic, seq):
    committed = {}
    with transaction.atomic():
        transaction.on_commit(lambda: committed.setdefault("at", time.time()))
        topics.broadcast(topic, "bench", seq=seq)
    return committed["at"]


def ref_notification(key):
    """The message `push()` sends, without its row: same size, same consumer handler."""
    notification = {"id": key, "kind": "welcome", "text": TEXT, "url": "", "created": timezone.now().isoformat()}
    return {"type": "notification.message", "notification": notification, "unread": 1}


def ref_broadcast(topic, seq):
    """The message `topics.broadcast()` sends, without the transaction around it."""
    return {"type": "topic.message", "topic": topic, "event": "bench-ref", "seq": seq}
