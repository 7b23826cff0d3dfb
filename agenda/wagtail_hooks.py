"""The agenda in the Wagtail admin: categories and places, the attendance figures for funders, and the way from
an activity's page to its registration lists.

Categories are the network's: only people with Django's model permissions (network admins) edit them, while
editors choose them on their activities. Places belong to a centre: its team manages its own, and sees no other.
"""

from datetime import datetime, timedelta

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import Button, ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from agenda import figures
from agenda.models import Category, EventPage, Occurrence, Place
from agenda.new_activity import NewActivityPanel, NewActivityView, centres_open_to_new_activities
from core.admin_reports import report_urls
from quartier.models import CentrePage, centre_ids_run_by
from quartier.permissions import CentreTeamPermissionPolicy, OwnCentresRowsMixin

# Registered before any view asks for Place's policy (Wagtail would otherwise make a default one).
place_policy = CentreTeamPermissionPolicy(Place)
register_permission_policy(Place, place_policy)


class PlaceForm(WagtailAdminModelForm):
    """A place's centre is one of the centres the editor runs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "centre" in self.fields:
            centres = CentrePage.objects.filter(pk__in=centre_ids_run_by(self.for_user)).order_by("title")
            self.fields["centre"].queryset = centres
            if len(centre_ids_run_by(self.for_user)) == 1 and not self.instance.pk:
                self.initial["centre"] = next(iter(centre_ids_run_by(self.for_user)))


class OwnPlacesMixin(OwnCentresRowsMixin):
    """Another centre's place is not found, whichever view (edit, delete, history, usage) is asked for it."""

    centre_policy = place_policy


class PlaceEditView(OwnPlacesMixin, snippet_views.EditView):
    pass


class PlaceDeleteView(OwnPlacesMixin, snippet_views.DeleteView):
    pass


class PlaceHistoryView(OwnPlacesMixin, snippet_views.HistoryView):
    pass


class PlaceUsageView(OwnPlacesMixin, snippet_views.UsageView):
    pass


class OwnPlacesChooserMixin:
    def get_object_list(self):
        return place_policy.instances_user_has_any_permission_for(self.request.user, ["change"]).select_related(
            "centre"
        )


class PlaceChooseView(OwnPlacesChooserMixin, ChooseView):
    pass


class PlaceChooseResultsView(OwnPlacesChooserMixin, ChooseResultsView):
    pass


class PlaceChooserViewSet(SnippetChooserViewSet):
    choose_view_class = PlaceChooseView
    choose_results_view_class = PlaceChooseResultsView
    # An activity's place stays a plain list of its centre's places (EventPageForm narrows it), not a pop-up.
    register_widget = False


class CategoryChooserViewSet(SnippetChooserViewSet):
    # A dozen categories read better as a plain list on an activity than in a pop-up.
    register_widget = False


class PlaceViewSet(SnippetViewSet):
    model = Place
    icon = "site"
    menu_label = _("Lieux")
    list_display = ["name", "centre", "town", "wheelchair_accessible"]
    search_fields = ["name", "town"]
    edit_view_class = PlaceEditView
    delete_view_class = PlaceDeleteView
    history_view_class = PlaceHistoryView
    usage_view_class = PlaceUsageView
    chooser_viewset_class = PlaceChooserViewSet
    edit_handler = ObjectList(
        [
            FieldPanel("centre", widget=forms.Select),
            FieldPanel("name"),
            FieldPanel("street_address"),
            FieldRowPanel([FieldPanel("postcode"), FieldPanel("town")]),
            FieldPanel("wheelchair_accessible"),
            FieldPanel("accessibility"),
        ],
        base_form_class=PlaceForm,
    )

    def get_queryset(self, request):
        return place_policy.instances_user_has_any_permission_for(request.user, ["change"]).select_related("centre")


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Catégories")
    list_display = ["name", "slug"]
    chooser_viewset_class = CategoryChooserViewSet


class AgendaViewSetGroup(SnippetViewSetGroup):
    items = (CategoryViewSet, PlaceViewSet)
    menu_icon = "date"
    menu_label = _("Agenda")
    menu_name = "agenda"
    menu_order = 250


register_snippet(AgendaViewSetGroup)


# Attendance figures for funders.


def may_see_figures(user):
    return user.is_authenticated and (user.is_superuser or bool(centre_ids_run_by(user)))


def month_choices(request):
    """The months that have dates in the centres the reader runs, latest first."""
    months = Occurrence.objects.managed_by(request.user).datetimes("start", "month", order="DESC")
    return [(f"{month:%Y-%m}", date_format(month, "F Y")) for month in months]


