"""Background work of the procedures, run by `manage.py worker`: deadlines kept written ahead, mandates ending,
the reminders of the procedures people follow, and the centres' SMS campaigns sent."""

from datetime import time, timedelta

from django_tasks import task

from core.scheduling import every
from demarches import campaign_sending, mandates, services


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


@task()
def send_campaign(campaign_id):
    """Write a confirmed campaign's SMS, batch after batch; a no-op if another worker has it or it is done."""
    return campaign_sending.send(campaign_id)


@every(timedelta(minutes=1))
@task()
def send_due_campaigns():
    """Campaigns programmed for now, and those whose worker died halfway (their claim grown stale)."""
    return len([count for count in campaign_sending.send_due() if count is not None])
