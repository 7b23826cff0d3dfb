"""The figures: a dashboard per centre for its team and for the network for its admins, over a period chosen in
the address; each table as a CSV or XLSX file; the yearly report a funder receives, made to be printed.

A centre is looked up among the centres the reader runs (another centre is "not found"); the network's figures are
for network admins (superusers, who run every centre). The counting is in suivi/figures.py.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.middleware import team_page
from core.forms import PlainForm
from core.spreadsheets import FORMATS, csv_bytes, xlsx_bytes
from home.french_dates import DATE_HELP, FrenchDateField
from quartier.models import CentrePage
from suivi import charts, figures
from suivi.figures import Period, year_period

PRESETS = [
    ("annee", gettext_lazy("Cette année")),
    ("mois", gettext_lazy("Ce mois-ci")),
    ("mois-dernier", gettext_lazy("Le mois dernier")),
    ("annee-derniere", gettext_lazy("L'année dernière")),
    ("dates", gettext_lazy("Entre deux dates")),
]


class PeriodForm(PlainForm):
    periode = forms.ChoiceField(label=gettext_lazy("Période"), choices=PRESETS, widget=forms.RadioSelect)
    du = FrenchDateField(label=gettext_lazy("Du"), help_text=DATE_HELP, required=False)
    au = FrenchDateField(label=gettext_lazy("Au"), help_text=DATE_HELP, required=False)

    def clean(self):
        data = super().clean()
        if data.get("periode") != "dates":
            return data
        start, end = data.get("du"), data.get("au")
        if start is None and "du" not in self.errors:
            self.add_error("du", _("Donnez la date de début."))
        if end is None and "au" not in self.errors:
            self.add_error("au", _("Donnez la date de fin."))
        if start and end and end < start:
            self.add_error("au", _("La date de fin est avant la date de début."))
        elif start and end and (end - start).days > figures.MAX_DAYS:
            self.add_error("au", _("Choisissez une période de dix ans au plus."))
        return data

    def period(self, today):
        """The chosen period, in whole days."""
        choice = self.cleaned_data["periode"]
        if choice == "dates":
            return Period(self.cleaned_data["du"], self.cleaned_data["au"])
        return figures.standard_period(choice, today)


def _scope(request, centre_id):
    """The centre asked for among those the reader runs; None for the network, for network admins only."""
    if centre_id is None:
        if not request.user.is_superuser:
            raise PermissionDenied
        return None
    return get_object_or_404(CentrePage.objects.run_by(request.user), pk=centre_id)


def _period_form(request):
    data = request.GET.copy()
    data.setdefault("periode", "annee")
    return PeriodForm(data)


def _sections(figures_, prefix):
    return [(table, charts.bar_chart(table, f"{prefix}-{table.slug}")) for table in figures_.tables]


@team_page
@require_GET
def dashboard(request, centre_id=None):
    """The figures of a centre (or the network) over the chosen period, this year unless chosen."""
    centre = _scope(request, centre_id)
    form = _period_form(request)
    context = {"centre": centre, "form": form, "year": timezone.localdate().year}
    if not form.is_valid():
        return render(request, "suivi/chiffres/dashboard.html", context, status=400)
    period = form.period(timezone.localdate())
    result = figures.figures_for(centre, period)
    context |= {
        "period": period,
        "figures": result,
        "sections": _sections(result, "chiffres"),
        "query": request.GET.urlencode(),
    }
    return render(request, "suivi/chiffres/dashboard.html", context)


@team_page
@require_GET
def export(request, table, format, centre_id=None):
    """One table of the dashboard as a file, small counts masked as on the page."""
    centre = _scope(request, centre_id)
    if format not in FORMATS:
        raise Http404
    form = _period_form(request)
    if not form.is_valid():
        return HttpResponse(_("La période demandée n'est pas valable."), status=400, content_type="text/plain")
    period = form.period(timezone.localdate())
    chosen = figures.figures_for(centre, period).table(table)
    if chosen is None:
        raise Http404
    headings = [chosen.title, *chosen.columns]
    rows = [[row.label, *row.values] for row in chosen.rows]
    if format == "csv":
        body = csv_bytes(headings, rows)
    else:
        body = xlsx_bytes(headings, rows, title=chosen.title, widths=(40, *(16 for _column in chosen.columns)))
    name = f"chiffres-{figures.scope_key(centre)}-{table}-{period.key}.{format}"
    response = HttpResponse(body, content_type=FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@team_page
@require_GET
def report(request, year, centre_id=None):
    """The yearly report for a funder: every figure of the year with its chart, its table and how it is counted."""
    centre = _scope(request, centre_id)
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    period = year_period(year)
    result = figures.figures_for(centre, period)
    return render(
        request,
        "suivi/chiffres/report.html",
        {
            "centre": centre,
            "year": year,
            "period": period,
            "figures": result,
            "sections": _sections(result, "rapport"),
        },
    )
