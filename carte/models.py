"""The network's choices about its open data: under which licence its files are published (carte/exports.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# The two licences a French public body may use for open data without asking (Code des relations entre le
# public et l'administration, D. 323-2-1): both standards Placette exports to publish under the first.
LICENCES = {
    "etalab-2.0": (
        _("Licence Ouverte / Open Licence 2.0"),
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    ),
    "odbl-1.0": (_("Open Database License (ODbL) 1.0"), "https://opendatacommons.org/licenses/odbl/1-0/"),
}


@register_setting(icon="download")
class OpenDataSettings(BaseGenericSetting):
    licence = models.CharField(
        _("licence des fichiers"),
        max_length=20,
        choices=[(key, title) for key, (title, _url) in LICENCES.items()],
        default="etalab-2.0",
        help_text=_("La licence sous laquelle le réseau publie les fichiers de /carte/donnees/."),
    )

    panels = [FieldPanel("licence")]

    class Meta:
        verbose_name = _("données ouvertes")

    @property
    def licence_title(self):
        return LICENCES[self.licence][0]

    @property
    def licence_url(self):
        return LICENCES[self.licence][1]
