"""The centre team's exchange pages: the month-by-month figures, and correcting hours by hand."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.middleware import team_page
from core.views import attempt
from echanges.forms import CorrectionForm
from echanges.services import ledger
from quartier.models import CentrePage


def _chosen_centre(request, centres):
    chosen = request.GET.get("centre") or request.POST.get("centre")
    if chosen and chosen.isdigit():
        centre = centres.filter(pk=int(chosen)).first()
        if centre is not None:
            return centre
    return centres.first()


@team_page
def figures(request):
    """Exchanges done, hours exchanged and people involved, month by month, for one centre I run."""
    centres = CentrePage.objects.run_by(request.user).order_by("title")
    centre = _chosen_centre(request, centres)
    months = ledger.centre_figures(centre)
    return render(
        request,
        "echanges/staff/figures.html",
        {
            "centre": centre,
            "centres": list(centres) if centres.count() > 1 else [],
            "months": months,
            "total_exchanges": sum(month.exchanges for month in months),
            "total_minutes": sum(month.minutes for month in months),
        },
    )


@team_page
def correction(request):
    """A correction is a new transfer, never a change to an old one: the statements keep both."""
    centres = CentrePage.objects.run_by(request.user).order_by("title")
    centre = _chosen_centre(request, centres)
    form = CorrectionForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = attempt(
            form,
            ledger.record_correction,
            request.user,
            payer=data["payer"],
            payee=data["payee"],
            minutes=data["hours"],
            note=data["note"],
        )
        if recorded is not None:
            messages.success(request, _("La correction est enregistrée. Les deux personnes sont prévenues."))
            return redirect(f"{request.path}?centre={centre.pk}")
    return render(request, "echanges/staff/correction.html", {"centre": centre, "form": form})
