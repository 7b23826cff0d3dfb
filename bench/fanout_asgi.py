"""Bench-only ASGI entry point: Placette's application plus the HTTP triggers of `bench/ws_fanout.py`.

Daphne serves it on loopback during a benchmark run, never in production. The triggers live in the
same process as the sockets so that the in-memory channel layer reaches them as well as Redis does.

Each trigger says when its cause committed (`time.time()` in an on-commit callback registered before
`notify()` or `broadcast()`, so it runs first), and the client compares that with its receive time on
the same machine clock. The "ref" sends skip the database and the app: a bare `group_send` of the same
message from the event loop, measured in the same run, so the gap shows what the app itself adds.
"""

import asyncio
import cProfile
import gc
import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placette.settings")
django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from django.conf import settings  # noqa: E402

from bench import fanout_sends  # noqa: E402
from core import topics  # noqa: E402
from notifications import services  # noqa: E402
from placette.asgi import application as site  # noqa: E402

# Collector pauses stop the event loop, so each phase reports them beside its latencies.
gc_pauses = []
_gc_started = {}


def _time_collections(phase, info):
    if phase == "start":
        _gc_started["at"] = time.perf_counter()
    elif "at" in _gc_started:
        gc_pauses.append((info["generation"], time.perf_counter() - _gc_started.pop("at")))


gc.callbacks.append(_time_collections)

# What could help, tried here before anyone changes the site (`ws_fanout.py --help` names each one).
VARIANTS = set(filter(None, os.environ.get("BENCH_VARIANTS", "").split(",")))

if "redis-pubsub" in VARIANTS:
    # channels-redis's pub/sub layer sends a group message once per process instead of once per member.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # Pub/sub channels are shared by every Redis database: a prefix of its own keeps the bench apart.
            "CONFIG": {"hosts": [{"address": settings.REDIS_URL}], "prefix": "placette-bench"},
        }
    }

profiler = None


async def _send_one(index, user_id, mode):
    if mode == "app":
        notification_id, at = await sync_to_async(fanout_sends.notify)(user_id)
        return {"mode": "app", "key": notification_id, "user": user_id, "at": at}
    key = f"ref-{index}"
    message = fanout_sends.ref_notification(key)
    at = time.time()
    await get_channel_layer().group_send(services.user_group(user_id), message)
    return {"mode": "ref", "key": key, "user": user_id, "at": at}


async def notify_users(payload):
    """`sends` is a list of [user id, "app" | "ref"], started every `interval` seconds on a fixed schedule."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = []
    for index, (user_id, mode) in enumerate(payload["sends"]):
        # Open loop: a slow send must not push back the ones after it, or the load would adapt to the server.
        await asyncio.sleep(max(0.0, start + index * payload["interval"] - loop.time()))
        tasks.append(asyncio.create_task(_send_one(index, user_id, mode)))
    return {"sends": await asyncio.gather(*tasks)}


async def broadcast(payload):
    topic, seq = payload["topic"], payload["seq"]
    if payload["mode"] == "app":
        return {"at": await sync_to_async(fanout_sends.broadcast)(topic, seq)}
    at = time.time()
    await get_channel_layer().group_send(topics.group_name(topic), fanout_sends.ref_broadcast(topic, seq))
    return {"at": at}


async def profile(payload):
    """cProfile of the event loop's thread, where daphne, the consumers and the channel layer run."""
    global profiler
    if payload["action"] == "start":
        profiler = cProfile.Profile()
        profiler.enable()
    elif profiler is not None:
        profiler.disable()
        profiler.dump_stats(payload["path"])
        profiler = None
    return {}


async def collections_since_last_call(payload):
    pauses = list(gc_pauses)
    gc_pauses.clear()
    return {"pauses": pauses, "tracked": len(gc.get_objects()), "frozen": gc.get_freeze_count()}


ROUTES = {
    "/bench/notify": notify_users,
    "/bench/broadcast": broadcast,
    "/bench/profile": profile,
    "/bench/gc": collections_since_last_call,
}


async def _read_body(receive):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def application(scope, receive, send):
    if scope["type"] != "http" or scope["path"] not in ROUTES:
        await site(scope, receive, send)
        return
    answer = await ROUTES[scope["path"]](json.loads(await _read_body(receive)))
    body = json.dumps(answer).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
