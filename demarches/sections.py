"""The procedures' place on other pages: each centre's page lists the next deadlines of the procedures it concerns."""

from django.utils import timezone
from wagtail import hooks

from demarches.models import Procedure, ProcedureDeadline
from home.sections import Section

CENTRE_DEADLINES = 5


@hooks.register("centre_sections", order=15)
def centre_deadlines(request, centre):
    """The network's procedures and the centre's own, soonest to close first: what to do before it is too late."""
    deadlines = (
        ProcedureDeadline.objects.current()
        .filter(procedure__in=Procedure.objects.for_centre(centre).values("pk"))
        .select_related("procedure")
        .order_by("closes_on", "opens_on", "procedure__name")[:CENTRE_DEADLINES]
    )
    return Section(
        "demarches/centre_deadlines.html", {"centre": centre, "deadlines": deadlines, "today": timezone.localdate()}
    )
