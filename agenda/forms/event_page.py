"""The activity's admin form: dates chosen in words, turned into the RRULE the page keeps."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Page

from agenda.recurrence import MAX_COUNT, MAX_INTERVAL, WEEKDAY_NAMES, Frequency, Schedule, first_dates
from home.french_dates import FrenchDateField

WEEKDAY_CHOICES = [(str(day), name.capitalize()) for day, name in enumerate(WEEKDAY_NAMES)]
POSITION_CHOICES = [
    ("", "—"),
    ("1", _("premier")),
    ("2", _("deuxième")),
    ("3", _("troisième")),
    ("4", _("quatrième")),
    ("-1", _("dernier")),
]


class EventPageForm(WagtailAdminPageForm):
    repeat = forms.ChoiceField(
        label=_("Se répète"),
        choices=[
            (Frequency.ONCE, _("Non (une date, et les autres dates ajoutées plus bas)")),
            (Frequency.WEEKLY, _("Toutes les semaines, ou toutes les N semaines")),
            (Frequency.MONTHLY, _("Tous les mois, un jour de la semaine donné")),
        ],
        initial=Frequency.ONCE,
    )
    interval = forms.IntegerField(
        label=_("Toutes les … semaines ou mois"),
        min_value=1,
        max_value=MAX_INTERVAL,
        initial=1,
        help_text=_("1 : chaque semaine (ou chaque mois) ; 2 : une sur deux…"),
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Les jours"), choices=WEEKDAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    month_position = forms.ChoiceField(label=_("Chaque mois, le"), choices=POSITION_CHOICES, required=False)
    month_weekday = forms.ChoiceField(label=_("jour"), choices=[("", "—"), *WEEKDAY_CHOICES], required=False)
    until = FrenchDateField(label=_("Jusqu'au"), required=False, widget=AdminDateInput)
    count = forms.IntegerField(label=_("ou nombre de fois"), min_value=1, max_value=MAX_COUNT, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "capacity" in self.fields:
            # One clear sentence instead of Django's two (the positive field's and the model's minimum).
            self.fields["capacity"].validators = [
                MinValueValidator(
                    1, _("Il faut au moins une place. Si les places ne sont pas comptées, laissez vide.")
                ),
                MaxValueValidator(10_000),
            ]
        if "place" in self.fields:
            centre = self.parent_page if self.instance.pk is None else self.instance.get_parent()
            self.fields["place"].queryset = self.fields["place"].queryset.filter(centre_id=centre.pk)
        if not self.is_bound and self.instance.recurrence:
            schedule = Schedule.from_rrule(self.instance.recurrence)
            self.initial.update(
                repeat=schedule.frequency,
                interval=schedule.interval,
                weekdays=[str(day) for day in schedule.weekdays],
                month_position=str(schedule.month_position or ""),
                month_weekday="" if schedule.month_weekday is None else str(schedule.month_weekday),
                until=schedule.until,
                count=schedule.count,
            )

    def clean_slug(self):
        """A new activity named like another of its centre (this season's "Café numérique") gets the next free address.

        Only the address made from the title: one the editor typed on purpose stays theirs to change.
        """
        slug = self.cleaned_data["slug"]
        title = self.cleaned_data.get("title", "")
        from_title = {slugify(title), slugify(title, allow_unicode=True)}
        if self.instance.pk is not None or self.parent_page is None or slug not in from_title:
            return slug
        candidate, suffix = slug, 1
        while not Page._slug_is_available(candidate, self.parent_page):
            suffix += 1
            candidate = f"{slug}-{suffix}"
        return candidate

    def clean(self):
        data = super().clean()
        start_date = data.get("start_date")
        if start_date and self.instance.pk is None and start_date < timezone.localdate():
            self.add_error("start_date", _("Cette date est passée. Choisissez aujourd'hui ou une date à venir."))
        schedule = self.schedule_from(data)
        if schedule is not None:
            self.instance.recurrence = schedule.to_rrule()
            if (
                start_date
                and schedule.frequency != Frequency.ONCE
                and not first_dates(start_date, self.instance.recurrence, limit=1)
            ):
                self.add_error("until", _("Cette répétition ne donne aucune date : vérifiez les jours et la fin."))
        return data

    def schedule_from(self, data):
        """The schedule the editor described, or None after adding an error next to the field that is wrong."""
        repeat = data.get("repeat")
        if repeat == Frequency.ONCE or repeat is None:
            return Schedule()
        schedule = Schedule(frequency=repeat, interval=data.get("interval") or 1)
        until, count = data.get("until"), data.get("count")
        if self.has_error("until"):
            # A date that could not be read already says so; "say when it stops" would contradict it.
            return None
        if not until and not count:
            self.add_error("until", _("Indiquez quand la répétition s'arrête : une date, ou un nombre de fois."))
            return None
        if until and count:
            self.add_error("count", _("Choisissez une date de fin ou un nombre de fois, pas les deux."))
            return None
        if until and data.get("start_date") and until < data["start_date"]:
            self.add_error("until", _("La date de fin doit venir après la première date."))
            return None
        schedule.until, schedule.count = until, count
        if repeat == Frequency.WEEKLY:
            if not data.get("weekdays"):
                self.add_error("weekdays", _("Cochez au moins un jour de la semaine."))
                return None
            schedule.weekdays = sorted(int(day) for day in data["weekdays"])
        else:
            if not data.get("month_position") or data.get("month_weekday") in (None, ""):
                self.add_error("month_position", _("Choisissez lequel : par exemple le premier mardi du mois."))
                return None
            schedule.month_position = int(data["month_position"])
            schedule.month_weekday = int(data["month_weekday"])
        return schedule
