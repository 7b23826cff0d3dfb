"""Background work of the agenda, run by `manage.py worker`: reminders, and dates kept written ahead."""

from datetime import time, timedelta

from django_tasks import task

from agenda import services
from core.scheduling import every


@every(timedelta(minutes=5))
@task()
def send_reminders():
    """Reminders whose time has come, each sent once (the registration row records it)."""
    return services.send_due_reminders()


@every(timedelta(days=1), at=time(2, 0))
@task()
def extend_agenda():
    """Recurring activities get their dates written up to the horizon, one more day each night."""
    return services.extend_horizon()
