"""Campaigns under concurrency, on PostgreSQL: two taps on "Envoyer", two campaigns against one budget, two
workers picking up one campaign. Each is done once, or refused in words."""

import time

import pytest

from demarches import campaign_sending, campaigns
from demarches.models import Campaign
from notifications import sms_numbers
from notifications.models import Delivery
from tests.concurrency import at_once, unexpected
from tests.demarches.campaign_data import ContactFactory, draft

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_quiet_hours")]


def test_two_taps_on_send_at_once_program_the_campaign_once(centre, editor):
    ContactFactory.create_batch(3, centre=centre)
    campaign = draft(centre, editor)

    outcomes = at_once(*[lambda: campaigns.confirm(campaign, by=editor)] * 4)

    assert unexpected(outcomes, campaigns.AlreadyConfirmed) == []
    assert sum(isinstance(outcome, campaigns.AlreadyConfirmed) for outcome in outcomes) == 3
    assert Campaign.objects.get().status == "scheduled"


def test_two_campaigns_confirmed_at_once_cannot_both_spend_the_last_sms(centre, editor, monkeypatch):
    real_budget = campaigns.budget

    def slow_budget(*args, **kwargs):
        # Long enough for the other confirmation to read the same budget, were it not waiting for this one.
        figures = real_budget(*args, **kwargs)
        time.sleep(0.3)
        return figures

    monkeypatch.setattr(campaigns, "budget", slow_budget)
    centre.sms_monthly_budget = 5
    centre.save(update_fields=["sms_monthly_budget"])
    for contact in ContactFactory.create_batch(3, centre=centre):
        # Written ahead: two first writes of a number's stop code would wait for each other and hide the race.
        sms_numbers.number_for(contact.phone)
    first, second = draft(centre, editor), draft(centre, editor)

    outcomes = at_once(lambda: campaigns.confirm(first, by=editor), lambda: campaigns.confirm(second, by=editor))

    assert unexpected(outcomes, campaigns.CampaignError) == []
    assert sorted(Campaign.objects.values_list("status", flat=True)) == ["draft", "scheduled"]


def test_two_workers_picking_up_one_campaign_write_each_sms_once(centre, editor):
    ContactFactory.create_batch(20, centre=centre)
    campaign = draft(centre, editor)
    campaigns.confirm(campaign, by=editor)

    outcomes = at_once(*[lambda: campaign_sending.send(campaign.pk)] * 3)

    assert unexpected(outcomes) == []
    assert sorted(outcomes, key=str) == [20, None, None]
    assert Delivery.objects.filter(campaign_message__campaign=campaign).count() == 20
