"""Bench-only URLs: Placette's, plus the triggers `ws_fanout.py --production-path` calls through Caddy.

They run in gunicorn, where a page that notifies someone runs: `notify()` commits there, and its on-commit
`push()` crosses Redis to whichever daphne holds the person's socket. One send per request, so the client
keeps the schedule (open loop) and gunicorn's workers take the requests as they would take page actions.
The "ref" sends are the same messages by a bare `group_send` from gunicorn: no row, no transaction.
"""

import json
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bench import fanout_sends
from core import topics
from notifications import services
from placette.urls import urlpatterns as site

NOTIFY_PATH = "/banc/notifier/"
BROADCAST_PATH = "/banc/diffuser/"


def _group_send(group, message):
    async_to_sync(get_channel_layer().group_send)(group, message)


# The client is the benchmark on loopback, with no session to protect: a CSRF token would only cost a request.
@csrf_exempt
@require_POST
def notify(request):
    payload = json.loads(request.body)
    user_id, mode, key = payload["user"], payload["mode"], payload["key"]
    if mode == "app":
        notification_id, at = fanout_sends.notify(user_id)
        return JsonResponse({"mode": "app", "key": notification_id, "user": user_id, "at": at})
    at = time.time()
    _group_send(services.user_group(user_id), fanout_sends.ref_notification(key))
    return JsonResponse({"mode": "ref", "key": key, "user": user_id, "at": at})


@csrf_exempt
@require_POST
def broadcast(request):
    payload = json.loads(request.body)
    topic, seq = payload["topic"], payload["seq"]
    if payload["mode"] == "app":
        return JsonResponse({"at": fanout_sends.broadcast(topic, seq)})
    at = time.time()
    _group_send(topics.group_name(topic), fanout_sends.ref_broadcast(topic, seq))
    return JsonResponse({"at": at})


urlpatterns = [
    path(NOTIFY_PATH.strip("/") + "/", notify),
    path(BROADCAST_PATH.strip("/") + "/", broadcast),
    *site,
]
