"""Procedures in the Wagtail admin: the network's, edited by network admins, and each centre's own, by its team.

The rule is the agenda's places' (quartier/permissions.py): network admins edit every procedure, the network's
included; a centre's team adds, edits and deletes its own centres' procedures and sees no other in the admin.
Saving one writes its deadlines at once (`demarches.services.materialise`).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from demarches import services
from demarches.forms import ProcedureForm
from demarches.models import Procedure
from quartier.permissions import CentreTeamPermissionPolicy, OwnCentresRowsMixin

# Registered before any view asks for Procedure's policy (Wagtail would otherwise make a default one).
procedure_policy = CentreTeamPermissionPolicy(Procedure)
register_permission_policy(Procedure, procedure_policy)


class OwnProceduresMixin(OwnCentresRowsMixin):
    """Another centre's procedure, or the network's for a team, is not found, whichever view is asked for it."""

    centre_policy = procedure_policy


class ProcedureEditView(OwnProceduresMixin, snippet_views.EditView):
    pass


class ProcedureDeleteView(OwnProceduresMixin, snippet_views.DeleteView):
    pass


class ProcedureHistoryView(OwnProceduresMixin, snippet_views.HistoryView):
    pass


class ProcedureUsageView(OwnProceduresMixin, snippet_views.UsageView):
    pass


class ProcedureViewSet(SnippetViewSet):
    model = Procedure
    icon = "list-ul"
    menu_label = _("Démarches en ligne")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "centre", "domain", "rhythm"]
    search_fields = ["name"]
    edit_view_class = ProcedureEditView
    delete_view_class = ProcedureDeleteView
    history_view_class = ProcedureHistoryView
    usage_view_class = ProcedureUsageView
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("centre", widget=forms.Select),
            FieldPanel("purpose"),
            FieldPanel("domain"),
            FieldPanel("audiences"),
            FieldPanel("official_url"),
            FieldPanel("to_bring"),
            FieldPanel("duration"),
            FieldPanel("tutorial"),
            MultiFieldPanel(
                [
                    FieldPanel("rhythm"),
                    FieldRowPanel([FieldPanel("opens_day"), FieldPanel("opens_month")]),
                    FieldRowPanel([FieldPanel("closes_day"), FieldPanel("closes_month")]),
                    FieldPanel("rule_ends_on"),
                ],
                heading=_("Quand la faire"),
            ),
            InlinePanel("dated_windows", heading=_("Périodes datées"), label=_("période")),
        ],
        base_form_class=ProcedureForm,
    )

    def get_queryset(self, request):
        return procedure_policy.instances_user_has_any_permission_for(request.user, ["change"]).select_related(
            "centre"
        )


register_snippet(ProcedureViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def write_deadlines(request, instance):
    if isinstance(instance, Procedure):
        services.materialise(instance)
