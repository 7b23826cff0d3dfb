"""The centre team's pages, made for a phone at the door: upcoming dates, who registered, attendance,
registering someone at the front desk, cancelling or moving a date, and the list as a spreadsheet.

Every id is looked up among the dates of the centres the user runs (`Occurrence.objects.managed_by`), so
another centre's id is a 404; every write goes through `agenda.services`, which checks the same right again.
"""

from datetime import datetime, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.middleware import team_page
from agenda import services
from agenda.exports import EXPORT_FORMATS, contact_phone, phone_text, registered_by_text, registration_list
from agenda.forms.team import AttendanceForm, CancelForm, FrontDeskForm, HelpedResidentForm, MoveForm
from agenda.models import EventPage, Occurrence, Registration
from agenda.new_activity import centres_open_to_new_activities
from core.listing import paginate
from core.views import attempt
from quartier.models import CentrePage, centre_ids_run_by

DASHBOARD_DAYS = 14
Status = Registration.Status


def _managed_occurrence(request, occurrence_id):
    return get_object_or_404(
        Occurrence.objects.managed_by(request.user).select_related("event", "event__place", "centre"),
        pk=occurrence_id,
    )


@team_page
@require_GET
def dashboard(request):
    """The dates of the next two weeks (or of the last two) in the centres I run, possibly of one activity."""
    occurrences = Occurrence.objects.managed_by(request.user).for_listing()
    event = None
    if request.GET.get("activite"):
        event = _managed_event(request, request.GET["activite"])
        occurrences = occurrences.filter(event=event)
    today = timezone.localdate()
    past = request.GET.get("passees") == "1"
    if past:
        since, until = today - timedelta(days=DASHBOARD_DAYS), today
        occurrences = occurrences.order_by("-start", "-pk")
    else:
        since, until = today, today + timedelta(days=DASHBOARD_DAYS)
    occurrences = occurrences.filter(start__gte=_midnight(since), start__lt=_midnight(until))
    page = paginate(request, occurrences)
    occurrences = list(page.object_list)
    for occurrence in occurrences:
        occurrence.day = timezone.localtime(occurrence.start).date()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agenda/staff/dashboard.html",
        {
            "page_obj": page,
            "occurrences": occurrences,
            "event": event,
            "past": past,
            "query": query.urlencode(),
            "show_centre": len(centre_ids_run_by(request.user)) > 1,
            "may_add_activity": centres_open_to_new_activities(request.user).exists(),
        },
    )


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _managed_event(request, event_id):
    """The activity `?activite=` names, when it belongs to a centre the user runs."""
    try:
        event = EventPage.objects.get(pk=int(event_id))
    except (ValueError, EventPage.DoesNotExist):
        raise Http404 from None
    if not CentrePage.objects.run_by(request.user).filter(pk=event.get_parent().pk).exists():
        raise Http404
    return event


@team_page
@require_GET
def occurrence(request, occurrence_id):
    return _occurrence_page(request, _managed_occurrence(request, occurrence_id))


OCCURRENCE_FORMS = {"cancel_form": CancelForm, "move_form": MoveForm}
FORM_ANCHORS = {"front_desk_form": "accueil", "helped_form": "aide", "move_form": "deplacer", "cancel_form": "annuler"}


def _occurrence_page(request, occurrence, *, status=200, **forms_in_use):
    """The date's page, with the forms that were just sent (errors, typed values) and fresh ones otherwise."""
    registrations = list(
        occurrence.registrations.select_related("person", "registered_by").order_by("created_at", "pk")
    )
    for registration in registrations:
        registration.contact_phone = contact_phone(registration)
        registration.phone_text = phone_text(registration.contact_phone)
        registration.registered_by_text = registered_by_text(registration)
    holding = sorted(
        (registration for registration in registrations if registration.status in Registration.SEAT_HOLDING),
        key=lambda registration: registration.display_name.casefold(),
    )
    waiting = sorted(
        (registration for registration in registrations if registration.status == Status.WAITLISTED),
        key=lambda registration: (registration.queued_at or registration.created_at, registration.pk),
    )
    cancelled = [registration for registration in registrations if registration.status == Status.CANCELLED]
    helped = forms_in_use.get("helped_form") or HelpedResidentForm(mediator=request.user)
    today, now = timezone.localdate(), timezone.now()
    context = {
        "occurrence": occurrence,
        "event": occurrence.event,
        "holding": holding,
        "waiting": waiting,
        "cancelled": cancelled,
        "attendance_open": not occurrence.is_cancelled and timezone.localtime(occurrence.start).date() <= today,
        "may_change": not occurrence.is_cancelled and not occurrence.is_past,
        # Someone arriving late is still added at the desk until the activity ends.
        "may_register": occurrence.registration_required and not occurrence.is_cancelled and occurrence.end > now,
        "front_desk_form": forms_in_use.get("front_desk_form") or FrontDeskForm(),
        "helped_form": helped,
        "has_helped_residents": helped.fields["resident"].queryset.exists(),
        "cancel_form": forms_in_use.get("cancel_form") or CancelForm(),
        "move_form": forms_in_use.get("move_form") or MoveForm.for_occurrence(occurrence),
        # Where the form sent back with its errors sits: the page is long on a phone.
        "error_anchor": next((FORM_ANCHORS[name] for name, form in forms_in_use.items() if form.errors), ""),
    }
    return render(request, "agenda/staff/occurrence.html", context, status=status)


