"""Each centre's editors: a Wagtail group whose rights stop at the centre's own subtree.

Its relays and young contributors get a group too: admin access and the centre's collection for their images,
nothing on the centre's pages; the apps that take their drafts grant them the right to write there.

The centre also gets its own moderation workflow, assigned to its page: what residents propose under it
waits for the approval of that centre's editors, and of no other centre's.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from quartier.models import CentreTeam

# Editors publish and manage their pages, but deleting a whole branch stays with the network admins.
PAGE_PERMISSIONS = ["add", "change", "publish", "lock", "unlock"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
# Contributors upload and choose pictures in their centre's collection; editing them stays with the editors.
CONTRIBUTOR_COLLECTION_PERMISSIONS = [("wagtailimages", "add_image"), ("wagtailimages", "choose_image")]
GROUP_NAME_MAX = Group._meta.get_field("name").max_length


def editors_group_name(centre):
    name = _("%(centre)s — animateurs") % {"centre": centre.title}
    return name[:GROUP_NAME_MAX]


def contributors_group_name(centre):
    name = _("%(centre)s — contributeurs") % {"centre": centre.title}
    return name[:GROUP_NAME_MAX]


def _collection_permissions(group, collection, wanted_permissions):
    wanted = Q()
    for app_label, codename in wanted_permissions:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection=collection, permission=permission)
        for permission in Permission.objects.filter(wanted)
    )


def _admin_access():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def contributors_group(centre, collection):
    """A new group for the centre's relays and contributors: the admin, and pictures in the centre's collection."""
    group = Group.objects.create(name=_unique_name(Group, contributors_group_name(centre)))
    group.permissions.add(_admin_access())
    if collection is not None:
        _collection_permissions(group, collection, CONTRIBUTOR_COLLECTION_PERMISSIONS)
    return group


def workflow_name(group_name):
    # Named after the group, so that a rename follows the group's and leaves names chosen in the admin alone.
    return _("Relecture par %(team)s") % {"team": group_name}


def _unique_name(model, name, *, exclude_pk=None, max_length=GROUP_NAME_MAX):
    """The name itself, or the name with a number when another row already has it."""
    candidate, number = name, 2
    while model.objects.filter(name=candidate).exclude(pk=exclude_pk).exists():
        suffix = f" ({number})"
        candidate, number = name[: max_length - len(suffix)] + suffix, number + 1
    return candidate


@transaction.atomic
def set_up_centre_team(centre):
    """Create the centre's editors group and image collection, with rights on this centre only."""
    group = Group.objects.create(name=_unique_name(Group, editors_group_name(centre)))
    group.permissions.add(_admin_access())
    for permission_type in PAGE_PERMISSIONS:
        GroupPagePermission.objects.create(group=group, page=centre, permission_type=permission_type)

    collection = Collection.get_first_root_node().add_child(
        name=_unique_name(Collection, centre.title, max_length=255)
    )
    _collection_permissions(group, collection, COLLECTION_PERMISSIONS)
    set_up_review(centre, group)
    contributors = contributors_group(centre, collection)
    return CentreTeam.objects.create(centre=centre, editors=group, collection=collection, contributors=contributors)


def set_up_review(centre, group):
    """Give the centre a moderation workflow whose one step its editors `group` approves.

    A centre whose team is set up again (its group was deleted) keeps its workflow, and the proposals
    waiting in it: the new group joins the workflow's approval steps.
    """
    assigned = WorkflowPage.objects.filter(page=centre).select_related("workflow").first()
    if assigned is not None:
        for task in GroupApprovalTask.objects.filter(workflow_tasks__workflow=assigned.workflow):
            task.groups.add(group)
        return assigned.workflow
    task = GroupApprovalTask.objects.create(name=group.name)
    task.groups.add(group)
    workflow = Workflow.objects.create(name=workflow_name(group.name))
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=centre, workflow=workflow)
    return workflow


def rename_centre_team(team, centre):
    """Keep the names of the group, its workflow and the collection in step with the centre's title."""
    group_name = _unique_name(Group, editors_group_name(centre), exclude_pk=team.editors_id)
    if team.editors.name != group_name:
        old_name = team.editors.name
        team.editors.name = group_name
        team.editors.save(update_fields=["name"])
        Workflow.objects.filter(workflow_pages__page=centre, name=workflow_name(old_name)).update(
            name=workflow_name(group_name)
        )
        GroupApprovalTask.objects.filter(groups=team.editors, name=old_name).update(name=group_name)
    contributors_name = _unique_name(Group, contributors_group_name(centre), exclude_pk=team.contributors_id)
    if team.contributors is not None and team.contributors.name != contributors_name:
        team.contributors.name = contributors_name
        team.contributors.save(update_fields=["name"])
    if team.collection is not None and team.collection.name != centre.title:
        team.collection.name = _unique_name(Collection, centre.title, exclude_pk=team.collection_id, max_length=255)
        team.collection.save(update_fields=["name"])


def sync_contributor(user):
    """Put `user` in the contributors group of each centre where they are a relay or a contributor, and only those.

    Called whenever one of their memberships changes: a person leaving the role loses the rights it gave, and
    keeps whatever else they have (another centre's editors group is not touched).
    """
    teams = CentreTeam.objects.filter(contributors__isnull=False)
    wanted = set(
        teams.filter(centre__memberships__in=user.memberships.contributors()).values_list("contributors", flat=True)
    )
    held = set(user.groups.filter(contributors_of__isnull=False).values_list("pk", flat=True))
    if held - wanted:
        user.groups.remove(*(held - wanted))
    if wanted - held:
        user.groups.add(*(wanted - held))
