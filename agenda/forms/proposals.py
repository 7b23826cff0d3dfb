"""The form a resident fills to propose an activity to their centre: few fields, each in plain words."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import Category, EventPage, Place
from core.forms import written_with_letters
from home.french_dates import DATE_HELP, TIME_HELP, FrenchDateField, FrenchTimeField

TITLE_MAX = 100
NEEDS_MAX = EventPage._meta.get_field("needs").max_length
SUMMARY_MAX = EventPage._meta.get_field("summary").max_length
# A resident's activity fits a room of the centre; bigger events are the editors' to set up.
CAPACITY_MAX = 200
DEFAULT_CAPACITY = 12
AT_THE_CENTRE = ""


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, place):
        return f"{place.name} — {place.street_address}, {place.town}"


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Nom de l'activité"),
        max_length=TITLE_MAX,
        help_text=_("Par exemple : atelier tricot, balade au parc, aide aux devoirs."),
    )
    summary = forms.CharField(
        label=_("En une phrase"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que l'on fera ensemble. %(max)s signes au plus.") % {"max": SUMMARY_MAX},
    )
    date = FrenchDateField(label=_("Date"), help_text=DATE_HELP)
    start_time = FrenchTimeField(label=_("Heure de début"), help_text=TIME_HELP)
    end_time = FrenchTimeField(label=_("Heure de fin"), help_text=TIME_HELP)
    place = PlaceChoiceField(
        label=_("Lieu"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("Au centre"),
    )
    category = forms.ModelChoiceField(
        label=_("Genre d'activité"), queryset=Category.objects.all(), empty_label=_("Choisissez dans la liste")
    )
    capacity = forms.IntegerField(
        label=_("Nombre de places"),
        min_value=1,
        max_value=CAPACITY_MAX,
        required=False,
        help_text=_("Combien de personnes au plus ? Sans réponse : %(default)s.") % {"default": DEFAULT_CAPACITY},
    )
    needs = forms.CharField(
        label=_("Ce qu'il faut prévoir"),
        max_length=NEEDS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Matériel, salle, aide… %(max)s signes au plus.") % {"max": NEEDS_MAX},
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["place"].queryset = Place.objects.filter(centre=centre).order_by("name")
        self.fields["capacity"].widget.attrs.update(placeholder=str(DEFAULT_CAPACITY), inputmode="numeric")

    def clean_title(self):
        return written_with_letters(self.cleaned_data["title"], _("Écrivez le nom de l'activité avec des lettres."))

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < timezone.localdate():
            raise forms.ValidationError(_("Cette date est passée. Choisissez aujourd'hui ou un jour qui vient."))
        return date

    def clean(self):
        data = super().clean()
        date, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("L'heure de fin doit venir après l'heure de début."))
        elif date and start and timezone.make_aware(datetime.combine(date, start)) <= timezone.now():
            self.add_error("start_time", _("Cette heure est passée. Choisissez une heure qui vient."))
        return data

    def proposal(self):
        """The cleaned values, named as `agenda.proposals.propose` takes them."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "start_date": data["date"],
            "start_time": data["start_time"],
            "end_time": data["end_time"],
            "place": data["place"],
            "category": data["category"],
            "capacity": data["capacity"] or DEFAULT_CAPACITY,
            "needs": data["needs"],
        }
