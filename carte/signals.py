"""A centre's page feeds its place on the map: written when the page is published, removed when it is not live."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from carte.models import UsefulPlace
from carte.services import sync_centre_place
from quartier.models import CentrePage


@receiver(page_published, sender=CentrePage)
def centre_published(sender, instance, revision=None, **kwargs):
    sync_centre_place(instance, checked_by=getattr(revision, "user", None))


@receiver(page_unpublished, sender=CentrePage)
def centre_unpublished(sender, instance, **kwargs):
    UsefulPlace.objects.filter(for_centre=instance).delete()
