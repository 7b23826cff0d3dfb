"""The procedures' calendar under /demarches/, the team's pages (call-backs, mandates) and the resident's own."""

from django.urls import path

from core.addresses import private
from demarches import callback_views, resident_views, team_views, views

app_name = "demarches"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("echeances.ics", views.feed, name="feed"),
    # Before the procedures' `<slug>/`: these addresses are never a procedure's.
    private(path("equipe/a-rappeler/", callback_views.callback_list, name="callbacks")),
    private(path("equipe/a-rappeler/<int:callback_id>/fait/", callback_views.callback_done, name="callback_done")),
    private(path("equipe/mandats/", team_views.mandates, name="team_mandates")),
    private(path("equipe/mandats/nouveau/", team_views.new_mandate, name="new_mandate")),
    private(path("equipe/mandats/<int:mandate_id>/", team_views.mandate, name="team_mandate")),
    private(path("equipe/mandats/<int:mandate_id>/arreter/", team_views.revoke, name="revoke_mandate")),
    private(path("equipe/mandats/<int:mandate_id>/imprimer/", team_views.printable, name="print_mandate")),
    private(path("equipe/mandats/<int:mandate_id>/papier-signe/", team_views.consent_scan, name="consent_scan")),
    private(path("mes-mandats/", resident_views.my_mandates, name="my_mandates")),
    private(path("mes-mandats/<int:mandate_id>/", resident_views.my_mandate, name="my_mandate")),
    private(path("mes-mandats/<int:mandate_id>/arreter/", resident_views.revoke_my_mandate, name="revoke_my_mandate")),
    private(path("mes-mandats/<int:mandate_id>/imprimer/", resident_views.print_my_mandate, name="print_my_mandate")),
    path("<slug:slug>/", views.procedure, name="procedure"),
    path("<slug:slug>/echeances.ics", views.procedure_feed, name="procedure_feed"),
]
