"""What a shared page or fragment shows, and the tokens that change when it changes.

Shared renderings (placette/page_cache.py's pages for visitors, the listings' filter forms) are kept in
the cache under keys that carry a token per *scope* of what they show. A committed write replaces the
token of each scope it touches, so the next reader renders afresh; nothing has to be found and deleted.

- `SITE`: what no single centre owns (the centres themselves, categories, tags, content pages, people's
  names and anything no app has placed in a centre). Every shared rendering depends on it.
- `ALL_CENTRES`: a write in any centre. Pages that show several centres (listings, home, search) depend on it.
- `centre(id)`: a write in that centre (an activity, a date, a registration, an offer). A page about one
  centre depends on it alone, so a registration in Lille leaves Roubaix's pages cached.

Apps say which centre a row of theirs belongs to with `in_centre(Model, centre_of)`, or that it is shown on no
shared page with `shown_nowhere(Model)`; a row of a model they have not placed is a `SITE` write, the safe
default. A view showing one centre says so with `about_centre`.

Tokens are random, never counters: a Redis restarted from an older snapshot cannot bring back a token whose
renderings were already stale. The cache may be out of reach (placette/cache.py answers a miss then) and a
write's new token is lost with it: so a process that saw the cache fail replaces `SITE` as soon as it
reaches it again, and `tokens` answers None, "trust nothing", while the cache fails.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist

SITE = "site"
ALL_CENTRES = "centres"


def centre(centre_id):
    return f"centre.{centre_id}"


def _key(scope):
    return f"freshness:{scope}"


# Cache failures this process has answered with a new SITE token (placette.cache.failures()).
_failures_handled = {"count": 0}


def _cache_failures():
    """How often this process found the cache out of reach: 0 for caches that never fail (local memory)."""
    return getattr(cache, "failures", lambda: 0)()


def tokens(*scopes):
    """{scope: token} for each scope, in one round trip once they exist; None when the cache cannot be trusted."""
    failures = _cache_failures()
    if failures != _failures_handled["count"]:
        # The cache was out of reach since this process last looked: a write committed meanwhile, here or
        # in another process, may have lost its new token. Whatever was shared before is dropped.
        bump(SITE)
        if _cache_failures() != failures:
            return None
        _failures_handled["count"] = failures
    keys = {_key(scope): scope for scope in scopes}
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, timeout=None)
    if missing:
        found |= cache.get_many(missing)
    if _cache_failures() != failures or len(found) != len(keys):
        return None
    return {keys[key]: token for key, token in found.items()}


def bump(*scopes):
    """Everything shared under these scopes is stale from now on (its keys name older tokens)."""
    cache.set_many({_key(scope): uuid.uuid4().hex for scope in scopes}, timeout=None)


_centre_of = {}
_shown_nowhere = set()


def in_centre(model, centre_of):
    """Rows of `model` belong to the centre whose id `centre_of(row)` gives (None: to no single centre)."""
    _centre_of[model] = centre_of


def shown_nowhere(*models):
    """Rows of these models appear on no shared page or part (a conversation, one's hours): writes stale nothing."""
    _shown_nowhere.update(models)


def scopes_of_write(row):
    """The scopes a write to `row` changes: none, its centre and the lists, or the whole site."""
    if type(row) in _shown_nowhere:
        return ()
    for model in type(row).__mro__:
        if model in _centre_of:
            try:
                centre_id = _centre_of[model](row)
            except ObjectDoesNotExist:  # deleted along with what placed it: the safe answer
                centre_id = None
            return (ALL_CENTRES, centre(centre_id)) if centre_id is not None else (SITE,)
    return (SITE,)


def about_centre(request, centre_id):
    """The page being rendered shows one centre's things only (and the site's): writes elsewhere keep it."""
    request.page_scope = centre(centre_id)


def kept(name, scopes, key, compute):
    """`compute()`, shared by every reader (signed in or not) until a write touches one of `scopes`.

    For the parts of a page that are the same for everyone, such as a listing's results: the person's own
    header, buttons and badges are written around it at each request. Like whole pages, what is kept expires
    after PAGE_CACHE_SECONDS (dates pass), and nothing is kept when that is 0 or the cache cannot be trusted.
    """
    known = tokens(*scopes) if settings.PAGE_CACHE_SECONDS > 0 else None
    if known is None:
        return compute()
    # The tokens are read before compute() reads anything: a write committed meanwhile stales what it kept.
    digest = hashlib.sha256(":".join([name, *(known[scope] for scope in scopes), key]).encode()).hexdigest()
    value = cache.get(f"kept:{digest}")
    if value is None:
        value = compute()
        cache.set(f"kept:{digest}", value, timeout=settings.PAGE_CACHE_SECONDS)
    return value
