"""The collaborative agenda: activities (`EventPage`) published under a centre, their dated `Occurrence`s,
and the `Registration`s people hold on them.

An activity's dates are a rule chosen in words (see `agenda.recurrence`); publishing materialises one
`Occurrence` row per date up to a horizon, so that listings, filters and feeds read rows and never
expand rules while a page is served. Seats are counted on the occurrence row, which every registration
locks (see `agenda.services`).
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from phonenumber_field.modelfields import PhoneNumberField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from agenda.forms.event_page import EventPageForm
from agenda.jsonld import event_json_ld
from agenda.recurrence import Schedule
from core import freshness
from core.models import DescribedPhoto, done_by
from home.models import NetworkCategory, ViewRestrictionsInOneQuery
from home.templatetags.french import moment
from quartier.models import CentrePage

BODY_FEATURES = ["bold", "italic", "link", "ol", "ul"]
# The dates an activity's page lists; its calendar file has them all.
NEXT_DATES = 10


class Category(NetworkCategory):
    """A kind of activity shared by the whole network (atelier numérique, démarches, famille, sortie, santé…)."""

    class Meta(NetworkCategory.Meta):
        verbose_name = _("catégorie d'activité")
        verbose_name_plural = _("catégories d'activité")


class Place(models.Model):
    """Where a centre's activities happen: a room of the centre, a library, a park."""

    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("nom"), max_length=100, help_text=_("Par exemple : salle informatique."))
    street_address = models.CharField(_("adresse"), max_length=200, help_text=_("Numéro et rue."))
    postcode = models.CharField(_("code postal"), max_length=5)
    town = models.CharField(_("ville"), max_length=100)
    wheelchair_accessible = models.BooleanField(_("accessible en fauteuil roulant"), default=False)
    accessibility = models.CharField(
        _("accès"),
        max_length=300,
        blank=True,
        help_text=_("En quelques mots : étage, ascenseur, marches, boucle magnétique…"),
    )

    panels = [
        FieldPanel("centre"),
        FieldPanel("name"),
        FieldPanel("street_address"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("town")]),
        FieldPanel("wheelchair_accessible"),
        FieldPanel("accessibility"),
    ]

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="place_unique_name_per_centre")]

    def __str__(self):
        return f"{self.name} ({self.centre.title})"


class AudienceTag(TaggedItemBase):
    """Who an activity is for ("seniors", "familles", "débutants"): free tags, shared by the network."""

    content_object = ParentalKey("agenda.EventPage", on_delete=models.CASCADE, related_name="tagged_audiences")


