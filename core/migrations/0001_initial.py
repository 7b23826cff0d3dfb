"""`ScheduledRun` moves here from `notifications`: its table, created by notifications 0001, stays as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ScheduledRun",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100)),
                        ("slot", models.DateTimeField()),
                        ("enqueued_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "notifications_scheduledrun",
                        "constraints": [
                            models.UniqueConstraint(fields=("name", "slot"), name="scheduled_run_once_per_slot")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
