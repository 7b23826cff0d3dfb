"""The team's pages on one record (change it, delete it) and the export of a period's records in the national
activity report's fields: a centre's for its team, the network's (totals of participants only) for network admins.

As in suivi.views, ids are looked up among the rows of the centres the user runs: another centre's record is a 404.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.confirmation import ask, confirmed
from accounts.middleware import team_page
from core.forms import PlainForm
from core.views import attempt
from home.french_dates import DATE_HELP, FrenchDateField
from quartier.models import CentrePage
from suivi import coop_export, services
from suivi.forms import RecordForm
from suivi.models import MediationRecord


def _team_record(request, record_id):
    return get_object_or_404(
        MediationRecord.objects.for_centre_team(request.user)
        .select_related("centre", "recorded_by", "updated_by")
        .prefetch_related("themes", "mediators", "participants"),
        pk=record_id,
    )


def _back_to(record):
    """The person's history for a one-person record, the team's home otherwise."""
    participants = record.participants.all()
    if len(participants) == 1 and participants[0].person_id:
        return reverse("suivi:person", args=[participants[0].person_id])
    return reverse("suivi:team_home")


@team_page
def edit_record(request, record_id):
    """Change what was noted; the bands copied on its participations stay as they were that day."""
    record = _team_record(request, record_id)
    form = RecordForm(
        request.POST or None,
        centre=record.centre,
        mediator=request.user,
        search=request.GET.get("q", ""),
        record=record,
        initial=RecordForm.initial_for(record),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = data.get("person")
        if data.get("member"):
            person = services.person_for_account(record.centre, data["member"])
        elif data.get("new_label"):
            person = services.add_person(record.centre, label=data["new_label"], by=request.user)
        updated = attempt(form, services.update_record, record, request.user, person=person, **form.record_fields())
        if updated is not None:
            messages.success(request, _("C'est modifié."))
            return redirect(_back_to(updated))
    return render(
        request,
        "suivi/new_record.html",
        {"form": form, "centre": record.centre, "record": record},
        status=400 if form.errors else 200,
    )


@team_page
def delete_record(request, record_id):
    """Delete a record noted by mistake, after one confirmation: it leaves the history and the figures."""
    record = _team_record(request, record_id)
    back = _back_to(record)
    if not confirmed(request):
        return ask(
            request,
            question=_("Supprimer l'accompagnement du %s ?") % f"{record.date:%d/%m/%Y}",
            explanation=[
                _("Il disparaît de l'historique de la personne et des chiffres du centre."),
                _("On ne peut pas revenir en arrière."),
            ],
            yes=_("Oui, supprimer"),
            no=_("Non, garder"),
            back=reverse("suivi:edit_record", args=[record.pk]),
        )
    services.delete_record(record, request.user)
    messages.success(request, _("L'accompagnement est supprimé."))
    return redirect(back)


class ExportForm(PlainForm):
    """The period and the file: every table in one XLSX, or one table as CSV."""

    start = FrenchDateField(label=gettext_lazy("Du"), help_text=DATE_HELP)
    end = FrenchDateField(label=gettext_lazy("Au"), help_text=DATE_HELP)
    format = forms.ChoiceField(
        label=gettext_lazy("Fichier"),
        choices=[
            ("xlsx", gettext_lazy("Tableur (XLSX), toutes les feuilles")),
            ("csv", gettext_lazy("CSV pour Excel, une feuille")),
        ],
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    table = forms.ChoiceField(
        label=gettext_lazy("Pour un CSV : quelle feuille ?"),
        widget=forms.RadioSelect,
        initial="activites",
        required=False,
    )

    TABLE_LABELS = {
        "activites": gettext_lazy("Les activités, une ligne par accompagnement"),
        "participants": gettext_lazy("Les participants, une ligne par personne aidée"),
        "totaux": gettext_lazy("Les participants en totaux"),
    }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [(name, self.TABLE_LABELS[name]) for name in scope.tables]
        today = timezone.localdate()
        self.fields["start"].initial = dt.date(today.year, 1, 1)
        self.fields["end"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("La fin de la période vient après son début."))
        return data


def _export(request, scope, heading):
    # The form is sent by GET: the file's address can be bookmarked, and nothing is written.
    form = ExportForm(request.GET if "start" in request.GET else None, scope=scope)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        body, content_type, filename = coop_export.export(
            scope, data["start"], data["end"], format=data["format"], table=data["table"] or "activites"
        )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(
        request,
        "suivi/export.html",
        {"form": form, "heading": heading, "network": scope.network},
        status=400 if form.errors else 200,
    )


@team_page
def export_centre(request, centre_id):
    centre = get_object_or_404(CentrePage.objects.run_by(request.user), pk=centre_id)
    return _export(request, coop_export.Scope([centre]), centre.title)


@team_page
def export_network(request):
    if not request.user.is_superuser:
        raise Http404
    return _export(request, coop_export.Scope(network=True), _("Tout le réseau"))
