"""The network's categories of activity, so a new site can publish its first activity at once."""

from django.db import migrations

CATEGORIES = [
    ("Atelier numérique", "atelier-numerique"),
    ("Démarches en ligne", "demarches"),
    ("Famille", "famille"),
    ("Sortie", "sortie"),
    ("Santé et bien-être", "sante"),
    ("Rencontre et convivialité", "rencontre"),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("agenda", "Category")
    for name, slug in CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_initial")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
