"""The lexicon of digital words: one network-wide index (`/lexique/`) and a page per term, in easy-to-read French.

People stop at words (*identifiant*, *pièce jointe*, *captcha*). Each `TermPage` says one word, the other ways it is
written (plural, without accents, the English form), a short definition, an example and a picture. The site
explains these words where they are read (lexique/explaining.py); the index lists them A–Z, finds them, and prints
them as a booklet the centres hand out. Every field is plain text: nothing typed here is ever shown as HTML.
"""

import re
import string

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents import get_document_model_string
from wagtail.models import Page
from wagtail.search import index

from core.models import DescribedPhoto
from home.models import ViewRestrictionsInOneQuery, view_restricted
from lexique.audio import MAX_MEGABYTES, audio_problem, mime_type
from lexique.contributions import Contribution, ContributionIndex, contributions_by_centre
from lexique.matching import fold, normal_form

DEFINITION_MAX_LENGTH = 400
# Easy-to-read French (FALC): short sentences, short words. Past these, the editor is warned, never stopped.
SENTENCE_MAX_WORDS = 15
WORD_MAX_LETTERS = 12
BOOKLET_FORMATS = {"a5": "A5", "a4": "A4"}
MAX_QUERY_LENGTH = 60


def readability_hints(text):
    """What makes `text` harder to read than easy French: long sentences, long words (French, for the editor)."""
    hints = []
    sentences = [s for s in re.split(r"(?<=[.!?…])\s+", text.strip()) if s]
    long_sentences = [s for s in sentences if len(re.findall(r"\w+(?:['’-]\w+)*", s)) > SENTENCE_MAX_WORDS]
    if long_sentences:
        hints.append(
            ngettext(
                "Une phrase a plus de %(max)d mots : coupez-la en deux.",
                "%(count)d phrases ont plus de %(max)d mots : coupez-les.",
                len(long_sentences),
            )
            % {"count": len(long_sentences), "max": SENTENCE_MAX_WORDS}
        )
    long_words = sorted({w for w in re.findall(r"\w+", text) if len(w) > WORD_MAX_LETTERS})
    if long_words:
        hints.append(
            _("Mots longs, à remplacer si possible par des mots courts : %(words)s.")
            % {"words": ", ".join(long_words)}
        )
    return hints


