"""The agenda's filters, as query parameters anyone can bookmark: centre, category, audience, period, seats."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from agenda.models import AudienceTag, Category, Occurrence
from core.forms import PlainForm, SharedChoicesSelect
from quartier.filters import CentreChoiceMixin
from quartier.models import CentrePage

PERIODS = [
    ("today", _("Aujourd'hui")),
    ("week", _("Cette semaine")),
    ("month", _("Ce mois-ci")),
    ("dates", _("Entre deux dates")),
]


class AgendaFilterForm(PlainForm):
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("La date de fin doit venir après la date de début."))
        return data


def audience_tags():
    return Tag.objects.filter(pk__in=AudienceTag.objects.values("tag")).order_by("name")


def _by_slug(label, field_name, queryset, empty_label):
    """A choice of one row of `queryset`, named by its slug in the query string so that the address reads as words."""
    return django_filters.ModelChoiceFilter(
        label=label,
        field_name=field_name,
        to_field_name="slug",
        queryset=queryset,
        empty_label=empty_label,
        widget=SharedChoicesSelect(shared_as=f"agenda.{field_name}"),
    )


class OccurrenceFilter(CentreChoiceMixin, django_filters.FilterSet):
    centre = django_filters.ModelChoiceFilter(
        label=_("Centre"),
        queryset=CentrePage.objects.none(),
        empty_label=_("Tous les centres"),
        widget=SharedChoicesSelect(shared_as="agenda.centre"),
    )
    category = _by_slug(_("Type d'activité"), "event__category", Category.objects.all(), _("Toutes les activités"))
    audience = _by_slug(_("Pour qui"), "event__tagged_audiences__tag", audience_tags(), _("Pour tout le monde"))
    period = django_filters.ChoiceFilter(
        label=_("Quand"),
        choices=PERIODS,
        empty_label=_("Toutes les dates à venir"),
        method="filter_period",
        widget=SharedChoicesSelect(),
    )
    start = django_filters.DateFilter(
        label=_("Du"), method="filter_nothing", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(
        label=_("Au"), method="filter_nothing", widget=forms.DateInput(attrs={"type": "date"})
    )
    free = django_filters.BooleanFilter(label=_("Gratuit seulement"), method="filter_free", widget=forms.CheckboxInput)
    seats = django_filters.BooleanFilter(
        label=_("Avec des places libres"), method="filter_seats", widget=forms.CheckboxInput
    )
    wheelchair = django_filters.BooleanFilter(
        label=_("Accessible en fauteuil roulant"), method="filter_wheelchair", widget=forms.CheckboxInput
    )

    class Meta:
        model = Occurrence
        fields = []
        form = AgendaFilterForm

    @property
    def qs(self):
        queryset = super().qs
        # The two dates count with "Entre deux dates", or when no other period is chosen.
        if self.form.cleaned_data.get("period") in ("dates", "", None):
            queryset = self.between(queryset, self.form.cleaned_data.get("start"), self.form.cleaned_data.get("end"))
        return queryset.distinct() if self.form.cleaned_data.get("audience") else queryset

    def filter_nothing(self, queryset, name, value):
        # The two dates are applied together, in `qs`.
        return queryset

    def filter_period(self, queryset, name, value):
        today = timezone.localdate()
        if value == "today":
            return self.between(queryset, today, today)
        if value == "week":
            return self.between(queryset, today, today + timedelta(days=6 - today.weekday()))
        if value == "month":
            next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
            return self.between(queryset, today, next_month - timedelta(days=1))
        return queryset

    @staticmethod
    def between(queryset, first, last):
        if first:
            queryset = queryset.filter(start__gte=timezone.make_aware(datetime.combine(first, time.min)))
        if last:
            queryset = queryset.filter(
                start__lt=timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
            )
        return queryset

    def filter_free(self, queryset, name, value):
        return queryset.filter(event__price=0) if value else queryset

    def filter_seats(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.with_seats_left()

    def filter_wheelchair(self, queryset, name, value):
        return queryset.filter(event__wheelchair_accessible=True) if value else queryset
