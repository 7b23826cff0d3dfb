"""Whole public pages for visitors without cookies, kept until anything they show changes.

DESIGN.md asks anonymous pages to serve a third of a bare Django view's throughput, and forbids stale
seats. A visitor with no cookie at all (first visit, a search engine, a calendar app) sees exactly
what any other such visitor sees, so the rendered response is shared. Each stored page names the tokens
of what it shows (core/freshness.py): the site's, and either one centre's (a centre's page, an activity,
an offer, which say so with `about_centre`) or all the centres' (listings, home, search). A committed
write replaces the tokens of what it touches, so a registration in one centre stales that centre's pages
and the lists, and no other centre's. Pages also expire after PAGE_CACHE_SECONDS, for what time alone
changes ("ouvert maintenant", dates that have passed).

Redis may be out of reach (placette/cache.py answers a miss then): pages are served uncached, and nothing
is shared again until the tokens can be trusted (core/freshness.py).
"""

from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import get_conditional_response

from core import freshness
from core.addresses import private_prefixes

# Writes that no public page shows: sessions, the inbox, deliveries, background work, logs, drafts.
# Search index rows are shown (by /recherche/): Wagtail writes them after the content, from a task.
UNSHOWN_APPS = {"sessions", "notifications", "django_tasks_database", "mfa", "account"}
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
# Fields no public page shows, written on their own: a sign-in stamps last_login and stales nothing.
UNSHOWN_FIELDS = {"last_login"}


def is_shown(model, update_fields=None):
    if update_fields and set(update_fields) <= UNSHOWN_FIELDS:
        return False
    return model._meta.app_label not in UNSHOWN_APPS and model._meta.label_lower not in UNSHOWN_MODELS


def invalidate_after_commit(sender, instance, update_fields=None, **kwargs):
    if not is_shown(sender, update_fields):
        return
    # The scopes are read now, while the row and what places it still exist (a delete cascades).
    scopes = freshness.scopes_of_write(instance)
    if scopes:
        # Robust: whatever this raises must not skip the notifications' push and deliveries queued after it.
        transaction.on_commit(partial(freshness.bump, *scopes), robust=True)


def connect():
    """Called once from PlacetteConfig.ready: any write to a shown model makes the pages showing it stale."""
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
        known = freshness.tokens(freshness.SITE, freshness.ALL_CENTRES)
        if known is None:
            return self.get_response(request)
        key = f"page-cache:{known[freshness.SITE]}:{request.get_host()}:{request.get_full_path()}"
        # (scope, its token when rendered, response). A page learns its scope as it renders (about_centre):
        # only a token read before the page read what it shows may vouch for it, so a page about one centre
        # is stored with its scope alone the first time, and shared from the next rendering on.
        stored = cache.get(key)
        if stored is not None:
            scope, token, response = stored
            if scope not in known:
                known |= freshness.tokens(scope) or {scope: None}
            if token is not None and known[scope] == token:
                # A client holding the same version (a file's ETag) gets a 304, as the view itself answers.
                return get_conditional_response(request, etag=response.get("ETag"), response=response)
        response = self.get_response(request)
        if self.cacheable_response(response):
            scope = getattr(request, "page_scope", freshness.ALL_CENTRES)
            token = known.get(scope)
            cache.set(key, (scope, token, response if token else None), timeout=settings.PAGE_CACHE_SECONDS)
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
