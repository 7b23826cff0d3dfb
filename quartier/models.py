"""The neighbourhood: one `CentrePage` per social centre, with its address and opening hours.

A centre owns its subtree of pages: creating one also creates its editors' group, which may edit
that subtree and nothing else (see `quartier.editors`).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from phonenumber_field.modelfields import PhoneNumberField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from core import freshness
from core.models import DescribedPhoto
from home.models import ViewRestrictionsInOneQuery, view_restricted
from home.sections import written_sections
from quartier.identifiers import validate_insee_code, validate_pivot
from quartier.opening import next_opening, week_in_words

PRESENTATION_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


def coordinate(label, *, limit):
    """A latitude or a longitude in degrees, to the metre, optional."""
    return models.DecimalField(
        label,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-limit), MaxValueValidator(limit)],
    )


class CentrePageQuerySet(PageQuerySet):
    """Centres come with their photo (the page draws it), read in the same query.

    Wagtail fetches a visited page through the default manager; joining the photo there spares the
    centre page a query. A read that asks for a few columns only (treebeard's moves and deletes) or
    that locks the row drops the join: Django refuses it beside deferred fields, and PostgreSQL cannot
    lock the nullable side of an outer join.
    """

    def select_for_update(self, *args, **kwargs):
        return super(CentrePageQuerySet, self.select_related(None)).select_for_update(*args, **kwargs)

    def only(self, *fields):
        return super(CentrePageQuerySet, self.select_related(None)).only(*fields)

    def defer(self, *fields):
        return super(CentrePageQuerySet, self.select_related(None)).defer(*fields)

    def run_by(self, user):
        """The centres `user` runs: as one of its editors or its mediators (every centre for network admins).

        The one answer to "who runs this centre", with `team_of` for the other direction.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(team__editors__in=user.groups.all())
            | Q(memberships__user=user, memberships__role=Membership.Role.MEDIATOR)
        ).distinct()

    def mediated_by(self, user):
        """The centres where `user` is a mediator: those whose residents may let them act for them."""
        return self.filter(memberships__user=user, memberships__role=Membership.Role.MEDIATOR)


class CentrePageManager(PageManager.from_queryset(CentrePageQuerySet)):
    def get_queryset(self):
        # Whether a view restriction applies comes with the row too: an open centre reads none (home.models).
        return super().get_queryset().select_related("photo").annotate(view_restricted=view_restricted())


