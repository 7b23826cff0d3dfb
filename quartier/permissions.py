"""Rows that belong to one centre (its places, its own procedures), managed in the Wagtail admin by its team.

Django's model permissions stand for the network's admins, who edit every row (and the network's own, with no
centre); a centre's team (its editors, its mediators) adds, edits and deletes the rows of the centres it runs,
without any Django permission, and sees no other: another centre's row is "not found".
"""

from django.db.models import Q
from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy

from quartier.models import CentrePage, Membership, centre_ids_run_by

# What a centre's team may do with its own centres' rows, without any Django permission.
TEAM_ACTIONS = {"add", "change", "delete", "view"}


class CentreTeamPermissionPolicy(ModelPermissionPolicy):
    """Model permissions for the network's admins; a centre's team manages the rows of its own centres."""

    def _by_model(self, user, actions):
        return any(super(CentreTeamPermissionPolicy, self).user_has_permission(user, action) for action in actions)

    def user_has_permission(self, user, action):
        return self._by_model(user, [action]) or (action in TEAM_ACTIONS and bool(centre_ids_run_by(user)))

    def user_has_permission_for_instance(self, user, action, instance):
        # A row of the network (no centre) is in no team's centres: only model permissions reach it.
        return self._by_model(user, [action]) or (
            action in TEAM_ACTIONS and instance.centre_id in centre_ids_run_by(user)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if self._by_model(user, actions):
            return self.model.objects.all()
        if TEAM_ACTIONS & set(actions):
            return self.model.objects.filter(centre__in=CentrePage.objects.run_by(user))
        return self.model.objects.none()

    def users_with_any_permission(self, actions):
        users = super().users_with_any_permission(actions)
        if not TEAM_ACTIONS & set(actions):
            return users
        team = Q(groups__centre_team__isnull=False) | Q(memberships__role=Membership.Role.MEDIATOR)
        return users.model.objects.filter(Q(pk__in=users.values("pk")) | (Q(is_active=True) & team)).distinct()


class OwnCentresRowsMixin:
    """For a snippet's admin views: another centre's row is not found, whichever view is asked for it."""

    centre_policy = None  # the model's CentreTeamPermissionPolicy

    def get_object(self, *args, **kwargs):
        row = super().get_object(*args, **kwargs)
        if not self.centre_policy.user_has_permission_for_instance(self.request.user, "change", row):
            raise Http404
        return row
