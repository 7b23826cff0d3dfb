"""Mediation records: the people a centre's team helps, and each session, workshop or procedure done for them.

A `Person` belongs to one centre: linked to an account, or anonymous under a short label the team chooses. Its
demographics are bands from the national lists (suivi/lists.py), stored only with the person's consent, checked
in the database too. Each `Participant` row copies the bands at recording time, so a period's figures do not move
when a band changes later; erasure rules are in docs/adr/0014-mediation-records-and-demographic-bands.md.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.recurrence import Schedule
from core.models import done_by
from home.templatetags.french import hour
from quartier.models import CentrePage, centre_ids_run_by
from suivi import lists
from suivi.communes import COMMUNE_CHOICES, COMMUNES, validate_commune

# The demographic fields of a person, and of each participation that copies them.
BANDS = ("gender", "age_band", "commune", "situation", "first_visit")
# At most this long: a workshop day, not a typing slip.
MAX_MINUTES = 600


def no_bands():
    """The condition "no demographic band is stored", for the database checks."""
    return Q(gender="", age_band="", commune="", situation="", first_visit__isnull=True)


class Bands(models.Model):
    """Demographic bands, all optional: never a birth date, never an address."""

    gender = models.CharField(_("genre"), max_length=16, choices=lists.Gender.choices, blank=True)
    age_band = models.CharField(_("tranche d'âge"), max_length=16, choices=lists.AgeBand.choices, blank=True)
    commune = models.CharField(
        _("commune"), max_length=5, choices=COMMUNE_CHOICES, blank=True, validators=[validate_commune]
    )
    situation = models.CharField(_("situation"), max_length=16, choices=lists.Situation.choices, blank=True)
    first_visit = models.BooleanField(_("première venue au centre"), null=True, blank=True)

    class Meta:
        abstract = True

    def has_bands(self):
        return any(getattr(self, name) not in ("", None) for name in BANDS)

    def clear_bands(self):
        for name in BANDS:
            setattr(self, name, None if name == "first_visit" else "")

    @property
    def commune_name(self):
        return COMMUNES.get(self.commune, "")


class PersonQuerySet(models.QuerySet):
    def for_centre_team(self, user):
        """The people of the centres `user` runs: what their team pages may show."""
        return self.filter(centre_id__in=centre_ids_run_by(user))

    def matching(self, words):
        """The people whose label or account name contains each word typed ("Nom ou repère")."""
        people = self
        for word in words.split():
            people = people.filter(
                Q(label__icontains=word) | Q(user__display_name__icontains=word) | Q(user__first_name__icontains=word)
            )
        return people


class Person(Bands):
    """Someone a centre's team helps: one row per centre, so that nothing of it reaches another centre."""

    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    label = models.CharField(
        _("repère"),
        max_length=30,
        blank=True,
        help_text=_("Pour une personne sans compte : des initiales ou un surnom, jamais son adresse."),
    )
    consent_given_at = models.DateTimeField(_("accord donné le"), null=True, blank=True)
    consent_recorded_by = done_by(_("accord noté par"))
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne accompagnée")
        verbose_name_plural = _("personnes accompagnées")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "user"], condition=Q(user__isnull=False), name="suivi_person_once_per_centre"
            ),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(label=""), name="suivi_person_named"),
            models.CheckConstraint(
                condition=Q(consent_given_at__isnull=False) | no_bands(), name="suivi_person_bands_need_consent"
            ),
        ]

    def __str__(self):
        return str(self.user) if self.user_id else self.label

    def save(self, *args, **kwargs):
        # Never stored without consent, whoever writes the row: a form that forgot to ask, a script, the admin.
        if self.consent_given_at is None:
            self.clear_bands()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.has_bands() and self.consent_given_at is None:
            raise ValidationError(_("Sans l'accord de la personne, ces informations ne sont pas notées."))


