"""The notification the tutorials send: someone is stuck on a step and asks their centre for help."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds

STUCK_ON_TUTORIAL = kinds.register(
    "stuck_on_tutorial",
    _("une personne bloque sur un tutoriel et demande de l'aide"),
    for_staff=True,
    subject=_("Une personne demande de l'aide sur un tutoriel"),
)
