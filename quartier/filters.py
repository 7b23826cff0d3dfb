"""What the network's listings share: the choice of a centre, which a centre's own page makes for you."""

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
