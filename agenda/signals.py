"""The agenda reacts to Wagtail: publishing an activity writes its dates; its dates are public live topics."""

from django.dispatch import receiver
from wagtail.signals import page_published

from agenda.models import EventPage, Occurrence
from agenda.services import materialise
from notifications import topics


def occurrence_is_public(pk):
    return Occurrence.objects.listed().filter(pk=pk).exists()


topics.register("occurrence", occurrence_is_public)


@receiver(page_published, sender=EventPage)
def write_dates(sender, instance, **kwargs):
    materialise(instance)
