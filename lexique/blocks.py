"""A tutorial's steps: each a short title, then plain text, screenshots with their description, warnings and tips.

Nothing here is rich text: an editor (a young contributor, a digital relay) types words, never HTML, and the page
shows them escaped. The templates draw the blocks themselves (lexique/templates/lexique/tutorials/_step.html), so
that the words of the lexicon are explained across a whole step and never in its title.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from lexique.audio import MAX_MEGABYTES, audio_problem

STEP_TEXT_MAX_LENGTH = 1000


class ScreenshotBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    description = blocks.CharBlock(
        label=_("description de l'image"),
        max_length=200,
        help_text=_(
            "Ce qu'on voit sur l'image, pour qui ne la voit pas. Par exemple : « Le bouton Envoyer, en bas »."
        ),
    )

    class Meta:
        icon = "image"
        label = _("capture d'écran")


class StepBodyBlock(blocks.StreamBlock):
    text = blocks.TextBlock(
        label=_("texte"),
        max_length=STEP_TEXT_MAX_LENGTH,
        help_text=_("Des phrases courtes, une idée par phrase. Une ligne vide fait un nouveau paragraphe."),
    )
    screenshot = ScreenshotBlock()
    attention = blocks.TextBlock(
        label=_("attention"), max_length=400, icon="warning", help_text=_("Une erreur à éviter, un piège.")
    )
    tip = blocks.TextBlock(
        label=_("astuce"), max_length=400, icon="help", help_text=_("Un conseil qui fait gagner du temps.")
    )

    class Meta:
        min_num = 1


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("titre de l'étape"),
        max_length=80,
        help_text=_("Ce qu'on fait, avec un verbe : « Ouvrir l'application »."),
    )
    body = StepBodyBlock(label=_("contenu"))
    audio = DocumentChooserBlock(
        label=_("enregistrement sonore"),
        required=False,
        help_text=_(
            "Facultatif. Quelqu'un lit l'étape telle qu'elle est écrite : le texte sert de transcription. "
            "Un fichier MP3, OGG, M4A, WAV, WebM ou FLAC, %(max)d Mo au plus."
        )
        % {"max": MAX_MEGABYTES},
    )

    class Meta:
        icon = "list-ol"
        label = _("étape")

    def clean(self, value):
        value = super().clean(value)
        if value.get("audio") and (problem := audio_problem(value["audio"])):
            raise StructBlockValidationError(block_errors={"audio": ValidationError(problem)})
        return value