class EventPage(ViewRestrictionsInOneQuery, DescribedPhoto, Page):
    """An activity of a centre, with its dates, place, seats and reminders."""

    summary = models.CharField(
        _("résumé"), max_length=200, help_text=_("Une phrase simple, montrée dans les listes. 200 signes au plus.")
    )
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Intertitre"), form_classname="title")),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraphe"), features=BODY_FEATURES)),
        ],
        verbose_name=_("description"),
        blank=True,
    )
    category = models.ForeignKey(
        Category, verbose_name=_("catégorie"), on_delete=models.PROTECT, related_name="events"
    )
    audiences = ClusterTaggableManager(
        _("pour qui"), through=AudienceTag, blank=True, help_text=_("Par exemple : familles, seniors, débutants.")
    )
    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    price = models.DecimalField(
        _("prix en euros"),
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("0 pour une activité gratuite."),
    )
    wheelchair_accessible = models.BooleanField(_("accessible en fauteuil roulant"), default=False)
    registration_required = models.BooleanField(_("sur inscription"), default=True)
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
        help_text=_("Laisser vide si les places ne sont pas comptées."),
    )

    # Dates: the first one, the hours, and the rule in words (the form writes `recurrence`).
    start_date = models.DateField(_("date"), help_text=_("La date de l'activité, ou sa première date."))
    start_time = models.TimeField(_("heure de début"))
    end_time = models.TimeField(_("heure de fin"))
    recurrence = models.CharField(_("répétition"), max_length=200, blank=True, editable=False)

    reminder_days_before = models.PositiveSmallIntegerField(
        _("rappel"),
        null=True,
        blank=True,
        default=1,
        choices=[(None, _("Pas de rappel")), (0, _("Le jour même")), (1, _("La veille")), (2, _("Deux jours avant"))],
    )
    reminder_time = models.TimeField(_("heure du rappel"), default="18:00")

    # A resident's proposal: who made it and what it needs. Empty for activities editors create.
    proposed_by = done_by(_("proposé par"), related_name="proposed_events")
    needs = models.TextField(_("ce qu'il faut prévoir"), max_length=1000, blank=True)

    parent_page_types = ["quartier.CentrePage"]
    subpage_types = []
    template = "agenda/event_page.html"
    base_form_class = EventPageForm

    # What a centre worker fills for every activity comes first, on one tab; the rest is folded below, and a
    # folded panel opens by itself when it holds an error. The page's address is here too, not on a
    # "Promotion" tab of its own where an error on it went unseen.
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time"), FieldPanel("end_time")]),
                FieldPanel("repeat"),
                FieldRowPanel([FieldPanel("interval"), FieldPanel("weekdays")]),
                FieldRowPanel([FieldPanel("month_position"), FieldPanel("month_weekday")]),
                FieldRowPanel([FieldPanel("until"), FieldPanel("count")]),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [FieldPanel("category"), FieldRowPanel([FieldPanel("registration_required"), FieldPanel("capacity")])],
            heading=_("Type et places"),
        ),
        InlinePanel("extra_dates", heading=_("Autres dates"), label=_("date"), classname="collapsed"),
        InlinePanel("exceptions", heading=_("Dates sans activité"), label=_("date"), classname="collapsed"),
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldPanel("audiences"),
                FieldRowPanel([FieldPanel("price"), FieldPanel("wheelchair_accessible")]),
            ],
            heading=_("Lieu, public et prix"),
            classname="collapsed",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("reminder_days_before"), FieldPanel("reminder_time")])],
            heading=_("Rappel aux personnes inscrites"),
            classname="collapsed",
        ),
        MultiFieldPanel([FieldPanel("photo"), FieldPanel("photo_alt")], heading=_("Photo"), classname="collapsed"),
        MultiFieldPanel([FieldPanel("body")], heading=_("Description"), classname="collapsed"),
        MultiFieldPanel([FieldPanel("needs")], heading=_("Proposition d'un habitant"), classname="collapsed"),
        MultiFieldPanel(
            [FieldPanel("slug"), FieldPanel("seo_title"), FieldPanel("search_description")],
            heading=_("Adresse de la page et moteurs de recherche"),
            classname="collapsed",
        ),
    ]
    promote_panels = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("category"),
    ]

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0), name="event_capacity_positive"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="event_price_not_negative"),
        ]

    @property
    def schedule(self):
        return Schedule.from_rrule(self.recurrence)

    @property
    def is_free(self):
        return not self.price

    @property
    def centre(self):
        """The centre the activity belongs to (its parent page)."""
        return self.get_parent().specific_deferred

    def clean(self):
        super().clean()
        errors = self.photo_errors()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("L'heure de fin doit venir après l'heure de début.")
        if self.registration_required and self.capacity is None:
            errors["capacity"] = _("Indiquez le nombre de places, ou décochez « sur inscription ».")
        if errors:
            raise ValidationError(errors)

    def span(self, day):
        """The aware start and end of the activity on `day`, in the centre's time zone."""
        start = timezone.make_aware(datetime.combine(day, self.start_time))
        end = timezone.make_aware(datetime.combine(day, self.end_time))
        return start, end

    def remind_at(self, start):
        """When to remind the registered people of a date starting at `start`, or None."""
        if self.reminder_days_before is None:
            return None
        day = timezone.localtime(start).date() - timedelta(days=self.reminder_days_before)
        return timezone.make_aware(datetime.combine(day, self.reminder_time))

    def get_context(self, request, *args, **kwargs):
        """Besides its fields, the page shows the next dates, the person's registrations to them, and JSON-LD."""
        context = super().get_context(request, *args, **kwargs)
        centres = CentrePage.objects.parent_of(self)
        dates = Occurrence.objects.filter(event=self).upcoming().order_by("start", "pk")
        signed_in = request.user.is_authenticated
        if signed_in:
            # What is the person's own is read with the centre and the dates, not in queries of its own: a
            # signed-in resident's page costs the visitor's queries plus their session, account and inbox.
            runs = CentrePage.objects.run_by(request.user).filter(pk=OuterRef("pk"))
            centres = centres.annotate(may_run=Exists(runs))
            mine = Registration.objects.active().filter(person=request.user, occurrence=OuterRef("pk"))
            dates = dates.annotate(
                my_registration_id=Subquery(mine.values("pk")[:1]),
                my_registration_status=Subquery(mine.values("status")[:1]),
            )
        centre = centres.get()
        freshness.about_centre(request, centre.pk)
        dates = list(dates[:NEXT_DATES])
        for occurrence in dates:
            registered = signed_in and occurrence.my_registration_id is not None
            occurrence.mine = (
                Registration(pk=occurrence.my_registration_id, status=occurrence.my_registration_status)
                if registered
                else None
            )
        context.update(
            centre=centre,
            dates=dates,
            audiences=[tag.name for tag in self.audiences.all()],
            json_ld=event_json_ld(request, self, centre, dates),
            feed_url=reverse("agenda:event_feed", args=[self.pk]),
            may_run=signed_in and centre.may_run,
        )
        return context


