"""Appointments on each centre's page: the way to "Prendre rendez-vous".

Shown on every centre's page without asking whether it has a free time: that question was the 16th query of a
centre's page on a cold cache, over the budget of 15; the times page says when nothing is free, with the way to
ask the centre instead.
"""

from wagtail import hooks

from home.sections import Section


@hooks.register("centre_sections", order=30)
def appointments_section(request, centre):
    return Section("suivi/rdv/centre_section.html", {"centre": centre})
