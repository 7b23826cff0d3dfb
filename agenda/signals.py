"""The agenda reacts to Wagtail: publishing an activity writes its dates; its dates are public live topics."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from agenda.models import EventPage, Occurrence
from agenda.services import materialise, refresh_listed
from core import topics


def occurrence_is_public(pk):
    return Occurrence.objects.listed().filter(pk=pk).exists()


topics.register("occurrence", occurrence_is_public)


@receiver(page_published, sender=EventPage)
def write_dates(sender, instance, **kwargs):
    materialise(instance)


@receiver(page_unpublished, sender=EventPage)
def hide_dates(sender, instance, **kwargs):
    refresh_listed(EventPage.objects.filter(pk=instance.pk).values("pk"))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def follow_view_restrictions(sender, instance, **kwargs):
    """A restriction on a centre (or above) hides its activities' dates from listings and feeds, and back."""
    # Deleting a page deletes its restrictions first: then there is nothing left to refresh.
    page = Page.objects.filter(pk=instance.page_id).only("path").first()
    if page is not None:
        refresh_listed(EventPage.objects.filter(path__startswith=page.path).values("pk"))
