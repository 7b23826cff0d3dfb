"""A centre brings its team: created with the page, renamed with it, removed after it."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from quartier.editors import rename_centre_team, set_up_centre_team, sync_contributor
from quartier.models import CentrePage, CentreTeam, Membership


@receiver(post_save, sender=CentrePage)
def centre_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    team = CentreTeam.objects.select_related("editors", "collection").filter(centre=instance).first()
    if team is None:
        set_up_centre_team(instance)
    elif not created:
        rename_centre_team(team, instance)


@receiver(post_delete, sender=CentreTeam)
def team_deleted(sender, instance, **kwargs):
    # The groups only grant rights on the deleted centre; the collection keeps its images.
    instance.editors.delete()
    Group.objects.filter(pk=instance.contributors_id).delete()


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance, raw=False, **kwargs):
    """A relay or a contributor is in their centre's contributors group while, and only while, they have the role."""
    if not raw:
        sync_contributor(instance.user)
