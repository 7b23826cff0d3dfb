"""Background work of notifications, run by `manage.py worker`: sending deliveries, the periodic sweep,
forgetting finished work and the SMS provider's old event keys."""

from datetime import time, timedelta

from django.core.management import call_command
from django_tasks import task

from core.scheduling import every, forget_old_runs
from notifications import deliveries, sms_inbound


@task()
def deliver(delivery_id):
    """Send one e-mail or SMS, once; a no-op if another worker has it or it was sent."""
    return deliveries.deliver(delivery_id)


@task()
def deliver_many(delivery_ids):
    """Send a batch of SMS written together (a campaign's 500), one after the other; each is claimed as `deliver`
    claims it, so a worker dying halfway leaves the rest to the sweep, sent once."""
    return [deliveries.deliver(delivery_id) for delivery_id in delivery_ids]


@every(timedelta(minutes=1))
@task()
def sweep_deliveries():
    """What is due now: mornings after the quiet hours, retries, and claims a dead worker left."""
    return len([status for status in deliveries.sweep() if status is not None])


@every(timedelta(days=1), at=time(3, 30))
@task()
def forget_finished_work():
    """Results of finished tasks (a sweep a minute adds up) and old schedule slots, after a week."""
    call_command("prune_db_task_results", min_age_days=7, verbosity=0)
    return forget_old_runs()


@every(timedelta(days=1), at=time(3, 45))
@task()
def forget_old_sms_provider_events():
    """The keys of the provider's events older than any event still accepted: their replays are refused by date."""
    return sms_inbound.forget_old_events()