class CentrePage(ViewRestrictionsInOneQuery, DescribedPhoto, Page):
    """A social centre and its neighbourhood page: who they are, where, when, how to reach them."""

    town = models.CharField(_("ville"), max_length=100)
    street_address = models.CharField(_("adresse"), max_length=200, help_text=_("Numéro et rue."))
    postcode = models.CharField(
        _("code postal"),
        max_length=5,
        validators=[RegexValidator(r"^\d{5}$", _("Un code postal a cinq chiffres, par exemple 59100."))],
    )
    latitude = coordinate(_("latitude"), limit=90)
    longitude = coordinate(_("longitude"), limit=180)
    phone = PhoneNumberField(_("téléphone"), blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    introduction = models.TextField(
        _("en quelques mots"), max_length=300, help_text=_("Une ou deux phrases simples, en haut de la page.")
    )
    presentation = RichTextField(_("présentation"), features=PRESENTATION_FEATURES, blank=True)

    class Typology(models.TextChoices):
        # The kinds of centre the CAF approves; open data files name them in their own words (carte/exports.py).
        CENTRE_SOCIAL = "centre_social", _("centre social")
        ESPACE_DE_VIE_SOCIALE = "espace_de_vie_sociale", _("espace de vie sociale")
        MAISON_DE_QUARTIER = "maison_de_quartier", _("maison de quartier")

    # What the national open data standards ask and the rest of the page does not say (carte/exports.py).
    pivot = models.CharField(
        _("SIRET ou RNA"),
        max_length=14,
        blank=True,
        validators=[validate_pivot],
        help_text=_("Le SIRET du centre (14 chiffres) ou, pour une association sans SIRET, son numéro RNA (W…)."),
    )
    insee_code = models.CharField(
        _("code INSEE de la commune"),
        max_length=5,
        blank=True,
        validators=[validate_insee_code],
        help_text=_("5 caractères, par exemple 59512 pour Roubaix (différent du code postal)."),
    )
    typology = models.CharField(_("type de structure"), max_length=30, choices=Typology.choices, blank=True)
    objects = CentrePageManager()

    # SMS cost money: past this many in a month, notifications fall back to e-mail or the site.
    sms_monthly_budget = models.PositiveIntegerField(
        _("SMS par mois"),
        null=True,
        blank=True,
        help_text=_("Nombre de SMS que le centre peut envoyer chaque mois. Vide : la valeur du réseau."),
    )

    parent_page_types = ["home.HomePage"]
    # Children declare their own parents (information pages, the agenda's activities): `quartier`
    # must not name the apps above it, so it does not restrict its children itself.
    template = "quartier/centre_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("town")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Adresse"),
        ),
        MultiFieldPanel([FieldPanel("phone"), FieldPanel("email")], heading=_("Contact")),
        MultiFieldPanel(
            [FieldPanel("pivot"), FieldPanel("insee_code"), FieldPanel("typology")],
            heading=_("Données ouvertes"),
            help_text=_("Pour publier le centre dans les fichiers nationaux des lieux d'aide au numérique."),
        ),
        InlinePanel("opening_hours", heading=_("Horaires d'ouverture"), label=_("créneau")),
        MultiFieldPanel([FieldPanel("photo"), FieldPanel("photo_alt")], heading=_("Photo")),
        FieldPanel("presentation"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("sms_monthly_budget")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("town"),
        index.SearchField("introduction"),
        index.SearchField("presentation"),
        index.FilterField("town"),
    ]

    class Meta:
        verbose_name = _("centre social")
        verbose_name_plural = _("centres sociaux")

    def clean(self):
        super().clean()
        errors = self.photo_errors()
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Indiquez la latitude et la longitude, ou aucune des deux.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        freshness.about_centre(request, self.pk)
        user = request.user
        context["membership"] = (
            Membership.objects.filter(user=user, centre=self).first() if user.is_authenticated else None
        )
        # The apps above add their part of the page (the agenda, the exchanges) through this hook.
        context["sections"] = written_sections(
            request, self, "centre_sections", (freshness.SITE, freshness.centre(self.pk))
        )
        return context

    @property
    def map_url(self):
        """OpenStreetMap at the centre's coordinates, or a search of its address."""
        if self.latitude is not None and self.longitude is not None:
            query = urlencode({"mlat": self.latitude, "mlon": self.longitude})
            return f"https://www.openstreetmap.org/?{query}#map=18/{self.latitude}/{self.longitude}"
        query = urlencode({"query": f"{self.street_address}, {self.postcode} {self.town}"})
        return f"https://www.openstreetmap.org/search?{query}"

    @cached_property
    def opening_slots(self):
        # Read through .all() so a prefetch (home page list) or the page's own cluster is reused, and
        # once per page: "open now" and the week's hours both need them.
        return list(self.opening_hours.all())

    def next_opening_in_words(self, now=None):
        """ "Ouvert maintenant, jusqu'à 12 h", "Ouvre demain à 9 h", or "" without hours."""
        now = timezone.localtime(now)
        state = next_opening(self.opening_slots, now)
        return state.describe(now) if state else ""

    def week_in_words(self):
        return week_in_words(self.opening_slots)


def concerned_centre():
    """The centre a row is about, if any: the row outlives the centre, and the centre has no list of such rows."""
    return models.ForeignKey(
        CentrePage,
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class WeeklySlot(Orderable):
    """One opening slot in an ordinary week ("mardi, 9 h – 12 h"): a centre's, and a useful place's (carte).

    A subclass adds the ParentalKey to what opens, and its Meta the database check that it closes after it opens.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Lundi")
        TUESDAY = 1, _("Mardi")
        WEDNESDAY = 2, _("Mercredi")
        THURSDAY = 3, _("Jeudi")
        FRIDAY = 4, _("Vendredi")
        SATURDAY = 5, _("Samedi")
        SUNDAY = 6, _("Dimanche")

    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouvre à"))
    closes = models.TimeField(_("ferme à"))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("créneau d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")

    def clean(self):
        super().clean()
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("L'heure de fermeture doit venir après l'heure d'ouverture.")})


class OpeningHours(WeeklySlot):
    """One opening slot in a centre's ordinary week."""

    centre = ParentalKey(CentrePage, on_delete=models.CASCADE, related_name="opening_hours")

    class Meta(WeeklySlot.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_closes_after_opens"),
        ]


class CentreTeam(models.Model):
    """The Wagtail group of a centre's editors and the image collection they work in.

    Kept outside the page so that revisions, copies and drafts of the page never carry it.
    """

    centre = models.OneToOneField(CentrePage, on_delete=models.CASCADE, related_name="team")
    # Deleting the group in the admin drops the team; the centre's next save sets up a new one.
    editors = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="centre_team")
    collection = models.OneToOneField("wagtailcore.Collection", null=True, on_delete=models.SET_NULL, related_name="+")
    # Its relays and contributors, kept in step with the memberships: admin access and the team's collection here;
    # the apps whose pages they write grant their own page rights to it (lexique.contributions).
    contributors = models.OneToOneField(
        "auth.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="contributors_of"
    )

    class Meta:
        verbose_name = _("équipe d'un centre")

    def __str__(self):
        return self.editors.name


