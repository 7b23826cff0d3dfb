"""The demo's appointments: two weekly patterns per centre with a mediator, past ones kept or missed, some to come."""

import pytest
from django.utils import timezone

from suivi.demo import create_appointments
from suivi.models import Appointment, Slot, SlotPattern
from tests.accounts.factories import mediator_of

pytestmark = pytest.mark.django_db


def test_each_centre_with_a_mediator_gets_patterns_and_bookings_once(centre):
    mediator_of(centre)

    made = create_appointments([centre])

    assert made == Appointment.objects.count() > 0
    assert SlotPattern.objects.filter(centre=centre).count() == 2
    now = timezone.now()
    past = Appointment.objects.filter(slot__start__lt=now)
    assert set(past.values_list("status", flat=True)) <= {"kept", "missed"}
    assert Appointment.objects.filter(slot__start__gt=now, status="booked").exists()
    assert Slot.objects.filter(start__gt=now).exclude(appointments__isnull=False).exists()
    assert create_appointments([centre]) == 0
