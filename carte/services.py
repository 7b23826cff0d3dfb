"""Writes to the map: a centre's own place, kept in step with its page."""

from django.db import transaction
from django.utils import timezone

from carte.models import CENTRE_CATEGORY, PlaceCategory, PlaceOpeningHours, UsefulPlace


@transaction.atomic
def sync_centre_place(centre, *, checked_by=None):
    """Write the centre's place from its page: name, address, coordinates, phone and hours; returns the place.

    Publishing the page is the centre checking its own data, so it counts as the place's check.
    """
    place, _created = UsefulPlace.objects.update_or_create(
        for_centre=centre,
        defaults={
            "name": centre.title,
            "street_address": centre.street_address,
            "postcode": centre.postcode,
            "town": centre.town,
            "latitude": centre.latitude,
            "longitude": centre.longitude,
            "phone": centre.phone,
            "website": "",
            "centre": centre,
            "last_checked_on": timezone.localdate(),
            "last_checked_by": checked_by,
        },
    )
    place.opening_hours.all().delete()
    PlaceOpeningHours.objects.bulk_create(
        PlaceOpeningHours(place=place, weekday=slot.weekday, opens=slot.opens, closes=slot.closes, sort_order=n)
        for n, slot in enumerate(centre.opening_hours.all())
    )
    category = PlaceCategory.objects.filter(slug=CENTRE_CATEGORY).first()
    if category is not None:
        place.categories.add(category)
        place.save()  # a ParentalManyToManyField writes its rows when the place is saved
    return place
