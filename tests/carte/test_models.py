"""A place's data: coordinates in France (and the hint when they are swapped), hours that close after they open."""

import datetime as dt
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from carte.models import PlaceCategory, PlaceOpeningHours, UsefulPlace
from tests.carte.factories import UsefulPlaceFactory

pytestmark = pytest.mark.django_db


def place(**fields):
    values = {"name": "Médiathèque", "street_address": "1 rue Neuve", "postcode": "59100", "town": "Roubaix"}
    return UsefulPlace(**(values | fields))


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [("50.690000", "3.180000"), ("43.700000", "7.260000"), ("-21.115000", "55.536000"), ("4.933000", "-52.330000")],
)
def test_points_in_metropolitan_france_and_overseas_departments_are_accepted(latitude, longitude):
    place(latitude=Decimal(latitude), longitude=Decimal(longitude)).full_clean()


def test_a_point_outside_france_is_refused():
    with pytest.raises(ValidationError) as refusal:
        place(latitude=Decimal("52.520000"), longitude=Decimal("13.405000")).full_clean()
    (message,) = refusal.value.message_dict["latitude"]
    assert message == "Ce point n'est pas en France. Vérifiez la latitude et la longitude."


def test_swapped_coordinates_are_refused_with_the_right_order_as_a_hint():
    with pytest.raises(ValidationError) as refusal:
        place(latitude=Decimal("3.180000"), longitude=Decimal("50.690000")).full_clean()
    (message,) = refusal.value.message_dict["latitude"]
    assert message.startswith("Latitude et longitude semblent inversées : ")
    assert "latitude 50.690000 et longitude 3.180000" in message


def test_one_coordinate_without_the_other_is_refused_and_the_database_agrees():
    with pytest.raises(ValidationError) as refusal:
        place(latitude=Decimal("50.690000")).full_clean()
    assert "longitude" in refusal.value.message_dict
    with pytest.raises(IntegrityError):
        place(latitude=Decimal("50.690000")).save()


def test_a_paying_place_says_its_price():
    with pytest.raises(ValidationError) as refusal:
        place(is_free=False).full_clean()
    assert "price" in refusal.value.message_dict
    place(is_free=False, price="1 € la page").full_clean()


def test_hours_that_close_before_they_open_are_refused_in_the_form_and_in_the_database():
    owner = UsefulPlaceFactory()
    slot = PlaceOpeningHours(place=owner, weekday=0, opens=dt.time(14), closes=dt.time(9))
    with pytest.raises(ValidationError) as refusal:
        slot.full_clean()
    assert "closes" in refusal.value.message_dict
    with pytest.raises(IntegrityError):
        slot.save()


def test_the_network_categories_are_seeded():
    PlaceCategory.objects.all().delete()  # whatever another test's flush left, the migration's seeding is what runs
    import_module("carte.migrations.0002_seed_categories_and_centres").seed(apps, None)
    slugs = set(PlaceCategory.objects.values_list("slug", flat=True))
    seeded = {"aide-aux-demarches", "france-services", "caf-cpam-mairie", "wi-fi-gratuit", "pmi", "centre-social"}
    assert seeded <= slugs
    assert len(slugs) == 15
