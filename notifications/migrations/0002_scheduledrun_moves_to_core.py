"""`ScheduledRun` now belongs to `core` (core 0001): it leaves this app's state, its table and rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ScheduledRun")],
            database_operations=[],
        ),
    ]
