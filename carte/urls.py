"""The map's addresses under /carte/; the open data files' addresses are a promise to harvesters."""

from django.urls import path

from carte import export_views, family_views, proposal_views, team_views, views
from core.addresses import private

app_name = "carte"

urlpatterns = [
    path("", views.listing, name="listing"),
    path("lieux.json", views.places_json, name="places_json"),
    path("lieu/<int:place_id>-<slug:slug>/", views.place, name="place"),
    path("lieu/<int:place_id>-<slug:slug>/signaler/", proposal_views.report_error, name="report_error"),
    path("proposer/", proposal_views.propose_place, name="propose"),
    # A proposal's answer changes with no write a public page would see: never a shared copy.
    private(path("propositions/<uuid:token>/", proposal_views.proposal_status, name="proposal_status")),
    path("familles/", family_views.families, name="families"),
    path("familles/<slug:band>/", family_views.family_band, name="family_band"),
    path("imprimer/", views.print_sheet, name="print"),
    path("donnees/", export_views.open_data, name="open_data"),
    path("donnees/<str:filename>", export_views.download, name="open_data_file"),
    # The centre team's page (carte.team_views).
    private(path("equipe/", team_views.team, name="team")),
    private(path("equipe/propositions/<int:proposal_id>/", team_views.team_proposal, name="team_proposal")),
    private(path("equipe/lieux/<int:place_id>/verifie/", team_views.place_checked, name="place_checked")),
]
