"""The public agenda: the network's listing, an activity's page, registering and "Mes inscriptions"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import PlacetteError
from agenda import services
from agenda.filters import OccurrenceFilter
from agenda.jsonld import event_json_ld
from agenda.models import CalendarToken, Occurrence, Registration
from quartier.models import CentrePage, centres_run_by

PER_PAGE = 20
NEXT_DATES = 10


def listing(request, *, centre=None):
    """Upcoming dates, filtered and paginated: the network's agenda, or one centre's (on its page)."""
    occurrences = Occurrence.objects.listed().upcoming().for_listing()
    if centre is not None:
        occurrences = occurrences.filter(centre=centre)
    filterset = OccurrenceFilter(request.GET or None, queryset=occurrences, centre=centre)
    if filterset.is_bound:
        occurrences = filterset.qs if filterset.is_valid() else occurrences.none()
    page = Paginator(occurrences, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": filterset,
        "page_obj": page,
        "occurrences": page.object_list,
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
        "query": query.urlencode(),
    }


def agenda(request):
    context = listing(request)
    context["feed_url"] = reverse("agenda_feed")
    return render(request, "agenda/agenda.html", context)


def event_page_context(request, event):
    """What an activity's page shows besides its fields: next dates, the person's registrations, JSON-LD."""
    centre = CentrePage.objects.parent_of(event).get()
    dates = list(Occurrence.objects.filter(event=event).upcoming().order_by("start", "pk")[:NEXT_DATES])
    mine = {}
    if request.user.is_authenticated and dates:
        mine = {
            registration.occurrence_id: registration
            for registration in Registration.objects.active().filter(person=request.user, occurrence__in=dates)
        }
    for occurrence in dates:
        occurrence.mine = mine.get(occurrence.pk)
    may_run = request.user.is_authenticated and centres_run_by(request.user).filter(pk=centre.pk).exists()
    return {
        "centre": centre,
        "dates": dates,
        "audiences": [tag.name for tag in event.audiences.all()],
        "json_ld": event_json_ld(request, event, centre, dates),
        "feed_url": reverse("agenda_event_feed", args=[event.pk]),
        "may_run": may_run,
    }


def _back_to(request, fallback):
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else fallback


def confirm_registration(request, occurrence_id):
    """The one button that registers to a date: where "Je m'inscris" leads, before and after signing in by code.

    A GET never registers: the link can come from anywhere, so the person says yes on this page.
    """
    occurrence = get_object_or_404(Occurrence.objects.listed().select_related("event", "centre"), pk=occurrence_id)
    if not request.user.is_authenticated:
        messages.info(
            request, _("Pour vous inscrire, connectez-vous ou créez votre compte. C'est gratuit, sans mot de passe.")
        )
        return redirect_to_login(request.path)
    back = occurrence.event.url
    try:
        services.check_open_for_registration(occurrence)
    except PlacetteError as error:
        messages.error(request, str(error))
        return redirect(back)
    mine = Registration.objects.active().filter(person=request.user, occurrence=occurrence).first()
    if mine is not None:
        if mine.status == Registration.Status.WAITLISTED:
            messages.info(request, _("Vous êtes déjà sur la liste d'attente de cette date."))
        else:
            messages.info(request, _("Vous avez déjà une place à cette date."))
        return redirect(back)
    return render(request, "agenda/confirm_registration.html", {"occurrence": occurrence, "event": occurrence.event})


@require_POST
def register(request, occurrence_id):
    occurrence = get_object_or_404(Occurrence.objects.listed().select_related("event"), pk=occurrence_id)
    back = _back_to(request, occurrence.event.url)
    if not request.user.is_authenticated:
        return redirect(reverse("agenda_confirm_registration", args=[occurrence.pk]))
    try:
        registration = services.register(occurrence.pk, request.user, by=request.mediator)
    except PlacetteError as error:
        messages.error(request, str(error))
        return redirect(back)
    if registration.status == Registration.Status.WAITLISTED:
        messages.warning(
            request, _("C'est complet : vous êtes sur la liste d'attente. Nous vous prévenons si une place se libère.")
        )
    else:
        messages.success(request, _("C'est noté, vous êtes inscrit. Vous le retrouvez dans « Mes inscriptions »."))
    return redirect(back)


@require_POST
@login_required
def cancel(request, registration_id):
    try:
        services.cancel_registration(registration_id, request.user)
    except Registration.DoesNotExist:
        raise Http404 from None
    except PlacetteError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Votre inscription est annulée. Merci d'avoir prévenu !"))
    return redirect(_back_to(request, reverse("agenda_my_registrations")))


@login_required
def my_registrations(request):
    now = timezone.now()
    registrations = (
        Registration.objects.active()
        .filter(person=request.user)
        .select_related("occurrence__event", "occurrence__centre", "occurrence__event__place")
        .order_by("occurrence__start")
    )
    upcoming = list(registrations.filter(occurrence__end__gt=now))
    past = list(registrations.filter(occurrence__end__lte=now).order_by("-occurrence__start")[:20])
    token = CalendarToken.objects.filter(person=request.user).first()
    return render(
        request,
        "agenda/my_registrations.html",
        {
            "upcoming": upcoming,
            "past": past,
            "personal_feed": request.build_absolute_uri(reverse("agenda_personal_feed", args=[token.token]))
            if token
            else "",
        },
    )


@require_POST
@login_required
def renew_calendar_address(request):
    """Make (or remake) the secret address of my calendar; the old one stops working at once."""
    CalendarToken.objects.filter(person=request.user).delete()
    CalendarToken.objects.create(person=request.user)
    messages.success(request, _("Votre adresse d'agenda est prête. L'ancienne ne marche plus."))
    return redirect("agenda_my_registrations")


@require_POST
@login_required
def forget_calendar_address(request):
    CalendarToken.objects.filter(person=request.user).delete()
    messages.success(request, _("Votre adresse d'agenda ne marche plus. Personne ne peut plus la lire."))
    return redirect("agenda_my_registrations")
