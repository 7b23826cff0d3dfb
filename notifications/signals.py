"""The first public topic (a centre's page, told when it is republished); sockets closed at sign-out; a given-up
delivery told to the centre's team."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail.signals import page_published

from core import topics
from notifications import deliveries, services
from quartier.models import CentrePage


def centre_is_public(pk):
    return CentrePage.objects.live().public().filter(pk=pk).exists()


topics.register("centre", centre_is_public)


@receiver(page_published, sender=CentrePage)
def tell_centre_followers(sender, instance, **kwargs):
    topics.broadcast(
        f"centre.{instance.pk}",
        "updated",
        message=_("Cette page vient d'être mise à jour. Rechargez-la pour voir la nouvelle version."),
    )


@receiver(user_logged_out)
def close_sockets_at_sign_out(sender, request, user, **kwargs):
    if user is not None:
        services.end_live_sessions(user.pk)


@receiver(deliveries.delivery_given_up)
def tell_team_delivery_failed(sender, delivery, **kwargs):
    services.tell_team_delivery_failed(delivery)
