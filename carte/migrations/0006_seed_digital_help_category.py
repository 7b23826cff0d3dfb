"""A category for the places that teach everyday digital tools: the digital-mediation standard's own main service.

Without it a place of that standard imported from a file (carte/imports.py) would have no category of the map.
"""

from django.db import migrations
from django.utils.text import slugify

CATEGORIES = [
    ("Accompagnement au numérique", "Quelqu'un vous apprend à utiliser un téléphone, un ordinateur, internet."),
]


def seed(apps, schema_editor):
    PlaceCategory = apps.get_model("carte", "PlaceCategory")
    for name, description in CATEGORIES:
        PlaceCategory.objects.get_or_create(slug=slugify(name), defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("carte", "0005_place_pivot_and_import_source")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
