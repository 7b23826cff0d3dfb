"""Bench-only URLs of a bare Django project (`bench/hello_settings.py`): one view that says hello.

`bench/agenda_urls.py` adds the same view to Placette's URLs, so the two references differ only by
Placette's settings and middleware.
"""

from django.http import HttpResponse
from django.urls import path

HELLO_PATH = "/banc/bonjour/"


def hello(request):
    return HttpResponse("Bonjour", content_type="text/plain; charset=utf-8")


urlpatterns = [path(HELLO_PATH.strip("/") + "/", hello)]
