"""The centre team's forms on a date's page: registering at the desk, cancelling or moving the date, attendance.

Each has its own `auto_id` prefix: four of them share the date's page, and ids must stay unique.
"""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumber_field.formfields import PhoneNumberField

from accounts.services import residents_helped_by
from home.french_dates import DATE_HELP, TIME_HELP, FrenchDateField, FrenchTimeField


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
