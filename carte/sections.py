"""On a centre's page, the way to the useful places around it (the `centre_sections` hook, home/sections.py)."""

from wagtail import hooks

from home.sections import Section


@hooks.register("centre_sections", order=30)
def places_near_the_centre(request, centre):
    return Section("carte/centre_places.html", {"centre": centre})
