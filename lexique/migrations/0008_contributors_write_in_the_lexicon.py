"""The centres' contributors groups may add pages (drafts, never published by them) under the lexicon and the tutorials.

New groups and new contribution indexes get the same right as they are created (lexique.signals).
"""

from django.db import migrations

INDEXES = ["LexiconIndexPage", "TutorialIndexPage"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    CentreTeam = apps.get_model("quartier", "CentreTeam")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Permission = apps.get_model("auth", "Permission")

    groups = CentreTeam.objects.filter(contributors__isnull=False).values_list("contributors_id", flat=True)
    indexes = [pk for name in INDEXES for pk in apps.get_model("lexique", name).objects.values_list("pk", flat=True)]
    if not groups or not indexes:
        return
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    add = Permission.objects.get(content_type=page_type, codename="add_page")
    for group_id in groups:
        for index_id in indexes:
            GroupPagePermission.objects.get_or_create(group_id=group_id, page_id=index_id, permission=add)


def revoke(apps, schema_editor):
    CentreTeam = apps.get_model("quartier", "CentreTeam")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for name in INDEXES:
        GroupPagePermission.objects.filter(
            group_id__in=CentreTeam.objects.values("contributors_id"),
            page_id__in=apps.get_model("lexique", name).objects.values("pk"),
            permission__codename="add_page",
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lexique", "0007_contributed_pages_centre"),
        ("quartier", "0006_contributors_groups_for_existing_centres"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
