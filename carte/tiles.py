"""The map's tile server (settings.CARTE_TILE_URL): its address for the page and the origins its CSP allows."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def tile_origins():
    """The scheme and host of every tile server the map may load images from, for the page's img-src.

    A `{s}` in the host stands for each of CARTE_TILE_SUBDOMAINS (Leaflet picks one per tile): each host is
    listed, rather than a `*.` wildcard that would allow every other host of that domain too.
    """
    url = urlsplit(settings.CARTE_TILE_URL)
    if url.scheme not in ("http", "https") or not url.netloc or "{" in url.netloc.replace("{s}", ""):
        raise ImproperlyConfigured(
            f"CARTE_TILE_URL must be an http(s) address whose host has no placeholder but {{s}}: {url.geturl()}"
        )
    hosts = [url.netloc]
    if "{s}" in url.netloc:
        hosts = [url.netloc.replace("{s}", subdomain) for subdomain in settings.CARTE_TILE_SUBDOMAINS]
    return [f"{url.scheme}://{host}" for host in hosts]
