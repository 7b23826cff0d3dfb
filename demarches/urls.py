"""The procedures' calendar under /demarches/, and the centre team's SMS campaigns under /demarches/equipe/."""

from django.urls import path

from core.addresses import private
from demarches import campaign_views, views

app_name = "demarches"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("echeances.ics", views.feed, name="feed"),
    # A centre team's SMS campaigns (demarches.campaign_views), before the procedures' slugs.
    private(path("equipe/campagnes/", campaign_views.campaign_list, name="campaigns")),
    private(
        path("equipe/campagnes/centre/<int:centre_id>/nouvelle/", campaign_views.new_campaign, name="new_campaign")
    ),
    private(path("equipe/campagnes/<int:campaign_id>/", campaign_views.campaign, name="campaign")),
    private(path("equipe/campagnes/<int:campaign_id>/message/", campaign_views.write, name="campaign_write")),
    private(path("equipe/campagnes/<int:campaign_id>/apercu/", campaign_views.preview, name="campaign_preview")),
    private(path("equipe/campagnes/<int:campaign_id>/envoyer/", campaign_views.confirm, name="campaign_confirm")),
    private(path("equipe/campagnes/<int:campaign_id>/annuler/", campaign_views.cancel, name="campaign_cancel")),
    path("<slug:slug>/", views.procedure, name="procedure"),
    path("<slug:slug>/echeances.ics", views.procedure_feed, name="procedure_feed"),
]
