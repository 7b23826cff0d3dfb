"""Bench-only settings: Placette's own, with the URLconf of `bench/agenda_urls.py` (the site plus a reference view).

gunicorn loads them while `bench/agenda_http.py` runs, never in production; everything else comes from the
environment exactly as in production (DEBUG off, PostgreSQL, Redis), but for a response header that says
whether the page cache answered (`bench/page_cache_header.py`), which costs a dictionary write.
"""

from placette.settings import *  # noqa: F403
from placette.settings import MIDDLEWARE

ROOT_URLCONF = "bench.agenda_urls"

_PAGE_CACHE = MIDDLEWARE.index("placette.page_cache.AnonymousPageCacheMiddleware")
MIDDLEWARE = [
    *MIDDLEWARE[:_PAGE_CACHE],
    "bench.page_cache_header.MarkServedFromCacheMiddleware",
    MIDDLEWARE[_PAGE_CACHE],
    "bench.page_cache_header.NoteRenderedMiddleware",
    *MIDDLEWARE[_PAGE_CACHE + 1 :],
]
