"""The network's categories of places, and a place for each centre already live (carte/signals.py keeps it after)."""

import datetime as dt

from django.db import migrations
from django.utils.text import slugify

CATEGORIES = [
    ("Aide aux démarches", "Quelqu'un vous aide à faire vos papiers et vos démarches en ligne."),
    ("France Services", "Un guichet pour la CAF, l'Assurance maladie, les impôts, la retraite, l'emploi."),
    ("CAF / CPAM / mairie", "L'accueil de la CAF, de l'Assurance maladie ou de la mairie."),
    ("Wi-Fi gratuit", "Internet sans fil, sans payer."),
    ("Impression et scan", "Imprimer ou scanner un document."),
    ("Ordinateurs en accès libre", "Des ordinateurs que chacun peut utiliser."),
    ("Médiathèque", "Livres, films, journaux et ordinateurs à emprunter ou à consulter."),
    ("École", "École maternelle ou élémentaire, collège, lycée."),
    ("Crèche", "Accueil des tout-petits, avant l'école."),
    ("Accueil périscolaire", "Avant et après l'école, le mercredi."),
    ("Aide aux devoirs", "Des bénévoles aident les enfants à faire leurs devoirs."),
    ("PMI", "Protection maternelle et infantile : suivi des femmes enceintes et des jeunes enfants."),
    ("Santé", "Médecins, centres de santé, soins."),
    ("Alimentation solidaire", "Épicerie solidaire, colis alimentaires, repas."),
    ("Centre social", "Un centre social du réseau : activités, aide et rencontres."),
]


def seed(apps, schema_editor):
    PlaceCategory = apps.get_model("carte", "PlaceCategory")
    for name, description in CATEGORIES:
        PlaceCategory.objects.get_or_create(slug=slugify(name), defaults={"name": name, "description": description})
    CentrePage = apps.get_model("quartier", "CentrePage")
    UsefulPlace = apps.get_model("carte", "UsefulPlace")
    PlaceOpeningHours = apps.get_model("carte", "PlaceOpeningHours")
    centre_category = PlaceCategory.objects.get(slug="centre-social")
    for centre in CentrePage.objects.filter(live=True):
        place = UsefulPlace.objects.create(
            for_centre=centre,
            centre=centre,
            name=centre.title,
            street_address=centre.street_address,
            postcode=centre.postcode,
            town=centre.town,
            latitude=centre.latitude,
            longitude=centre.longitude,
            phone=centre.phone,
            last_checked_on=dt.date.today(),
        )
        place.categories.add(centre_category)
        PlaceOpeningHours.objects.bulk_create(
            PlaceOpeningHours(place=place, weekday=s.weekday, opens=s.opens, closes=s.closes, sort_order=n)
            for n, s in enumerate(centre.opening_hours.all())
        )


class Migration(migrations.Migration):
    dependencies = [("carte", "0001_useful_places")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
