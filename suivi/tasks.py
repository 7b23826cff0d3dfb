"""Background work of `suivi`, run by `manage.py worker`: appointment reminders the day before, and the network's
figures computed ahead."""

from datetime import timedelta

from django_tasks import task

from core.scheduling import every
from suivi import appointments, figures


@every(timedelta(minutes=5))
@task()
def send_appointment_reminders():
    """Reminders whose time has come, each sent once (the appointment row records it)."""
    return appointments.send_due_reminders()


@every(figures.WARM_EVERY)
@task()
def warm_network_figures():
    """The network's figures of the standard periods, computed ahead so that no network admin waits for them."""
    return {"warmed": figures.warm_network_figures()}
