"""The procedure's admin form (a centre the editor runs, and a rule or periods that give dates to come), and the
forms to follow procedures: a resident's "Prévenez-moi avant la date" and the front desk's contacts."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.fields import MobilePhoneField
from core.forms import PlainForm, written_with_letters
from demarches.models import Contact, Follow, Procedure
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


class FollowForm(PlainForm):
    """ "Prévenez-moi avant la date": when, for a resident (or a mediator for them)."""

    days_before = forms.TypedChoiceField(
        label=_("Quand voulez-vous être prévenu ?"),
        choices=Follow.DaysBefore.choices,
        coerce=int,
        initial=Follow.DaysBefore.SEVEN,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez quand être prévenu."),
            "invalid_choice": _("Choisissez quand être prévenu."),
        },
    )

    def __init__(self, *args, procedure, **kwargs):
        # Several of these on one page ("Mes démarches suivies"): each procedure's ids stay unique.
        super().__init__(*args, auto_id=f"suivre-{procedure.pk}-%s", **kwargs)


class ContactForm(PlainForm):
    """The front desk records someone without an account: who, which procedures, when, and their consent."""

    name = forms.CharField(
        label=_("Prénom et nom"),
        max_length=120,
        error_messages={"required": _("Indiquez le nom de la personne.")},
    )
    phone = MobilePhoneField(
        label=_("Numéro de portable"),
        error_messages={"required": _("Indiquez le numéro de portable de la personne.")},
    )
    procedures = forms.ModelMultipleChoiceField(
        label=_("Les démarches à lui rappeler"),
        queryset=Procedure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Cochez au moins une démarche."),
            "invalid_choice": _("Cochez des démarches de la liste."),
            "invalid_pk_value": _("Cochez des démarches de la liste."),
        },
    )
    days_before = forms.TypedChoiceField(
        label=_("Quand la prévenir"),
        choices=Follow.DaysBefore.choices,
        coerce=int,
        initial=Follow.DaysBefore.SEVEN,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez quand prévenir la personne."),
            "invalid_choice": _("Choisissez quand prévenir la personne."),
        },
    )
    consent = forms.BooleanField(
        label=_("La personne est d'accord pour recevoir ces SMS"),
        help_text=_("Demandez-le lui. Elle pourra les arrêter à tout moment en répondant STOP."),
        error_messages={"required": _("Sans l'accord de la personne, aucun SMS ne peut lui être envoyé.")},
    )
    accepts_campaigns = forms.BooleanField(
        label=_("Elle veut aussi les SMS d'information du centre"),
        required=False,
        help_text=_("Facultatif, et séparé : les nouvelles du centre, pas seulement les rappels."),
    )

    def __init__(self, *args, centre, contact=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre, self.contact = centre, contact
        self.fields["procedures"].queryset = Procedure.objects.for_centre(centre).order_by("name")
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "off"})

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        return written_with_letters(name, _("Indiquez le nom de la personne."))

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        others = Contact.objects.filter(centre=self.centre, phone=phone)
        if self.contact is not None and others.exclude(pk=self.contact.pk).exists():
            raise forms.ValidationError(_("Un autre contact du centre a déjà ce numéro."))
        return phone
