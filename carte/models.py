"""The map of useful places: where, near a centre, one can print a form, use free Wi-Fi or meet an adviser.

Places are the network's (a snippet), each looked after by one centre, which checks it. Centres are places
too: see `UsefulPlace.for_centre`. Residents propose places and corrections (`PlaceProposal`, carte/proposals.py),
which the centre's team answers; places unchecked for a year are told to it (`StalePlaceNotice`, carte/checks.py).
`OpenDataSettings` is the network's choice of licence for the open-data
files of /carte/donnees/ (carte/exports.py).
"""

import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from phonenumber_field.modelfields import PhoneNumberField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from core.models import done_by
from demarches.models import MONTH_CHOICES, Procedure, ProcedureDeadline
from quartier.identifiers import validate_pivot
from quartier.models import CentrePage, WeeklySlot, centre_ids_run_by, coordinate

# The slug of the category every centre's own place carries (seeded by carte/migrations/0002).
CENTRE_CATEGORY = "centre-social"
# Categories whose places are public offices: schema.org's GovernmentOffice rather than Place.
GOVERNMENT_CATEGORIES = {"france-services", "caf-cpam-mairie"}

# (south, north, west, east) in degrees: metropolitan France with Corsica, then the overseas departments.
FRANCE_BOXES = [
    (Decimal("41.3"), Decimal("51.2"), Decimal("-5.3"), Decimal("9.7")),
    (Decimal("15.8"), Decimal("16.6"), Decimal("-61.9"), Decimal("-60.9")),  # Guadeloupe
    (Decimal("14.3"), Decimal("14.9"), Decimal("-61.3"), Decimal("-60.8")),  # Martinique
    (Decimal("2.1"), Decimal("5.8"), Decimal("-54.7"), Decimal("-51.6")),  # Guyane
    (Decimal("-21.4"), Decimal("-20.8"), Decimal("55.2"), Decimal("55.9")),  # La Réunion
    (Decimal("-13.1"), Decimal("-12.6"), Decimal("44.9"), Decimal("45.3")),  # Mayotte
]


def in_france(latitude, longitude):
    """Whether the point falls in metropolitan France or an overseas department (boxes, not borders)."""
    return any(s <= latitude <= n and w <= longitude <= e for s, n, w, e in FRANCE_BOXES)


def coordinates_errors(latitude, longitude):
    """The errors to show on a pair of coordinates: one missing, outside France, or swapped."""
    if latitude is None and longitude is None:
        return {}
    if latitude is None or longitude is None:
        return {"longitude": _("Indiquez la latitude et la longitude, ou aucune des deux.")}
    if in_france(latitude, longitude):
        return {}
    if in_france(longitude, latitude):
        return {
            "latitude": _("Latitude et longitude semblent inversées : essayez latitude %(lat)s et longitude %(lon)s.")
            % {"lat": longitude, "lon": latitude}
        }
    return {"latitude": _("Ce point n'est pas en France. Vérifiez la latitude et la longitude.")}