class ExtraDate(Orderable):
    """A date added to the activity by hand, besides its rule."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="extra_dates")
    date = models.DateField(_("date"))

    panels = [FieldPanel("date")]


class ExceptionDate(Orderable):
    """A date the rule gives but the activity skips (a bank holiday, the centre's closing week)."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))

    panels = [FieldPanel("date")]


class OccurrenceQuerySet(models.QuerySet):
    def listed(self):
        """Dates anyone may see: of published activities not restricted to some people (see `listed`)."""
        return self.filter(listed=True)

    def upcoming(self, now=None):
        return self.filter(end__gt=now or timezone.now())

    def scheduled(self):
        return self.filter(status=Occurrence.Status.SCHEDULED)

    def with_seats_left(self):
        return self.filter(Q(capacity__isnull=True) | Q(confirmed_count__lt=F("capacity")))

    def for_listing(self):
        # The centres in a query of their own: joined too, the two pages' seven tables cost PostgreSQL about 9 ms
        # of planning at each listing, against 1.5 ms plus 0.5 ms for the second query.
        return (
            self.select_related("event", "event__category", "event__place")
            .prefetch_related("centre")
            .order_by("start", "pk")
        )

    def managed_by(self, user):
        return self.filter(centre__in=CentrePage.objects.run_by(user))


class Occurrence(models.Model):
    """One date of an activity. Materialised at publishing; seats are counted here, under a row lock."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("prévue")
        CANCELLED = "cancelled", _("annulée")

    event = models.ForeignKey(
        EventPage, verbose_name=_("activité"), on_delete=models.CASCADE, related_name="occurrences"
    )
    # The activity's centre, kept here so that a centre's agenda is one indexed read.
    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    # The day the rule gave; an editor may move the occurrence, which keeps it (and its registrations),
    # and changing the activity's hours moves its dates without losing who registered.
    planned_date = models.DateField(_("date prévue"))
    moved = models.BooleanField(_("déplacée"), default=False)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(_("raison de l'annulation"), max_length=200, blank=True)
    # None: registration not needed or seats not counted.
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_required = models.BooleanField(_("sur inscription"), default=True)
    # Confirmed, present or absent registrations: the seats taken. Changed only under the row lock.
    confirmed_count = models.PositiveIntegerField(_("places prises"), default=0)
    waitlist_count = models.PositiveIntegerField(_("en liste d'attente"), default=0)
    remind_at = models.DateTimeField(_("rappel le"), null=True, blank=True)
    # The activity is published and public (no view restriction on it or above it). Kept here, by
    # agenda.signals, so that listings read one indexed table instead of joining pages and restrictions.
    listed = models.BooleanField(_("visible de tous"), default=False)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("date d'une activité")
        verbose_name_plural = _("dates des activités")
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "planned_date"], name="occurrence_unique_planned_date"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="occurrence_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0), name="occurrence_capacity_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["listed", "start"]),
            models.Index(fields=["centre", "listed", "start"]),
            models.Index(fields=["status", "remind_at"]),
        ]

    def __str__(self):
        return f"{self.event.title} — {moment(self.start, 'year')}"

    @property
    def topic(self):
        return f"occurrence.{self.pk}"

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self):
        return self.start <= timezone.now()

    @property
    def seats_left(self):
        """Seats still free, or None when they are not counted."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)

    def seats_in_words(self):
        seats = self.seats_left
        if self.is_cancelled:
            return _("Annulée")
        if not self.registration_required:
            return _("Sans inscription")
        if seats is None:
            return _("Places libres")
        if seats == 0:
            return _("Complet — liste d'attente")
        if seats == 1:
            return _("1 place restante")
        return _("%(seats)s places restantes") % {"seats": seats}


class RegistrationQuerySet(models.QuerySet):
    def holding_seat(self):
        return self.filter(status__in=Registration.SEAT_HOLDING)

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)


class Registration(models.Model):
    """Someone's place on one occurrence: confirmed, on the waitlist, cancelled, then present or absent."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("inscrit")
        WAITLISTED = "waitlisted", _("en liste d'attente")
        CANCELLED = "cancelled", _("annulé")
        ATTENDED = "attended", _("présent")
        ABSENT = "absent", _("absent")

    SEAT_HOLDING = (Status.CONFIRMED, Status.ATTENDED, Status.ABSENT)

    occurrence = models.ForeignKey(
        Occurrence, verbose_name=_("date"), on_delete=models.CASCADE, related_name="registrations"
    )
    # Empty for someone registered at the front desk without an account: their name (and phone) is kept instead.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    name = models.CharField(_("nom"), max_length=100, blank=True)
    phone = PhoneNumberField(_("téléphone"), blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    registered_by = done_by(_("inscrit par"))
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # The waitlist is served in this order; set again when someone joins it.
    queued_at = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "person"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name=""), name="registration_has_person_or_name"
            ),
        ]
        indexes = [models.Index(fields=["occurrence", "status", "queued_at"])]

    def __str__(self):
        return f"{self.display_name} — {self.occurrence}"

    @property
    def display_name(self):
        return str(self.person) if self.person_id else self.name


class CalendarToken(models.Model):
    """The secret in a person's own calendar address; revoking it makes a new one and kills the old."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("adresse secrète d'agenda")

    def __str__(self):
        return str(self.person)
