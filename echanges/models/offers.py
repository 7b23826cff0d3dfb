"""Offers and requests: what a resident gives, lends, swaps or does for time, or asks for, in one centre."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index

from core.models import DescribedPhoto
from home.models import NetworkCategory
from quartier.models import CentrePage

OFFER_LIFETIME = timedelta(days=60)


class Category(NetworkCategory):
    """What an exchange is about (bricolage, couture, numérique, enfants…): one list for the whole network."""

    class Meta(NetworkCategory.Meta):
        verbose_name = _("catégorie d'échange")
        verbose_name_plural = _("catégories d'échange")


class OfferTag(TaggedItemBase):
    """Free words on an offer ("vélo", "anglais", "poussette"), shared by the network."""

    content_object = models.ForeignKey("echanges.Offer", on_delete=models.CASCADE, related_name="tagged_items")


class OfferQuerySet(models.QuerySet):
    def shown(self):
        """What anyone may read: neither hidden by a moderator nor withdrawn by its author."""
        return self.filter(hidden=False).exclude(status=Offer.Status.WITHDRAWN)

    def open(self):
        return self.filter(hidden=False, status=Offer.Status.OPEN)

    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(author=user)

    def for_listing(self):
        return self.select_related("centre", "category", "photo").order_by("-published_at", "-pk")

    def expiring_before(self, moment):
        return self.filter(status=Offer.Status.OPEN, expires_at__lte=moment)


class Offer(index.Indexed, DescribedPhoto):
    """Something a resident gives, lends, swaps or does for time, or asks for, in one centre; maybe with a photo."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Je propose")
        REQUEST = "request", _("Je cherche")

    class Nature(models.TextChoices):
        GOOD = "good", _("un objet")
        SERVICE = "service", _("un coup de main")
        SKILL = "skill", _("un savoir")

    class Mode(models.TextChoices):
        GIFT = "gift", _("don")
        LOAN = "loan", _("prêt")
        SWAP = "swap", _("troc")
        TIME = "time", _("banque de temps")

    class Status(models.TextChoices):
        OPEN = "open", _("ouverte")
        IN_PROGRESS = "in_progress", _("en cours")
        DONE = "done", _("réalisée")
        WITHDRAWN = "withdrawn", _("retirée")
        EXPIRED = "expired", _("expirée")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.CASCADE, related_name="offers"
    )
    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("je propose ou je cherche"), max_length=10, choices=Kind.choices)
    nature = models.CharField(_("quoi"), max_length=10, choices=Nature.choices)
    mode = models.CharField(_("en échange de"), max_length=10, choices=Mode.choices)
    title = models.CharField(_("titre"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("catégorie"), on_delete=models.PROTECT, related_name="offers"
    )
    tags = TaggableManager(_("mots-clés"), through=OfferTag, blank=True)
    when = models.CharField(_("quand"), max_length=120, blank=True)
    where = models.CharField(_("où"), max_length=120, blank=True)
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.OPEN)
    hidden = models.BooleanField(_("masquée par la modération"), default=False)
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    expiry_reminded_at = models.DateTimeField(_("rappel d'expiration envoyé le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.RelatedFields("category", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("status"),
        index.FilterField("hidden"),
        index.FilterField("centre"),
        index.FilterField("kind"),
        index.FilterField("published_at"),
    ]

    class Meta:
        verbose_name = _("annonce")
        verbose_name_plural = _("annonces")
        indexes = [
            models.Index(fields=["status", "hidden", "-published_at"], name="offer_listing"),
            models.Index(fields=["centre", "status", "hidden", "-published_at"], name="offer_centre_listing"),
            models.Index(fields=["status", "expires_at"], name="offer_expiry"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = (self.published_at or timezone.now()) + OFFER_LIFETIME
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("echanges:offer", args=[self.pk])

    @property
    def is_open(self):
        return self.status == self.Status.OPEN and not self.hidden

    @property
    def place(self):
        """Where it happens, at the centre unless the author said otherwise."""
        return self.where or _("%(centre)s, à l'accueil") % {"centre": self.centre.title}
