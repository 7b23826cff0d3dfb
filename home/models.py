"""The network's home page, generic content pages (help, legal) and the site's footer links.

`home` is the lowest app: it never imports the apps above it. Those add their sections to the home
page through the `home_sections` hook (see `home.sections`).
"""

from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from core import freshness
from home.sections import written_sections

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ViewRestrictionsInOneQuery:
    """A page mixin: the view restrictions of the page and its ancestors read in one query instead of two.

    Wagtail reads the ancestors (for their aliases), then their restrictions, at every page it serves. A page's
    ancestors are the prefixes of its tree path, so one query with a join finds the restrictions on them and on
    the pages they are aliases of. An alias's own restrictions are counted too (Wagtail ignores them, and the admin
    offers none): stricter, never looser. The centre page's sections (agenda, procedures, exchanges) need the query
    this saves to stay within DESIGN.md's 15.
    """

    def get_view_restrictions(self):
        if getattr(self, "view_restricted", None) is False:
            # Read with the page (`view_restricted()`, annotated by the page's manager): none applies.
            return PageViewRestriction.objects.none()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths) | Q(page__aliases__path__in=paths)
        ).distinct()


def view_restricted():
    """Whether a view restriction applies to the page of the outer query, read in the same query.

    The same restrictions as `ViewRestrictionsInOneQuery.get_view_restrictions`: on the page, its ancestors (the
    prefixes of its path), and the pages any of them is an alias of. A manager annotating its pages with it
    spares the page its restrictions' query when none applies.
    """
    own = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    through_alias = PageViewRestriction.objects.filter(
        page__aliases__path=Substr(OuterRef("path"), 1, Length("page__aliases__path"))
    )
    return ExpressionWrapper(Q(Exists(own)) | Q(Exists(through_alias)), output_field=models.BooleanField())


class NetworkCategory(models.Model):
    """A category shared by the whole network, named once and linked by its slug (the agenda's, the exchange's)."""

    name = models.CharField(_("nom"), max_length=60, unique=True)
    slug = models.SlugField(_("adresse"), max_length=60, unique=True, help_text=_("Utilisé dans les liens."))

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)


class HomePage(Page):
    """The network's front door: what Placette is, then the sections the apps register."""

    introduction = models.TextField(
        _("présentation"),
        max_length=400,
        help_text=_("Deux phrases simples : ce qu'est Placette et pour qui."),
    )

    # Children declare their own parents (a centre says it lives here): home must not name the
    # apps above it, so it does not restrict its children itself.
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "home/home_page.html"

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    class Meta:
        verbose_name = _("page d'accueil du réseau")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = written_sections(request, self, "home_sections", (freshness.SITE, freshness.ALL_CENTRES))
        return context


class ContentPage(Page):
    """A page of plain information: help, legal notice, accessibility statement, privacy."""

    summary = models.CharField(
        _("résumé"), max_length=200, blank=True, help_text=_("Une phrase, affichée sous le titre.")
    )
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Intertitre"), form_classname="title")),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraphe"), features=RICH_TEXT_FEATURES)),
        ],
        verbose_name=_("contenu"),
    )

    # Any parent that accepts it (the home page, a centre, another information page): the parents
    # say so in their subpage_types, since `home` cannot name the apps above it.
    subpage_types = ["home.ContentPage"]
    template = "home/content_page.html"

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    class Meta:
        verbose_name = _("page d'information")


def footer_page(verbose_name):
    """An optional link to a page; the link goes away with the page."""
    return models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


@register_setting(icon="list-ul")
class FooterLinks(BaseSiteSetting):
    """The pages the law asks every public site to link from each page."""

    accessibility_page = footer_page(_("accessibilité"))
    legal_page = footer_page(_("mentions légales"))
    privacy_page = footer_page(_("données personnelles"))

    select_related = ["accessibility_page", "legal_page", "privacy_page"]
    panels = [
        MultiFieldPanel([FieldPanel("accessibility_page"), FieldPanel("legal_page"), FieldPanel("privacy_page")])
    ]

    class Meta:
        verbose_name = _("liens du pied de page")

    def links(self):
        """The footer's (label, page) pairs, in reading order, skipping pages not chosen yet."""
        pairs = [
            (_("Accessibilité"), self.accessibility_page),
            (_("Mentions légales"), self.legal_page),
            (_("Données personnelles"), self.privacy_page),
        ]
        return [(label, page) for label, page in pairs if page is not None and page.live]
