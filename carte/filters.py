"""The map's list filters, as query parameters anyone can bookmark: what, for which ages, open now, near which
centre or which address (when a geocoding service is set, carte/geocoding.py)."""

from math import cos, radians

import django_filters
from django import forms
from django.db.models import F, FloatField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carte import geocoding
from carte.models import AGE_BANDS, PlaceCategory, PlaceOpeningHours, UsefulPlace
from carte.opening import open_at
from core.forms import PlainForm, SharedChoicesSelect
from quartier.filters import CentreChoiceMixin
from quartier.models import CentrePage


def squared_distance(latitude, longitude):
    """An SQL expression ordering places by distance from a point: the equirectangular approximation, in squared
    degrees of latitude. Plain arithmetic, so SQLite and PostgreSQL compute it alike; a few metres off at a town's
    scale, which is all a list of nearby places needs."""
    scale = cos(radians(float(latitude)))
    dy = Cast(F("latitude"), FloatField()) - float(latitude)
    dx = (Cast(F("longitude"), FloatField()) - float(longitude)) * scale
    return dy * dy + dx * dx


class PlaceFilter(CentreChoiceMixin, django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Ce que je cherche"),
        field_name="categories",
        to_field_name="slug",
        queryset=PlaceCategory.objects.all(),
        empty_label=_("Tous les lieux"),
        widget=SharedChoicesSelect(shared_as="carte.category"),
    )
    age = django_filters.ChoiceFilter(
        label=_("Pour un enfant en âge"),
        choices=AGE_BANDS,
        method="filter_age",
        empty_label=_("Tous les âges"),
        widget=SharedChoicesSelect(),
    )
    open_now = django_filters.BooleanFilter(
        label=_("Ouvert maintenant"), method="filter_open_now", widget=forms.CheckboxInput
    )
    centre = django_filters.ModelChoiceFilter(
        label=_("Les plus proches du centre"),
        queryset=CentrePage.objects.none(),
        method="filter_near",
        empty_label=_("Par ordre alphabétique"),
        widget=SharedChoicesSelect(shared_as="carte.centre"),
    )
    # After the centre: an address found sorts by distance from it instead; one not found leaves the centre's order.
    address = django_filters.CharFilter(
        label=_("Près de l'adresse"),
        method="filter_address",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    class Meta:
        model = UsefulPlace
        fields = []
        form = PlainForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.address_refusal = None
        if not geocoding.is_on():
            del self.filters["address"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Said next to the field once every filter has run: the list stays, in the centre's order if one is chosen.
        if self.address_refusal:
            self.form.add_error("address", self.address_refusal)
        return queryset

    def filter_age(self, queryset, name, value):
        return queryset.filter(**{value: True})

    def filter_open_now(self, queryset, name, value):
        return queryset.filter(open_at(PlaceOpeningHours, timezone.now())) if value else queryset

    def filter_near(self, queryset, name, centre):
        if centre.latitude is None:
            return queryset
        return nearest_first(queryset, centre.latitude, centre.longitude)

    def filter_address(self, queryset, name, value):
        try:
            point = geocoding.geocode(value)
        except geocoding.AddressNotFound as refusal:
            self.address_refusal = refusal.message
            return queryset
        return nearest_first(queryset, point.latitude, point.longitude)


def nearest_first(queryset, latitude, longitude):
    """The places nearest the point first, those without coordinates last; `distance2` says how far."""
    return queryset.annotate(distance2=squared_distance(latitude, longitude)).order_by(
        F("distance2").asc(nulls_last=True), "name", "pk"
    )
