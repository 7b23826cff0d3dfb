"""Bench-only middleware: says in a response header whether the page cache answered or the page was rendered.

How many SQL queries a page cost cannot be seen over HTTP, so `bench/agenda_settings.py` wraps
placette/page_cache.py's middleware between these two, and `bench/agenda_http.py` counts the header
`X-Banc-Cache` ("servie" from the cache, "rendue" otherwise). Never in production's settings.
"""

HEADER = "X-Banc-Cache"


class MarkServedFromCacheMiddleware:
    """Just outside the page cache: marks the answer, after the cache has stored it (a stored page stays unmarked)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response[HEADER] = "rendue" if getattr(request, "bench_rendered", False) else "servie"
        return response


class NoteRenderedMiddleware:
    """Just inside the page cache: reached only when the cache did not answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.bench_rendered = True
        return self.get_response(request)
