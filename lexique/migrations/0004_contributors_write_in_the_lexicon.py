"""The centres' contributors groups may add pages (drafts, never published by them) under the network's lexicon.

New groups and new contribution indexes get the same right as they are created (lexique.signals).
"""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    CentreTeam = apps.get_model("quartier", "CentreTeam")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    LexiconIndexPage = apps.get_model("lexique", "LexiconIndexPage")
    Permission = apps.get_model("auth", "Permission")

    groups = CentreTeam.objects.filter(contributors__isnull=False).values_list("contributors_id", flat=True)
    indexes = list(LexiconIndexPage.objects.values_list("pk", flat=True))
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
    LexiconIndexPage = apps.get_model("lexique", "LexiconIndexPage")
    GroupPagePermission.objects.filter(
        group_id__in=CentreTeam.objects.values("contributors_id"),
        page_id__in=LexiconIndexPage.objects.values("pk"),
        permission__codename="add_page",
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lexique", "0003_term_centre"),
        ("quartier", "0006_contributors_groups_for_existing_centres"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
