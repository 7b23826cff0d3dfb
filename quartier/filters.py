"""What the network's listings share: the choice of a centre, which a centre's own page makes for you, and the
choices made, in words."""

import datetime as dt

from django import forms

from home.templatetags.french import short_day
from quartier.models import CentrePage


class CentreChoiceMixin:
    """For a FilterSet with a `centre` filter: public centres to choose from, or none on a centre's page."""

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centre is not None:
            del self.filters["centre"]
        else:
            # Wagtail's public() reads the view restrictions: a query, so not at import time.
            self.filters["centre"].queryset = CentrePage.objects.live().public().order_by("title")

    def chosen(self):
        """The choices made, as (label, words) pairs: the line that stands for the filters once they are folded.

        Reads what validating the form already fetched (a chosen centre or category), so it costs no query.
        """
        if not self.is_bound or not self.is_valid():
            return []
        pairs = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if value in (None, "", False):
                continue
            if value is True:
                pairs.append((str(field.label), ""))
            elif isinstance(value, dt.date):
                pairs.append((str(field.label), short_day(value)))
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                pairs.append((str(field.label), str(dict(field.choices).get(value, value))))
            else:
                pairs.append((str(field.label), str(value)))
        return pairs
