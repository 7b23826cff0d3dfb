"""Appointments' pages. The resident's, under /rendez-vous/: a centre's free times (public), then one button to
confirm once signed in, their appointments and cancelling. The team's, under /suivi/equipe/: opening hours, booking
for someone, the mediator's day (and its calendar file), kept or missed.

Three taps from a centre's page: the theme (or "Je ne sais pas"), a free time, "Je confirme". Plain links and one
form, so it works without JavaScript. A signed-out visitor sees the free times and is sent to sign in by code
(never to a password form) on the way to the confirm page, as for the agenda's registrations.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from icalendar import Event

from accounts.confirmation import ask, confirmed
from accounts.middleware import team_page
from agenda.views.feeds import calendar_response, uid_host
from core import freshness
from core.acting_for import acting_mediator, describe_action, for_someone_too, for_whom
from core.views import attempt, refusals_as_messages, safe_next
from home.templatetags.french import moment
from quartier.models import CentrePage, centre_ids_run_by
from suivi import appointments, lists, services
from suivi.appointment_forms import BookForm, PatternForm, TeamBookingForm
from suivi.models import Appointment, SlotPattern

# The mediator's calendar file: their coming appointments for this many days.
CALENDAR_DAYS = 60


def _times_url(centre_id, theme=None):
    url = reverse("rdv:times", args=[centre_id])
    return url if theme is None else f"{url}?{urlencode({'theme': theme})}"


def _theme(request):
    """The theme chosen at the first tap: a code of the national lists, "" for "Je ne sais pas", else None."""
    theme = request.GET.get("theme", request.POST.get("theme"))
    return theme if theme == "" or theme in lists.THEME_LABELS else None


@for_someone_too
@require_GET
def times(request, centre_id):
    """Taps one and two: the themes the centre helps with, then its free times for the chosen one."""
    centre = get_object_or_404(CentrePage.objects.live(), pk=centre_id)
    freshness.about_centre(request, centre.pk)
    theme = _theme(request)
    context = {"centre": centre, "theme": theme}
    if theme is None:
        context["themes"] = appointments.themes_offered(centre.pk)
    else:
        context["theme_label"] = lists.THEME_LABELS.get(theme, _("Je ne sais pas"))
        context["slots"] = appointments.free_times(centre.pk, theme=theme)
    return render(request, "suivi/rdv/times.html", context)


def _back_to_times(request, slot_id):
    slot = get_object_or_404(appointments.Slot.objects.only("centre_id"), pk=slot_id)
    return _times_url(slot.centre_id, _theme(request) or "")


@for_someone_too
@refusals_as_messages(_back_to_times)
def confirm(request, slot_id):
    """Tap three: one button that books; where a signed-out visitor comes back after signing in by code."""
    slot = get_object_or_404(appointments.Slot.objects.select_related("centre", "pattern", "mediator"), pk=slot_id)
    if not request.user.is_authenticated:
        messages.info(
            request,
            _("Pour prendre rendez-vous, connectez-vous ou créez votre compte. C'est gratuit, sans mot de passe."),
        )
        return redirect_to_login(request.get_full_path())
    theme = _theme(request) or ""
    form = BookForm(request.POST or None, initial={"theme": theme})
    if request.method == "POST" and form.is_valid():
        describe_action(
            request,
            _("Rendez-vous : %(when)s, %(centre)s") % {"when": moment(slot.start), "centre": slot.centre.title},
        )
        person = services.person_for_account(slot.centre, request.user)
        try:
            appointment = appointments.book(
                slot.pk,
                person,
                theme=form.cleaned_data["theme"],
                token=form.cleaned_data["token"],
                by=acting_mediator(request) or request.user,
            )
        except (appointments.SlotTaken, appointments.PersonBusy) as refusal:
            messages.error(request, str(refusal) + " " + _("Voici les autres heures libres."))
            request.acting_refused = True
            return redirect(_times_url(slot.centre_id, form.cleaned_data["theme"]))
        messages.success(
            request,
            for_whom(
                request,
                _("C'est noté : votre rendez-vous est pris."),
                _("C'est noté : le rendez-vous de %(name)s est pris."),
            ),
        )
        return redirect("rdv:appointment", appointment.pk)
    if slot.start <= timezone.now() or appointments.active(slot.appointments.all()).exists():
        messages.error(request, _("Cette heure n'est plus libre. Voici les autres heures libres."))
        return redirect(_times_url(slot.centre_id, theme))
    return render(
        request,
        "suivi/rdv/confirm.html",
        {
            "slot": slot,
            "form": form,
            "theme_label": lists.THEME_LABELS.get(theme, _("Je ne sais pas")),
            "bring": appointments.what_to_bring(slot.pattern, theme),
            "back": _times_url(slot.centre_id, theme),
        },
    )


def _mine(request):
    return Appointment.objects.filter(person__user=request.user).select_related(
        "slot__centre", "slot__pattern", "slot__mediator"
    )


@for_someone_too
@login_required
@require_GET
def my_appointments(request):
    now = timezone.now()
    mine = _mine(request)
    return render(
        request,
        "suivi/rdv/my_appointments.html",
        {
            "coming": mine.filter(slot__start__gt=now, status=Appointment.Status.BOOKED).order_by("slot__start"),
            "past": mine.exclude(slot__start__gt=now, status=Appointment.Status.BOOKED).order_by("-slot__start")[:20],
        },
    )


@for_someone_too
@login_required
@require_GET
def appointment(request, appointment_id):
    """One appointment: when, where, with whom, what to bring; cancel it."""
    appointment = get_object_or_404(_mine(request), pk=appointment_id)
    return render(
        request,
        "suivi/rdv/appointment.html",
        {
            "appointment": appointment,
            "bring": appointments.what_to_bring(appointment.slot.pattern, appointment.theme),
            "cancellable": appointment.status == Appointment.Status.BOOKED and appointment.slot.start > timezone.now(),
        },
    )


@for_someone_too
@login_required
@refusals_as_messages(back=lambda request, **kwargs: reverse("rdv:mine"))
def cancel_mine(request, appointment_id):
    appointment = get_object_or_404(_mine(request), pk=appointment_id)
    if not confirmed(request):
        return ask(
            request,
            question=_("Annuler le rendez-vous du %s ?") % moment(appointment.slot.start),
            explanation=[_("L'heure redevient libre pour quelqu'un d'autre. Vous pourrez reprendre un rendez-vous.")],
            yes=_("Oui, annuler"),
            no=_("Non, garder"),
            back=reverse("rdv:appointment", args=[appointment.pk]),
        )
    describe_action(request, _("Rendez-vous annulé : %s") % moment(appointment.slot.start))
    appointments.cancel(appointment.pk, request.user, by=acting_mediator(request))
    messages.success(request, _("Le rendez-vous est annulé. Vous pouvez en prendre un autre."))
    return redirect(_times_url(appointment.slot.centre_id))


# The team's pages.


def _team_centre(request, centre_id):
    return get_object_or_404(CentrePage.objects.run_by(request.user), pk=centre_id)


def _team_appointments(request):
    return Appointment.objects.filter(slot__centre_id__in=centre_ids_run_by(request.user))


def _day(request):
    try:
        return dt.date.fromisoformat(request.GET.get("jour", ""))
    except ValueError:
        return timezone.localdate()


@team_page
@require_GET
def day(request):
    """The mediator's day: their appointments (or the whole team's), to mark kept or missed and to note."""
    day = _day(request)
    everyone = request.GET.get("equipe") == "1"
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    rows = (
        _team_appointments(request)
        .filter(slot__start__gte=start, slot__start__lt=start + dt.timedelta(days=1))
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("slot__centre", "slot__mediator", "person__user")
        .order_by("slot__start", "pk")
    )
    if not everyone:
        rows = rows.filter(slot__mediator=request.user)
    return render(
        request,
        "suivi/rdv/day.html",
        {
            "day": day,
            "everyone": everyone,
            "rows": rows,
            "now": timezone.now(),
            "before": day - dt.timedelta(days=1),
            "after": day + dt.timedelta(days=1),
            "centres": CentrePage.objects.run_by(request.user).order_by("title"),
        },
    )


@team_page
@require_GET
def calendar(request):
    """My coming appointments as a calendar file, downloaded while signed in (nothing secret in an address)."""
    now = timezone.now()
    rows = (
        _team_appointments(request)
        .filter(
            slot__mediator=request.user, slot__start__gt=now, slot__start__lt=now + dt.timedelta(days=CALENDAR_DAYS)
        )
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("slot__centre", "person__user")
        .order_by("slot__start")
    )
    entries = [
        Event.new(
            uid=f"appointment-{row.pk}@{uid_host(request)}",
            stamp=now,
            start=timezone.localtime(row.slot.start),
            end=timezone.localtime(row.slot.end),
            summary=_("Rendez-vous : %(person)s") % {"person": row.person},
            description=row.theme_label,
            location=f"{row.slot.centre.title}, {row.slot.centre.street_address}, {row.slot.centre.town}",
        )
        for row in rows
    ]
    return calendar_response(
        request,
        uid=f"rendez-vous-{request.user.pk}",
        name=_("Mes rendez-vous — Placette"),
        description=_("Les rendez-vous pris avec vous dans vos centres."),
        entries=entries,
        filename="placette-mes-rendez-vous.ics",
        as_attachment=True,
        private=True,
    )


@team_page
def open_hours(request, centre_id):
    """ "Ouvrir des rendez-vous": a weekly pattern in words, and the patterns already open."""
    centre = _team_centre(request, centre_id)
    form = PatternForm(request.POST or None, centre=centre, mediator=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pattern = attempt(
            form,
            appointments.open_slots,
            centre,
            request.user,
            first_date=data["first_date"],
            recurrence=form.recurrence(),
            start_time=data["start_time"],
            end_time=data["end_time"],
            length_minutes=data["length_minutes"],
            mediators=list(data["mediators"]),
            themes=data["themes"],
            exceptions=data["exceptions"],
            what_to_bring=data["what_to_bring"],
        )
        if pattern is not None:
            messages.success(request, _("Les rendez-vous sont ouverts : %s.") % pattern.describe())
            return redirect("suivi:open_hours", centre.pk)
    patterns = SlotPattern.objects.filter(centre=centre).prefetch_related("mediators").order_by("-created_at")[:20]
    return render(
        request,
        "suivi/rdv/open_hours.html",
        {"centre": centre, "form": form, "patterns": patterns},
        status=400 if form.errors else 200,
    )


@team_page
def book_for(request, centre_id):
    """The desk books for someone, on the phone or at the counter."""
    centre = _team_centre(request, centre_id)
    form = TeamBookingForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = data["person"] or services.add_person(centre, label=data["new_label"], by=request.user)
        appointment = attempt(
            form,
            appointments.book,
            data["slot"].pk,
            person,
            theme=data["theme"],
            token=data["token"],
            by=request.user,
        )
        if appointment is not None:
            messages.success(
                request,
                _("C'est noté : %(person)s, %(when)s.") % {"person": person, "when": moment(appointment.slot.start)},
            )
            day = timezone.localdate(appointment.slot.start)
            return redirect(f"{reverse('suivi:day')}?{urlencode({'jour': day.isoformat(), 'equipe': 1})}")
    return render(
        request, "suivi/rdv/book_for.html", {"centre": centre, "form": form}, status=400 if form.errors else 200
    )


def _back_to_day(request, **kwargs):
    return reverse("suivi:day")


@team_page
@require_POST
@refusals_as_messages(_back_to_day)
def mark(request, appointment_id):
    get_object_or_404(_team_appointments(request), pk=appointment_id)
    kept = request.POST.get("kept") == "oui"
    appointments.mark(appointment_id, request.user, kept=kept)
    messages.success(request, _("Noté : rendez-vous honoré.") if kept else _("Noté : la personne n'est pas venue."))
    return redirect(safe_next(request, reverse("suivi:day")))


@team_page
@require_POST
@refusals_as_messages(_back_to_day)
def team_cancel(request, appointment_id):
    get_object_or_404(_team_appointments(request), pk=appointment_id)
    appointments.cancel(appointment_id, request.user)
    messages.success(request, _("Le rendez-vous est annulé : l'heure est libre à nouveau."))
    return redirect(safe_next(request, reverse("suivi:day")))


def record_initial(request, centre):
    """ "Noter l'accompagnement" from a kept appointment: the record form starts from it (`?rdv=<id>`)."""
    if not request.GET.get("rdv", "").isdigit():
        return {}
    appointment = (
        _team_appointments(request)
        .filter(slot__centre=centre, pk=request.GET["rdv"])
        .select_related("slot__pattern")
        .first()
    )
    if appointment is None:
        raise Http404
    return appointments.record_initial(appointment)
