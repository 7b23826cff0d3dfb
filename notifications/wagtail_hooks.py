"""Staff see the e-mails and SMS that could not go (and the others) in the admin, scoped to their centres."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from core.admin_reports import report_urls
from notifications.models import Delivery
from quartier.models import centre_ids_run_by

permission_policy = ModelPermissionPolicy(Delivery)


class DeliveryFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("État"), choices=Delivery.Status.choices)
    channel = django_filters.ChoiceFilter(label=_("Canal"), choices=Delivery._meta.get_field("channel").choices)
    # What the SMS provider reported (notifications.sms_inbound): "numéro inconnu" lists the numbers to correct.
    report = django_filters.ChoiceFilter(label=_("Accusé de réception"), choices=Delivery.Report.choices)

    class Meta:
        model = Delivery
        fields = ["status", "channel", "report"]


def deliveries_visible_to(user):
    deliveries = Delivery.objects.select_related("notification__recipient", "centre")
    if user.is_superuser:
        return deliveries
    return deliveries.filter(centre__in=centre_ids_run_by(user))


class DeliveriesReportView(ReportView):
    page_title = _("Envois d'e-mails et de SMS")
    header_icon = "mail"
    permission_policy = permission_policy
    any_permission_required = ["view", "change"]
    filterset_class = DeliveryFilterSet
    index_url_name = "notifications_deliveries"
    index_results_url_name = "notifications_deliveries_results"
    columns = [
        Column("message", label=_("Message")),
        Column("recipient", label=_("Pour")),
        Column("channel", label=_("Canal"), accessor="get_channel_display"),
        Column("status", label=_("État"), accessor="get_status_display"),
        Column("report", label=_("Accusé de réception"), accessor="get_report_display"),
        Column("attempts", label=_("Essais")),
        Column("last_error", label=_("Dernière erreur")),
        DateColumn("created_at", label=_("Créé le")),
        DateColumn("sent_at", label=_("Envoyé le")),
    ]
    list_export = [
        "message",
        "recipient",
        "channel",
        "status",
        "report",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    export_headings = {"message": _("Message"), "recipient": _("Pour")}

    def get_queryset(self):
        return deliveries_visible_to(self.request.user)


@hooks.register("register_admin_urls")
def register_deliveries_urls():
    return report_urls("envois", DeliveriesReportView)


class DeliveriesMenuItem(MenuItem):
    def is_shown(self, request):
        return permission_policy.user_has_any_permission(request.user, ["view", "change"])


@hooks.register("register_reports_menu_item")
def register_deliveries_menu_item():
    return DeliveriesMenuItem(
        _("Envois d'e-mails et de SMS"), reverse("notifications_deliveries"), icon_name="mail", order=1000
    )
