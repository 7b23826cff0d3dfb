"""The footer's links on every page, read once per change of the site rather than at each page."""

from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from core import freshness
from home.models import FooterLinks


def footer(request):
    def links():
        site = Site.find_for_request(request)
        if site is None:  # a host no site serves (a test server's port): a footer without links, not an error
            return []
        return [(str(label), page.get_url(request)) for label, page in FooterLinks.for_site(site).links()]

    # Wagtail's setting costs two queries a page (the site, the setting); its pages and the setting are site-wide
    # writes, which stale what is kept.
    return {
        "footer_links": SimpleLazyObject(
            lambda: freshness.kept("footer", (freshness.SITE,), request.get_host(), links)
        )
    }
