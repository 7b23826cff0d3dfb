""" "Nouvelle activité": one link from the admin's dashboard, its menu and the team's page to the activity's form.

Wagtail's own way runs through the page tree (menu, Pages, the centre, add a page, its type): a centre worker
who publishes an activity a week should not have to know the tree. The link lands on the form under the
editor's centre, or asks which one when they run several.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.pages import PagePermissionPolicy

from quartier.models import CentrePage


def centres_open_to_new_activities(user):
    """The centres under which `user` may add pages, hence activities: their own, or every one for network admins."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    return CentrePage.objects.filter(pk__in=pages.values("pk")).order_by("title")


def add_activity_url(centre):
    return reverse("wagtailadmin_pages:add", args=("agenda", "eventpage", centre.pk))


class NewActivityView(WagtailAdminTemplateMixin, TemplateView):
    """Straight to the form under the editor's only centre; a list of their centres when they run several."""

    template_name = "agenda/admin/new_activity.html"
    page_title = _("Nouvelle activité")
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        centres = list(centres_open_to_new_activities(request.user))
        if not centres:
            raise PermissionDenied
        if len(centres) == 1:
            return redirect(add_activity_url(centres[0]))
        return self.render_to_response(
            self.get_context_data(centres=[(centre, add_activity_url(centre)) for centre in centres])
        )


class NewActivityPanel(Component):
    """The first thing on the dashboard of someone who may publish activities."""

    name = "new_activity"
    template_name = "agenda/admin/new_activity_panel.html"
    order = 0

    def get_context_data(self, parent_context):
        return {"url": reverse("agenda_new_activity")}
