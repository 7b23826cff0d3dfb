"""Background work of the procedures' calendar, run by `manage.py worker`: deadlines written ahead, campaigns sent."""

from datetime import time, timedelta

from django_tasks import task

from core.scheduling import every
from demarches import campaign_sending, services


@every(timedelta(days=1), at=time(2, 15))
@task()
def extend_deadlines():
    """Each procedure gets its deadlines written up to the horizon, one more day each night."""
    return services.extend_horizon()


@task()
def send_campaign(campaign_id):
    """Write a confirmed campaign's SMS, batch after batch; a no-op if another worker has it or it is done."""
    return campaign_sending.send(campaign_id)


@every(timedelta(minutes=1))
@task()
def send_due_campaigns():
    """Campaigns programmed for now, and those whose worker died halfway (their claim grown stale)."""
    return len([count for count in campaign_sending.send_due() if count is not None])
