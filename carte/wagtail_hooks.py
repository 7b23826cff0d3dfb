"""The map in the Wagtail admin: the network's categories of places and the places, with their hours inline, and
the network admins' import of places from a standard file (carte/admin_import.py).

A centre's team (its editors, its mediators) adds and edits the places its centre looks after and sees no other
(quartier/permissions.py, as the agenda's places); network admins manage them all, the categories and the
families' path's calendar.

Centres' own places are left out of the list: the centre's page is where their data is written (carte/signals.py).
"""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from carte.admin_import import ImportPlacesView, may_import
from carte.models import FamilyStep, PlaceCategory, UsefulPlace
from quartier.models import CentrePage, centre_ids_run_by
from quartier.permissions import CentreTeamPermissionPolicy, OwnCentresRowsMixin

# A centre's team manages the places its centre looks after; network admins (model permissions) all of them.
# Registered before any view asks for UsefulPlace's policy (Wagtail would otherwise make a default one).
place_policy = CentreTeamPermissionPolicy(UsefulPlace)
register_permission_policy(UsefulPlace, place_policy)


class PlaceCategoryViewSet(SnippetViewSet):
    model = PlaceCategory
    icon = "tag"
    menu_label = _("Catégories de lieux")
    list_display = ["name", "slug", "description"]


class UsefulPlaceForm(WagtailAdminModelForm):
    """A centre's team places a place in one of its own centres; a network admin in any, or in none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("centre")
        user = self.for_user
        if field is None or user is None or user.has_perm("carte.change_usefulplace"):
            return
        mine = centre_ids_run_by(user)
        field.queryset = CentrePage.objects.filter(pk__in=mine).order_by("title")
        field.required = True
        if len(mine) == 1 and not self.instance.pk:
            self.initial["centre"] = next(iter(mine))


class OwnPlacesMixin(OwnCentresRowsMixin):
    """Another centre's place is not found; nor a centre's own place, which its page writes (carte/signals.py)."""

    centre_policy = place_policy

    def get_object(self, *args, **kwargs):
        place = super().get_object(*args, **kwargs)
        if place.for_centre_id is not None:
            raise Http404
        return place


class PlaceEditView(OwnPlacesMixin, snippet_views.EditView):
    pass


class PlaceDeleteView(OwnPlacesMixin, snippet_views.DeleteView):
    pass


class PlaceHistoryView(OwnPlacesMixin, snippet_views.HistoryView):
    pass


class PlaceUsageView(OwnPlacesMixin, snippet_views.UsageView):
    pass


class UsefulPlaceViewSet(SnippetViewSet):
    model = UsefulPlace
    icon = "site"
    menu_label = _("Lieux utiles")
    list_display = ["name", "town", "centre", "last_checked_on"]
    edit_view_class = PlaceEditView
    delete_view_class = PlaceDeleteView
    history_view_class = PlaceHistoryView
    usage_view_class = PlaceUsageView
    edit_handler = ObjectList(UsefulPlace.panels, base_form_class=UsefulPlaceForm)

    def get_queryset(self, request):
        places = place_policy.instances_user_has_any_permission_for(request.user, ["change"])
        return places.filter(for_centre__isnull=True).select_related("centre")


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
    submenu_hook = "register_carte_menu_item"


register_snippet(MapViewSetGroup)


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("carte/importer/", ImportPlacesView.as_view(), name="carte_import")]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import(request.user)


@hooks.register("register_carte_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Importer des lieux"), reverse("carte_import"), icon_name="upload", order=900)
