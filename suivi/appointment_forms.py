"""The appointment forms: the team opens hours in words, books for someone; a resident confirms with one button."""

import re
import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.forms.event_page import WEEKDAY_CHOICES
from agenda.recurrence import MAX_INTERVAL, Frequency, Schedule
from core.forms import PlainForm, written_with_letters
from home.french_dates import DATE_HELP, FrenchDateError, FrenchDateField, FrenchTimeField, parse_date
from home.templatetags.french import moment
from quartier.models import team_of
from suivi import lists
from suivi.appointments import free_times
from suivi.models import Person, Slot

LENGTHS = [15, 20, 30, 45, 60, 90]
THEME_CHOICES = list(lists.THEME_LABELS.items())
UNSURE = ("", _("Je ne sais pas"))


class PatternForm(PlainForm):
    """ "Ouvrir des rendez-vous": which days, which hours, how long each, with whom, on what."""

    weekdays = forms.MultipleChoiceField(
        label=_("Les jours"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un jour de la semaine.")},
    )
    interval = forms.IntegerField(
        label=_("Toutes les … semaines"),
        min_value=1,
        max_value=MAX_INTERVAL,
        initial=1,
        help_text=_("1 : chaque semaine ; 2 : une semaine sur deux…"),
    )
    first_date = FrenchDateField(label=_("À partir du"), help_text=DATE_HELP)
    until = FrenchDateField(label=_("Jusqu'au"), help_text=DATE_HELP)
    start_time = FrenchTimeField(label=_("De"), help_text=_("Par exemple : 14 h"))
    end_time = FrenchTimeField(label=_("À"), help_text=_("Par exemple : 17 h"))
    length_minutes = forms.TypedChoiceField(
        label=_("Chaque rendez-vous dure"),
        choices=[(minutes, _("%s min") % minutes) for minutes in LENGTHS],
        coerce=int,
        initial=30,
        widget=forms.RadioSelect,
    )
    exceptions = forms.CharField(
        label=_("Sauf ces jours (vacances, jours fériés)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Des dates séparées par des virgules : 25/12/2026, 01/01/2027."),
    )
    mediators = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Avec"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Cochez au moins un médiateur."),
            "invalid_choice": _("Choisissez dans l'équipe du centre."),
        },
    )
    themes = forms.MultipleChoiceField(
        label=_("Pour"),
        choices=THEME_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un thème.")},
    )
    what_to_bring = forms.CharField(
        label=_("Ce qu'il faut apporter (si vous voulez le dire autrement que la liste du thème)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, centre, mediator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].queryset = team_of(centre).order_by("display_name", "pk")
        self.fields["mediators"].initial = [mediator.pk]
        self.fields["first_date"].initial = timezone.localdate()

    def clean_first_date(self):
        first_date = self.cleaned_data["first_date"]
        if first_date < timezone.localdate():
            raise forms.ValidationError(_("Cette date est passée. Choisissez aujourd'hui ou une date à venir."))
        return first_date

    def clean_exceptions(self):
        days = []
        for text in re.split(r"[,;\n]+", self.cleaned_data["exceptions"]):
            if text.strip():
                try:
                    days.append(parse_date(text.strip()))
                except FrenchDateError:
                    raise forms.ValidationError(
                        _("« %(text)s » n'est pas une date. Écrivez par exemple 25/12/2026.") % {"text": text.strip()}
                    ) from None
        return days

    def clean(self):
        data = super().clean()
        first_date, until = data.get("first_date"), data.get("until")
        if first_date and until and until < first_date:
            self.add_error("until", _("La date de fin doit venir après la première date."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("L'heure de fin doit venir après l'heure de début."))
        return data

    def recurrence(self):
        data = self.cleaned_data
        return Schedule(
            frequency=Frequency.WEEKLY,
            interval=data["interval"],
            weekdays=sorted(int(day) for day in data["weekdays"]),
            until=data["until"],
        ).to_rrule()


class BookForm(forms.Form):
    """The resident's one button: the theme chosen before, and the form's one-time token."""

    theme = forms.ChoiceField(choices=[UNSURE, *THEME_CHOICES], required=False, widget=forms.HiddenInput)
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return str(person)


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot):
        return f"{moment(slot.start)} — {slot.mediator}"


class TeamBookingForm(PlainForm):
    """The desk books for someone, on the phone or at the counter: who, on what, when."""

    person = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("La personne"),
        empty_label=_("Choisissez la personne"),
        error_messages={"invalid_choice": _("Cette personne n'est pas dans la liste du centre.")},
    )
    new_label = forms.CharField(
        required=False,
        max_length=30,
        label=_("Ou une nouvelle personne, sans compte"),
        help_text=_("Ses initiales ou un surnom, pour la retrouver. Jamais son adresse."),
        error_messages={"max_length": _("C'est trop long : 30 signes au plus.")},
    )
    theme = forms.ChoiceField(label=_("Pour"), choices=[UNSURE, *THEME_CHOICES], required=False)
    slot = SlotChoiceField(
        queryset=Slot.objects.none(),
        label=_("Quand"),
        empty_label=_("Choisissez une heure libre"),
        error_messages={
            "required": _("Choisissez une heure libre."),
            "invalid_choice": _("Cette heure n'est plus libre : choisissez-en une autre."),
        },
    )
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.filter(centre=centre).select_related("user").order_by("label", "user__display_name", "pk")
        )
        self.fields["slot"].queryset = centre_free_slots(centre)

    def clean_new_label(self):
        label = self.cleaned_data["new_label"].strip()
        if label:
            written_with_letters(label, _("Écrivez des lettres : des initiales ou un surnom."))
        return label

    def clean(self):
        data = super().clean()
        if data.get("person") and data.get("new_label"):
            self.add_error("new_label", _("Choisissez une seule personne : dans la liste, ou nouvelle."))
        elif not data.get("person") and not data.get("new_label") and not self.has_error("new_label"):
            self.add_error("person", _("Choisissez la personne, ou écrivez ses initiales si elle est nouvelle."))
        return data


def centre_free_slots(centre):
    """The next free times of the centre, as rows a form can choose from."""
    return Slot.objects.filter(pk__in=[slot.pk for slot in free_times(centre.pk)]).select_related("mediator")
