"""The map's addresses under /carte/."""

from django.urls import path

from carte import views

app_name = "carte"

urlpatterns = [
    path("", views.listing, name="listing"),
    path("lieu/<int:place_id>-<slug:slug>/", views.place, name="place"),
    path("imprimer/", views.print_sheet, name="print"),
]
