"""The signed-in pages of issue 17 timed in one process: milliseconds of Python and SQL per request, and queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/placette_bench REDIS_URL=redis://127.0.0.1:6379/9 \\
    .venv/bin/python bench/signed_in_profile.py

It reads the database `bench/agenda_http.py` and `bench/echanges_http.py` load (run one of them first), as a
demo resident who has a conversation of everyday length, through Django's test client with DEBUG off and
the shared parts kept as in production (PAGE_CACHE_SECONDS=60). No server, no network: it says where a
page's time goes, `bench/agenda_http.py` says what gunicorn serves. It writes nothing but the session.
"""

import os
import sys
from pathlib import Path

# Run as a script, Django is set up before the apps' models are imported.
if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placette.settings")
    import django

    django.setup()

import statistics
import time

from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.urls import reverse

from agenda.models import Category, EventPage
from echanges.models import Conversation, Offer
from quartier.models import CentrePage

ROUNDS, REQUESTS = 5, 20


def pages():
    # The bench's steady writer fills one demo conversation with hundreds of messages: take an everyday one.
    conversation = (
        Conversation.objects.annotate(messages_count=Count("messages"))
        .filter(messages_count__lt=20)
        .select_related("starter")
        .order_by("pk")
        .first()
    )
    centre = CentrePage.objects.live().order_by("-pk").first()
    event = EventPage.objects.live().child_of(centre).first() or EventPage.objects.live().last()
    category = Category.objects.order_by("pk").first()
    return conversation.starter, [
        ("/agenda/", "/agenda/"),
        ("/agenda/ filtré", f"/agenda/?category={category.slug}&free=on"),
        ("page d'une activité", event.url),
        ("page d'un centre", centre.url),
        ("/echanges/ filtré", "/echanges/?nature=good"),
        ("page d'une annonce", Offer.objects.open().order_by("-pk").first().get_absolute_url()),
        ("/notifications/", reverse("notifications:inbox")),
        ("Mes inscriptions", reverse("agenda:my_registrations")),
        ("Mes échanges", reverse("echanges:mine")),
        ("une conversation", reverse("echanges:conversation", args=[conversation.pk])),
    ]


# Kept parts as in production; static addresses without the collected files' manifest (nothing is served).
@override_settings(
    ALLOWED_HOSTS=["*"],
    PAGE_CACHE_SECONDS=60,
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
)
def main():
    person, measured = pages()
    client = Client()
    client.force_login(person)
    print("| page | ms par requête (médiane de 5 × 20) | requêtes SQL |")
    print("| --- | --- | --- |")
    for name, url in measured:
        for _ in range(3):  # what a first visit does once (renditions, kept parts)
            response = client.get(url, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{url} a répondu {response.status_code}")
        queries = []

        def counted(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            client.get(url, secure=True)
        rounds = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            for _ in range(REQUESTS):
                client.get(url, secure=True)
            rounds.append((time.perf_counter() - started) / REQUESTS * 1000)
        print(f"| {name} | {statistics.median(rounds):.1f} | {len(queries)} |")


if __name__ == "__main__":
    main()
