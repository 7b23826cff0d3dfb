"""The agenda as calendar files (ICS): the network's, a centre's, a category's, an activity's, one date, and mine.

People subscribe to these in their phone's calendar, which then polls them for years: every feed reads
materialised `Occurrence` rows in one query, bounded in time and in number, and each date keeps the same
UID for its whole life, so that a moved or cancelled date updates the entry already in the calendar
instead of adding a second one. A person's own feed sits behind the secret of their `CalendarToken`.
"""

from datetime import timedelta

from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event
from icalendar.prop import vDuration

from agenda.models import CalendarToken, Category, EventPage, Occurrence, Registration
from core import freshness
from core.acting_for import for_someone_too
from quartier.models import CentrePage

# A subscribed calendar is re-read for as long as it stays in the phone: keep each answer small.
FEED_DAYS = 120
FEED_LIMIT = 500
# Calendar clients that honour it poll no more often than this (RFC 7986, and Outlook's own property).
REFRESH = timedelta(hours=6)
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _window():
    """Published dates, cancelled ones included, from now to the feeds' horizon."""
    now = timezone.now()
    return Occurrence.objects.listed().upcoming(now).filter(start__lt=now + timedelta(days=FEED_DAYS))


def _upcoming():
    return _window().for_listing()


def uid_host(request):
    # The UID's domain part only says whose identifiers these are; the port would make two of the same site.
    domain, _port = split_domain_port(request.get_host())
    return domain or "placette"


def _location(occurrence):
    place = occurrence.event.place
    where = place or occurrence.centre
    name = place.name if place else occurrence.centre.title
    return f"{name}, {where.street_address}, {where.postcode} {where.town}"


def _entry(request, occurrence, *, waitlisted=False):
    """One calendar entry for a date; its UID is the row's, so that later changes replace it."""
    event = occurrence.event
    url = request.build_absolute_uri(event.get_url(request))
    summary, status = event.title, "CONFIRMED"
    lines = [event.summary]
    if occurrence.is_cancelled:
        summary, status = _("Annulé : %(title)s") % {"title": event.title}, "CANCELLED"
        lines.append(_("Cette date est annulée."))
        if occurrence.cancel_reason:
            lines.append(occurrence.cancel_reason)
    elif waitlisted:
        # A waitlisted date is not mine yet: calendars show it as not sure.
        summary, status = _("Liste d'attente : %(title)s") % {"title": event.title}, "TENTATIVE"
        lines.append(_("Vous êtes sur la liste d'attente. Nous vous prévenons si une place se libère."))
    elif occurrence.registration_required:
        lines.append(_("Sur inscription."))
    else:
        lines.append(_("Entrée libre, sans inscription."))
    lines.append(_("Plus d'informations : %(url)s") % {"url": url})
    return Event.new(
        uid=f"occurrence-{occurrence.pk}@{uid_host(request)}",
        stamp=timezone.now(),
        start=timezone.localtime(occurrence.start),
        end=timezone.localtime(occurrence.end),
        summary=summary,
        description="\n\n".join(lines),
        location=_location(occurrence),
        url=url,
        status=status,
        categories=[event.category.name],
    )


def calendar_response(request, *, uid, name, description, entries, filename, as_attachment=False, private=False):
    """The answer: a calendar named in French, its time zone described for the clients that need it."""
    calendar = Calendar.new(
        prodid="-//Placette//Agenda//FR",
        uid=f"{uid}@{uid_host(request)}",
        name=name,
        description=description,
        method="PUBLISH",
    )
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    for entry in entries:
        calendar.add_component(entry)
    # The time zone's rules for the feed's own span only: from 1970 to 2038 would weigh more than the dates.
    today = timezone.localdate()
    calendar.add_missing_timezones(first_date=today - timedelta(days=366), last_date=today + timedelta(days=366))
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    if private:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _public_feed(request, occurrences, *, uid, name, description, filename):
    entries = [_entry(request, occurrence) for occurrence in occurrences[:FEED_LIMIT]]
    return calendar_response(request, uid=uid, name=name, description=description, entries=entries, filename=filename)


@for_someone_too
@require_safe
def network(request):
    return _public_feed(
        request,
        _upcoming(),
        uid="agenda",
        name=_("Agenda des centres sociaux — Placette"),
        description=_("Les activités à venir de tous les centres sociaux de Placette."),
        filename="placette-agenda.ics",
    )


@for_someone_too
@require_safe
def centre(request, centre_id):
    centre = get_object_or_404(CentrePage.objects.live().public(), pk=centre_id)
    freshness.about_centre(request, centre.pk)
    return _public_feed(
        request,
        _upcoming().filter(centre=centre),
        uid=f"centre-{centre.pk}",
        name=_("Agenda de %(centre)s — Placette") % {"centre": centre.title},
        description=_("Les activités à venir de %(centre)s.") % {"centre": centre.title},
        filename=f"placette-{centre.slug}.ics",
    )


@for_someone_too
@require_safe
def category(request, slug):
    category = get_object_or_404(Category, slug=slug)
    return _public_feed(
        request,
        _upcoming().filter(event__category=category),
        uid=f"categorie-{category.pk}",
        name=_("%(category)s — agenda Placette") % {"category": category.name},
        description=_("Les activités « %(name)s » à venir dans les centres sociaux.") % {"name": category.name},
        filename=f"placette-{category.slug}.ics",
    )


@for_someone_too
@require_safe
def event(request, event_id):
    event = get_object_or_404(EventPage.objects.live().public(), pk=event_id)
    freshness.about_centre(request, event.get_parent().pk)
    return _public_feed(
        request,
        _upcoming().filter(event=event),
        uid=f"activite-{event.pk}",
        name=_("%(title)s — Placette") % {"title": event.title},
        description=event.summary,
        filename=f"placette-{event.slug}.ics",
    )


@for_someone_too
@require_safe
def occurrence(request, occurrence_id):
    """One date, to add to my calendar once: a file to open, not a subscription."""
    occurrence = get_object_or_404(Occurrence.objects.listed().for_listing(), pk=occurrence_id)
    day = timezone.localtime(occurrence.start).date()
    freshness.about_centre(request, occurrence.centre_id)
    return calendar_response(
        request,
        uid=f"date-{occurrence.pk}",
        name=occurrence.event.title,
        description=occurrence.event.summary,
        entries=[_entry(request, occurrence)],
        filename=f"{slugify(occurrence.event.title) or 'activite'}-{day:%Y-%m-%d}.ics",
        as_attachment=True,
    )


@for_someone_too
@require_safe
@cache_control(private=True)
def personal(request, token):
    """The dates I registered to (waitlist included), behind my secret address; a revoked address is gone."""
    calendar_token = CalendarToken.objects.filter(token=token, person__is_active=True).first()
    if calendar_token is None:
        raise Http404
    registrations = (
        Registration.objects.active()
        .filter(person_id=calendar_token.person_id, occurrence__in=_window().values("pk"))
        .select_related("occurrence__event__category", "occurrence__event__place", "occurrence__centre")
        .order_by("occurrence__start", "occurrence__pk")[:FEED_LIMIT]
    )
    entries = [
        _entry(
            request,
            registration.occurrence,
            waitlisted=registration.status == Registration.Status.WAITLISTED,
        )
        for registration in registrations
    ]
    return calendar_response(
        request,
        uid=f"inscriptions-{calendar_token.pk}",
        name=_("Mes inscriptions — Placette"),
        description=_("Vos inscriptions aux activités des centres sociaux de Placette."),
        entries=entries,
        filename="placette-mes-inscriptions.ics",
        private=True,
    )
