"""The procedures' calendar under /demarches/, and the centre team's pages under /demarches/equipe/."""

from django.urls import path

from core.addresses import private
from demarches import team_views, views

app_name = "demarches"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("echeances.ics", views.feed, name="feed"),
    # The centre team's pages, before the procedures' slugs (demarches.team_views).
    private(path("equipe/a-rappeler/", team_views.callback_list, name="callbacks")),
    private(path("equipe/a-rappeler/<int:callback_id>/fait/", team_views.callback_done, name="callback_done")),
    path("<slug:slug>/", views.procedure, name="procedure"),
    path("<slug:slug>/echeances.ics", views.procedure_feed, name="procedure_feed"),
]
