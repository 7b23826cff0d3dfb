"""The network's tutorials (`/tutoriels/`) under the home page, so every install has a list to link to and fill."""

import uuid

from django.db import migrations

INTRODUCTION = "Pas à pas, pour faire seul ce qu'on fait sur internet. Une étape par écran."
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's steps, 4 characters each


def next_step(last):
    """The path step after `last` (base 36, as treebeard writes them)."""
    number = int(last, 36) + 1 if last else 1
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def create_tutorials(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")
    TutorialIndexPage = apps.get_model("lexique.TutorialIndexPage")

    home = HomePage.objects.filter(depth=2).first()
    if home is None or TutorialIndexPage.objects.exists():
        return
    last_child = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).order_by("-path").first()
    page_type, _ = ContentType.objects.get_or_create(model="tutorialindexpage", app_label="lexique")
    TutorialIndexPage.objects.create(
        title="Tutoriels du numérique",
        draft_title="Tutoriels du numérique",
        slug="tutoriels",
        introduction=INTRODUCTION,
        content_type=page_type,
        path=home.path + next_step(last_child.path[-4:] if last_child else None),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}tutoriels/",
        live=True,
        locale_id=home.locale_id,
        translation_key=uuid.uuid4(),
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)


def remove_tutorials(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    for index in apps.get_model("lexique.TutorialIndexPage").objects.all():
        parent_path = index.path[:-4]
        Page.objects.filter(path__startswith=index.path).delete()
        parent = Page.objects.get(path=parent_path)
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild - 1)


class Migration(migrations.Migration):
    dependencies = [
        ("lexique", "0004_tutorials_and_help_requests"),
        ("home", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(create_tutorials, remove_tutorials)]
