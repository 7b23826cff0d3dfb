"""Wagtail's site for a request, found once per host until the site changes, rather than with a query per page.

Wagtail looks the site up by host name at each request that serves a page or writes a page's address
(`Site.find_for_request`, which keeps its answer on the request as `_wagtail_site`). Sites and their root pages
are site-wide writes (core/freshness.py), so a site found under the site's token stays right while it holds.
"""

from core import freshness

# Per process: {(host, port): (the site's token, the Site)}. Hosts are those ALLOWED_HOSTS let through
# (CommonMiddleware, placed before, refused the others); a cap keeps a permissive "*" from growing it.
_found = {}
MOST_HOSTS = 64


class KnownSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        known = freshness.tokens(freshness.SITE)
        if known is None:
            return self.get_response(request)
        token = known[freshness.SITE]
        key = (request.get_host(), request.get_port())
        kept = _found.get(key)
        if kept is not None and kept[0] == token:
            request._wagtail_site = kept[1]
            return self.get_response(request)
        response = self.get_response(request)
        # Found during the request, if the request needed it: after the token was read, so a site changed
        # meanwhile is kept under the older token, and found again.
        if hasattr(request, "_wagtail_site"):
            if len(_found) >= MOST_HOSTS:
                _found.clear()
            _found[key] = (token, request._wagtail_site)
        return response
