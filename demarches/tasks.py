"""Background work of the procedures, run by `manage.py worker`: deadlines kept written ahead, mandates ending,
and the reminders of the procedures people follow."""

from datetime import time, timedelta

from django_tasks import task

from core.scheduling import every
from demarches import mandates, services


@every(timedelta(days=1), at=time(2, 15))
@task()
def extend_deadlines():
    """Each procedure gets its deadlines written up to the horizon, one more day each night."""
    return services.extend_horizon()


@every(timedelta(days=1), at=time(8, 30))
@task()
def send_mandate_expiry_notices():
    """In the morning, when a mediator reads it: mandates ending within the week are told once, to both sides."""
    return mandates.send_expiry_notices()


# Once a day, in the morning: an e-mail or an inbox notice reads better then than at midnight, and SMS wait for
# the end of the quiet hours anyway. A day the worker missed is caught up on its next run (services.due_reminders).
@every(timedelta(days=1), at=time(9, 0))
@task()
def send_follow_reminders():
    """Each follower is reminded of each deadline once, `days_before` it closes."""
    return services.send_due_follow_reminders()
