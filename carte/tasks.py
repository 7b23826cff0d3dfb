"""Background work of the map, run by `manage.py worker`: telling centres which places are due for a check."""

from datetime import time, timedelta

from django_tasks import task

from carte.checks import flag_stale_places
from core.scheduling import every


@every(timedelta(days=1), at=time(7, 0))
@task()
def flag_places_to_check():
    """Each morning, before the teams start: places unchecked for a year are told to their centre, once a year."""
    return {"flagged": flag_stale_places()}
