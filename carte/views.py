"""The map's public pages: the list of places (filters, distance from a centre), a place's page, a printable sheet."""

import json
from math import sqrt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.models import first_name
from carte.filters import PlaceFilter, squared_distance
from carte.models import GOVERNMENT_CATEGORIES, PlaceCategory, PlaceOpeningHours, UsefulPlace
from carte.opening import is_open_at, open_at
from carte.tiles import tile_origins
from core.acting_for import for_someone_too
from core.listing import filtered, filtered_listing
from quartier.models import CentrePage
from quartier.opening import week_in_words

# Metres in a degree of latitude (the Earth's mean radius, 6 371 km, times π / 180).
METRES_PER_DEGREE = 111_195
# A notice board holds about this many places on two A4 pages.
PRINTED_AT_MOST = 40
# The map of a list shows at most this many of its places (the nearest first when a centre is chosen): about 60 KB
# of JSON (12 KB compressed), and more markers than a phone can tell apart on one screen anyway.
MAPPED_AT_MOST = 500
# What json.dumps leaves that would end a <script> element or open a comment in it (as django.utils.html.json_script).
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def listed_places():
    """Places on the map: every place but those of centres whose page is not live."""
    return UsefulPlace.objects.filter(Q(for_centre__isnull=True) | Q(for_centre__live=True))


def distance_in_words(distance2):
    """ "à 850 m", "à 2,3 km" from a squared distance in degrees (carte.filters.squared_distance)."""
    metres = sqrt(distance2) * METRES_PER_DEGREE
    if metres < 1000:
        return _("à %(metres)s\u00a0m") % {"metres": max(10, int(round(metres, -1)))}
    return _("à %(km)s\u00a0km") % {"km": f"{metres / 1000:.1f}".replace(".", ",")}


@for_someone_too
def listing(request):
    places = (
        listed_places().annotate(open_now=open_at(PlaceOpeningHours, timezone.now())).prefetch_related("categories")
    )
    context = filtered_listing(request, PlaceFilter, places, name="places")
    for place in context["places"]:
        distance2 = getattr(place, "distance2", None)
        place.distance = distance_in_words(distance2) if distance2 is not None else ""
    response = render(
        request,
        "carte/listing.html",
        {
            **context,
            "action": request.path,
            "tile_url": settings.CARTE_TILE_URL,
            "tile_subdomains": "".join(settings.CARTE_TILE_SUBDOMAINS),
            "tile_attribution": settings.CARTE_TILE_ATTRIBUTION,
        },
    )
    # Only the page that has the map may show the tile server's images (docs/adr/0013).
    response._csp_update = {"img-src": tile_origins()}
    return response


@for_someone_too
def places_json(request):
    """The places of the list the same query string gives, with coordinates, for the map (static/js/carte-map.js).

    Every page of the list at once, up to MAPPED_AT_MOST: the map shows where the places are, the list pages
    through them. Two queries whatever the number of places: the places, then their categories.
    """
    places = (
        listed_places()
        .filter(latitude__isnull=False)
        .only("name", "street_address", "postcode", "town", "latitude", "longitude")
        .prefetch_related("categories")
    )
    _filterset, places = filtered(request, PlaceFilter, places)
    places = list(places[: MAPPED_AT_MOST + 1])
    mapped = [
        {
            "name": place.name,
            "latitude": float(place.latitude),
            "longitude": float(place.longitude),
            "categories": [category.name for category in place.categories.all()],
            "address": f"{place.street_address}, {place.postcode} {place.town}",
            "url": place.get_absolute_url(),
        }
        for place in places[:MAPPED_AT_MOST]
    ]
    return JsonResponse(
        {"places": mapped, "capped": len(places) > MAPPED_AT_MOST}, json_dumps_params={"ensure_ascii": False}
    )


def json_ld(place, categories, slots):
    """schema.org's description of the place, as a <script> data block no text of the place can close."""
    government = any(category.slug in GOVERNMENT_CATEGORIES for category in categories)
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice" if government else "Place",
        "name": place.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": place.street_address,
            "postalCode": place.postcode,
            "addressLocality": place.town,
            "addressCountry": "FR",
        },
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{DAYS[slot.weekday]}",
                "opens": slot.opens.strftime("%H:%M"),
                "closes": slot.closes.strftime("%H:%M"),
            }
            for slot in slots
        ],
        "isAccessibleForFree": place.is_free,
    }
    if place.latitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": place.latitude, "longitude": place.longitude}
    if place.phone:
        data["telephone"] = place.phone.as_e164
    if place.website:
        data["url"] = place.website
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@for_someone_too
def place(request, place_id, slug):
    place = get_object_or_404(
        listed_places().select_related("centre", "last_checked_by").prefetch_related("categories", "opening_hours"),
        pk=place_id,
    )
    if slug != place.slug:
        return redirect(place, permanent=True)
    categories = list(place.categories.all())
    slots = list(place.opening_hours.all())
    directions = ""
    if place.latitude is not None:
        directions = f"https://www.openstreetmap.org/directions?to={place.latitude}%2C{place.longitude}"
    return render(
        request,
        "carte/place.html",
        {
            "place": place,
            "categories": categories,
            "has_hours": bool(slots),
            "week": week_in_words(slots),
            "is_open": is_open_at(slots, timezone.now()),
            "directions_url": directions,
            "json_ld": json_ld(place, categories, slots),
            # A public credit: the first word of the name the checker chose, never a surname.
            "checked_by": first_name(place.last_checked_by) if place.last_checked_by else "",
        },
    )


@for_someone_too
def print_sheet(request):
    """The places of one category around a centre, on A4 for the notice board."""
    centre_id = request.GET.get("centre", "")
    if not centre_id.isdigit():
        raise Http404
    centre = get_object_or_404(CentrePage.objects.live().public(), pk=centre_id)
    category = get_object_or_404(PlaceCategory, slug=request.GET.get("categorie", ""))
    places = listed_places().filter(categories=category).prefetch_related("opening_hours")
    if centre.latitude is not None:
        places = places.annotate(distance2=squared_distance(centre.latitude, centre.longitude)).order_by(
            F("distance2").asc(nulls_last=True), "name", "pk"
        )
    places = list(places[:PRINTED_AT_MOST])
    for item in places:
        distance2 = getattr(item, "distance2", None)
        item.distance = distance_in_words(distance2) if distance2 is not None else ""
        item.week = week_in_words(list(item.opening_hours.all()))
    return render(request, "carte/print.html", {"centre": centre, "category": category, "places": places})
