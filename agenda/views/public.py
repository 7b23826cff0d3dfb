"""The public agenda: the network's upcoming dates, and one centre's on its page, filtered and paginated."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from agenda.filters import OccurrenceFilter
from agenda.models import Occurrence
from core import freshness
from core.acting_for import for_someone_too
from core.listing import filtered_listing


def listing(request, *, centre=None):
    """Upcoming dates, filtered and paginated: the network's agenda, or one centre's (on its page)."""
    occurrences = Occurrence.objects.listed().upcoming().for_listing()
    if centre is not None:
        # One centre's page does not name the centre on each date: its dates need not read it.
        occurrences = occurrences.filter(centre=centre).prefetch_related(None)
    return filtered_listing(request, OccurrenceFilter, occurrences, name="occurrences", centre=centre)


def _written_listing(request):
    context = listing(request)
    html = render_to_string(
        "agenda/_listing.html", {**context, "action": request.path, "show_centre": True, "prefix": "", "level": 2}
    )
    return {"listing": html, "page_number": context["page_obj"].number}


@for_someone_too
def agenda(request):
    # The dates and their filters are the same for everyone: written once until any centre's dates change,
    # then the person's own header is written around them.
    scopes = (freshness.SITE, freshness.ALL_CENTRES)
    context = freshness.kept("agenda", scopes, request.get_full_path(), lambda: _written_listing(request))
    return render(request, "agenda/agenda.html", {**context, "feed_url": reverse("agenda:feed")})
