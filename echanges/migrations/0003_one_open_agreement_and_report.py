"""One open agreement per conversation, one open report per reporter and thing: the database says so.

0002 closed the duplicates that existed, so adding these constraints cannot fail on existing data.
"""

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("echanges", "0002_close_duplicate_open_agreements_and_reports"),
        ("quartier", "0004_centre_review_workflows"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["proposed", "accepted"])),
                fields=("conversation",),
                name="agreement_one_open_per_conversation",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                models.F("reporter"),
                models.F("person"),
                django.db.models.functions.comparison.Coalesce(
                    "offer", models.Value(0), output_field=models.BigIntegerField()
                ),
                django.db.models.functions.comparison.Coalesce(
                    "message", models.Value(0), output_field=models.BigIntegerField()
                ),
                condition=models.Q(("status", "open")),
                name="report_one_open_per_reporter_and_thing",
            ),
        ),
    ]
