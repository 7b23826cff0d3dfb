"""The exchange in the Wagtail admin: its categories, the reports a centre's team handles, and the moderation log.

Categories are the network's: only people with Django's model permissions (network admins) edit them. Reports and
the log belong to a centre: whoever of its team has admin access (its editors, mediators given it) sees and acts on
its own here, and another centre's report is "not found"; network admins see every centre's. Mediators without admin
access handle the same reports on the team's pages (`echanges.views.reports`, docs/adr/0008), with the same forms and
actions. The rule is "runs a centre", checked in each view: no Django permission stands for it. Every action goes
through `echanges.services.moderation`, which checks it again and logs it.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from echanges.models import Category, ModerationAction, Report
from echanges.services import moderation
from echanges.views.reports import act_on_report, report_or_404, report_page, reported_thing
from quartier.models import CentrePage, centre_ids_run_by


def may_moderate(user):
    return user.is_authenticated and (user.is_superuser or bool(centre_ids_run_by(user)))


class ModeratorsOnlyMixin:
    """People who run no centre (and are no network admin) get 403."""

    # The rule is "runs a centre", checked in dispatch(): no Django permission stands for it.
    permission_policy = None
    any_permission_required = None

    def dispatch(self, request, *args, **kwargs):
        if not may_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return may_moderate(request.user)


class ModeratorListViewSet(ViewSet):
    """A list in the "Échanges" menu for moderators: its index view and its results, under the viewset's name.

    The menu item takes the index's title and icon and the viewset's name; the index gets its URL names from the
    viewset.
    """

    menu_item_class = ModeratorMenuItem
    index_view_class = None

    @cached_property
    def icon(self):
        return self.index_view_class.header_icon

    @cached_property
    def menu_label(self):
        return self.index_view_class.page_title

    @cached_property
    def menu_name(self):
        return self.name

    def get_urlpatterns(self):
        urls = {
            "index_url_name": self.get_url_name("index"),
            "index_results_url_name": self.get_url_name("index_results"),
        }
        return [
            path("", self.index_view_class.as_view(**urls), name="index"),
            path("resultats/", self.index_view_class.as_view(results_only=True, **urls), name="index_results"),
        ]


# Categories: the network's list, edited by network admins.


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = gettext_lazy("Catégories d'échange")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    # Shown in the "Échanges" menu below, not again in "Snippets".
    menu_item_is_registered = True


# Reports.


def centres_of(request):
    return CentrePage.objects.filter(pk__in=centre_ids_run_by(request.user)).order_by("title")


class CentresFilterSet(WagtailFilterSet):
    """Filters of a moderator's list, one of them the centres they run."""

    centre = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Centre"), queryset=centres_of, empty_label=gettext_lazy("Tous mes centres")
    )


class ReportFilterSet(CentresFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("État"), choices=Report.Status.choices, empty_label=gettext_lazy("Tous")
    )
    reason = django_filters.ChoiceFilter(
        label=gettext_lazy("Motif"), choices=Report.Reason.choices, empty_label=gettext_lazy("Tous les motifs")
    )

    class Meta:
        model = Report
        fields = ["status", "reason", "centre"]


class ReportIndexView(ModeratorsOnlyMixin, IndexView):
    model = Report
    page_title = gettext_lazy("Signalements")
    header_icon = "warning"
    inspect_url_name = "echanges_reports:detail"
    filterset_class = ReportFilterSet
    paginate_by = 30
    columns = [
        TitleColumn(
            "reason",
            label=gettext_lazy("Motif"),
            accessor="get_reason_display",
            url_name="echanges_reports:detail",
        ),
        Column("status", label=gettext_lazy("État"), accessor="get_status_display", sort_key="status"),
        Column("thing", label=gettext_lazy("Signalé"), accessor=reported_thing),
        Column("person", label=gettext_lazy("Personne concernée")),
        Column("centre", label=gettext_lazy("Centre")),
        DateColumn("created_at", label=gettext_lazy("Signalé le"), sort_key="created_at"),
    ]

    def get_base_queryset(self):
        return moderation.reports_moderated_by(self.request.user).select_related("centre", "person", "offer")

    def order_queryset(self, queryset):
        if self.is_explicitly_ordered and self.ordering:
            return super().order_queryset(queryset)
        return moderation.open_first(queryset)


class ReportDetailView(ModeratorsOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """What was reported, what was done about it, and the forms to act; each form posts its `action` here."""

    template_name = "echanges/admin/report_detail.html"
    header_icon = "warning"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.posted = None

    def get_page_title(self):
        return _("Signalement")

    def get_page_subtitle(self):
        return str(self.report)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("echanges_reports:index"), "label": _("Signalements")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get(self, request, *args, **kwargs):
        self.report = report_or_404(request.user, self.kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.report = report_or_404(request.user, self.kwargs["pk"])
        self.posted = act_on_report(request, self.report)
        if self.posted is None:
            return redirect("echanges_reports:detail", self.report.pk)
        return self.render_to_response(self.get_context_data(**kwargs), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(report_page(self.report, self.request.user, self.posted))
        return context


class ReportViewSet(ModeratorListViewSet):
    name = "echanges_reports"
    url_prefix = "signalements"
    index_view_class = ReportIndexView

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("<int:pk>/", ReportDetailView.as_view(), name="detail")]


# The moderation log.


class ModerationActionFilterSet(CentresFilterSet):
    action = django_filters.ChoiceFilter(
        label=gettext_lazy("Action"), choices=ModerationAction.Action.choices, empty_label=gettext_lazy("Toutes")
    )

    class Meta:
        model = ModerationAction
        fields = ["action", "centre"]


def report_link(action):
    return reverse("echanges_reports:detail", args=[action.report_id]) if action.report_id else None


class ModerationLogView(ModeratorsOnlyMixin, IndexView):
    model = ModerationAction
    page_title = gettext_lazy("Journal de modération")
    header_icon = "history"
    filterset_class = ModerationActionFilterSet
    paginate_by = 50
    default_ordering = "-created_at"
    columns = [
        DateColumn("created_at", label=gettext_lazy("Le"), sort_key="created_at"),
        Column("moderator", label=gettext_lazy("Qui")),
        TitleColumn("action", label=gettext_lazy("Action"), accessor="get_action_display", get_url=report_link),
        Column("person", label=gettext_lazy("Personne concernée")),
        Column("centre", label=gettext_lazy("Centre")),
        Column("note", label=gettext_lazy("Note")),
    ]

    def get_base_queryset(self):
        return moderation.actions_seen_by(self.request.user).select_related("moderator", "person", "centre")

    def get_list_buttons(self, instance):
        return []


class ModerationLogViewSet(ModeratorListViewSet):
    name = "echanges_moderation_log"
    url_prefix = "journal-moderation"
    index_view_class = ModerationLogView


class ExchangeViewSetGroup(ViewSetGroup):
    items = (ReportViewSet, ModerationLogViewSet, CategoryViewSet)
    menu_icon = "resubmit"
    menu_label = gettext_lazy("Échanges")
    menu_name = "echanges"
    menu_order = 270


register_snippet(ExchangeViewSetGroup)
