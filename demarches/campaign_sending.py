"""Sending a confirmed campaign, in the worker (`demarches.tasks`): claimed once, written in batches of deliveries.

Sending computes the recipients at that moment (a STOP or a new follower since the confirmation counts) and
writes their SMS as deliveries in batches, each batch its own short transaction: the deliveries table is never
locked for the whole send, and the first SMS leave while the next batches are written. A worker that dies between
two batches leaves the campaign claimed; once the claim is stale the next pickup sends it again, and the
idempotency key `campaign-<id>-<number>` writes nothing twice. Each delivery then leaves exactly once
(notifications.deliveries).
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from demarches import audiences, campaigns
from demarches.models import Campaign, CampaignMessage
from notifications import services as notification_services
from notifications.deliveries import stale_before
from notifications.models import Delivery

logger = logging.getLogger(__name__)

# Each batch is one transaction: short enough that nothing waits long on the deliveries table behind it.
BATCH_SIZE = 500


def _claimable(now):
    return Q(status=Campaign.Status.SCHEDULED, send_at__lte=now) | Q(
        status=Campaign.Status.SENDING, claimed_at__lt=stale_before(now)
    )


def claim(campaign_id, now):
    """Take a due campaign (or one a dead worker left) for this worker; False if someone has it or it is done."""
    return bool(
        Campaign.objects.filter(_claimable(now), pk=campaign_id).update(status=Campaign.Status.SENDING, claimed_at=now)
    )


def send(campaign_id, *, now=None):
    """Write the campaign's SMS as deliveries, batch after batch; returns how many deliveries it has, or None."""
    if not claim(campaign_id, now or timezone.now()):
        return None
    campaign = Campaign.objects.select_related("centre").get(pk=campaign_id)
    audience = audiences.audience(campaign.centre, campaign.audience, campaign.audience_choice)
    message = campaigns.message_of(campaign)
    recipients = audience.recipients
    for start in range(0, len(recipients), BATCH_SIZE):
        queue_batch(campaign, message, recipients[start : start + BATCH_SIZE])
    Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
        status=Campaign.Status.SENT, sent_at=timezone.now()
    )
    count = campaign.messages.count()
    logger.info("Campaign %s queued: %s SMS to %s recipients", campaign.pk, count, len(recipients))
    return count


@transaction.atomic
def queue_batch(campaign, message, recipients):
    """One batch: its deliveries and their link to the campaign, in one short transaction; the claim renewed."""
    texts = [
        notification_services.Text(to=recipient.phone, text=message, key=f"campaign-{campaign.pk}-{recipient.phone}")
        for recipient in recipients
    ]
    ids = notification_services.queue_texts(texts, centre=campaign.centre, due_at=campaign.send_at)
    CampaignMessage.objects.bulk_create(
        [
            CampaignMessage(campaign=campaign, delivery_id=pk, phone=phone)
            for pk, phone in Delivery.objects.filter(pk__in=ids).values_list("pk", "to")
        ],
        ignore_conflicts=True,
    )
    Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(claimed_at=timezone.now())


def send_due(*, now=None):
    """The periodic pickup: campaigns whose time came, and those a dead worker left claimed."""
    now = now or timezone.now()
    due = list(Campaign.objects.filter(_claimable(now)).order_by("send_at").values_list("pk", flat=True)[:20])
    return [send(campaign_id, now=now) for campaign_id in due]
