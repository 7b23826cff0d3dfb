"""The map in the Wagtail admin: the network's categories of places, the places with their hours inline, and the
families' path's calendar.

Centres' own places are left out of the list: the centre's page is where their data is written (carte/signals.py).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from carte.models import FamilyStep, PlaceCategory, UsefulPlace


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


class FamilyStepViewSet(SnippetViewSet):
    model = FamilyStep
    icon = "date"
    menu_label = _("Parcours des familles")
    list_display = ["title", "age_band", "when", "procedure"]
    list_filter = ["age_band"]


class MapViewSetGroup(SnippetViewSetGroup):
    items = (UsefulPlaceViewSet, PlaceCategoryViewSet, FamilyStepViewSet)
    menu_icon = "site"
    menu_label = _("Carte")
    menu_name = "carte"


register_snippet(MapViewSetGroup)
