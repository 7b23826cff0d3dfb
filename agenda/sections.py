"""The agenda's place on other pages: the next activities on the home page, each centre's agenda on its page."""

from django.urls import reverse
from wagtail import hooks

from agenda.models import Occurrence
from agenda.views import listing
from home.sections import Section

HOME_DATES = 5


@hooks.register("home_sections", order=20)
def next_activities(request, home_page):
    occurrences = Occurrence.objects.listed().upcoming().scheduled().for_listing()[:HOME_DATES]
    return Section("agenda/home_agenda.html", {"occurrences": occurrences})


@hooks.register("centre_sections", order=10)
def centre_agenda(request, centre):
    context = listing(request, centre=centre)
    context.update(
        centre=centre,
        feed_url=reverse("agenda_centre_feed", args=[centre.pk]),
        programme_url=reverse("agenda_programme", args=[centre.pk]),
    )
    return Section("agenda/centre_agenda.html", context)
