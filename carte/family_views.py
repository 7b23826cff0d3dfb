"""The families' path (/carte/familles/): for a child's age, the places nearby that serve it, and what to do when.

The places are the map's (the age band's column, PlaceFilter's distance from a centre or an address), a few of
each category, nearest first, in one query whatever their number. The calendar is the network's `FamilyStep`
rows, from this month on, each with the next dates of its online procedure when it has one.
"""

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from carte.filters import PlaceFilter
from carte.models import AGE_BANDS, FamilyStep, PlaceOpeningHours
from carte.opening import open_at
from carte.views import distance_in_words, listed_places
from core.acting_for import for_someone_too

# The address of each band's page: words a parent reads in a link, not the column's name.
BAND_SLUGS = {
    "for_under_3": "0-3-ans",
    "for_maternelle": "maternelle",
    "for_elementaire": "elementaire",
    "for_college": "college",
    "for_lycee": "lycee",
}
BANDS = {slug: field for field, slug in BAND_SLUGS.items()}
# A phone screen's worth per category; the map's list has the rest.
PER_CATEGORY = 5
# What parents look for first, then every other category by name.
FAMILY_CATEGORIES = ["ecole", "creche", "accueil-periscolaire", "aide-aux-devoirs", "pmi"]


def bands():
    """(slug, label) of each age band, youngest first."""
    return [(BAND_SLUGS[field], label) for field, label in AGE_BANDS]


def nearest_by_category(places, per_category):
    """The first `per_category` places of each category, in the list's order (nearest first when it has a
    distance), with how many the category holds: one query, a window numbering the places within each category."""
    if "distance2" in places.query.annotations:
        order = [F("distance2").asc(nulls_last=True), "name", "pk"]
    else:
        order = ["name", "pk"]
    rows = (
        places.annotate(
            category_slug=F("categories__slug"),
            category_name=F("categories__name"),
            rank=Window(RowNumber(), partition_by=F("categories"), order_by=order),
            in_category=Window(Count("pk"), partition_by=F("categories")),
            open_now=open_at(PlaceOpeningHours, timezone.now()),
        )
        .filter(rank__lte=per_category, category_slug__isnull=False)
        .order_by("category_name", "rank")
    )
    groups = {}
    for place in rows:
        distance2 = getattr(place, "distance2", None)
        place.distance = distance_in_words(distance2) if distance2 is not None else ""
        group = groups.setdefault(
            place.category_slug,
            {"slug": place.category_slug, "name": place.category_name, "count": place.in_category, "places": []},
        )
        group["places"].append(place)

    def first_for_families(group):
        slug = group["slug"]
        return (FAMILY_CATEGORIES.index(slug) if slug in FAMILY_CATEGORIES else len(FAMILY_CATEGORIES), group["name"])

    return sorted(groups.values(), key=first_for_families)


def steps_from(steps, month):
    """The steps in the order a parent meets them from `month` on: those to do as soon as possible, those whose
    months are now, then the others by the month they start."""

    def when(step):
        if step.month is None:
            return (0, 0, step.title)
        if step.is_on(month):
            return (1, 0, step.title)
        return (2, step.months_from(month), step.title)

    ordered = sorted(steps, key=when)
    for step in ordered:
        step.is_now = step.month is not None and step.is_on(month)
        coming = step.procedure.coming_deadlines if step.procedure else []
        step.next_deadline = coming[0] if coming else None
    return ordered


@for_someone_too
def families(request):
    """Which age is the child? One link per band, keeping the centre chosen on the way (a centre page's link)."""
    centre = request.GET.get("centre", "")
    return render(request, "carte/families.html", {"bands": bands(), "centre": centre if centre.isdigit() else ""})


@for_someone_too
def family_band(request, band):
    field = BANDS.get(band)
    if field is None:
        raise Http404
    data = {"age": field, "centre": request.GET.get("centre", ""), "address": request.GET.get("address", "")}
    filterset = PlaceFilter(data, queryset=listed_places())
    # A centre that is no more still shows the band's places, alphabetically, the error beside the choice.
    places = filterset.qs if filterset.is_valid() else listed_places().filter(**{field: True})
    today = timezone.localdate()
    return render(
        request,
        "carte/family_band.html",
        {
            "band": band,
            "band_label": dict(AGE_BANDS)[field],
            "field": field,
            "bands": bands(),
            "filter": filterset,
            "near": bool(data["centre"] or data["address"]),
            "groups": nearest_by_category(places, PER_CATEGORY),
            "steps": steps_from(FamilyStep.objects.for_band(field), today.month),
            "today": today,
            "action": request.path,
        },
    )
