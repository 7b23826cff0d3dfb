"""Sending a confirmed campaign: batches of deliveries, each SMS once even when the worker dies halfway, the
periodic pickup, the short link that counts, and the figures the team and funders read."""

import signal
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from demarches import campaign_sending, campaigns
from demarches.models import Campaign, CampaignMessage, Contact
from notifications import deliveries, sms_numbers
from notifications.models import Delivery, SmsNumber
from notifications.sms.replies import reply_received
from tests.demarches.campaign_data import ContactFactory, draft
from tests.processes import run_manage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_quiet_hours")]

PARIS = ZoneInfo("Europe/Paris")


class WorkerDied(BaseException):
    """What the process dying looks like from inside: nothing after it runs, no handler catches it."""


def confirmed(centre, editor, *, recipients=5, **write):
    ContactFactory.create_batch(recipients, centre=centre)
    campaign = draft(centre, editor, **write)
    campaigns.confirm(campaign, by=editor)
    return campaign


def sweep_all():
    while any(status is not None for status in deliveries.sweep()):
        pass


def test_a_campaign_is_written_in_batches_then_each_sms_leaves_once(centre, editor, sms_outbox, monkeypatch):
    monkeypatch.setattr(campaign_sending, "BATCH_SIZE", 2)
    campaign = confirmed(centre, editor, link_url="/demarches/")

    assert campaign_sending.send(campaign.pk) == 5
    assert campaign_sending.send(campaign.pk) is None
    sweep_all()

    campaign.refresh_from_db()
    assert campaign.status == "sent"
    phones = sorted(message.to for message in sms_outbox)
    assert phones == sorted(CampaignMessage.objects.filter(campaign=campaign).values_list("phone", flat=True))
    assert len(set(phones)) == 5
    body = sms_outbox[0].body
    assert body.startswith(f"Centre social Belencontre : {campaign.text} http://127.0.0.1:8000/c/{campaign.link_code}")
    assert body.endswith(sms_numbers.with_stop("", sms_outbox[0].to))
    assert sms_outbox[0].reference.startswith(f"campaign-{campaign.pk}-+33")


def test_a_worker_that_dies_in_the_second_batch_leaves_the_campaign_to_be_sent_once(
    centre, editor, sms_outbox, monkeypatch, settings
):
    monkeypatch.setattr(campaign_sending, "BATCH_SIZE", 2)
    campaign = confirmed(centre, editor, recipients=5)
    batches = []
    real_batch = campaign_sending.queue_batch

    def dies_in_the_second_batch(campaign, message, recipients):
        batches.append(len(recipients))
        if len(batches) == 2:
            with transaction.atomic():
                real_batch(campaign, message, recipients)
                raise WorkerDied
        return real_batch(campaign, message, recipients)

    with monkeypatch.context() as crash:
        crash.setattr(campaign_sending, "queue_batch", dies_in_the_second_batch)
        with pytest.raises(WorkerDied):
            campaign_sending.send(campaign.pk)

    campaign.refresh_from_db()
    assert campaign.status == "sending"
    assert campaign.messages.count() == 2, "the first batch is written, the second rolled back"
    # Its claim is fresh: another pickup leaves it alone.
    assert campaign_sending.send_due() == []
    sweep_all()
    assert len(sms_outbox) == 2

    settings.DELIVERY_STALE_AFTER_MINUTES = 0
    assert campaign_sending.send_due(now=timezone.now() + timedelta(seconds=1)) == [5]
    sweep_all()
    assert campaign_sending.send_due(now=timezone.now() + timedelta(seconds=1)) == []
    sweep_all()

    campaign.refresh_from_db()
    assert campaign.status == "sent"
    phones = [message.to for message in sms_outbox]
    assert len(phones) == len(set(phones)) == 5
    assert Delivery.objects.filter(campaign_message__campaign=campaign, status="sent").count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_mid_campaign_sends_each_sms_once(centre, editor, sms_outbox):
    campaign = confirmed(centre, editor, recipients=5)
    die_in_second_batch = f"""
import os, signal
from django.db import transaction
from demarches import campaign_sending
campaign_sending.BATCH_SIZE = 2
real, calls = campaign_sending.queue_batch, []
def batch(campaign, message, recipients):
    calls.append(1)
    with transaction.atomic():
        real(campaign, message, recipients)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
campaign_sending.queue_batch = batch
campaign_sending.send({campaign.pk})
"""
    killed = run_manage("shell", "-c", die_in_second_batch)

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    campaign.refresh_from_db()
    assert campaign.status == "sending"
    assert campaign.messages.count() == 2, "only the first batch was committed"

    resumed = run_manage(
        "shell",
        "-c",
        "from demarches import campaign_sending; campaign_sending.send_due()",
        DELIVERY_STALE_AFTER_MINUTES="0",
    )
    assert resumed.returncode == 0, resumed.stderr
    sent = run_manage("shell", "-c", "from notifications import deliveries; deliveries.sweep()")
    assert sent.returncode == 0, sent.stderr

    campaign.refresh_from_db()
    assert campaign.status == "sent"
    phones = sorted(
        line.removeprefix("--- SMS pour ").split()[0] for line in sent.stdout.splitlines() if "SMS pour" in line
    )
    assert phones == sorted(campaign.messages.values_list("phone", flat=True))
    assert len(set(phones)) == 5


