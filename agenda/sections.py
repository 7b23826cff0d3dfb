"""The agenda's place on other pages: the next activities on the home page, each centre's agenda on its page."""

from functools import reduce
from operator import or_

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from agenda.models import Occurrence
from agenda.views.public import listing
from home.sections import Section

HOME_ACTIVITIES = 5


def next_of_each_activity(limit, now=None):
    """The next date of each of the `limit` soonest activities, each knowing how many other dates follow.

    Two queries whatever the number of dates: one line per activity, so a weekly workshop does not
    fill the home page with its own next five Tuesdays.
    """
    upcoming = Occurrence.objects.listed().upcoming(now or timezone.now()).scheduled()
    firsts = list(
        upcoming.values("event").annotate(first=Min("start"), dates=Count("pk")).order_by("first", "event")[:limit]
    )
    if not firsts:
        return []
    matching = upcoming.filter(reduce(or_, (Q(event=row["event"], start=row["first"]) for row in firsts)))
    by_event = {}
    for occurrence in matching.for_listing():
        by_event.setdefault(occurrence.event_id, occurrence)
    occurrences = []
    for row in firsts:
        occurrence = by_event[row["event"]]
        occurrence.other_dates = row["dates"] - 1
        occurrences.append(occurrence)
    return occurrences


@hooks.register("home_sections", order=20)
def next_activities(request, home_page):
    return Section("agenda/home_agenda.html", {"occurrences": next_of_each_activity(HOME_ACTIVITIES)})


@hooks.register("centre_sections", order=10)
def centre_agenda(request, centre):
    context = listing(request, centre=centre)
    context.update(
        centre=centre,
        feed_url=reverse("agenda:centre_feed", args=[centre.pk]),
        programme_url=reverse("agenda:programme", args=[centre.pk]),
    )
    return Section("agenda/centre_agenda.html", context)
