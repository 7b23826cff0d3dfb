"""Which centre an agenda row belongs to, so that a write in it stales that centre's pages only (core/freshness.py).

Categories and audience tags stay site-wide: the listing's filters offer them, whichever centre uses them.
"""

from agenda.models import EventPage, ExceptionDate, ExtraDate, Occurrence, Place, Registration
from core import freshness


def centre_of_event(event):
    return event.get_parent().pk  # an activity lives right under its centre's page


freshness.in_centre(EventPage, centre_of_event)
freshness.in_centre(ExtraDate, lambda extra: centre_of_event(extra.event))
freshness.in_centre(ExceptionDate, lambda exception: centre_of_event(exception.event))
freshness.in_centre(Occurrence, lambda occurrence: occurrence.centre_id)
freshness.in_centre(Registration, lambda registration: registration.occurrence.centre_id)
freshness.in_centre(Place, lambda place: place.centre_id)
