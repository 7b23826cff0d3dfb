"""Give each existing centre the contributors group new centres get (quartier.editors.contributors_group), with its
relays already in it. Names written out here: a migration keeps doing what it did when it was written."""

from django.db import migrations
from django.db.models import Q

GROUP_NAME_MAX = 150


def unique_name(Group, name):
    candidate, number = name[:GROUP_NAME_MAX], 2
    while Group.objects.filter(name=candidate).exists():
        suffix = f" ({number})"
        candidate, number = name[: GROUP_NAME_MAX - len(suffix)] + suffix, number + 1
    return candidate


def set_up_contributors(apps, schema_editor):
    CentreTeam = apps.get_model("quartier", "CentreTeam")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Membership = apps.get_model("quartier", "Membership")

    teams = CentreTeam.objects.filter(contributors__isnull=True).select_related("centre")
    if not teams.exists():
        return
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    images = list(
        Permission.objects.filter(
            Q(codename="add_image") | Q(codename="choose_image"), content_type__app_label="wagtailimages"
        )
    )
    for team in teams:
        group = Group.objects.create(name=unique_name(Group, f"{team.centre.title} — contributeurs"))
        group.permissions.add(access)
        if team.collection_id is not None:
            GroupCollectionPermission.objects.bulk_create(
                GroupCollectionPermission(group=group, collection_id=team.collection_id, permission=permission)
                for permission in images
            )
        team.contributors = group
        team.save(update_fields=["contributors"])
        relays = Membership.objects.filter(centre_id=team.centre_id, role__in=["relay", "contributor"])
        for membership in relays.select_related("user"):
            membership.user.groups.add(group)


def remove_contributors(apps, schema_editor):
    CentreTeam = apps.get_model("quartier", "CentreTeam")
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(pk__in=CentreTeam.objects.values("contributors")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quartier", "0005_contributors_and_minors"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0001_initial"),
    ]

    operations = [migrations.RunPython(set_up_contributors, remove_contributors)]
