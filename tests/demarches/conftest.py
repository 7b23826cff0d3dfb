"""Fixtures of the SMS campaign tests (tests/demarches/test_campaign*.py); their helpers are in campaign_data.py."""

import pytest

from tests.demarches.campaign_data import team_member
from tests.demarches.factories import ProcedureFactory
from tests.processes import NO_QUIET_HOURS


@pytest.fixture
def no_quiet_hours(settings):
    settings.SMS_QUIET_HOURS = NO_QUIET_HOURS


@pytest.fixture
def editor(centre):
    return team_member(centre)


@pytest.fixture
def procedure(centre):
    return ProcedureFactory(name="Actualisation CAF", slug="actualisation-caf", centre=centre)
