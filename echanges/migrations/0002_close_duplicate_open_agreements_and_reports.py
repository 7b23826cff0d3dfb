"""Close the duplicates that double clicks left, so that 0003's unique constraints can be added.

Before 0003, two requests at the same moment could leave two open agreements in one conversation, or two
open reports by one person of the same thing. The constraints of 0003 would fail on such rows, so:

- Agreements: in a conversation with several open ones (proposed or accepted), the one kept is the one
  furthest along (accepted before proposed, then the most confirmations), then the oldest. The others
  become "annulé" (cancelled): no transfer exists for an open agreement, so no hours move or vanish, and
  the offer's status, which follows the kept agreement, stays right.
- Reports: of several open reports by one person of the same offer, message or person, the oldest stays
  open; the others are closed with nothing decided and a note saying they were duplicates. The team
  still sees the first one, with the same reporter, person and thing.

Nobody is notified: these rows are copies of one click. Reversing changes nothing back (duplicates were
never wanted), so the reverse is a no-op.
"""

from django.db import migrations
from django.db.models import BigIntegerField, Count, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

OPEN_AGREEMENT = ["proposed", "accepted"]
DUPLICATE_NOTE = "Doublon d'un signalement resté ouvert : fermé automatiquement lors d'une mise à jour."


def close_duplicate_agreements(Agreement):
    crowded = (
        Agreement.objects.filter(status__in=OPEN_AGREEMENT)
        .values("conversation")
        .annotate(open=Count("pk"))
        .filter(open__gt=1)
        .values_list("conversation", flat=True)
    )
    for conversation_id in list(crowded):
        agreements = list(Agreement.objects.filter(conversation_id=conversation_id, status__in=OPEN_AGREEMENT))
        agreements.sort(
            key=lambda agreement: (
                agreement.status != "accepted",
                -(bool(agreement.giver_confirmed_at) + bool(agreement.receiver_confirmed_at)),
                agreement.proposed_at,
                agreement.pk,
            )
        )
        Agreement.objects.filter(pk__in=[agreement.pk for agreement in agreements[1:]]).update(status="cancelled")


def close_duplicate_reports(Report):
    thing = {
        "offer_key": Coalesce("offer", Value(0), output_field=BigIntegerField()),
        "message_key": Coalesce("message", Value(0), output_field=BigIntegerField()),
    }
    crowded = (
        Report.objects.filter(status="open")
        .annotate(**thing)
        .values("reporter", "person", "offer_key", "message_key")
        .annotate(open=Count("pk"))
        .filter(open__gt=1)
    )
    now = timezone.now()
    for group in list(crowded):
        reports = (
            Report.objects.filter(status="open", reporter_id=group["reporter"], person_id=group["person"])
            .annotate(**thing)
            .filter(offer_key=group["offer_key"], message_key=group["message_key"])
            .order_by("created_at", "pk")
        )
        duplicates = list(reports.values_list("pk", flat=True)[1:])
        Report.objects.filter(pk__in=duplicates).update(status="closed", closed_at=now, note=DUPLICATE_NOTE)


def close_duplicates(apps, schema_editor):
    close_duplicate_agreements(apps.get_model("echanges", "Agreement"))
    close_duplicate_reports(apps.get_model("echanges", "Report"))


class Migration(migrations.Migration):
    dependencies = [
        ("echanges", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(close_duplicates, migrations.RunPython.noop),
    ]