def test_someone_who_says_stop_after_the_confirmation_gets_nothing(centre, editor, sms_outbox):
    campaign = confirmed(centre, editor, recipients=3)
    stopped = Contact.objects.filter(centre=centre).first().phone
    sms_numbers.stop(stopped, how=SmsNumber.How.SMS)

    campaign_sending.send(campaign.pk)
    sweep_all()

    assert stopped not in [message.to for message in sms_outbox]
    assert len(sms_outbox) == 2


def test_a_programmed_campaign_leaves_at_its_time_with_the_periodic_pickup(centre, editor, sms_outbox):
    with freeze_time(datetime(2026, 12, 7, 10, tzinfo=PARIS)):
        confirmed(centre, editor, recipients=2, at=datetime(2026, 12, 7, 17, tzinfo=PARIS))
    with freeze_time(datetime(2026, 12, 7, 16, 59, tzinfo=PARIS)):
        assert campaign_sending.send_due() == []
    with freeze_time(datetime(2026, 12, 7, 17, 0, 30, tzinfo=PARIS)):
        assert campaign_sending.send_due() == [2]
        sweep_all()

    assert len(sms_outbox) == 2
    assert Campaign.objects.get().status == "sent"


def test_the_short_link_counts_and_leads_only_to_the_campaigns_page(client, centre, editor):
    campaign = confirmed(centre, editor, recipients=1, link_url="/demarches/")
    url = reverse("campaign_link", args=[campaign.link_code])

    first, second = client.get(url), client.get(url)

    assert (first.status_code, first.url) == (302, "/demarches/")
    assert second.url == "/demarches/"
    assert not first.cookies
    campaign.refresh_from_db()
    assert campaign.clicks == 2
    assert client.get(reverse("campaign_link", args=["inconnu"])).status_code == 404
    assert client.get(url, {"next": "https://evil.example/"}).url == "/demarches/"


def test_a_drafts_or_a_linkless_campaigns_code_leads_nowhere(client, centre, editor):
    ContactFactory(centre=centre)
    unsent = draft(centre, editor, link_url="/demarches/")
    linkless = confirmed(centre, editor, recipients=1)

    for campaign in (unsent, linkless):
        assert client.get(reverse("campaign_link", args=[campaign.link_code])).status_code == 404
    assert set(Campaign.objects.values_list("clicks", flat=True)) == {0}


def test_figures_count_sent_reports_stops_and_clicks(centre, editor, sms_outbox, client):
    campaign = confirmed(centre, editor, recipients=4, link_url="/demarches/")
    campaign_sending.send(campaign.pk)
    sweep_all()
    messages = list(Delivery.objects.filter(campaign_message__campaign=campaign).order_by("pk"))
    Delivery.objects.filter(pk=messages[0].pk).update(report=Delivery.Report.DELIVERED)
    Delivery.objects.filter(pk=messages[1].pk).update(report=Delivery.Report.FAILED)
    Delivery.objects.filter(pk=messages[2].pk).update(report=Delivery.Report.UNKNOWN_NUMBER)
    sms_numbers.stop(messages[3].to, how=SmsNumber.How.LINK)
    sms_numbers.stop("+33688888888", how=SmsNumber.How.SMS)  # not one of the campaign's numbers
    client.get(reverse("campaign_link", args=[campaign.link_code]))
    campaign.refresh_from_db()

    figures = campaigns.figures(campaign)

    assert (figures.messages, figures.sent, figures.waiting, figures.cancelled) == (4, 4, 0, 0)
    assert (figures.delivered, figures.not_delivered, figures.unknown_number) == (1, 1, 1)
    assert (figures.opted_out, figures.clicks, figures.replies) == (1, 1, 0)
    assert campaigns.campaign_of(messages[0]) == campaign
    assert campaigns.campaign_of(None) is None


def test_a_reply_counts_for_its_campaign_and_the_call_back_list_names_it(
    centre, editor, sms_outbox, client, staff_login
):
    campaign = confirmed(centre, editor, recipients=2)
    Campaign.objects.filter(pk=campaign.pk).update(name="Rappel CAF de décembre")
    campaign_sending.send(campaign.pk)
    sweep_all()
    answered = Delivery.objects.filter(campaign_message__campaign=campaign).first()

    reply_received.send(
        sender=Delivery, phone=answered.to, text="OUI rappelez-moi", received_at=timezone.now(), in_reply_to=answered
    )

    assert campaigns.figures(campaign).replies == 1
    staff_login(client, editor)
    page = client.get(reverse("demarches:callbacks")).content.decode()
    assert "En réponse à la campagne « Rappel CAF de décembre »" in page
