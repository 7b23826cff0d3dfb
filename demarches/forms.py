"""The procedure's admin form (a centre the editor runs, a rule or periods that give dates to come); the forms to
follow procedures (a resident's "Prévenez-moi avant la date", the front desk's contacts); and the team's mandate
forms: recording a mandate, and noting a procedure done under one."""

from datetime import timedelta
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.fields import MobilePhoneField
from core.forms import PlainForm, written_with_letters
from demarches.mandates import MandateRefused, check_dates, terms_in_words
from demarches.models import Contact, Domain, Follow, Mandate, MandateAction, Procedure, add_months
from demarches.rules import DeadlineRule, Rhythm, RuleError
from demarches.services import horizon
from home.french_dates import DATE_HELP, FrenchDateField
from quartier.models import CentrePage, Membership, centre_ids_run_by

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


# A scan or a photo of the signed paper, as a phone takes it or a scanner writes it.
SCAN_TYPES = {".pdf": b"%PDF-", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n"}
SCAN_MAX_BYTES = 10 * 1024 * 1024
DURATIONS = [
    ("1j", _("1 jour")),
    ("1m", _("1 mois")),
    ("3m", _("3 mois")),
    ("6m", _("6 mois")),
    ("12m", _("12 mois")),
]


def end_of(duration, starts_on):
    if duration == "1j":
        return starts_on + timedelta(days=1)
    return add_months(starts_on, int(duration.removesuffix("m")))


class MemberChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, several_centres=False, **kwargs):
        self.several_centres = several_centres
        super().__init__(*args, **kwargs)

    def label_from_instance(self, membership):
        if self.several_centres:
            return f"{membership.user} — {membership.centre.title}"
        return str(membership.user)


TERMS_SALT = "demarches.mandate-terms"


