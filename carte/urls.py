"""The map's addresses under /carte/; the open data files' addresses are a promise to harvesters."""

from django.urls import path

from carte import export_views, views

app_name = "carte"

urlpatterns = [
    path("", views.listing, name="listing"),
    path("lieux.json", views.places_json, name="places_json"),
    path("lieu/<int:place_id>-<slug:slug>/", views.place, name="place"),
    path("imprimer/", views.print_sheet, name="print"),
    path("donnees/", export_views.open_data, name="open_data"),
    path("donnees/<str:filename>", export_views.download, name="open_data_file"),
]
