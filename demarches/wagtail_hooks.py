"""Procedures in the Wagtail admin: the network's, edited by network admins, and each centre's own, by its team.

Like the agenda's places: Django's model permissions stand for the network admins, who edit every procedure and
the network's (no centre); a centre's team (its editors, its mediators) adds, edits and deletes the procedures of
the centres it runs, and sees no other in the admin. Another centre's procedure is "not found". Saving one writes
its deadlines at once (`demarches.services.materialise`).
"""

from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from demarches import services
from demarches.forms import ProcedureForm
from demarches.models import Procedure
from quartier.models import CentrePage, Membership, centre_ids_run_by

# What a centre's team may do with its own centres' procedures, without any Django permission.
TEAM_ACTIONS = {"add", "change", "delete", "view"}


class ProcedurePermissionPolicy(ModelPermissionPolicy):
    """Model permissions for the network's admins; a centre's team manages its own centres' procedures."""

    def _by_model(self, user, actions):
        return any(super(ProcedurePermissionPolicy, self).user_has_permission(user, action) for action in actions)

    def user_has_permission(self, user, action):
        return self._by_model(user, [action]) or (action in TEAM_ACTIONS and bool(centre_ids_run_by(user)))

    def user_has_permission_for_instance(self, user, action, instance):
        # A network procedure (no centre) is in no team's centres: only model permissions reach it.
        return self._by_model(user, [action]) or (
            action in TEAM_ACTIONS and instance.centre_id in centre_ids_run_by(user)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if self._by_model(user, actions):
            return Procedure.objects.all()
        if TEAM_ACTIONS & set(actions):
            return Procedure.objects.filter(centre__in=CentrePage.objects.run_by(user))
        return Procedure.objects.none()

    def users_with_any_permission(self, actions):
        users = super().users_with_any_permission(actions)
        if not TEAM_ACTIONS & set(actions):
            return users
        team = Q(groups__centre_team__isnull=False) | Q(memberships__role=Membership.Role.MEDIATOR)
        return users.model.objects.filter(Q(pk__in=users.values("pk")) | (Q(is_active=True) & team)).distinct()


# Registered before any view asks for Procedure's policy (Wagtail would otherwise make a default one).
procedure_policy = ProcedurePermissionPolicy(Procedure)
register_permission_policy(Procedure, procedure_policy)


class OwnProceduresMixin:
    """Another centre's procedure, or the network's for a team, is not found, whichever view is asked for it."""

    def get_object(self, *args, **kwargs):
        procedure = super().get_object(*args, **kwargs)
        if not procedure_policy.user_has_permission_for_instance(self.request.user, "change", procedure):
            raise Http404
        return procedure


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
    list_display = ["name", "centre", "rhythm"]
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
            FieldPanel("audiences"),
            FieldPanel("official_url"),
            FieldPanel("to_bring"),
            FieldPanel("duration"),
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
