"""Bench-only URLs: Placette's, plus the hello-world view `bench/agenda_http.py` measures in the same run.

The view goes through the same server, settings and middleware as the site's pages, so the gap between the
two is what the pages themselves cost (queries, templates), not gunicorn, the middleware or the machine.
"""

from django.urls import path

from bench.hello_urls import HELLO_PATH, hello
from placette.urls import urlpatterns as site

urlpatterns = [path(HELLO_PATH.strip("/") + "/", hello), *site]
