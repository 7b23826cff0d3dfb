import datetime as dt
from importlib import import_module

import factory
from django.utils.text import slugify

from carte.models import FamilyStep, PlaceCategory, PlaceOpeningHours, UsefulPlace

SEEDED = [
    *import_module("carte.migrations.0002_seed_categories_and_centres").CATEGORIES,
    *import_module("carte.migrations.0006_seed_digital_help_category").CATEGORIES,
]


def seed_categories():
    """The categories carte/migrations/0002 and 0005 seed, written again after a flush (a transactional test)."""
    if PlaceCategory.objects.count() < len(SEEDED):
        for name, description in SEEDED:
            defaults = {"name": name, "description": description}
            PlaceCategory.objects.get_or_create(slug=slugify(name), defaults=defaults)


def category(slug):
    """One of the seeded categories."""
    seed_categories()
    return PlaceCategory.objects.get(slug=slug)


class UsefulPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UsefulPlace
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Lieu n°{n}")
    street_address = factory.Sequence(lambda n: f"{n} rue du Marché")
    postcode = "59100"
    town = "Roubaix"
    latitude = "50.690000"
    longitude = "3.180000"

    @factory.post_generation
    def categories(place, create, extracted, **kwargs):
        if create and extracted:
            place.categories.set(extracted)
            place.save()  # a ParentalManyToManyField writes its rows when the place is saved

    @factory.post_generation
    def hours(place, create, extracted, **kwargs):
        """A list of (weekday, opens, closes); none by default."""
        if create and extracted:
            PlaceOpeningHours.objects.bulk_create(
                PlaceOpeningHours(place=place, weekday=day, opens=opens, closes=closes)
                for day, opens, closes in extracted
            )


def always_open():
    return [(day, dt.time(0, 0), dt.time(23, 59)) for day in range(7)]


STEPS = import_module("carte.migrations.0008_seed_family_steps").STEPS


def seed_family_steps():
    """The families' calendar carte/migrations/0008 seeds, written again when a flush removed it."""
    if not FamilyStep.objects.exists():
        for band, title, when, month, last_month, how, _procedure in STEPS:
            FamilyStep.objects.create(
                age_band=band, title=title, when=when, month=month, last_month=last_month, how=how
            )


class FamilyStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyStep

    age_band = "for_maternelle"
    title = factory.Sequence(lambda n: f"Étape n°{n}")
    when = "Au printemps"
    month = 4
    how = "Allez à la mairie avec le livret de famille."
