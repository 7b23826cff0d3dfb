"""The map's addresses under /carte/: for now its open data files, whose addresses are a promise to harvesters."""

from django.urls import path

from carte import export_views

app_name = "carte"

urlpatterns = [
    path("donnees/", export_views.open_data, name="open_data"),
    path("donnees/<str:filename>", export_views.download, name="open_data_file"),
]
