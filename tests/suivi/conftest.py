"""What the mediation records' tests share: the centre's mediator, and the day most of them are frozen on."""

import pytest
from freezegun import freeze_time

from tests.accounts.factories import mediator_of


@pytest.fixture
def tuesday_the_10th_of_march():
    """Tuesday 10 March 2026 in the afternoon: records "today" and "last week" fall in March."""
    with freeze_time("2026-03-10 15:00"):
        yield


@pytest.fixture
def mediator(centre):
    return mediator_of(centre, display_name="Nadia")
