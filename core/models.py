"""What several models share: a photo always comes with what it shows, for people who do not see it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

NO_PHOTO_DESCRIPTION = _("Décrivez la photo en quelques mots.")


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
