"""With Redis down the site still reads and writes (docs/adr/0005), and catches up when Redis comes back.

Each test starts its own redis-server on a free port, points the cache and the channel layer at it and
kills it halfway: never the machine's Redis. They need redis-server on PATH; without it they skip,
unless REQUIRE_REDIS=1 (CI's second pass), where a missing redis-server is a failure.
"""

import ast
import logging
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda import services
from agenda.models import Registration
from core import freshness
from echanges.models import Message
from echanges.services import conversations
from home.models import FooterLinks
from notifications.models import Delivery, Notification
from placette import cache as resilient
from tests.agenda.factories import EventPageFactory, first_date
from tests.echanges.factories import OfferFactory
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import member_of

REDIS_SERVER = shutil.which("redis-server")
ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A throw-away redis-server: killed as a crash would, started again from its last SAVE if any."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
                *("--dir", str(self.directory), "--dbfilename", "snapshot.rdb"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        for _attempt in range(500):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.02)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def snapshot(self):
        """Write what Redis holds to disk, as a production Redis with persistence does from time to time."""
        redis.Redis(port=self.port).save()

    def kill(self):
        self.process.kill()
        self.process.wait()


@pytest.fixture
def redis_server(tmp_path, settings):
    if not REDIS_SERVER:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but redis-server is not on PATH (apt-get install -y redis-server)")
        pytest.skip("redis-server absent : tests de panne de Redis ignorés")
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "placette.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
            # Try Redis again at every call, so the test sees it come back at once.
            "DOWN_FOR": 0,
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": server.url, "socket_connect_timeout": 1}]},
        }
    }
    settings.PAGE_CACHE_SECONDS = 60
    yield server
    if server.process.poll() is None:
        server.kill()


@pytest.fixture
def event(home):
    # Wagtail creates the footer's setting row at the first page shown, which makes cached pages stale: do it now.
    FooterLinks.for_site(home.get_site())
    return EventPageFactory(parent=CentrePageFactory(parent=home), title="Sortie à la mer", capacity=2)


