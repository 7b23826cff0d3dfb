"""The public agenda: the network's upcoming dates, and one centre's on its page, filtered and paginated."""

from django.shortcuts import render
from django.urls import reverse

from agenda.filters import OccurrenceFilter
from agenda.models import Occurrence
from core.acting_for import for_someone_too
from core.listing import filtered_listing


def listing(request, *, centre=None):
    """Upcoming dates, filtered and paginated: the network's agenda, or one centre's (on its page)."""
    occurrences = Occurrence.objects.listed().upcoming().for_listing()
    if centre is not None:
        occurrences = occurrences.filter(centre=centre)
    return filtered_listing(request, OccurrenceFilter, occurrences, name="occurrences", centre=centre)


@for_someone_too
def agenda(request):
    context = listing(request)
    context["feed_url"] = reverse("agenda:feed")
    return render(request, "agenda/agenda.html", context)