class MandateForm(PlainForm):
    """A mediator records a mandate with the resident beside them: who, which domains, how long, how they said yes."""

    membership = MemberChoiceField(
        queryset=Membership.objects.none(),
        label=_("La personne"),
        empty_label=_("Choisissez la personne"),
        error_messages={"required": _("Choisissez la personne."), "invalid_choice": _("Choisissez la personne.")},
    )
    scopes = forms.MultipleChoiceField(
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Pour quelles démarches"),
        error_messages={
            "required": _("Cochez au moins un domaine."),
            "invalid_choice": _("Cochez des domaines de la liste."),
        },
    )
    duration = forms.ChoiceField(
        choices=DURATIONS,
        widget=forms.RadioSelect,
        required=False,
        label=_("Pour combien de temps"),
        error_messages={"invalid_choice": _("Choisissez une durée de la liste.")},
    )
    ends_on = FrenchDateField(
        required=False,
        label=_("Ou jusqu'à une date (incluse)"),
        help_text=DATE_HELP,
    )
    consent_mode = forms.ChoiceField(
        choices=Mandate.ConsentMode.choices,
        widget=forms.RadioSelect,
        label=_("Comment la personne dit oui"),
        error_messages={"required": _("Dites comment la personne a dit oui.")},
    )
    consent_scan = forms.FileField(
        required=False,
        label=_("Le papier signé (scan ou photo)"),
        help_text=_("PDF, JPEG ou PNG, 10 Mo au plus. Il reste au centre : personne ne peut l'ouvrir par un lien."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    consent_given = forms.BooleanField(
        required=False,
        label=_("La personne a lu le mandat sur mon écran et elle est d'accord"),
        help_text=_(
            "Le texte du mandat s'affiche au-dessus quand tout est rempli : la personne le lit, puis vous cochez."
        ),
    )
    shown_terms = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, mediator, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = ""
        centre_ids = centre_ids_run_by(mediator)
        field = self.fields["membership"]
        field.queryset = (
            Membership.objects.filter(centre_id__in=centre_ids, user__is_active=True, user__erased_at__isnull=True)
            .exclude(user=mediator)
            .select_related("user", "centre")
            .order_by("user__display_name", "user__first_name", "pk")
        )
        field.several_centres = len(centre_ids) > 1

    def clean_consent_scan(self):
        scan = self.cleaned_data.get("consent_scan")
        if not scan:
            return scan
        suffix = Path(scan.name).suffix.lower()
        if scan.size > SCAN_MAX_BYTES:
            raise ValidationError(_("Ce fichier est trop lourd : 10 Mo au plus."))
        head = scan.read(8)
        scan.seek(0)
        if suffix not in SCAN_TYPES or not head.startswith(SCAN_TYPES[suffix]):
            raise ValidationError(_("Ce fichier n'est pas un PDF, un JPEG ou un PNG."))
        return scan

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["starts_on"] = today
        if data.get("ends_on") is None and not self.has_error("ends_on"):
            if data.get("duration"):
                data["ends_on"] = end_of(data["duration"], today)
            elif not self.has_error("duration"):
                self.add_error("duration", _("Choisissez une durée, ou une date de fin."))
        if data.get("ends_on") is not None:
            try:
                check_dates(today, data["ends_on"])
            except MandateRefused as refusal:
                self.add_error("ends_on", str(refusal))
        mode = data.get("consent_mode")
        if mode == Mandate.ConsentMode.PAPER and not data.get("consent_scan") and not self.has_error("consent_scan"):
            self.add_error("consent_scan", _("Ajoutez le scan ou la photo du papier signé."))
        if mode == Mandate.ConsentMode.SCREEN:
            self.clean_screen_consent(data)
        return data

    def clean_screen_consent(self, data):
        """The person reads the mandate's own words on the screen before the box is ticked; those words are kept.

        Once who, which domains and how long are right, the page shows the terms and their digest travels in the
        form: a tick counts only beside the words shown, so a change after reading them shows them again.
        """
        membership, scopes, ends_on = data.get("membership"), data.get("scopes"), data.get("ends_on")
        if not (membership and scopes and ends_on) or self.errors:
            if not data.get("consent_given"):
                self.add_error("consent_given", _("Cochez la case quand la personne a lu et dit oui."))
            return
        self.terms = terms_in_words(membership.centre, membership.user, scopes, data["starts_on"], ends_on)
        digest = salted_hmac(TERMS_SALT, self.terms).hexdigest()
        if not constant_time_compare(data.get("shown_terms") or "", digest):
            self.data = self.data.copy()
            self.data["shown_terms"] = digest
            self.data.pop("consent_given", None)
            self.add_error(
                "consent_given", _("Lisez le mandat ci-dessus avec la personne. Si elle est d'accord, cochez la case.")
            )
        elif not data.get("consent_given"):
            self.add_error("consent_given", _("Cochez la case quand la personne a lu et dit oui."))
        else:
            data["consent_shown"] = self.terms


class MandateActionForm(PlainForm):
    """A procedure done for the resident under the mandate: which, when, how it went, what comes next."""

    procedure = forms.ModelChoiceField(
        queryset=Procedure.objects.none(),
        label=_("La démarche"),
        empty_label=_("Choisissez la démarche"),
        error_messages={
            "required": _("Choisissez la démarche."),
            "invalid_choice": _("Cette démarche n'est pas dans les domaines du mandat."),
        },
    )
    done_on = FrenchDateField(label=_("Faite le"), help_text=DATE_HELP)
    outcome = forms.ChoiceField(
        choices=MandateAction.Outcome.choices,
        widget=forms.RadioSelect,
        label=_("Résultat"),
        error_messages={"required": _("Dites comment ça s'est passé.")},
    )
    next_step = forms.CharField(
        required=False,
        max_length=200,
        label=_("Et ensuite (si besoin)"),
        help_text=_("Par exemple : « Attendre le courrier de la CAF », « Revenir avec l'avis d'imposition »."),
        error_messages={"max_length": _("C'est trop long : 200 signes au plus.")},
    )

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures


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
