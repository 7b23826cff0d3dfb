"""The map's addresses under /carte/; the open data files' addresses are a promise to harvesters."""

from django.urls import path

from carte import export_views, family_views, views

app_name = "carte"

urlpatterns = [
    path("", views.listing, name="listing"),
    path("lieu/<int:place_id>-<slug:slug>/", views.place, name="place"),
    path("familles/", family_views.families, name="families"),
    path("familles/<slug:band>/", family_views.family_band, name="family_band"),
    path("imprimer/", views.print_sheet, name="print"),
    path("donnees/", export_views.open_data, name="open_data"),
    path("donnees/<str:filename>", export_views.download, name="open_data_file"),
]