class PlaceCategory(models.Model):
    """What one finds at a place ("Wi-Fi gratuit", "PMI"): the network's list, the same for every centre."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    description = models.CharField(_("en quelques mots"), max_length=200, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("catégorie de lieu")
        verbose_name_plural = _("catégories de lieux")

    def __str__(self):
        return self.name


# The families' path: which ages a place serves, one boolean column each so that a filter is a plain WHERE.
AGE_BANDS = [
    ("for_under_3", _("0–3 ans")),
    ("for_maternelle", _("Maternelle")),
    ("for_elementaire", _("Élémentaire")),
    ("for_college", _("Collège")),
    ("for_lycee", _("Lycée")),
]


class UsefulPlace(ClusterableModel):
    """A place residents may need: its address, hours, what it offers, and who checked it last.

    A centre is a place too, without being typed twice: `for_centre` points to it, and publishing the centre's
    page writes its name, address, coordinates, phone and hours here (carte/signals.py). The map stays one
    table, so `/carte/` is one paginated query whatever the mix; the editors never edit these rows (the
    snippet's list leaves them out), the centre's page is their source.
    """

    name = models.CharField(_("nom"), max_length=150)
    categories = ParentalManyToManyField(PlaceCategory, verbose_name=_("catégories"), related_name="places")
    for_under_3 = models.BooleanField(_("0–3 ans"), default=False)
    for_maternelle = models.BooleanField(_("maternelle"), default=False)
    for_elementaire = models.BooleanField(_("élémentaire"), default=False)
    for_college = models.BooleanField(_("collège"), default=False)
    for_lycee = models.BooleanField(_("lycée"), default=False)
    street_address = models.CharField(_("adresse"), max_length=200, help_text=_("Numéro et rue."))
    postcode = models.CharField(
        _("code postal"),
        max_length=5,
        validators=[CentrePage._meta.get_field("postcode").validators[0]],
    )
    town = models.CharField(_("ville"), max_length=100)
    latitude = coordinate(_("latitude"), limit=90)
    longitude = coordinate(_("longitude"), limit=180)
    phone = PhoneNumberField(_("téléphone"), blank=True)
    website = models.URLField(_("site internet"), blank=True)
    wheelchair = models.BooleanField(_("accessible en fauteuil roulant"), default=False)
    hearing_loop = models.BooleanField(_("boucle magnétique"), default=False)
    easy_read_reception = models.BooleanField(_("accueil en FALC (facile à lire et à comprendre)"), default=False)
    is_free = models.BooleanField(_("gratuit"), default=True)
    price = models.CharField(
        _("prix"), max_length=150, blank=True, help_text=_("Si ce n'est pas gratuit, le prix en quelques mots.")
    )
    languages = models.CharField(
        _("langues parlées"), max_length=200, blank=True, help_text=_("Par exemple : français, arabe, anglais.")
    )
    centre = models.ForeignKey(
        CentrePage,
        verbose_name=_("centre qui s'en occupe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="useful_places",
    )
    for_centre = models.OneToOneField(
        CentrePage, null=True, blank=True, editable=False, on_delete=models.CASCADE, related_name="place"
    )
    pivot = models.CharField(
        _("SIRET ou RNA"),
        max_length=14,
        blank=True,
        validators=[validate_pivot],
        help_text=_(
            "Le SIRET du lieu (14 chiffres) ou, pour une association sans SIRET, son numéro RNA (W…). "
            "Sans lui, le lieu n'est pas dans le fichier national de médiation numérique."
        ),
    )
    # Where an imported place came from: the file's `source` and its own `id` there, to find it again next time.
    source = models.CharField(_("source de l'import"), max_length=150, blank=True, editable=False)
    source_id = models.CharField(_("identifiant dans la source"), max_length=150, blank=True, editable=False)
    last_checked_on = models.DateField(_("vérifié le"), null=True, blank=True)
    last_checked_by = done_by(_("vérifié par"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel([FieldPanel(name) for name, _label in AGE_BANDS], heading=_("Âges des enfants accueillis")),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("town")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Adresse"),
        ),
        MultiFieldPanel([FieldPanel("phone"), FieldPanel("website"), FieldPanel("pivot")], heading=_("Contact")),
        InlinePanel("opening_hours", heading=_("Horaires d'ouverture"), label=_("créneau")),
        MultiFieldPanel(
            [FieldPanel("wheelchair"), FieldPanel("hearing_loop"), FieldPanel("easy_read_reception")],
            heading=_("Accessibilité"),
        ),
        MultiFieldPanel([FieldPanel("is_free"), FieldPanel("price"), FieldPanel("languages")], heading=_("Accueil")),
        MultiFieldPanel(
            [FieldPanel("centre"), FieldRowPanel([FieldPanel("last_checked_on"), FieldPanel("last_checked_by")])],
            heading=_("Suivi"),
        ),
    ]

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("lieu utile")
        verbose_name_plural = _("lieux utiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="useful_place_both_coordinates_or_none",
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source_id=""), name="useful_place_unique_source_id"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = coordinates_errors(self.latitude, self.longitude)
        if not self.is_free and not self.price.strip():
            errors["price"] = _("Indiquez le prix, ou cochez « gratuit ».")
        if errors:
            raise ValidationError(errors)

    @property
    def slug(self):
        return slugify(self.name) or "lieu"

    def get_absolute_url(self):
        return reverse("carte:place", kwargs={"place_id": self.pk, "slug": self.slug})

    def age_bands(self):
        return [label for name, label in AGE_BANDS if getattr(self, name)]


class PlaceOpeningHours(WeeklySlot):
    """One opening slot in a place's ordinary week: the same as a centre's, so one formatter serves both."""

    place = ParentalKey(UsefulPlace, on_delete=models.CASCADE, related_name="opening_hours")

    class Meta(WeeklySlot.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="place_hours_closes_after_opens"),
        ]
        indexes = [models.Index(fields=["weekday", "opens", "closes"])]


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


class WrongField(models.TextChoices):
    NAME = "name", _("Le nom")
    ADDRESS = "address", _("L'adresse")
    HOURS = "hours", _("Les horaires")
    PHONE = "phone", _("Le téléphone")
    WEBSITE = "website", _("Le site internet")
    CATEGORIES = "categories", _("Ce qu'on y trouve")
    CLOSED = "closed", _("Le lieu a fermé pour toujours")
    OTHER = "other", _("Autre chose")


class PlaceProposalQuerySet(models.QuerySet):
    def reviewable_by(self, user):
        """The proposals sent to the centres `user` runs: another centre's are not found."""
        return self.filter(centre_id__in=centre_ids_run_by(user))

    def pending(self):
        return self.filter(status=PlaceProposal.Status.PENDING)


class PlaceProposal(models.Model):
    """A resident's new place, or their correction of a place, waiting for a centre's team or answered by it."""

    class Kind(models.TextChoices):
        NEW = "new", _("nouveau lieu")
        CORRECTION = "correction", _("correction d'un lieu")

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        ACCEPTED = "accepted", _("acceptée")
        REJECTED = "rejected", _("refusée")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    # A correction: the place and what is wrong with it. Once a new place is accepted: the place made from it.
    place = models.ForeignKey(
        UsefulPlace,
        verbose_name=_("lieu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    wrong_fields = models.JSONField(_("ce qui est faux"), default=list, blank=True)
    details = models.TextField(_("ce qui est faux, la bonne information"), blank=True)
    # A new place, as the resident wrote it.
    name = models.CharField(_("nom"), max_length=150, blank=True)
    categories = models.ManyToManyField(PlaceCategory, verbose_name=_("catégories"), blank=True, related_name="+")
    street_address = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    town = models.CharField(_("ville"), max_length=100, blank=True)
    phone = PhoneNumberField(_("téléphone"), blank=True)
    latitude = coordinate(_("latitude"), limit=90)
    longitude = coordinate(_("longitude"), limit=180)
    hours_text = models.TextField(_("horaires"), blank=True)
    # Who proposed it: an account, else a visitor and the way to call them back they chose to leave.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    contact = models.CharField(_("téléphone ou e-mail pour rappeler"), max_length=120, blank=True)
    token = models.UUIDField(_("formulaire"), unique=True, default=uuid.uuid4)
    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    reviewed_by = done_by(_("réponse de"))
    reviewed_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    review_message = models.TextField(_("message du centre"), blank=True)
    created_at = models.DateTimeField(_("proposé le"), default=timezone.now)

    objects = PlaceProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposition sur la carte")
        verbose_name_plural = _("propositions sur la carte")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["centre", "status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="correction") | Q(place__isnull=False), name="place_proposal_correction_has_place"
            ),
            models.CheckConstraint(condition=~Q(kind="new") | ~Q(name=""), name="place_proposal_new_has_name"),
            models.CheckConstraint(
                condition=Q(status="pending", reviewed_at__isnull=True)
                | (~Q(status="pending") & Q(reviewed_at__isnull=False)),
                name="place_proposal_answered_when_reviewed",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The proposal's status page: the proposer's, reached by the token the form gave them."""
        return reverse("carte:proposal_status", kwargs={"token": self.token})

    @property
    def is_correction(self):
        return self.kind == self.Kind.CORRECTION

    @property
    def title(self):
        """What it is about, in the proposer's and the team's words: the place's name."""
        if self.is_correction:
            return self.place.name
        return self.name

    def contact_link(self):
        """The visitor's contact as a link: mailto: for an address, tel: for a number (as written, with spaces)."""
        if "@" in self.contact:
            return f"mailto:{self.contact}"
        return "tel:" + "".join(c for c in self.contact if c.isdigit() or c == "+")

    def wrong_fields_display(self):
        labels = dict(WrongField.choices)
        return [labels[key] for key in self.wrong_fields if key in labels]

    def team_url(self):
        return reverse("carte:team_proposal", kwargs={"proposal_id": self.pk})


class StalePlaceNotice(models.Model):
    """The centre's team was told that a place is due for a check: once per place and year unchecked."""

    place = models.ForeignKey(UsefulPlace, on_delete=models.CASCADE, related_name="+")
    # The day the place became due (a year after its last check, or two, …): one notice for each.
    due_on = models.DateField(_("à revérifier depuis le"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lieu signalé à revérifier")
        verbose_name_plural = _("lieux signalés à revérifier")
        constraints = [models.UniqueConstraint(fields=["place", "due_on"], name="stale_place_notice_once")]

    def __str__(self):
        return f"{self.place_id} — {self.due_on}"


class FamilyStepQuerySet(models.QuerySet):
    def for_band(self, band):
        """The steps of one age band, with the procedure each links to and that procedure's dates not yet past."""
        return (
            self.filter(age_band=band)
            .select_related("procedure")
            .prefetch_related(
                models.Prefetch(
                    "procedure__deadlines",
                    queryset=ProcedureDeadline.objects.current().order_by("opens_on", "closes_on"),
                    to_attr="coming_deadlines",
                )
            )
        )


class FamilyStep(models.Model):
    """One thing parents do at a time of the year for a child of one age band: enrol at school, apply for a crèche.

    The network's editable calendar of the families' path (/carte/familles/), seeded with France's usual dates by
    carte/migrations/0008. When an online procedure holds the real dates (the town's school enrolment window, say),
    the step links to it, and the page shows its next dates from the procedures' calendar.
    """

    age_band = models.CharField(_("âge de l'enfant"), max_length=20, choices=AGE_BANDS)
    title = models.CharField(
        _("ce qu'il faut faire"), max_length=120, help_text=_("Avec un verbe : « Inscrire l'enfant à l'école ».")
    )
    when = models.CharField(
        _("quand, en mots"), max_length=120, help_text=_("Par exemple : « De janvier à mars, pour la rentrée ».")
    )
    month = models.PositiveSmallIntegerField(
        _("à partir du mois"),
        null=True,
        blank=True,
        choices=MONTH_CHOICES,
        help_text=_("Vide : à faire dès que possible (la page le montre en premier)."),
    )
    last_month = models.PositiveSmallIntegerField(
        _("jusqu'au mois"), null=True, blank=True, choices=MONTH_CHOICES, help_text=_("Vide : le même mois.")
    )
    how = models.TextField(
        _("comment faire"), max_length=600, help_text=_("Deux ou trois phrases courtes : où aller, quoi apporter.")
    )
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("démarche en ligne"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="family_steps",
        limit_choices_to={"centre__isnull": True},
        help_text=_("Si la démarche est dans le calendrier des démarches en ligne : la page montre ses dates."),
    )

    objects = FamilyStepQuerySet.as_manager()

    panels = [
        FieldPanel("age_band"),
        FieldPanel("title"),
        FieldPanel("when"),
        FieldRowPanel([FieldPanel("month"), FieldPanel("last_month")]),
        FieldPanel("how"),
        FieldPanel("procedure"),
    ]

    class Meta:
        ordering = ["age_band", "month", "title"]
        verbose_name = _("étape du parcours des familles")
        verbose_name_plural = _("étapes du parcours des familles")
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12), name="family_step_month_is_a_month"
            ),
            models.CheckConstraint(
                condition=Q(last_month__isnull=True) | Q(last_month__gte=1, last_month__lte=12, month__isnull=False),
                name="family_step_last_month_after_a_month",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.last_month and not self.month:
            raise ValidationError({"month": _("Indiquez aussi le premier mois.")})

    def months_from(self, month):
        """How many months from `month` until this step starts (0: it starts this month); None when it has none."""
        return None if self.month is None else (self.month - month) % 12

    def is_on(self, month):
        """Whether `month` falls in the step's months (a window may run over the new year: November to February)."""
        if self.month is None:
            return True
        return (month - self.month) % 12 <= ((self.last_month or self.month) - self.month) % 12
