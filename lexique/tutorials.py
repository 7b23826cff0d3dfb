"""Tutorials: a task in words ("Créer une adresse e-mail"), done one step at a time on a phone, printed for the desk.

A `TutorialPage` lives under the network's one `TutorialIndexPage` (`/tutoriels/`). Its steps are a StreamField of
plain text, screenshots with their description, warnings and tips (lexique/blocks.py). A phone shows one step per
screen (`etape/<n>/`), a page shows them all for reading or printing (`toutes-les-etapes/`); nothing needs
JavaScript. At the end the reader says "J'ai réussi" (counted, nothing else kept) or "Je bloque ici": a
`HelpRequest` that tells the digital relays and mediators of a centre (lexique/help_requests.py).
"""

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.models import ViewRestrictionsInOneQuery, view_restricted
from lexique.blocks import StepBlock
from lexique.contributions import Contribution, ContributionIndex
from lexique.forms import HelpForm
from lexique.help_requests import HelpRequest, ask_for_help, sender_key

MAX_STEPS = 20


class Level(models.TextChoices):
    BEGINNER = "debutant", _("débutant")
    COMFORTABLE = "a-l-aise", _("à l'aise")
    CONFIDENT = "confirme", _("confirmé")


def open_to_everyone(pages):
    """Live pages no view restriction applies to, read in the listing's own query (Wagtail's `public()` adds one)."""
    return pages.live().annotate(restricted=view_restricted()).filter(restricted=False)


