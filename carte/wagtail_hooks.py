"""The map in the Wagtail admin: the network's categories of places and the places, with their hours inline.

Centres' own places are left out of the list: the centre's page is where their data is written (carte/signals.py).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from carte.models import PlaceCategory, UsefulPlace


class PlaceCategoryViewSet(SnippetViewSet):
    model = PlaceCategory
    icon = "tag"
    menu_label = _("Catégories de lieux")
    list_display = ["name", "slug", "description"]


class UsefulPlaceViewSet(SnippetViewSet):
    model = UsefulPlace
    icon = "site"
    menu_label = _("Lieux utiles")
    list_display = ["name", "town", "centre", "last_checked_on"]

    def get_queryset(self, request):
        return UsefulPlace.objects.filter(for_centre__isnull=True).select_related("centre")


class MapViewSetGroup(SnippetViewSetGroup):
    items = (UsefulPlaceViewSet, PlaceCategoryViewSet)
    menu_icon = "site"
    menu_label = _("Carte")
    menu_name = "carte"


register_snippet(MapViewSetGroup)
