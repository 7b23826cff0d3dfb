"""Daily background work on accounts, run by `manage.py worker`."""

from datetime import time, timedelta

from django_tasks import task

from accounts.inactivity import notify_and_purge
from notifications.scheduling import every


@every(timedelta(days=1), at=time(4, 0))
@task()
def purge_inactive_accounts():
    """Notices to unused accounts, then erasure of those that did not answer (and of unconfirmed sign-ups)."""
    noticed, erased = notify_and_purge()
    return {"noticed": noticed, "erased": erased}
