"""Private addresses are declared where the URLs are, and the page cache never shares a page under them."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import include, path

from core import freshness
from core.addresses import private, private_prefixes, routes

# The page cache's hand-kept list before the URL config declared it (issue 16), and the admin.
PRIVATE_BEFORE = (
    "/admin/",
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
# Private addresses added since, each where its URL is declared (issue 18): the stop link of every SMS, a
# campaign's counted short link, the procedures' team pages, a resident's follows and mandates.
PRIVATE_SINCE = (
    "/s/",
    "/c/",
    "/demarches/equipe/",
    "/demarches/mes-demarches/",
    "/demarches/mes-mandats/",
    "/carte/equipe/",
    "/carte/propositions/",
    "/suivi/",
    "/rendez-vous/creneau/",
    "/rendez-vous/mes-rendez-vous/",
)


def test_every_address_under_the_former_list_is_declared_private_and_nothing_else_is():
    declared = private_prefixes()
    addresses = list(routes())

    for before in PRIVATE_BEFORE:
        under = [start for start, is_private in addresses if start.startswith(before)]
        assert under, f"no address under {before}"
        assert all(start.startswith(declared) for start in under), before
    assert all(prefix.startswith(PRIVATE_BEFORE + PRIVATE_SINCE) for prefix in declared)


views_run = []


def page(request, **kwargs):
    views_run.append(request.path)
    return HttpResponse(f"<p>Page {len(views_run)}</p>")


urlpatterns = [
    path("public/", page),
    private(path("mine/<int:pk>/", page)),
    private(path("team/", include([path("", page), path("<int:pk>/", page)]))),
    path("centre/<int:pk>/", include([path("", page), private(path("agenda/", page))])),
]


@pytest.fixture
def private_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.PAGE_CACHE_SECONDS = 60
    views_run.clear()


def test_declared_prefixes_stop_at_the_first_converter():
    assert private_prefixes(__name__) == ("/centre/", "/mine/", "/team/")


@pytest.mark.parametrize("url", ["/mine/3/", "/team/", "/team/4/", "/centre/5/agenda/"])
def test_the_page_cache_never_stores_a_private_page(client, db, private_urls, url):
    first = client.get(url)
    second = client.get(url)

    assert (first.status_code, second.status_code) == (200, 200)
    assert views_run == [url, url]
    assert second.content != first.content
    assert cache.get(f"page-cache:{freshness.tokens(freshness.SITE)[freshness.SITE]}:testserver:{url}") is None


def test_a_public_page_beside_them_is_still_shared(client, db, private_urls):
    first = client.get("/public/")
    second = client.get("/public/")

    assert views_run == ["/public/"]
    assert second.content == first.content
    assert cache.get(f"page-cache:{freshness.tokens(freshness.SITE)[freshness.SITE]}:testserver:/public/") is not None
