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


# How many people the picker lists: enough to find someone by a few letters, few enough for a phone screen.
PICKER_SIZE = 12


def checkboxes(label, choices, refusal):
    """A list of boxes to tick among national `choices`, none required; `refusal` when a value is not one."""
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": refusal},
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return str(person)


class OccurrenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, occurrence):
        return str(occurrence)


class RecordForm(PlainForm):
    """ "Noter un accompagnement": defaults fit the usual case (today, 30 minutes, at the centre).

    The person is picked without JavaScript: the page's search ("Nom ou repère", sent by GET) lists the centre's
    people who match, as radio buttons; any person of the centre is accepted. With `record`, the form changes that
    record: its participants stay when it has several or comes from a workshop's attendance.
    """

    # Who was helped, first: the page's search sits just above.
    PICKER = ("person", "member", "new_label")
    # The fields that only one kind of record fills, folded under their summary (detail_groups).
    FOLDS = {
        lists.Kind.WORKSHOP: ("occurrence", "workshop_title", "workshop_level"),
        lists.Kind.PROCEDURE: ("procedure_themes", "procedure_detail"),
    }
    FOLD_SUMMARIES = {
        lists.Kind.WORKSHOP: _("Pour un atelier : sa date dans l'agenda, ou son titre et son niveau"),
        lists.Kind.PROCEDURE: _("Pour une démarche : lesquelles"),
    }

    person = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("La personne aidée"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Cette personne n'est pas dans la liste du centre.")},
    )
    member = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Ou une personne qui a un compte au centre"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Cette personne n'est pas membre du centre.")},
    )
    new_label = forms.CharField(
        required=False,
        max_length=30,
        label=_("Ou une nouvelle personne, sans compte"),
        help_text=_("Ses initiales ou un surnom, pour la retrouver. Jamais son adresse."),
        error_messages={"max_length": _("C'est trop long : 30 signes au plus.")},
    )
    kind = forms.ChoiceField(
        label=_("Quoi ?"),
        choices=lists.Kind.choices,
        initial=lists.Kind.INDIVIDUAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites ce qui a été fait."), "invalid_choice": _("Dites ce qui a été fait.")},
    )
    occurrence = OccurrenceChoiceField(
        queryset=Occurrence.objects.none(),
        required=False,
        label=_("Pour un atelier : sa date dans l'agenda"),
        help_text=_("Les personnes notées présentes sont ajoutées."),
        empty_label=_("Pas d'atelier de l'agenda"),
        error_messages={"invalid_choice": _("Choisissez un atelier du centre dans la liste.")},
    )
    workshop_title = forms.CharField(
        label=_("Pour un atelier hors de l'agenda : son titre"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("C'est trop long : 200 signes au plus.")},
    )
    workshop_level = forms.ChoiceField(
        label=_("Niveau de l'atelier"),
        choices=[("", _("Pas précisé")), *lists.WorkshopLevel.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choisissez le niveau dans la liste.")},
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
    themes = checkboxes(_("Thèmes"), lists.Theme.choices, _("Choisissez les thèmes dans la liste."))
    procedure_themes = checkboxes(
        _("Démarches"), lists.ProcedureTheme.choices, _("Choisissez les démarches dans la liste.")
    )
    procedure_detail = forms.CharField(
        label=_("Pour une démarche : laquelle ?"),
        required=False,
        max_length=200,
        help_text=_("En quelques mots, par exemple : « Déclaration trimestrielle CAF ». Jamais un numéro de dossier."),
        error_messages={"max_length": _("C'est trop long : 200 signes au plus.")},
    )
    equipment = checkboxes(_("Matériel utilisé"), lists.Equipment.choices, _("Choisissez le matériel dans la liste."))
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

    def __init__(self, *args, centre, mediator, search="", record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre, self.record, self.search = centre, record, search.strip()
        today = timezone.localdate()
        self.fields["date"].initial = today
        people = Person.objects.filter(centre=centre)
        self.fields["person"].queryset = people
        self.fields["member"].queryset = members_without_person(centre)
        since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=WORKSHOP_DAYS_BACK), dt.time()))
        self.fields["occurrence"].queryset = (
            Occurrence.objects.filter(centre=centre, start__gte=since, start__lte=timezone.now())
            .select_related("event")
            .order_by("-start")
        )
        self.fields["mediators"].queryset = team_of(centre).order_by("display_name", "pk")
        self.fields["mediators"].initial = [mediator.pk]
        if record is not None:
            self._keep_what_was_added(record)
        if "person" in self.fields:
            # The person ticked stays listed when the page comes back with an error.
            self._offer_people(people, self.data.get("person") if self.is_bound else self.initial.get("person"))

    def _keep_what_was_added(self, record):
        """A workshop's date added its present: it stays, shown; so do several people, or one no longer known."""
        if record.occurrence_id is None:
            del self.fields["occurrence"]
        else:
            self.fields["occurrence"].queryset = Occurrence.objects.filter(pk=record.occurrence_id)
            self.fields["occurrence"].disabled = True
        if record.keeps_participants:
            for name in self.PICKER:
                del self.fields[name]

    def _offer_people(self, people, chosen):
        """List as choices the people matching the search (the last added without one), and the one chosen."""
        listed = people.matching(self.search) if self.search else people.order_by("-created_at", "-pk")
        listed = list(listed.select_related("user").order_by("label", "user__display_name", "pk")[:PICKER_SIZE])
        if chosen and str(chosen).isdigit() and all(person.pk != int(chosen) for person in listed):
            listed = [*people.filter(pk=chosen).select_related("user"), *listed]
        self.fields["person"].widget.choices = [(person.pk, str(person)) for person in listed]
        self.listed_people = listed
        members = []
        if self.search:
            members = list(self.fields["member"].queryset.filter(display_name__icontains=self.search)[:PICKER_SIZE])
        self.fields["member"].widget.choices = [(member.pk, str(member)) for member in members]
        self.listed_members = members

    @property
    def picker_fields(self):
        return [self[name] for name in self.PICKER if name in self.fields]

    @property
    def detail_groups(self):
        """The record's fields in order, a fold around those of one kind only (a workshop's, a procedure's): at
        360 px the page is long enough. A fold is open when its kind is chosen, or it holds a value or an error."""
        groups = []
        for field in self:
            if field.name in self.PICKER:
                continue
            fold = next((kind for kind, names in self.FOLDS.items() if field.name in names), None)
            if fold and groups and groups[-1]["kind"] == fold:
                groups[-1]["fields"].append(field)
                continue
            groups.append({"kind": fold, "summary": self.FOLD_SUMMARIES.get(fold), "fields": [field]})
        for group in groups:
            if group["kind"]:
                group["open"] = self["kind"].value() == group["kind"] or any(
                    field.errors or field.value() not in (None, "", []) for field in group["fields"]
                )
        return groups

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
        if "person" in self.fields:
            self._check_who(data)
        if data.get("kind") == lists.Kind.PROCEDURE and not data.get("procedure_themes"):
            self.add_error("procedure_themes", _("Cochez au moins une démarche."))
        elif not data.get("themes") and not data.get("procedure_themes"):
            self.add_error("themes", _("Cochez au moins un thème."))
        follow_up, date = data.get("follow_up_on"), data.get("date")
        if follow_up and date and follow_up <= date:
            self.add_error("follow_up_on", _("La date pour revoir la personne vient après celle de l'accompagnement."))
        if data.get("kind") != lists.Kind.WORKSHOP:
            data.update(occurrence=None, workshop_title="", workshop_level="")
        if data.get("kind") != lists.Kind.PROCEDURE:
            data["procedure_detail"] = ""
        return data

    def _check_who(self, data):
        if any(name in self.errors for name in self.PICKER):
            return
        chosen = [name for name in self.PICKER if data.get(name)]
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

    def record_fields(self):
        """What the form says about the record itself, as the services take it."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "date": data["date"],
            "duration_minutes": data["duration_minutes"],
            "place_type": data["place_type"],
            "themes": [*data["themes"], *data["procedure_themes"]],
            "mediators": data["mediators"],
            "equipment": data["equipment"],
            "autonomy": data["autonomy"],
            "redirected": bool(data["redirected_to"]),
            "redirected_to": data["redirected_to"],
            "procedure_detail": data["procedure_detail"],
            "workshop_title": data["workshop_title"],
            "workshop_level": data["workshop_level"],
            "remaining": data["remaining"],
            "follow_up_on": data["follow_up_on"],
        }

    @staticmethod
    def initial_for(record):
        """The form's values for an existing record, as they were noted."""
        themes = [row.theme for row in record.themes.all()]
        people = [participant.person_id for participant in record.participants.all()]
        return {
            "person": people[0] if len(people) == 1 else None,
            "kind": record.kind,
            "occurrence": record.occurrence_id,
            "date": record.date,
            "duration_minutes": record.duration_minutes,
            "place_type": record.place_type,
            "themes": [theme for theme in themes if theme in lists.Theme.values],
            "procedure_themes": [theme for theme in themes if theme in lists.ProcedureTheme.values],
            "procedure_detail": record.procedure_detail,
            "workshop_title": record.workshop_title,
            "workshop_level": record.workshop_level,
            "equipment": record.equipment,
            "autonomy": record.autonomy,
            "redirected_to": record.redirected_to,
            "remaining": record.remaining,
            "follow_up_on": record.follow_up_on,
            "mediators": [mediator.pk for mediator in record.mediators.all()],
        }


def members_without_person(centre):
    """The centre's members with an account the team has not helped yet: they have no person row there."""
    return (
        get_user_model()
        .objects.filter(memberships__centre=centre, is_active=True)
        .exclude(pk__in=Person.objects.filter(centre=centre, user__isnull=False).values("user_id"))
        .order_by("display_name", "pk")
    )


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
