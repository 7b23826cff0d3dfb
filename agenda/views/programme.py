"""A centre's programme for the next weeks, on one A4 page for the notice board at the front door.

Paper stays on the wall for weeks, so it shows what does not go stale (days, hours, titles, places,
whether to register) and not the seats left; it sends readers to the centre's page for the rest.
"""

from datetime import datetime, time, timedelta
from itertools import groupby

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from agenda.models import Occurrence
from core import freshness
from core.acting_for import for_someone_too
from quartier.models import CentrePage

DEFAULT_WEEKS = 4
MAX_WEEKS = 8
# A month of a busy centre fits; past this the page would stop being a poster (and stop being cheap).
MAX_ROWS = 300


def weeks_asked(value):
    """The number of weeks in ?semaines=, or the default when it is missing or out of range."""
    try:
        weeks = int(value)
    except (TypeError, ValueError):
        return DEFAULT_WEEKS
    return weeks if 1 <= weeks <= MAX_WEEKS else DEFAULT_WEEKS


@for_someone_too
@require_safe
def programme(request, centre_id):
    centre = get_object_or_404(CentrePage.objects.live().public(), pk=centre_id)
    freshness.about_centre(request, centre.pk)
    weeks = weeks_asked(request.GET.get("semaines"))
    first_day = timezone.localdate()
    last_day = first_day + timedelta(weeks=weeks, days=-1)
    until = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    occurrences = list(
        Occurrence.objects.listed()
        .upcoming()
        .filter(centre=centre, start__lt=until)
        .select_related("event", "event__place")
        .order_by("start", "pk")[: MAX_ROWS + 1]
    )
    truncated = len(occurrences) > MAX_ROWS
    occurrences = occurrences[:MAX_ROWS]
    days = [(day, list(dates)) for day, dates in groupby(occurrences, key=lambda item: timezone.localdate(item.start))]
    centre_url = request.build_absolute_uri(centre.get_url(request))
    return render(
        request,
        "agenda/programme.html",
        {
            "centre": centre,
            "days": days,
            "truncated": truncated,
            "first_day": first_day,
            "last_day": last_day,
            "weeks": weeks,
            "week_choices": range(1, MAX_WEEKS + 1),
            "centre_url": centre_url,
            # Printed for people to type: without the scheme, as addresses are written on posters.
            "centre_address": centre_url.split("://", 1)[-1].rstrip("/"),
        },
    )
