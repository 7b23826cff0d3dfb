"""Placette's URLs: the admin, accounts, media in development, and Wagtail's page tree for everything else."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.urls import french_aliases
from core.addresses import private
from demarches import campaign_views
from notifications import views as notification_views
from placette import views

ADMIN = settings.ADMIN_URL_PREFIX.strip("/") + "/"

urlpatterns = [
    # One way in for everybody: allauth's sign-in, which then asks staff for their second factor.
    private(path(ADMIN + "login/", RedirectView.as_view(pattern_name="account_login", query_string=True))),
    private(path(ADMIN, include(wagtailadmin_urls))),
    # Private: never shared by the page cache (core.addresses), like every address marked so in the apps.
    private(path("compte/", include("accounts.urls"))),
    private(path("compte/", include("allauth.urls"))),
    private(path("compte/", include(french_aliases))),
    private(path("notifications/", include("notifications.urls"))),
    # The stop link of every SMS: short, as each character of an SMS counts.
    private(path("s/<str:code>", notification_views.stop_sms, name="sms_stop")),
    # The link of a centre's SMS campaign, counted at each visit: private, so that no cached copy skips the count.
    private(path("c/<str:code>", campaign_views.follow_link, name="campaign_link")),
    path("agenda/", include("agenda.urls")),
    path("echanges/", include("echanges.urls")),
    path("demarches/", include("demarches.urls")),
    path("carte/", include("carte.urls")),
    # The team's mediation records and the people they help: private, like every team page.
    private(path("suivi/", include("suivi.urls"))),
    # Appointments for one-to-one help: a centre's free times are public, the rest is the resident's own.
    path("rendez-vous/", include("suivi.appointment_urls")),
    path("recherche/", include("search.urls")),
    path("documents/", include(wagtaildocs_urls)),
    re_path(r"^media/(?P<path>.*)$", views.serve_media),
    # Wagtail's page tree last: it answers every address the apps above did not claim.
    path("", include(wagtail_urls)),
]
