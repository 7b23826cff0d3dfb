"""A centre brings its team: created with the page, renamed with it, removed after it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from quartier.editors import rename_centre_team, set_up_centre_team
from quartier.models import CentrePage, CentreTeam


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
    # The group only grants rights on the deleted centre; the collection keeps its images.
    instance.editors.delete()
