"""Whole public pages for visitors without cookies, kept until anything they show changes.

DESIGN.md asks anonymous pages to serve a third of a bare Django view's throughput, and forbids stale
seats. A visitor with no cookie at all (first visit, a search engine, a calendar app) sees exactly
what any other such visitor sees, so the rendered response is shared. Every committed write to a
model a page may show bumps a generation number that is part of each key: the next visitor gets a
fresh page. Pages also expire after PAGE_CACHE_SECONDS, for what time alone changes ("ouvert
maintenant", dates that have passed).

Redis may be out of reach (placette/cache.py answers a miss then): pages are served uncached, and a
write's invalidation is lost. So a process that saw the cache fail starts a new generation as soon as it
reaches it again, and nothing is shared while it cannot read the generation. A generation is a random
token, never a counter: a Redis restarted from an older snapshot cannot bring back a generation whose
pages were already stale.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.addresses import private_prefixes

GENERATION_KEY = "page-cache:generation"
# Writes that no public page shows: sessions, the inbox, deliveries, background work, logs, drafts.
# Search index rows are shown (by /recherche/): Wagtail writes them after the content, from a task.
UNSHOWN_APPS = {"sessions", "notifications", "django_tasks_db", "mfa", "account"}
UNSHOWN_MODELS = {
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.referenceindex",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.pagesubscription",
    "accounts.actinglog",
    "wagtailusers.userprofile",
}

# Cache failures this process has answered with a new generation (placette.cache.failures()).
_failures_handled = {"count": 0}


def cache_failures():
    """How often this process found the cache out of reach: 0 for caches that never fail (local memory)."""
    return getattr(cache, "failures", lambda: 0)()


def generation():
    """The token of the current generation, or None when the cache cannot be trusted right now."""
    failures = cache_failures()
    if failures != _failures_handled["count"]:
        # Redis was out of reach since this process last looked: a write committed meanwhile, here or in
        # another process, may not have invalidated anything. Whatever was cached before is dropped.
        invalidate()
        if cache_failures() != failures:
            return None
        _failures_handled["count"] = failures
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token if cache_failures() == failures else None


def invalidate():
    """Every cached page is stale from now on (their keys name an older generation)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def is_shown(model):
    return model._meta.app_label not in UNSHOWN_APPS and model._meta.label_lower not in UNSHOWN_MODELS


def invalidate_after_commit(sender, **kwargs):
    if is_shown(sender):
        # Robust: whatever this raises must not skip the notifications' push and deliveries queued after it.
        transaction.on_commit(invalidate, robust=True)


def connect():
    """Called once from PlacetteConfig.ready: any write to a shown model makes the cached pages stale."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(invalidate_after_commit, dispatch_uid=f"page-cache-{id(signal)}")


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def cacheable_request(self, request):
        # Private addresses (the admin, someone's own pages, a team's) are marked in the URL config.
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and not request.COOKIES
            and not request.path_info.startswith(private_prefixes(settings.ROOT_URLCONF))
        )

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        token = generation()
        if token is None:
            return self.get_response(request)
        key = f"page-cache:{token}:{request.get_host()}:{request.get_full_path()}"
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if self.cacheable_response(response):
            cache.set(key, response, timeout=settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
        )
