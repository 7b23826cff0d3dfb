"""The calendar's filters, as query parameters anyone can bookmark: who it concerns, and which centre."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from core.forms import PlainForm, SharedChoicesSelect
from demarches.models import ProcedureAudience, ProcedureDeadline
from quartier.filters import CentreChoiceMixin
from quartier.models import CentrePage


def audience_tags():
    """Only the audiences some procedure names: the agenda's other tags would lead to an empty list."""
    return Tag.objects.filter(pk__in=ProcedureAudience.objects.values("tag")).order_by("name")


class DeadlineFilter(CentreChoiceMixin, django_filters.FilterSet):
    audience = django_filters.ModelChoiceFilter(
        label=_("Pour qui"),
        field_name="procedure__tagged_audiences__tag",
        to_field_name="slug",
        queryset=audience_tags(),
        empty_label=_("Pour tout le monde"),
        widget=SharedChoicesSelect(shared_as="demarches.audience"),
    )
    centre = django_filters.ModelChoiceFilter(
        label=_("Mon centre"),
        queryset=CentrePage.objects.none(),
        empty_label=_("Tous les centres"),
        method="filter_centre",
        widget=SharedChoicesSelect(shared_as="demarches.centre"),
    )

    class Meta:
        model = ProcedureDeadline
        fields = []
        form = PlainForm

    def filter_centre(self, queryset, name, value):
        """The network's procedures, and the chosen centre's own."""
        return queryset.filter(Q(procedure__centre__isnull=True) | Q(procedure__centre=value))

    @property
    def qs(self):
        # A procedure tagged twice would show twice once joined to its tags.
        queryset = super().qs
        return queryset.distinct() if self.form.cleaned_data.get("audience") else queryset