class AttendanceFilterSet(WagtailFilterSet):
    month = django_filters.ChoiceFilter(label=_("Mois"), method="filter_month", empty_label=_("Tous les mois"))
    centre = django_filters.ModelChoiceFilter(
        label=_("Centre"),
        queryset=lambda request: CentrePage.objects.filter(pk__in=centre_ids_run_by(request.user)).order_by("title"),
        empty_label=_("Tous mes centres"),
    )
    detail = django_filters.ChoiceFilter(
        label=_("Regrouper"),
        choices=[("centre", _("Par centre (toutes activités ensemble)"))],
        empty_label=_("Par activité"),
        method="keep_all",
    )

    class Meta:
        model = Occurrence
        fields = ["month", "centre", "detail"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["month"].extra["choices"] = month_choices(self.request)

    def filter_month(self, queryset, name, value):
        first = datetime.strptime(value, "%Y-%m")
        following = (first + timedelta(days=32)).replace(day=1)
        return queryset.filter(start__gte=timezone.make_aware(first), start__lt=timezone.make_aware(following))

    def keep_all(self, queryset, name, value):
        # Not a filter: how the rows are grouped, read by the view.
        return queryset


class AttendanceReportView(ReportView):
    page_title = _("Fréquentation des activités")
    header_icon = "date"
    filterset_class = AttendanceFilterSet
    index_url_name = "agenda_attendance_report"
    index_results_url_name = "agenda_attendance_report_results"
    export_filename = "frequentation-activites"
    # The rule is "runs a centre", checked in dispatch(): no Django permission stands for it.
    permission_policy = None
    columns = [
        Column("month_label", label=_("Mois")),
        Column("centre__title", label=_("Centre")),
        Column("event__title", label=_("Activité")),
        Column("dates", label=_("Séances")),
        Column("registered", label=_("Inscriptions")),
        Column("present", label=_("Présences")),
        Column("absent", label=_("Absences")),
        Column("waitlisted", label=_("En liste d'attente")),
        Column("cancelled", label=_("Désinscriptions")),
        Column("people_reached", label=_("Personnes touchées")),
    ]
    list_export = [column.name for column in columns]
    export_headings = {column.name: column.label for column in columns}

    def dispatch(self, request, *args, **kwargs):
        if not may_see_figures(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def by_centre(self):
        return self.request.GET.get("detail") == "centre"

    def get_filtered_queryset(self):
        occurrences = self.filter_queryset(Occurrence.objects.managed_by(self.request.user))
        return figures.by_centre(occurrences) if self.by_centre else figures.by_activity(occurrences)

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row["month_label"] = date_format(timezone.localtime(row["month"]), "F Y")
            if self.by_centre:
                row["event__title"] = _("Toutes les activités")
        return rows


@hooks.register("register_admin_urls")
def register_attendance_report_urls():
    return report_urls("frequentation", AttendanceReportView)


class StaffMenuItem(MenuItem):
    """Shown to the people who run at least one centre (and to network admins)."""

    def is_shown(self, request):
        return may_see_figures(request.user)


@hooks.register("register_reports_menu_item")
def register_attendance_report_menu_item():
    return StaffMenuItem(
        _("Fréquentation des activités"), reverse("agenda_attendance_report"), icon_name="date", order=900
    )


# From an activity's page in the admin to its dates and registrations on the staff pages.


def staff_dates_url(page):
    return f"{reverse('agenda:team')}?{urlencode({'activite': page.pk})}"


def runs_page_centre(user, page):
    """Whether `user` runs the centre above `page`, from the tree paths: no query per row of a listing."""
    if not issubclass(page.specific_class or type(page), EventPage):
        return False
    if not hasattr(user, "_agenda_centre_paths"):
        user._agenda_centre_paths = tuple(
            CentrePage.objects.filter(pk__in=centre_ids_run_by(user)).values_list("path", flat=True)
        )
    return page.path.startswith(user._agenda_centre_paths) if user._agenda_centre_paths else False


@hooks.register("register_admin_menu_item")
def register_staff_pages_menu_item():
    return StaffMenuItem(_("Dates et inscriptions"), reverse("agenda:team"), icon_name="list-ul", order=260)


@hooks.register("register_page_listing_buttons")
def event_dates_listing_button(page, user, next_url=None):
    if runs_page_centre(user, page):
        yield ListingButton(_("Dates et inscriptions"), staff_dates_url(page), icon_name="list-ul", priority=45)


@hooks.register("register_page_header_buttons")
def event_dates_header_button(page, user, view_name, next_url=None):
    if runs_page_centre(user, page):
        yield Button(_("Dates et inscriptions"), staff_dates_url(page), icon_name="list-ul", priority=45)


# "Nouvelle activité": from the dashboard and the menu straight to the activity's form (agenda/new_activity.py).


@hooks.register("register_admin_urls")
def register_new_activity_url():
    return [path("agenda/nouvelle-activite/", NewActivityView.as_view(), name="agenda_new_activity")]


def may_add_activities(user):
    if not hasattr(user, "_agenda_may_add_activities"):
        user._agenda_may_add_activities = centres_open_to_new_activities(user).exists()
    return user._agenda_may_add_activities


class NewActivityMenuItem(MenuItem):
    def is_shown(self, request):
        return may_add_activities(request.user)


@hooks.register("register_admin_menu_item")
def register_new_activity_menu_item():
    return NewActivityMenuItem(_("Nouvelle activité"), reverse("agenda_new_activity"), icon_name="plus", order=1)


@hooks.register("construct_homepage_panels")
def add_new_activity_panel(request, panels):
    if may_add_activities(request.user):
        panels.append(NewActivityPanel())


@hooks.register("insert_global_admin_css")
def admin_css_for_phones():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("construct_page_action_menu")
def publish_first_for_activities(menu_items, request, context):
    """On an activity (new or not), "Publier" is the main button: what a centre worker came to do.

    "Enregistrer le brouillon" stays one tap away under "Plus d'actions".
    """
    page, parent = context.get("page"), context.get("parent_page")
    is_activity = isinstance(page, EventPage) if page is not None else isinstance(parent, CentrePage)
    publish = next((item for item in menu_items if item.name == "action-publish"), None)
    if is_activity and publish is not None:
        menu_items.remove(publish)
        menu_items.insert(0, publish)