def centres_for_listing():
    """Live centres with what a list of them shows, in a fixed number of queries."""
    return (
        CentrePage.objects.live()
        .public()
        .select_related("photo")
        .prefetch_related("opening_hours", "photo__renditions")
        .order_by("title")
    )


class MembershipQuerySet(models.QuerySet):
    def mediators(self):
        return self.filter(role=Membership.Role.MEDIATOR)

    def contributors(self):
        """Relays and contributors: they write the centre's lexicon and tutorials, as drafts."""
        return self.filter(role__in=Membership.CONTRIBUTING_ROLES)


class Membership(models.Model):
    """A person belongs to a centre: as a resident, its digital relay, a young contributor, or one of its mediators.

    A person may belong to several centres; the role is per centre (a mediator here, a resident there).
    Relays and contributors write drafts for the centre (the lexicon's contributions); a contributor may be a
    minor, followed by a referent adult who runs the centre, and is never shown by their surname.
    """

    class Role(models.TextChoices):
        RESIDENT = "resident", _("habitant")
        RELAY = "relay", _("habitant-relais numérique")
        CONTRIBUTOR = "contributor", _("jeune contributeur")
        MEDIATOR = "mediator", _("médiateur")

    CONTRIBUTING_ROLES = (Role.RELAY, Role.CONTRIBUTOR)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="memberships"
    )
    centre = models.ForeignKey(
        CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices, default=Role.RESIDENT)
    joined_at = models.DateTimeField(_("depuis le"), default=timezone.now)
    is_minor = models.BooleanField(
        _("mineur"), default=False, help_text=_("Moins de 18 ans : son nom de famille n'est jamais affiché.")
    )
    # Protected: a minor is never left without an adult to turn to; name another referent first.
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adulte référent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minors_followed",
        help_text=_("Pour un mineur : l'animateur ou le médiateur du centre qui le suit."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre d'un centre")
        verbose_name_plural = _("membres des centres")
        constraints = [
            models.UniqueConstraint(fields=["user", "centre"], name="membership_unique_per_centre"),
            models.CheckConstraint(
                condition=Q(is_minor=False) | Q(referent__isnull=False), name="membership_minor_has_referent"
            ),
        ]
        indexes = [models.Index(fields=["centre", "role"])]

    def __str__(self):
        return f"{self.user} — {self.centre} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if not self.is_minor or self.centre_id is None:
            return
        if self.referent_id is None:
            raise ValidationError({"referent": _("Un mineur a un adulte référent au centre : choisissez-le.")})
        if not CentrePage.objects.run_by(self.referent).filter(pk=self.centre_id).exists():
            raise ValidationError({"referent": _("L'adulte référent doit être animateur ou médiateur de ce centre.")})


def centre_ids_run_by(user):
    """The ids of the centres `user` runs, read once for the request (its user object lives as long)."""
    if not hasattr(user, "_centre_ids_run_by"):
        user._centre_ids_run_by = frozenset(CentrePage.objects.run_by(user).values_list("pk", flat=True))
    return user._centre_ids_run_by


def team_of(centre):
    """Who runs `centre`: its editors and its mediators, each once, accounts still open."""
    return (
        get_user_model()
        .objects.filter(
            Q(groups__centre_team__centre=centre)
            | Q(memberships__centre=centre, memberships__role=Membership.Role.MEDIATOR),
            is_active=True,
        )
        .distinct()
    )
