"""Site-wide periodic work, run by `manage.py worker`: Wagtail's scheduled publishing."""

from datetime import timedelta

from django.core.management import call_command
from django_tasks import task

from core.scheduling import every


@every(timedelta(minutes=1))
@task()
def publish_scheduled_pages():
    """Pages and snippets whose "publish at" or "unpublish at" time has come (Wagtail's publish_scheduled)."""
    call_command("publish_scheduled", verbosity=0)
