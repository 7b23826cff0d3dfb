"""The resident's appointments under /rendez-vous/: a centre's free times for everyone, the rest private."""

from django.urls import path

from core.addresses import private
from suivi import appointment_views

app_name = "rdv"

urlpatterns = [
    path("centre/<int:centre_id>/", appointment_views.times, name="times"),
    private(path("creneau/<int:slot_id>/", appointment_views.confirm, name="confirm")),
    private(path("mes-rendez-vous/", appointment_views.my_appointments, name="mine")),
    private(path("mes-rendez-vous/<int:appointment_id>/", appointment_views.appointment, name="appointment")),
    private(path("mes-rendez-vous/<int:appointment_id>/annuler/", appointment_views.cancel_mine, name="cancel_mine")),
]
