"""Whole public pages for visitors without cookies, kept until anything they show changes.

DESIGN.md asks anonymous pages to serve a third of a bare Django view's throughput, and forbids stale
seats. A visitor with no cookie at all (first visit, a search engine, a calendar app) sees exactly
what any other such visitor sees, so the rendered response is shared. Every committed write to a
model a page may show bumps a generation number that is part of each key: the next visitor gets a
fresh page. Pages also expire after PAGE_CACHE_SECONDS, for what time alone changes ("ouvert
maintenant", dates that have passed).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

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
# Addresses that are always someone's own, even without cookies.
PRIVATE_PREFIXES = (
    "/compte/",
    "/notifications/",
    "/agenda/equipe/",
    "/agenda/mes-inscriptions/",
    "/agenda/mon-agenda/",
    "/echanges/proposer/",
    "/echanges/mes-echanges/",
    "/echanges/conversations/",
    "/echanges/accords/",
    "/echanges/personnes/",
    "/echanges/mes-heures/",
    "/echanges/equipe/",
)


def generation():
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def invalidate():
    """Every cached page is stale from now on (their keys name the old generation)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def is_shown(model):
    return model._meta.app_label not in UNSHOWN_APPS and model._meta.label_lower not in UNSHOWN_MODELS


def invalidate_after_commit(sender, **kwargs):
    if is_shown(sender):
        transaction.on_commit(invalidate)


def connect():
    """Called once from PlacetteConfig.ready: any write to a shown model makes the cached pages stale."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(invalidate_after_commit, dispatch_uid=f"page-cache-{id(signal)}")


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = settings.ADMIN_URL_PREFIX

    def cacheable_request(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and not request.COOKIES
            and not request.path_info.startswith((self.admin_prefix, *PRIVATE_PREFIXES))
        )

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        key = f"page-cache:{generation()}:{request.get_host()}:{request.get_full_path()}"
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