class RecordQuerySet(models.QuerySet):
    def for_centre_team(self, user):
        return self.filter(centre_id__in=centre_ids_run_by(user))

    def follow_ups_due(self, user, day=None):
        """What `user` has to follow up on by `day` (today): oldest date first."""
        day = day or timezone.localdate()
        return (
            self.for_centre_team(user)
            .filter(mediators=user, follow_up_on__lte=day, followed_up_at__isnull=True)
            .order_by("follow_up_on", "pk")
        )


class MediationRecord(models.Model):
    """One session, workshop or procedure, as the mediator notes it afterwards (the Coop's activity report)."""

    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=12, choices=lists.Kind.choices, default=lists.Kind.INDIVIDUAL)
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)]
    )
    place_type = models.CharField(_("lieu"), max_length=16, choices=lists.PlaceType.choices)
    # Themes are rows of their own (RecordTheme): the figures count sessions by theme in SQL.
    equipment = models.JSONField(_("matériel utilisé"), default=list, blank=True)
    autonomy = models.CharField(_("autonomie"), max_length=12, choices=lists.Autonomy.choices, blank=True)
    redirected = models.BooleanField(_("orientée ailleurs"), default=False)
    redirected_to = models.CharField(_("orientée vers"), max_length=16, choices=lists.Redirection.choices, blank=True)
    # The Coop's "précisions sur la démarche", and a workshop's title and level when it is not in the agenda.
    procedure_detail = models.CharField(_("précisions sur la démarche"), max_length=200, blank=True)
    workshop_title = models.CharField(_("titre de l'atelier"), max_length=200, blank=True)
    workshop_level = models.CharField(
        _("niveau de l'atelier"), max_length=16, choices=lists.WorkshopLevel.choices, blank=True
    )
    remaining = models.TextField(_("ce qui reste à faire"), max_length=500, blank=True)
    follow_up_on = models.DateField(_("à revoir le"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("suivi fait le"), null=True, blank=True)
    # A workshop's date in the agenda; the record outlives it.
    occurrence = models.ForeignKey(
        "agenda.Occurrence",
        verbose_name=_("date de l'atelier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mediators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("médiateurs"), related_name="+")
    recorded_by = done_by(_("noté par"))
    created_at = models.DateTimeField(_("noté le"), default=timezone.now)
    # The last change only, for the line "modifié le … par …": a record is the team's note, not an audit log.
    updated_by = done_by(_("modifié par"))
    updated_at = models.DateTimeField(_("modifié le"), null=True, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("accompagnement")
        verbose_name_plural = _("accompagnements")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_MINUTES),
                name="suivi_record_duration",
            ),
            models.CheckConstraint(
                condition=Q(redirected=True) | Q(redirected_to=""), name="suivi_record_redirected_to_needs_redirected"
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "date"]),
            models.Index(fields=["follow_up_on"], condition=Q(followed_up_at__isnull=True), name="suivi_due"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.date:%d/%m/%Y}"

    @property
    def keeps_participants(self):
        """Whether its people stay as they are when the record changes: a workshop's present, or not one person."""
        participants = self.participants.all()
        return self.occurrence_id is not None or len(participants) != 1 or participants[0].person_id is None

    @property
    def theme_labels(self):
        return [str(lists.THEME_LABELS.get(row.theme, row.theme)) for row in self.themes.all()]

    @property
    def equipment_labels(self):
        labels = dict(lists.Equipment.choices)
        return [str(labels.get(code, code)) for code in self.equipment]


class RecordTheme(models.Model):
    """One theme of a record, from either national list."""

    record = models.ForeignKey(MediationRecord, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(_("thème"), max_length=20, choices=list(lists.THEME_LABELS.items()))

    class Meta:
        verbose_name = _("thème d'un accompagnement")
        constraints = [models.UniqueConstraint(fields=["record", "theme"], name="suivi_theme_once_per_record")]
        indexes = [models.Index(fields=["theme"])]

    def __str__(self):
        return str(lists.THEME_LABELS.get(self.theme, self.theme))


class Participant(Bands):
    """Someone helped in a record, with their bands as they were that day (empty without consent).

    `person` is empty for someone who came to a workshop without an account, and once the person's account is
    erased: the row stays in the centre's figures, linked to nobody.
    """

    record = models.ForeignKey(MediationRecord, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("participant")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "person"], condition=Q(person__isnull=False), name="suivi_participant_once"
            ),
        ]

    def __str__(self):
        return f"{self.person or _('Personne sans fiche')} — {self.record}"


