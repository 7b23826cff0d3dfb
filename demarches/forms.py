"""The procedure's admin form: a centre the editor runs, and a rule or periods that give dates to come."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from demarches.rules import DeadlineRule, Rhythm, RuleError
from demarches.services import horizon
from quartier.models import CentrePage, centre_ids_run_by

RULE_FIELDS = ["opens_day", "opens_month", "closes_day", "closes_month", "rule_ends_on"]


class ProcedureForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or "centre" not in self.fields or user.has_perm("demarches.add_procedure"):
            return
        # A centre's team adds procedures for its own centres only; the network's are the network admins'.
        self.fields["centre"].queryset = CentrePage.objects.filter(pk__in=centre_ids_run_by(user)).order_by("title")
        self.fields["centre"].required = True
        self.fields["centre"].empty_label = None

    def clean(self):
        data = super().clean()
        rhythm = data.get("rhythm")
        rule = DeadlineRule(
            rhythm=rhythm,
            opens_day=data.get("opens_day"),
            closes_day=data.get("closes_day"),
            opens_month=data.get("opens_month"),
            closes_month=data.get("closes_month"),
            ends_on=data.get("rule_ends_on"),
        )
        today = timezone.localdate()
        try:
            rule.check()
        except RuleError as error:
            self.add_error(error.field, error.message)
            return data
        ends_on = data.get("rule_ends_on")
        if rule.is_rule and ends_on and ends_on < today and "rule_ends_on" in self.changed_data:
            self.add_error("rule_ends_on", _("Cette date est passée. Choisissez une date à venir, ou laissez vide."))
        elif rule.is_rule and not rule.windows(today, horizon(today)):
            self.add_error(
                "rule_ends_on" if ends_on else "rhythm",
                _("Cette règle ne donne aucune date à venir : vérifiez les jours, les mois et la date de fin."),
            )
        periods = self.typed_periods(today)
        if rhythm == Rhythm.DATES and periods is not None and not periods:
            self.add_error("rhythm", _("Ajoutez au moins une période plus bas, ou choisissez un rythme."))
        return data

    def typed_periods(self, today):
        """The periods kept in the form, after an error next to each new one already past; None if one is wrong."""
        formset = self.formsets.get("dated_windows")
        if formset is None or not formset.is_valid():
            return None
        periods = []
        for form in formset.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            closes_on = form.cleaned_data["closes_on"]
            if closes_on < today and form.has_changed():
                form.add_error("closes_on", _("Cette période est déjà passée. Indiquez des dates à venir."))
            periods.append(closes_on)
        return periods
