"""The network's lexicon (`/lexique/`) under the home page, so every install has one to link to and fill."""

import uuid

from django.db import migrations

INTRODUCTION = "Les mots du numérique, expliqués simplement. Chaque mot a sa fiche, avec un exemple."
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's steps, 4 characters each


def next_step(last):
    """The path step after `last` (base 36, as treebeard writes them)."""
    number = int(last, 36) + 1 if last else 1
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def create_lexicon(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")
    LexiconIndexPage = apps.get_model("lexique.LexiconIndexPage")

    home = HomePage.objects.filter(depth=2).first()
    if home is None or LexiconIndexPage.objects.exists():
        return
    last_child = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).order_by("-path").first()
    page_type, _ = ContentType.objects.get_or_create(model="lexiconindexpage", app_label="lexique")
    LexiconIndexPage.objects.create(
        title="Lexique du numérique",
        draft_title="Lexique du numérique",
        slug="lexique",
        introduction=INTRODUCTION,
        content_type=page_type,
        path=home.path + next_step(last_child.path[-4:] if last_child else None),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}lexique/",
        live=True,
        locale_id=home.locale_id,
        translation_key=uuid.uuid4(),
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)


def remove_lexicon(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    for index in apps.get_model("lexique.LexiconIndexPage").objects.all():
        parent_path = index.path[:-4]
        Page.objects.filter(path__startswith=index.path).delete()
        parent = Page.objects.get(path=parent_path)
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild - 1)


class Migration(migrations.Migration):
    dependencies = [
        ("lexique", "0001_lexicon_and_terms"),
        ("home", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(create_lexicon, remove_lexicon)]