def _occurrence_url(occurrence_id, anchor=""):
    return reverse("agenda:team_occurrence", args=[occurrence_id]) + anchor


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@team_page
@require_POST
def attendance(request, registration_id):
    """Mark someone present or absent; answers JSON to the page's script, a redirect otherwise."""
    registration = get_object_or_404(
        Registration.objects.filter(occurrence__in=Occurrence.objects.managed_by(request.user)),
        pk=registration_id,
    )
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choisissez « Présent » ou « Absent »."))
    present = form.cleaned_data["present"]
    back = _occurrence_url(registration.occurrence_id, f"#inscription-{registration.pk}")
    registration = attempt(form, services.mark_attendance, registration.pk, by=request.user, present=present)
    if registration is None:
        refusal = " ".join(form.non_field_errors())
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": refusal}, status=409)
        messages.error(request, refusal)
        return redirect(back)
    name = registration.display_name
    text = (_("Présence notée : %(name)s.") if present else _("Absence notée : %(name)s.")) % {"name": name}
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "present": present,
                "status": registration.status,
                "status_label": str(registration.get_status_display()),
                "message": text,
            }
        )
    messages.success(request, text)
    return redirect(back)


@team_page
@require_POST
def front_desk(request, occurrence_id):
    """Register someone at the desk: by name (no account), or a resident the mediator may act for."""
    occurrence = _managed_occurrence(request, occurrence_id)
    if "resident" in request.POST:
        form = HelpedResidentForm(request.POST, mediator=request.user)
        forms_in_use = {"helped_form": form}
    else:
        form = FrontDeskForm(request.POST)
        forms_in_use = {"front_desk_form": form}
    if not form.is_valid():
        return _occurrence_page(request, occurrence, status=400, **forms_in_use)
    if "resident" in form.cleaned_data:
        name = str(form.cleaned_data["resident"])
        registration = attempt(form, services.register, occurrence.pk, form.cleaned_data["resident"], by=request.user)
    else:
        name = form.cleaned_data["name"]
        registration = attempt(
            form,
            services.register_at_front_desk,
            occurrence.pk,
            name=name,
            phone=form.cleaned_data["phone"] or "",
            by=request.user,
        )
    if registration is None:
        return _occurrence_page(request, occurrence, status=400, **forms_in_use)
    if registration.status == Status.WAITLISTED:
        messages.warning(request, _("C'est complet : %(name)s est sur la liste d'attente.") % {"name": name})
    else:
        messages.success(request, _("C'est noté : %(name)s a une place.") % {"name": name})
    return redirect(_occurrence_url(occurrence.pk))


@team_page
@require_POST
def cancel_occurrence(request, occurrence_id):
    return _change_occurrence(
        request, occurrence_id, "cancel_form", services.cancel_occurrence, _("La date est annulée.")
    )


@team_page
@require_POST
def move_occurrence(request, occurrence_id):
    return _change_occurrence(
        request, occurrence_id, "move_form", services.move_occurrence, _("La date est déplacée.")
    )


def _change_occurrence(request, occurrence_id, form_name, change, done):
    """Cancel or move a date with the form the page sent, then say who was told; the form again on a refusal."""
    occurrence = _managed_occurrence(request, occurrence_id)
    form = OCCURRENCE_FORMS[form_name](request.POST)
    if form.is_valid() and attempt(form, change, occurrence.pk, by=request.user, **form.change()) is not None:
        messages.success(request, _told_message(occurrence, done))
        return redirect(_occurrence_url(occurrence.pk))
    return _occurrence_page(request, occurrence, status=400, **{form_name: form})


def _told_message(occurrence, done):
    """What was done, and who still has to be called: people registered at the desk get no notification."""
    at_desk = occurrence.registrations.active().filter(person__isnull=True).count()
    text = done + " " + _("Les personnes inscrites avec un compte sont prévenues.")
    if at_desk:
        text += " " + ngettext(
            "Appelez la personne inscrite à l'accueil.",
            "Appelez les %(count)s personnes inscrites à l'accueil.",
            at_desk,
        ) % {"count": at_desk}
    return text


@team_page
@require_GET
def export(request, occurrence_id, format):
    """Who registered to a date, as a spreadsheet (`agenda.exports`)."""
    if format not in EXPORT_FORMATS:
        raise Http404
    body, filename = registration_list(_managed_occurrence(request, occurrence_id), format)
    response = HttpResponse(body, content_type=EXPORT_FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
