"""The procedures' calendar: this month's and the coming deadlines, each procedure's page, and their calendar files.

Every page reads materialised `ProcedureDeadline` rows in a fixed number of queries; none expands a rule.
"""

from datetime import timedelta

from django.http import HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from core import freshness
from core.acting_for import for_someone_too
from demarches.filters import DeadlineFilter
from demarches.help import help_sessions
from demarches.models import Procedure, ProcedureDeadline
from demarches.views_following import following_context
from home.templatetags.french import day
from lexique.tutorials import TutorialPage, open_to_everyone

# "Ce mois-ci", then the three months after it: enough to prepare, short enough to read on a phone.
COMING_MONTHS = 3
LISTING_LIMIT = 100
NEXT_DEADLINES = 4
FEED_LIMIT = 500
CONTENT_TYPE = "text/calendar; charset=utf-8"


def first_of_month(day, months_later=0):
    index = day.year * 12 + day.month - 1 + months_later
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)


def _filtered(request):
    """The filter the query string describes, and the deadlines not yet closed that it keeps."""
    deadlines = ProcedureDeadline.objects.current().for_listing()
    filterset = DeadlineFilter(request.GET or None, queryset=deadlines)
    if filterset.is_bound:
        deadlines = filterset.qs if filterset.is_valid() else deadlines.none()
    return filterset, deadlines


@for_someone_too
@require_safe
def calendar(request):
    """Deadlines open or opening this month, then those of the next months, filtered by audience or centre."""
    today = timezone.localdate()
    next_month = first_of_month(today, 1)
    filterset, deadlines = _filtered(request)
    rows = list(deadlines.filter(opens_on__lt=first_of_month(today, 1 + COMING_MONTHS))[:LISTING_LIMIT])
    this_month = sorted(
        (deadline for deadline in rows if deadline.opens_on < next_month), key=lambda deadline: deadline.closes_on
    )
    query = request.GET.urlencode()
    return render(
        request,
        "demarches/calendar.html",
        {
            "filter": filterset,
            "filtered": any(request.GET.values()),
            "action": request.path,
            "this_month": this_month,
            "coming": [deadline for deadline in rows if deadline.opens_on >= next_month],
            "today": today,
            "month_end": next_month - timedelta(days=1),
            "feed_url": reverse("demarches:feed") + (f"?{query}" if query else ""),
        },
    )


@for_someone_too
@require_safe
def procedure(request, slug):
    """One procedure in plain words: what it is for, when, what to bring, where to do it and where to get help."""
    procedure = get_object_or_404(Procedure.objects.select_related("centre"), slug=slug)
    if procedure.centre_id is not None:
        freshness.about_centre(request, procedure.centre_id)
    deadlines = list(procedure.deadlines.current().order_by("opens_on", "closes_on")[:NEXT_DEADLINES])
    return render(
        request,
        "demarches/procedure.html",
        {
            "procedure": procedure,
            "deadlines": deadlines,
            "next_deadline": deadlines[0] if deadlines else None,
            "today": timezone.localdate(),
            "audiences": [tag.name for tag in procedure.audiences.all()],
            "help_sessions": help_sessions(procedure),
            "tutorial": tutorial_of(procedure),
            "feed_url": reverse("demarches:procedure_feed", args=[procedure.slug]),
            **following_context(request, procedure),
        },
    )


def tutorial_of(procedure):
    """The procedure's tutorial if a reader may open it (published, not restricted), else None."""
    if procedure.tutorial_id is None:
        return None
    return open_to_everyone(TutorialPage.objects.filter(pk=procedure.tutorial_id)).defer_streamfields().first()


def _host(request):
    domain, _port = split_domain_port(request.get_host())
    return domain or "placette"


def _entry(request, deadline):
    """A whole-day entry from the opening to the closing day; its UID is the row's, so a calendar keeps one copy."""
    procedure = deadline.procedure
    url = request.build_absolute_uri(procedure.get_absolute_url())
    lines = [
        _("À faire du %(opens)s au %(closes)s inclus.")
        % {"opens": day(deadline.opens_on, "year"), "closes": day(deadline.closes_on, "year")},
        procedure.purpose,
        _("Où la faire : %(url)s") % {"url": procedure.official_url},
        _("Tout savoir et se faire aider : %(url)s") % {"url": url},
    ]
    return Event.new(
        uid=f"echeance-{deadline.pk}@{_host(request)}",
        stamp=timezone.now(),
        start=deadline.opens_on,
        # An all-day entry ends the day after its last day (RFC 5545).
        end=deadline.closes_on + timedelta(days=1),
        summary=procedure.name,
        description="\n\n".join(lines),
        url=url,
    )


def _feed(request, deadlines, *, uid, name, description, filename):
    calendar = Calendar.new(
        prodid="-//Placette//Démarches//FR", uid=f"{uid}@{_host(request)}", name=name, description=description
    )
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    for deadline in deadlines[:FEED_LIMIT]:
        calendar.add_component(_entry(request, deadline))
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


@for_someone_too
@require_safe
def feed(request):
    """Every deadline not yet closed, with the listing's filters when the address carries them."""
    _filterset, deadlines = _filtered(request)
    return _feed(
        request,
        deadlines,
        uid="demarches",
        name=_("Démarches en ligne : les dates limites — Placette"),
        description=_("Les périodes pour faire ses démarches en ligne : CAF, France Travail, impôts, école…"),
        filename="placette-demarches.ics",
    )


@for_someone_too
@require_safe
def procedure_feed(request, slug):
    procedure = get_object_or_404(Procedure, slug=slug)
    if procedure.centre_id is not None:
        freshness.about_centre(request, procedure.centre_id)
    return _feed(
        request,
        procedure.deadlines.current().for_listing(),
        uid=f"demarche-{procedure.pk}",
        name=_("%(name)s — Placette") % {"name": procedure.name},
        description=procedure.purpose,
        filename=f"placette-{procedure.slug}.ics",
    )
