"""Background work of the procedures' calendar, run by `manage.py worker`: deadlines kept written ahead."""

from datetime import time, timedelta

from django_tasks import task

from core.scheduling import every
from demarches import services


@every(timedelta(days=1), at=time(2, 15))
@task()
def extend_deadlines():
    """Each procedure gets its deadlines written up to the horizon, one more day each night."""
    return services.extend_horizon()
