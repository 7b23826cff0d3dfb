"""The centre team's mandate pages: the list, a new mandate with the resident present, a mandate and its log with
the few taps that note a procedure done, revoking, the printable version and the scan of the signed paper.

Every id is looked up among the mandates of the centres the user runs (`Mandate.objects.for_centre_team`), so
another centre's mandate is a 404; every write goes through `demarches.mandates`, which checks the same again.
"""

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.confirmation import ask, confirmed
from accounts.middleware import team_page
from core.views import refusals_as_messages
from demarches import mandates as services
from demarches.forms import MandateActionForm, MandateForm
from demarches.models import ENDING_SOON_DAYS, Mandate, MandateAction
from quartier.models import centre_ids_run_by

# Ended and revoked mandates shown under the current ones: the latest, enough to find one again this season.
PAST_SHOWN = 50


def _team_mandate(request, mandate_id):
    return get_object_or_404(
        Mandate.objects.for_centre_team(request.user).select_related("centre", "resident", "recorded_by"),
        pk=mandate_id,
    )


@team_page
@require_GET
def mandates(request):
    """Mandates in force (those ending within the week first marked), then the latest ended or revoked."""
    today = timezone.localdate()
    team_mandates = Mandate.objects.for_centre_team(request.user).select_related("centre", "resident")
    current = list(team_mandates.filter(revoked_at__isnull=True, ends_on__gte=today).order_by("ends_on", "pk"))
    past = list(
        team_mandates.exclude(revoked_at__isnull=True, ends_on__gte=today).order_by("-ends_on", "-pk")[:PAST_SHOWN]
    )
    soon = today + dt.timedelta(days=ENDING_SOON_DAYS)
    return render(
        request,
        "demarches/team/mandates.html",
        {
            "ending": [mandate for mandate in current if mandate.ends_on <= soon],
            "valid": [mandate for mandate in current if mandate.ends_on > soon],
            "past": past,
            "today": today,
            "show_centre": len(centre_ids_run_by(request.user)) > 1,
        },
    )


@team_page
def new_mandate(request):
    initial = {}
    if request.GET.get("personne", "").isdigit():
        initial["membership"] = request.GET["personne"]
    form = MandateForm(request.POST or None, request.FILES or None, mediator=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = data["membership"]
        try:
            mandate = services.record_mandate(
                request.user,
                centre=membership.centre,
                resident=membership.user,
                scopes=data["scopes"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                consent_mode=data["consent_mode"],
                consent_scan=data.get("consent_scan"),
                consent_shown=data.get("consent_shown", ""),
            )
        except services.MandateRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        else:
            messages.success(request, _("Le mandat de %s est noté.") % mandate.resident)
            return redirect("demarches:team_mandate", mandate.pk)
    return render(request, "demarches/team/new_mandate.html", {"form": form})


@team_page
def mandate(request, mandate_id):
    """The mandate, its log, and the form that notes a procedure done (sent back here with its errors)."""
    mandate = _team_mandate(request, mandate_id)
    today = timezone.localdate()
    form = MandateActionForm(
        request.POST or None,
        procedures=services.procedures_for(mandate),
        initial={"done_on": today, "outcome": MandateAction.Outcome.DONE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_action(request.user, mandate.pk, **form.cleaned_data)
        except services.MandateRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        else:
            messages.success(request, _("C'est noté. %s le lit dans son compte.") % mandate.resident)
            return redirect("demarches:team_mandate", mandate.pk)
    return render(
        request,
        "demarches/team/mandate.html",
        {
            "mandate": mandate,
            "actions": mandate.actions.select_related("done_by"),
            "form": form,
            "in_force": mandate.is_valid_on(today),
            "state": mandate.state(today),
        },
        status=400 if form.errors else 200,
    )


@team_page
@refusals_as_messages(back=lambda request, mandate_id: reverse("demarches:team_mandate", args=[mandate_id]))
def revoke(request, mandate_id):
    mandate = _team_mandate(request, mandate_id)
    back = reverse("demarches:team_mandate", args=[mandate.pk])
    if not confirmed(request):
        return ask(
            request,
            question=_("Arrêter le mandat de %(resident)s ?") % {"resident": mandate.resident},
            explanation=[
                _("Plus aucune démarche ne pourra être faite pour cette personne avec ce mandat."),
                _("Ce qui a déjà été fait reste noté. La personne est prévenue."),
            ],
            yes=_("Oui, j'arrête ce mandat"),
            no=_("Non, je le garde"),
            back=back,
        )
    services.revoke_mandate(request.user, mandate.pk)
    messages.success(request, _("Le mandat est arrêté."))
    return redirect(back)


@team_page
@require_GET
def printable(request, mandate_id):
    mandate = _team_mandate(request, mandate_id)
    return render(
        request,
        "demarches/mandate_print.html",
        {
            "mandate": mandate,
            "actions": mandate.actions.select_related("done_by"),
            "back": reverse("demarches:team_mandate", args=[mandate.pk]),
        },
    )


@team_page
@require_GET
def consent_scan(request, mandate_id):
    """The scan of the signed paper, to the team of its centre only: the file has no address of its own."""
    mandate = _team_mandate(request, mandate_id)
    if not mandate.consent_scan:
        raise Http404
    name = mandate.consent_scan.name.rsplit("/", 1)[-1]
    response = FileResponse(mandate.consent_scan.open("rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
