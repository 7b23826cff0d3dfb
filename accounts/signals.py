"""A person is a minor for the whole site as soon as one centre records them as one (their name shows shorter)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import User
from quartier.models import Membership


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def minor_or_not(sender, instance, raw=False, **kwargs):
    if not raw:
        minor = Membership.objects.filter(user_id=instance.user_id, is_minor=True).exists()
        User.objects.filter(pk=instance.user_id).exclude(is_minor=minor).update(is_minor=minor)
        if Membership.user.is_cached(instance):
            instance.user.is_minor = minor
