"""The notifications appointments send: booked or cancelled, and the reminder the day before."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds

APPOINTMENT = kinds.register("appointment", _("mon rendez-vous au centre est pris ou annulé"))
APPOINTMENT_REMINDER = kinds.register("appointment_reminder", _("mon rendez-vous au centre approche (rappel)"))
