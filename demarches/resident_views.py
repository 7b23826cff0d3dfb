"""The resident's mandate pages: "Mes mandats", one mandate with the log of what was done, its paper version, and
stopping it. Theirs alone: a mediator acting for them on Placette cannot open them (core/acting_for.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.confirmation import ask, confirmed
from core.views import refusals_as_messages
from demarches import mandates as services
from demarches.models import Mandate


def _my_mandate(request, mandate_id):
    return get_object_or_404(
        Mandate.objects.of_resident(request.user).select_related("centre", "recorded_by", "revoked_by"),
        pk=mandate_id,
    )


@login_required
@require_GET
def my_mandates(request):
    today = timezone.localdate()
    mine = list(Mandate.objects.of_resident(request.user).select_related("centre", "recorded_by"))
    return render(
        request,
        "demarches/mine/mandates.html",
        {
            "current": [mandate for mandate in mine if mandate.is_valid_on(today) or mandate.starts_on > today],
            "past": [mandate for mandate in mine if mandate.revoked_at or mandate.ends_on < today],
            "today": today,
        },
    )


@login_required
@require_GET
def my_mandate(request, mandate_id):
    mandate = _my_mandate(request, mandate_id)
    today = timezone.localdate()
    return render(
        request,
        "demarches/mine/mandate.html",
        {
            "mandate": mandate,
            "actions": mandate.actions.select_related("done_by"),
            "state": mandate.state(today),
        },
    )


@login_required
@require_GET
def print_my_mandate(request, mandate_id):
    mandate = _my_mandate(request, mandate_id)
    return render(
        request,
        "demarches/mandate_print.html",
        {
            "mandate": mandate,
            "actions": mandate.actions.select_related("done_by"),
            "back": reverse("demarches:my_mandate", args=[mandate.pk]),
        },
    )


@login_required
@refusals_as_messages(back=lambda request, mandate_id: reverse("demarches:my_mandate", args=[mandate_id]))
def revoke_my_mandate(request, mandate_id):
    mandate = _my_mandate(request, mandate_id)
    back = reverse("demarches:my_mandate", args=[mandate.pk])
    if not confirmed(request):
        return ask(
            request,
            question=_("Arrêter mon mandat pour le centre %(centre)s ?") % {"centre": mandate.centre.title},
            explanation=[
                _("L'équipe du centre ne pourra plus faire de démarches pour vous avec ce mandat."),
                _("Ce qui a déjà été fait reste noté ici. Vous pourrez en donner un nouveau au centre."),
            ],
            yes=_("Oui, j'arrête mon mandat"),
            no=_("Non, je le garde"),
            back=back,
        )
    services.revoke_mandate(request.user, mandate.pk)
    messages.success(request, _("Votre mandat est arrêté. Le centre est prévenu."))
    return redirect(back)