class SlotPattern(models.Model):
    """A centre's appointment hours in words ("chaque mardi de 14 h à 17 h, 30 minutes") and their exceptions.

    Its bookable `Slot`s are written when it is opened, like the agenda's dates (suivi/appointments.py).
    """

    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    recurrence = models.CharField(_("répétition"), max_length=200)
    first_date = models.DateField(_("à partir du"))
    start_time = models.TimeField(_("de"))
    end_time = models.TimeField(_("à"))
    length_minutes = models.PositiveSmallIntegerField(_("durée d'un rendez-vous (minutes)"))
    exceptions = models.JSONField(_("sauf ces jours"), default=list, blank=True)
    themes = models.JSONField(_("thèmes"), default=list, blank=True)
    what_to_bring = models.TextField(_("ce qu'il faut apporter"), max_length=500, blank=True)
    mediators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("médiateurs"), related_name="+")
    opened_by = done_by(_("ouvert par"))
    created_at = models.DateTimeField(_("ouvert le"), default=timezone.now)

    class Meta:
        verbose_name = _("créneaux de rendez-vous")
        verbose_name_plural = _("créneaux de rendez-vous")
        constraints = [
            models.CheckConstraint(condition=Q(start_time__lt=models.F("end_time")), name="suivi_pattern_hours"),
            models.CheckConstraint(
                condition=Q(length_minutes__gte=5, length_minutes__lte=240), name="suivi_pattern_length"
            ),
        ]

    def __str__(self):
        return self.describe()

    def describe(self):
        """ "Chaque semaine le mardi, jusqu'au 30 juin 2027, de 14 h à 17 h : rendez-vous de 30 minutes"."""
        return _("%(when)s, de %(start)s à %(end)s : rendez-vous de %(length)s minutes") % {
            "when": Schedule.from_rrule(self.recurrence).describe(),
            "start": hour(self.start_time),
            "end": hour(self.end_time),
            "length": self.length_minutes,
        }


class Slot(models.Model):
    """One bookable time with one mediator; free while no active appointment holds it."""

    pattern = models.ForeignKey(SlotPattern, on_delete=models.CASCADE, related_name="slots")
    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("médiateur"), on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))

    class Meta:
        verbose_name = _("créneau")
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mediator", "start"], name="suivi_slot_once_per_mediator"),
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="suivi_slot_ends_after_start"),
        ]
        indexes = [models.Index(fields=["centre", "start"])]

    def __str__(self):
        return f"{timezone.localtime(self.start):%d/%m/%Y %H:%M}"


class Appointment(models.Model):
    """Someone's appointment on a slot: at most one active per slot, in the database."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Prévu")
        KEPT = "kept", _("Honoré")
        MISSED = "missed", _("Pas venu")
        CANCELLED = "cancelled", _("Annulé")

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="appointments")
    person = models.ForeignKey(Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="+")
    # "" when the person did not know: the mediator sees it at the desk.
    theme = models.CharField(_("thème"), max_length=20, choices=list(lists.THEME_LABELS.items()), blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    # One appointment per form sent: a second tap or the back button finds the first (suivi/appointments.py).
    token = models.UUIDField(_("formulaire"), unique=True)
    booked_by = done_by(_("pris par"))
    created_at = models.DateTimeField(_("pris le"), default=timezone.now)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=~Q(status="cancelled"), name="suivi_appointment_one_per_slot"
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.slot}"

    @property
    def theme_label(self):
        return str(lists.THEME_LABELS.get(self.theme, _("Je ne sais pas encore")))
