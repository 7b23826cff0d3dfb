"""Appointments on each centre's page: "Prendre rendez-vous" when the centre has a free time."""

from django.utils import timezone
from wagtail import hooks

from home.sections import Section
from suivi.appointments import free_slots


@hooks.register("centre_sections", order=30)
def appointments_section(request, centre):
    if not free_slots(centre.pk, now=timezone.now()).exists():
        return None
    return Section("suivi/rdv/centre_section.html", {"centre": centre})
