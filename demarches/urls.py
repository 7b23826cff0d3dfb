"""The procedures' calendar under /demarches/."""

from django.urls import path

from demarches import views

app_name = "demarches"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("echeances.ics", views.feed, name="feed"),
    path("<slug:slug>/", views.procedure, name="procedure"),
    path("<slug:slug>/echeances.ics", views.procedure_feed, name="procedure_feed"),
]