class LexiconIndexPage(ContributionIndex, RoutablePageMixin, ViewRestrictionsInOneQuery, Page):
    """The lexicon of the whole network: its terms A–Z, a search box, and the printable booklet."""

    introduction = models.TextField(
        _("présentation"),
        max_length=300,
        blank=True,
        help_text=_("Une ou deux phrases simples, en haut de la page."),
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = ["lexique.TermPage"]
    max_count = 1
    template = "lexique/lexicon_index_page.html"
    # The centres' relays and contributors write terms here, as drafts (lexique.contributions).

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    class Meta:
        verbose_name = _("lexique")

    def terms(self):
        """The published terms, A–Z by their folded word (so "écran" sits with the E)."""
        found = (
            TermPage.objects.child_of(self)
            .live()
            .public()
            .select_related("photo")
            .prefetch_related("photo__renditions")  # the booklet's pictures, in one query
            .order_by("title")
        )
        return sorted(found, key=lambda term: fold(term.title))

    @path("")
    def index(self, request):
        terms = self.terms()
        typed = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        if typed:
            wanted = normal_form(typed)
            terms = [term for term in terms if any(wanted in normal_form(form) for form in term.forms())]
        by_letter = {}
        for term in terms:
            letter = fold(term.title[:1]).upper()
            by_letter.setdefault(letter if letter in string.ascii_uppercase else "#", []).append(term)
        letters = [(letter, letter in by_letter) for letter in string.ascii_uppercase]
        if "#" in by_letter:
            letters.append(("#", True))
        context = {"terms": terms, "typed": typed, "letters": letters, "by_letter": sorted(by_letter.items())}
        return self.render(request, context_overrides=context)

    @path("livret/")
    def booklet(self, request):
        chosen = request.GET.get("format", "a5")
        size = chosen if chosen in BOOKLET_FORMATS else "a5"
        context = {"terms": self.terms(), "size": size, "formats": BOOKLET_FORMATS}
        return self.render(request, context_overrides=context, template="lexique/booklet.html")

    @path("contributions/")
    def contributions(self, request):
        """What each centre's relays and young contributors wrote, by centre."""
        context = {"by_centre": contributions_by_centre()}
        return self.render(request, context_overrides=context, template="lexique/contributions.html")


class TermPage(Contribution, ViewRestrictionsInOneQuery, DescribedPhoto, Page):
    """One word of the lexicon, explained in easy-to-read French. The page's title is the word."""

    variants = models.TextField(
        _("autres façons de l'écrire"),
        blank=True,
        max_length=500,
        help_text=_(
            "Une par ligne : pluriel, féminin, sans accent, mot anglais. "
            "Par exemple pour « e-mail » : mail, email, courriel, adresse mail."
        ),
    )
    definition = models.TextField(
        _("définition"),
        max_length=DEFINITION_MAX_LENGTH,
        help_text=_(
            "En français facile à lire : des phrases courtes (15 mots au plus), une idée par phrase, "
            "des mots simples. %(max)d caractères au plus."
        )
        % {"max": DEFINITION_MAX_LENGTH},
    )
    example = models.CharField(
        _("exemple"),
        max_length=200,
        blank=True,
        help_text=_("Une phrase de tous les jours avec le mot. Par exemple : « Tapez votre identifiant. »"),
    )
    related_terms = ParentalManyToManyField(
        "lexique.TermPage", verbose_name=_("mots liés"), blank=True, related_name="+"
    )
    audio = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("enregistrement sonore"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Facultatif. Quelqu'un lit le mot, la définition et l'exemple, tels qu'ils sont écrits : "
            "le texte écrit sert de transcription. Un fichier MP3, OGG, M4A, WAV, WebM ou FLAC, %(max)d Mo au plus."
        )
        % {"max": MAX_MEGABYTES},
    )

    parent_page_types = ["lexique.LexiconIndexPage"]
    subpage_types = []
    template = "lexique/term_page.html"

    content_panels = [
        # TitleFieldPanel fills the address (slug) from the word as it is typed, as Wagtail's own title does.
        TitleFieldPanel("title", help_text=_("Le mot, comme on l'écrit le plus souvent. Par exemple : identifiant.")),
        FieldPanel("variants"),
        FieldPanel("definition"),
        FieldPanel("example"),
        MultiFieldPanel(
            [FieldPanel("photo"), FieldPanel("photo_alt")],
            heading=_("Pictogramme ou photo"),
        ),
        FieldPanel("related_terms"),
        FieldPanel("audio"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("variants"),
        index.SearchField("definition"),
        index.SearchField("example"),
    ]

    class Meta:
        verbose_name = _("mot du lexique")
        verbose_name_plural = _("mots du lexique")

    def forms(self):
        """The word and each variant, as written, without blank lines or repeats."""
        seen, forms = set(), []
        for form in [self.title, *self.variants.splitlines()]:
            form = " ".join(form.split())
            if form and normal_form(form) not in seen:
                seen.add(normal_form(form))
                forms.append(form)
        return forms

    def other_forms(self):
        return self.forms()[1:]

    def audio_type(self):
        return mime_type(self.audio) if self.audio_id else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related"] = self.related_terms.live().public().order_by("title")
        context["tutorials"] = (
            self.tutorials.live()
            .annotate(restricted=view_restricted())
            .filter(restricted=False)
            .defer_streamfields()
            .order_by("title")
        )
        context["credit"] = self.credit()
        return context

    def clean(self):
        super().clean()
        errors = self.photo_errors()
        if self.audio_id and (problem := audio_problem(self.audio)):
            errors["audio"] = problem
        mine = {normal_form(form): form for form in self.forms()}
        others = TermPage.objects.exclude(translation_key=self.translation_key).only("title", "variants")
        for other in others:
            shared = [mine[key] for key in (normal_form(form) for form in other.forms()) if key in mine]
            if shared:
                field = "title" if normal_form(shared[0]) == normal_form(self.title) else "variants"
                errors[field] = _("« %(form)s » est déjà un mot ou une variante de « %(term)s ».") % {
                    "form": shared[0],
                    "term": other.title,
                }
                break
        if errors:
            raise ValidationError(errors)


# The tutorials' models live beside the terms' in their own modules; importing them here registers them with the app.
from lexique.help_requests import HelpRequest  # noqa: E402, F401
from lexique.tutorials import TutorialCounter, TutorialIndexPage, TutorialPage  # noqa: E402, F401
