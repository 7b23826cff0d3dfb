"""The centre team's exchange pages: the month-by-month figures, and correcting hours by hand."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.middleware import team_page
from core.errors import PlacetteError
from echanges import ledger
from echanges.conversation_forms import AgreementForm, PlainForm
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


class CorrectionForm(PlainForm):
    payer = forms.ModelChoiceField(
        label=gettext_lazy("Prendre des heures à"), queryset=get_user_model().objects.none(), empty_label=None
    )
    payee = forms.ModelChoiceField(
        label=gettext_lazy("Donner les heures à"), queryset=get_user_model().objects.none(), empty_label=None
    )
    note = forms.CharField(
        label=gettext_lazy("Pourquoi ?"),
        max_length=200,
        help_text=gettext_lazy("Par exemple : échange du 3 mars oublié. Les deux personnes le liront."),
        error_messages={"required": gettext_lazy("Dites pourquoi vous corrigez les heures.")},
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            get_user_model()
            .objects.filter(memberships__centre=centre, erased_at__isnull=True)
            .order_by("display_name", "pk")
        )
        self.fields["payer"].queryset = people
        self.fields["payee"].queryset = people
        self.fields["hours"] = AgreementForm(time_bank=True).fields["hours"]

    clean_hours = AgreementForm.clean_hours

    def clean(self):
        data = super().clean()
        if data.get("payer") and data.get("payer") == data.get("payee"):
            self.add_error("payee", _("Choisissez deux personnes différentes."))
        return data


@team_page
def correction(request):
    """A correction is a new transfer, never a change to an old one: the statements keep both."""
    centres = CentrePage.objects.run_by(request.user).order_by("title")
    centre = _chosen_centre(request, centres)
    form = CorrectionForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ledger.record_correction(
                request.user, payer=data["payer"], payee=data["payee"], minutes=data["hours"], note=data["note"]
            )
        except PlacetteError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("La correction est enregistrée. Les deux personnes sont prévenues."))
            return redirect(f"{request.path}?centre={centre.pk}")
    return render(request, "echanges/staff/correction.html", {"centre": centre, "form": form})
