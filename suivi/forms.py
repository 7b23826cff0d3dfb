"""The team's forms: a record noted in a few taps on a phone, and a person's bands with their consent."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import Occurrence
from core.forms import PlainForm, written_with_letters
from home.french_dates import DATE_HELP, FrenchDateField
from quartier.models import team_of
from suivi import lists
from suivi.communes import COMMUNE_CHOICES
from suivi.models import BANDS, Person

# How far back a workshop's date is offered: the record is written the same week, rarely later.
WORKSHOP_DAYS_BACK = 60
NOT_ASKED = ("", _("Pas demandé"))


def duration_label(minutes):
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%d min") % rest
    return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest} if rest else _("%d h") % hours


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return str(person)


class OccurrenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, occurrence):
        return str(occurrence)


class RecordForm(PlainForm):
    """ "Noter un accompagnement": defaults fit the usual case (today, 30 minutes, at the centre)."""

    kind = forms.ChoiceField(
        label=_("Quoi ?"),
        choices=lists.Kind.choices,
        initial=lists.Kind.INDIVIDUAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites ce qui a été fait."), "invalid_choice": _("Dites ce qui a été fait.")},
    )
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("La personne aidée"),
        empty_label=_("Choisissez la personne"),
        error_messages={"invalid_choice": _("Cette personne n'est pas dans la liste du centre.")},
    )
    member = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Ou une personne qui a un compte au centre"),
        empty_label=_("Choisissez son compte"),
        error_messages={"invalid_choice": _("Cette personne n'est pas membre du centre.")},
    )
    new_label = forms.CharField(
        required=False,
        max_length=30,
        label=_("Ou une nouvelle personne, sans compte"),
        help_text=_("Ses initiales ou un surnom, pour la retrouver. Jamais son adresse."),
        error_messages={"max_length": _("C'est trop long : 30 signes au plus.")},
    )
    occurrence = OccurrenceChoiceField(
        queryset=Occurrence.objects.none(),
        required=False,
        label=_("Pour un atelier : sa date dans l'agenda"),
        help_text=_("Les personnes notées présentes sont ajoutées."),
        empty_label=_("Pas d'atelier de l'agenda"),
        error_messages={"invalid_choice": _("Choisissez un atelier du centre dans la liste.")},
    )
    date = FrenchDateField(label=_("Le"), help_text=DATE_HELP, error_messages={"required": _("Donnez la date.")})
    duration_minutes = forms.TypedChoiceField(
        label=_("Durée"),
        choices=[(minutes, duration_label(minutes)) for minutes in lists.DURATIONS],
        coerce=int,
        initial=30,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la durée."), "invalid_choice": _("Choisissez la durée.")},
    )
    place_type = forms.ChoiceField(
        label=_("Où ?"),
        choices=lists.PlaceType.choices,
        initial=lists.PlaceType.CENTRE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites où."), "invalid_choice": _("Dites où.")},
    )
    themes = forms.MultipleChoiceField(
        label=_("Thèmes"),
        choices=lists.Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choisissez les thèmes dans la liste.")},
    )
    procedure_themes = forms.MultipleChoiceField(
        label=_("Démarches"),
        choices=lists.ProcedureTheme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choisissez les démarches dans la liste.")},
    )
    equipment = forms.MultipleChoiceField(
        label=_("Matériel utilisé"),
        choices=lists.Equipment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choisissez le matériel dans la liste.")},
    )
    autonomy = forms.ChoiceField(
        label=_("La personne a été…"),
        choices=[NOT_ASKED, *lists.Autonomy.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choisissez dans la liste.")},
    )
    redirected_to = forms.ChoiceField(
        label=_("Orientée ailleurs ?"),
        choices=[("", _("Non")), *lists.Redirection.choices],
        required=False,
        initial="",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choisissez dans la liste.")},
    )
    remaining = forms.CharField(
        label=_("Ce qui reste à faire"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : « Revenir avec l'avis d'imposition »."),
        error_messages={"max_length": _("C'est trop long : 500 signes au plus.")},
    )
    follow_up_on = FrenchDateField(
        label=_("À revoir le (si besoin)"),
        required=False,
        help_text=_("Cette date revient dans votre liste « À suivre »."),
    )
    mediators = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Avec"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choisissez dans l'équipe du centre.")},
    )

    def __init__(self, *args, centre, mediator, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        today = timezone.localdate()
        self.fields["date"].initial = today
        self.fields["person"].queryset = (
            Person.objects.filter(centre=centre).select_related("user").order_by("label", "user__display_name", "pk")
        )
        self.fields["member"].queryset = (
            get_user_model()
            .objects.filter(memberships__centre=centre, is_active=True)
            .exclude(pk__in=Person.objects.filter(centre=centre, user__isnull=False).values("user_id"))
            .order_by("display_name", "pk")
        )
        since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=WORKSHOP_DAYS_BACK), dt.time()))
        self.fields["occurrence"].queryset = (
            Occurrence.objects.filter(centre=centre, start__gte=since, start__lte=timezone.now())
            .select_related("event")
            .order_by("-start")
        )
        self.fields["mediators"].queryset = team_of(centre).order_by("display_name", "pk")
        self.fields["mediators"].initial = [mediator.pk]

    def clean_new_label(self):
        label = self.cleaned_data["new_label"].strip()
        if label:
            written_with_letters(label, _("Écrivez des lettres : des initiales ou un surnom."))
        return label

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Cette date est dans le futur : notez l'accompagnement une fois fait."))
        return date

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("person", "member", "new_label") if data.get(name)]
        workshop = data.get("kind") == lists.Kind.WORKSHOP
        if len(chosen) > 1:
            self.add_error(chosen[1], _("Choisissez une seule personne : dans la liste, par son compte, ou nouvelle."))
        elif not chosen and not (workshop and data.get("occurrence")):
            self.add_error(
                "person",
                _("Choisissez l'atelier de l'agenda ou la personne.")
                if workshop
                else _("Choisissez la personne aidée, ou écrivez ses initiales si elle vient pour la première fois."),
            )
        if data.get("kind") == lists.Kind.PROCEDURE and not data.get("procedure_themes"):
            self.add_error("procedure_themes", _("Cochez au moins une démarche."))
        elif not data.get("themes") and not data.get("procedure_themes"):
            self.add_error("themes", _("Cochez au moins un thème."))
        follow_up, date = data.get("follow_up_on"), data.get("date")
        if follow_up and date and follow_up <= date:
            self.add_error("follow_up_on", _("La date pour revoir la personne vient après celle de l'accompagnement."))
        if data.get("kind") != lists.Kind.WORKSHOP:
            data["occurrence"] = None
        return data


class BandsForm(PlainForm):
    """Who the person is, in bands, asked once and only with their consent."""

    gender = forms.ChoiceField(
        label=_("Genre"), choices=[NOT_ASKED, *lists.Gender.choices], required=False, widget=forms.RadioSelect
    )
    age_band = forms.ChoiceField(
        label=_("Âge"), choices=[NOT_ASKED, *lists.AgeBand.choices], required=False, widget=forms.RadioSelect
    )
    commune = forms.ChoiceField(
        label=_("Commune où elle habite"),
        choices=[("", _("Pas demandé")), *COMMUNE_CHOICES],
        required=False,
        error_messages={"invalid_choice": _("Choisissez la commune dans la liste.")},
    )
    situation = forms.ChoiceField(
        label=_("Situation"), choices=[NOT_ASKED, *lists.Situation.choices], required=False, widget=forms.RadioSelect
    )
    first_visit = forms.TypedChoiceField(
        label=_("Première venue au centre ?"),
        choices=[NOT_ASKED, ("oui", _("Oui")), ("non", _("Non"))],
        coerce=lambda value: value == "oui",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_("La personne est d'accord pour que ces réponses soient notées."),
        required=False,
        help_text=_("Elle peut les voir et les effacer quand elle veut, ici ou dans « Mes données »."),
    )

    def clean(self):
        data = super().clean()
        answered = any(data.get(name) not in ("", None) for name in ("gender", "age_band", "commune", "situation"))
        answered = answered or data.get("first_visit") is not None
        if answered and not data.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Sans l'accord de la personne, rien n'est noté : cochez la case si elle est d'accord, "
                    "ou laissez les réponses sur « Pas demandé »."
                ),
            )
        return data

    def bands(self):
        return {name: self.cleaned_data[name] for name in BANDS}
