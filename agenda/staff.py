"""The centre team's pages, made for a phone at the door: upcoming dates, who registered, attendance,
registering someone at the front desk, cancelling or moving a date, and the list as a spreadsheet.

Every id is looked up among the dates of the centres the user runs (`Occurrence.objects.managed_by`), so
another centre's id is a 404; every write goes through `agenda.services`, which checks the same right again.
"""

import csv
import io
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook
from phonenumber_field.formfields import PhoneNumberField

from accounts.middleware import team_page
from accounts.services import residents_helped_by
from agenda import services
from agenda.models import EventPage, Occurrence, Registration
from agenda.new_activity import centres_open_to_new_activities
from core.listing import paginate
from core.views import attempt
from home.french_dates import DATE_HELP, TIME_HELP, FrenchDateField, FrenchTimeField
from quartier.models import CentrePage, centre_ids_run_by

DASHBOARD_DAYS = 14
Status = Registration.Status


# Forms. Each has its own `auto_id` prefix: four of them share the date's page, and ids must stay unique.


class FrontDeskForm(forms.Form):
    """Someone without an account, registered by name at the desk."""

    name = forms.CharField(
        label=gettext_lazy("Prénom et nom"),
        max_length=100,
        error_messages={"required": gettext_lazy("Indiquez le nom de la personne.")},
    )
    phone = PhoneNumberField(
        label=gettext_lazy("Téléphone (facultatif)"),
        region="FR",
        required=False,
        help_text=gettext_lazy("Pour la prévenir si la date change."),
        error_messages={"invalid": gettext_lazy("Ce numéro de téléphone n'est pas valide. Exemple : 06 12 34 56 78.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="accueil-%s", **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Indiquez le nom de la personne."))
        return name


class HelpedResidentForm(forms.Form):
    """A resident who allowed the centre's mediators to act for them, registered by the mediator."""

    resident = forms.ModelChoiceField(
        label=gettext_lazy("Habitant"),
        queryset=None,
        empty_label=gettext_lazy("Choisir une personne"),
        error_messages={
            "required": gettext_lazy("Choisissez la personne à inscrire."),
            "invalid_choice": gettext_lazy("Cette personne ne vous a pas donné son accord."),
        },
    )

    def __init__(self, *args, mediator, **kwargs):
        super().__init__(*args, auto_id="aide-%s", **kwargs)
        self.fields["resident"].queryset = residents_helped_by(mediator)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Pourquoi la date est annulée"),
        max_length=200,
        help_text=gettext_lazy("Les personnes inscrites liront ce message. Par exemple : l'animatrice est malade."),
        error_messages={"required": gettext_lazy("Dites pourquoi : chaque personne inscrite lira ce message.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="annuler-%s", **kwargs)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Dites pourquoi : chaque personne inscrite lira ce message."))
        return reason

    def change(self):
        """The reason, as `agenda.services.cancel_occurrence` takes it."""
        return {"reason": self.cleaned_data["reason"]}


class MoveForm(forms.Form):
    date = FrenchDateField(
        label=gettext_lazy("Nouvelle date"),
        help_text=DATE_HELP,
        error_messages={"required": gettext_lazy("Indiquez la nouvelle date.")},
    )
    start = FrenchTimeField(
        label=gettext_lazy("Heure de début"),
        help_text=TIME_HELP,
        error_messages={"required": gettext_lazy("Indiquez l'heure de début.")},
    )
    end = FrenchTimeField(
        label=gettext_lazy("Heure de fin"),
        help_text=TIME_HELP,
        error_messages={"required": gettext_lazy("Indiquez l'heure de fin.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="deplacer-%s", **kwargs)

    @classmethod
    def for_occurrence(cls, occurrence):
        start, end = timezone.localtime(occurrence.start), timezone.localtime(occurrence.end)
        return cls(initial={"date": start.date(), "start": start.time(), "end": end.time()})

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        if day and day < timezone.localdate():
            self.add_error("date", _("Cette date est passée. Choisissez une date à venir."))
        elif day and start and timezone.make_aware(datetime.combine(day, start)) <= timezone.now():
            self.add_error("start", _("Cette heure est déjà passée. Choisissez un moment à venir."))
        if start and end and end <= start:
            self.add_error("end", _("L'heure de fin doit venir après l'heure de début."))
        return cleaned

    def change(self):
        """The new start and end, as `agenda.services.move_occurrence` takes them."""
        day = self.cleaned_data["date"]
        return {
            "start": timezone.make_aware(datetime.combine(day, self.cleaned_data["start"])),
            "end": timezone.make_aware(datetime.combine(day, self.cleaned_data["end"])),
        }


class AttendanceForm(forms.Form):
    """Present ("1") or absent ("0"), as the attendance buttons send it."""

    present = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")


# Pages.


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
    return reverse("agenda_staff_occurrence", args=[occurrence_id]) + anchor


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


# The list as a spreadsheet.

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell starting with one of these is a formula to a spreadsheet: a name typed at the desk must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@team_page
@require_GET
def export(request, occurrence_id, format):
    """Who registered to a date, as CSV for French Excel (BOM, semicolons) or as an XLSX workbook."""
    if format not in EXPORT_FORMATS:
        raise Http404
    occurrence = _managed_occurrence(request, occurrence_id)
    registrations = occurrence.registrations.select_related("person", "registered_by").order_by("created_at", "pk")
    headings = [_("Nom"), _("Téléphone"), _("État"), _("Inscription le"), _("Inscription faite par")]
    rows = [_export_row(registration) for registration in registrations]
    filename = f"{occurrence.event.slug}-{timezone.localtime(occurrence.start):%Y-%m-%d}.{format}"
    body = _csv(headings, rows) if format == "csv" else _xlsx(headings, rows, occurrence)
    response = HttpResponse(body, content_type=EXPORT_FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def contact_phone(registration):
    """The number to call: the one typed at the desk, or the person's own."""
    return registration.phone or (registration.person.phone if registration.person_id else None) or None


def phone_text(phone):
    """ "06 12 34 56 78" for a French number, "+44 20 …" for another."""
    if not phone:
        return ""
    return phone.as_national if phone.country_code == 33 else phone.as_international


def registered_by_text(registration):
    by = registration.registered_by
    if registration.person_id is None:
        return _("À l'accueil (%(name)s)") % {"name": by} if by else _("À l'accueil")
    if by is not None and by.pk != registration.person_id:
        return _("Par %(name)s") % {"name": by}
    return _("En ligne")


def _export_row(registration):
    return [
        registration.display_name,
        phone_text(contact_phone(registration)),
        str(registration.get_status_display()),
        timezone.localtime(registration.created_at).replace(tzinfo=None, microsecond=0),
        registered_by_text(registration),
    ]


def _csv(headings, rows):
    buffer = io.StringIO()
    # Excel set to French reads ";" as the separator, and UTF-8 only after a byte order mark.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headings)
    for row in rows:
        writer.writerow(
            [date_format(value, "d/m/Y H:i") if isinstance(value, datetime) else _as_text(value) for value in row]
        )
    return buffer.getvalue().encode("utf-8")


def _as_text(value):
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _xlsx(headings, rows, occurrence):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = timezone.localtime(occurrence.start).strftime("%d-%m-%Y")
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # openpyxl reads a string starting with "=" as a formula; a typed name is text.
                cell.data_type = "s"
            elif isinstance(cell.value, datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
    for column, width in zip("ABCDE", (30, 18, 20, 18, 30), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