def get(client, url):
    """The response and how many SQL queries it took (0: it came from the page cache)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_reads_pages_uncached_while_redis_is_down(client, redis_server, event):
    assert get(client, event.url)[0].status_code == 200
    get(client, event.url)  # a page about one centre is stored from its second rendering on
    assert get(client, event.url)[1] == 0  # Redis up: the page is shared

    redis_server.kill()
    for url in ("/", event.url, event.get_parent().url, "/agenda/", "/echanges/"):
        response, queries = get(client, url)
        assert response.status_code == 200, url
        assert queries > 0, url
    # Nothing is shared while the tokens cannot be read.
    assert get(client, event.url)[1] > 0


def test_a_signed_in_resident_reads_and_registers_while_redis_is_down(client, redis_server, event, caplog):
    person = member_of(event.get_parent().specific)
    client.force_login(person)
    redis_server.kill()

    for url in (event.url, event.get_parent().url, "/agenda/", reverse("agenda:my_registrations")):
        assert client.get(url).status_code == 200, url

    occurrence = first_date(event)
    with caplog.at_level(logging.WARNING):
        response = client.post(reverse("agenda:register", args=[occurrence.pk]))
    assert response.status_code == 302
    assert Registration.objects.get(occurrence=occurrence).person == person
    assert Notification.objects.filter(recipient=person).exists()
    # The live pushes (to the person, and seats left to the page) are logged and dropped.
    assert "not pushed live" in caplog.text
    assert client.get(response.url).status_code == 200


def test_a_message_sent_while_redis_is_down_is_committed_and_its_delivery_queued(client, redis_server, home):
    centre = CentrePageFactory(parent=home)
    offer = OfferFactory(centre=centre, author=member_of(centre), title="Réparer un vélo")
    neighbour = member_of(centre)
    conversation = conversations.answer_offer(offer.pk, neighbour, body="Bonjour")
    client.force_login(neighbour)
    redis_server.kill()

    response = client.post(conversation.get_absolute_url(), {"body": "Je passe samedi ?"})

    assert response.status_code == 302
    message = Message.objects.get(body="Je passe samedi ?")
    delivery = Delivery.objects.get(notification__recipient=offer.author, notification__text__contains="samedi")
    assert delivery.status == Delivery.Status.PENDING
    assert message.conversation == conversation
    assert client.get(response.url).status_code == 200


def test_a_resident_signs_in_by_code_while_redis_is_down(client, redis_server, home):
    person = UserFactory(email="fatou@exemple.test")
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    redis_server.kill()

    response = client.post("/compte/connexion/", {"email": person.email})
    assert response.status_code == 302
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", mail.outbox[-1].body).group(1)
    response = client.post("/compte/connexion/code/", {"code": code})

    assert response.status_code == 302
    assert client.get(reverse("accounts:my_account")).status_code == 200


def test_pages_are_cached_again_and_never_stale_once_redis_is_back(client, redis_server, event):
    assert "2 places restantes" in get(client, event.url)[0].content.decode()
    get(client, event.url)
    assert get(client, event.url)[1] == 0
    # Redis holds the tokens and the page with 2 seats on disk, then dies.
    redis_server.snapshot()
    redis_server.kill()

    services.register(first_date(event).pk, member_of(event.get_parent().specific))  # its invalidation is lost

    # Back from its snapshot: the old tokens and the page with 2 seats left are in Redis again.
    redis_server.start()
    response, queries = get(client, event.url)
    content = response.content.decode()
    assert "1 place restante" in content and "2 places restantes" not in content
    assert queries > 0
    get(client, event.url)
    again, queries = get(client, event.url)
    assert queries == 0 and again.content.decode() == content


def test_after_a_failure_the_cache_leaves_redis_alone_for_a_while(redis_server, settings, monkeypatch):
    settings.CACHES = {"default": {**settings.CACHES["default"], "DOWN_FOR": 30}}
    clock = [1000.0]
    monkeypatch.setattr(resilient, "monotonic", lambda: clock[0])
    monkeypatch.setattr(resilient, "_down_until", {})
    attempts = []
    real_get = resilient.RedisCache.get

    def counted_get(self, *args, **kwargs):
        attempts.append(1)
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(resilient.RedisCache, "get", counted_get)
    redis_server.kill()
    before = resilient.failures()

    assert cache.get("key", "missed") == "missed"
    assert cache.get("key", "missed") == "missed"
    assert (len(attempts), resilient.failures() - before) == (1, 2)

    redis_server.start()
    cache.set("key", "stored")  # still inside the window: not even tried
    clock[0] += 31
    assert cache.get("key", "missed") == "missed"
    cache.set("key", "stored")
    assert cache.get("key") == "stored"


def test_incr_of_an_unreachable_cache_is_a_missing_key_not_a_guess(redis_server):
    redis_server.kill()
    assert cache.add("counter", 1) is True  # allauth's rate-limit lock: sign-in goes on
    with pytest.raises(ValueError):
        cache.incr("counter")


def test_the_page_cache_shares_nothing_while_it_cannot_read_its_tokens(redis_server):
    assert freshness.tokens(freshness.SITE) is not None
    redis_server.kill()
    assert freshness.tokens(freshness.SITE) is None


def test_every_after_commit_hook_of_the_project_is_robust():
    """One hook that raises (the cache, the channel layer) must not skip the hooks registered after it."""
    fragile = []
    apps = [folder for folder in ROOT.iterdir() if (folder / "__init__.py").exists() and folder.name != "tests"]
    for path in (path for app in apps for path in app.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "on_commit":
                robust = any(k.arg == "robust" and getattr(k.value, "value", None) is True for k in node.keywords)
                if not robust:
                    fragile.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert fragile == []
