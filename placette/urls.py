"""Placette's URLs: the admin, accounts, media in development, and Wagtail's page tree for everything else."""

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.urls import french_aliases
from placette import views

urlpatterns = [
    path(settings.ADMIN_URL_PREFIX.strip("/") + "/", include(wagtailadmin_urls)),
    path("compte/", include("accounts.urls")),
    path("compte/", include("allauth.urls")),
    path("compte/", include(french_aliases)),
    path("documents/", include(wagtaildocs_urls)),
    re_path(r"^media/(?P<path>.*)$", views.serve_media),
    # Wagtail's page tree last: it answers every address the apps above did not claim.
    path("", include(wagtail_urls)),
]
