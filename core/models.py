"""Pieces several models share (a photo with what it shows, who did something to a row), and the scheduler's rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NO_PHOTO_DESCRIPTION = _("Décrivez la photo en quelques mots.")


def done_by(verbose_name, *, related_name="+", blank=True):
    """The person who did something to a row, if known: the row stays, without them, when their account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class DescribedPhoto(models.Model):
    """A photo from the image library and its description (RGAA 1.1): no photo is shown without one."""

    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_alt = models.CharField(
        _("description de la photo"),
        max_length=200,
        blank=True,
        help_text=_("Ce que montre la photo, pour les personnes qui ne la voient pas."),
    )

    class Meta:
        abstract = True

    def photo_errors(self):
        """The error to show on the description when a photo has none, for the model's `clean`."""
        if self.photo_id and not self.photo_alt.strip():
            return {"photo_alt": NO_PHOTO_DESCRIPTION}
        return {}


class ScheduledRun(models.Model):
    """A periodic task enqueued for one slot of time: unique, so two schedulers never enqueue it twice."""

    name = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Born in `notifications`: the table keeps its name, and its rows, since the model moved here.
        db_table = "notifications_scheduledrun"
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="scheduled_run_once_per_slot")]

    def __str__(self):
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"
