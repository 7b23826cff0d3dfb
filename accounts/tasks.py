"""Daily background work on accounts, run by `manage.py worker`."""

from datetime import time, timedelta

from django_tasks import task

from accounts.inactivity import notify_and_purge
from accounts.retention import forget_expired
from core.scheduling import every


@every(timedelta(days=1), at=time(4, 0))
@task()
def purge_inactive_accounts():
    """Notices to unused accounts, then erasure of those that did not answer (and of unconfirmed sign-ups)."""
    noticed, erased = notify_and_purge()
    return {"noticed": noticed, "erased": erased}


@every(timedelta(days=1), at=time(4, 30))
@task()
def forget_expired_personal_data():
    """Each kind of personal data past its keeping period (accounts.retention), as the privacy page says."""
    return forget_expired()