class TutorialIndexPage(ContributionIndex, RoutablePageMixin, ViewRestrictionsInOneQuery, Page):
    """The tutorials of the whole network, filtered by level with plain links (no JavaScript needed)."""

    introduction = models.TextField(
        _("présentation"), max_length=300, blank=True, help_text=_("Une ou deux phrases simples, en haut de la page.")
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = ["lexique.TutorialPage"]
    max_count = 1
    template = "lexique/tutorial_index_page.html"

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    class Meta:
        verbose_name = _("liste des tutoriels")

    @path("")
    def index(self, request):
        level = request.GET.get("niveau", "")
        tutorials = open_to_everyone(TutorialPage.objects.child_of(self)).defer_streamfields().order_by("title")
        if level in Level.values:
            tutorials = tutorials.filter(level=level)
        else:
            level = ""
        context = {"tutorials": tutorials, "level": level, "levels": Level.choices}
        return self.render(request, context_overrides=context)


class TutorialPage(Contribution, RoutablePageMixin, ViewRestrictionsInOneQuery, Page):
    """One task, step by step, in easy-to-read French. The page's title says the task."""

    summary = models.TextField(
        _("en bref"),
        max_length=300,
        help_text=_("Ce que vous saurez faire à la fin, en une ou deux phrases courtes."),
    )
    level = models.CharField(_("niveau"), max_length=10, choices=Level.choices, default=Level.BEGINNER)
    duration = models.CharField(
        _("durée"), max_length=40, help_text=_("En mots ou en minutes : « 10 minutes », « un quart d'heure ».")
    )
    needs = models.TextField(
        _("ce qu'il vous faut"),
        max_length=500,
        blank=True,
        help_text=_("Une chose par ligne : « Un téléphone », « Votre numéro d'allocataire »."),
    )
    steps = StreamField(
        [("step", StepBlock())],
        verbose_name=_("étapes"),
        min_num=1,
        max_num=MAX_STEPS,
        help_text=_("Une étape par écran de téléphone : un titre court, puis ce qu'on fait."),
    )
    linked_terms = ParentalManyToManyField(
        "lexique.TermPage", verbose_name=_("mots du lexique"), blank=True, related_name="tutorials"
    )

    parent_page_types = ["lexique.TutorialIndexPage"]
    subpage_types = []
    template = "lexique/tutorial_page.html"

    content_panels = [
        TitleFieldPanel("title", help_text=_("La tâche, avec un verbe. Par exemple : Créer une adresse e-mail.")),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("level"), FieldPanel("duration"), FieldPanel("needs")], heading=_("Avant de commencer")
        ),
        FieldPanel("steps"),
        FieldPanel("linked_terms"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("needs"),
        index.SearchField("steps"),
    ]

    class Meta:
        verbose_name = _("tutoriel")
        verbose_name_plural = _("tutoriels")

    def needs_list(self):
        return [line.strip(" -•\t") for line in self.needs.splitlines() if line.strip(" -•\t")]

    def numbered_steps(self):
        """[(number, step)] from 1: each step's `title` and `body` (a list of blocks)."""
        return [(number, child.value) for number, child in enumerate(self.steps, start=1)]

    def step_url(self, number):
        return f"{self.url}etape/{number}/"

    def step(self, number):
        steps = self.numbered_steps()
        if not 1 <= number <= len(steps):
            raise Http404
        return steps[number - 1][1], len(steps)

    @path("")
    def intro(self, request):
        terms = open_to_everyone(self.linked_terms.all()).only("title", "url_path", "path", "depth").order_by("title")
        context = {"terms": terms, "total": len(self.steps), "credit": self.credit()}
        return self.render(request, context_overrides=context)

    @path("etape/<int:number>/")
    def one_step(self, request, number):
        step, total = self.step(number)
        context = {
            "step": step,
            "number": number,
            "total": total,
            "previous_url": self.step_url(number - 1) if number > 1 else self.url,
            "next_url": self.step_url(number + 1) if number < total else f"{self.url}fin/",
        }
        return self.render(request, context_overrides=context, template="lexique/tutorials/step.html")

    @path("toutes-les-etapes/")
    def all_steps(self, request):
        context = {"steps": self.numbered_steps(), "total": len(self.steps)}
        return self.render(request, context_overrides=context, template="lexique/tutorials/all_steps.html")

    @path("fin/")
    def end(self, request):
        return self.render(
            request, context_overrides={"total": len(self.steps)}, template="lexique/tutorials/end.html"
        )

    @path("reussi/")
    def succeeded(self, request):
        if request.method != "POST":
            return redirect(f"{self.url}fin/")
        TutorialCounter.count_success(self)
        return redirect(f"{self.url}bravo/")

    @path("bravo/")
    def thanks(self, request):
        return self.render(request, template="lexique/tutorials/thanks.html")

    @path("aide/")
    def ask_for_help(self, request):
        """ "Je bloque ici": the step reached, the centre, a message; the centre's relays and mediators are told."""
        person = request.user if request.user.is_authenticated else None
        sent = request.POST if request.method == "POST" else None
        form = HelpForm(sent, tutorial=self, person=person, initial={"step": request.GET.get("etape")})
        if sent is not None and form.is_valid():
            sender = sender_key(request, form.cleaned_data.get("call_back_on", ""))
            help_request = ask_for_help(self, person=person, sender_key=sender, **form.cleaned_data)
            return redirect(f"{self.url}aide/envoyee/{help_request.token}/")
        return self.render(request, context_overrides={"form": form}, template="lexique/tutorials/help.html")

    @path("aide/envoyee/<uuid:token>/")
    def help_sent(self, request, token):
        help_request = get_object_or_404(
            HelpRequest.objects.select_related("centre").prefetch_related("centre__opening_hours"),
            tutorial=self,
            token=token,
        )
        context = {"help_request": help_request, "centre": help_request.centre}
        return self.render(request, context_overrides=context, template="lexique/tutorials/help_sent.html")


class TutorialCounter(models.Model):
    """How many people said "J'ai réussi" for a tutorial: a figure for its authors, apart from the page's revisions.

    A field of the page would be overwritten by the next revision published; this row is only ever incremented.
    """

    tutorial = models.OneToOneField(
        TutorialPage, verbose_name=_("tutoriel"), on_delete=models.CASCADE, primary_key=True, related_name="counter"
    )
    succeeded = models.PositiveIntegerField(_("réussi"), default=0)

    class Meta:
        verbose_name = _("compteur d'un tutoriel")

    def __str__(self):
        return f"{self.tutorial_id}: {self.succeeded}"

    @classmethod
    def count_success(cls, tutorial):
        cls.objects.get_or_create(tutorial=tutorial)
        cls.objects.filter(tutorial=tutorial).update(succeeded=models.F("succeeded") + 1)
