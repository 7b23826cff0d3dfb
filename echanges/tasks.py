"""Background work of the exchange, run by `manage.py worker`: offers that reach their end, and the week's warning."""

from datetime import time, timedelta

from django_tasks import task

from core.scheduling import every
from echanges.services import offers


@every(timedelta(days=1), at=time(3, 0))
@task()
def expire_and_remind_offers():
    """Each night: offers past `OFFER_LIFETIME` close; authors whose offer ends within a week are told once."""
    return {"expired": offers.expire_offers(), "reminded": offers.remind_expiring_offers()}
