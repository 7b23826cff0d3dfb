"""Background work of appointments, run by `manage.py worker`: the reminders the day before."""

from datetime import timedelta

from django_tasks import task

from core.scheduling import every
from suivi import appointments


@every(timedelta(minutes=5))
@task()
def send_appointment_reminders():
    """Reminders whose time has come, each sent once (the appointment row records it)."""
    return appointments.send_due_reminders()
