"""Online procedures and their deadlines: what residents lose a right for when they miss a date they never saw.

A `Procedure` is a snippet: the network's (no centre), edited by network admins, or one centre's own, edited by
its team (`demarches.wagtail_hooks`). Its dates are a rule in words (`demarches.rules`) or dated windows typed by
the editor; both are written ahead as `ProcedureDeadline` rows by `demarches.services.materialise`, which every
page, section and calendar feed reads, so no page ever expands a rule.

A `Mandate` lets a centre's team do a resident's procedures on outside sites (CAF, impots.gouv…) for named
domains and a limited time; each one done is a `MandateAction` the resident reads (docs/adr/0010).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.models import Orderable

from core.files import PrivateFileStorage
from core.models import done_by
from demarches.rules import DeadlineRule, Rhythm
from home.templatetags.french import MONTHS, day
from quartier.models import CentrePage, centre_ids_run_by

DAY_OF_MONTH = [MinValueValidator(1), MaxValueValidator(31)]
MONTH_CHOICES = [(number, name.capitalize()) for number, name in enumerate(MONTHS, start=1)]


class Domain(models.TextChoices):
    """What a procedure is about, in the domains of Aidants Connect's mandates: a mandate's scopes are these."""

    MONEY = "argent", _("Argent : impôts, aides, banque")
    FAMILY = "famille", _("Famille : CAF, enfants, école")
    HEALTH = "social-sante", _("Social et santé : Assurance maladie, retraite, handicap")
    WORK = "travail", _("Travail : France Travail, emploi, formation")
    HOUSING = "logement", _("Logement : loyer, APL, énergie")
    TRANSPORT = "transports", _("Transports : permis, carte grise, abonnements")
    PAPERS = "papiers-citoyennete", _("Papiers et citoyenneté : identité, élections")
    JUSTICE = "justice", _("Justice : amendes, aide juridictionnelle")
    FOREIGNERS = "etranger", _("Étrangers : titre de séjour, naturalisation")
    LEISURE = "loisirs", _("Loisirs : sport, culture, vacances")


class ProcedureAudience(TaggedItemBase):
    """Who a procedure concerns ("familles", "demandeurs d'emploi"): the same tags as the agenda's audiences."""

    content_object = ParentalKey("demarches.Procedure", on_delete=models.CASCADE, related_name="tagged_audiences")


class ProcedureQuerySet(models.QuerySet):
    def for_centre(self, centre):
        """The network's procedures and the centre's own: what a centre's page and its residents are concerned by."""
        return self.filter(Q(centre__isnull=True) | Q(centre=centre))


class Procedure(ClusterableModel):
    """One online procedure, in plain words: what it is for, who it concerns, what to bring, and when to do it."""

    name = models.CharField(
        _("nom"), max_length=120, help_text=_("En mots simples : « Actualisation France Travail », pas un sigle seul.")
    )
    slug = models.SlugField(_("adresse"), max_length=120, unique=True, help_text=_("Utilisé dans les liens."))
    centre = models.ForeignKey(
        CentrePage,
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Vide : une démarche de tout le réseau."),
    )
    purpose = models.TextField(
        _("à quoi ça sert"),
        max_length=1000,
        help_text=_("Deux ou trois phrases courtes. Ce que la personne perd si elle ne le fait pas."),
    )
    audiences = ClusterTaggableManager(
        _("pour qui"),
        through=ProcedureAudience,
        blank=True,
        help_text=_("Par exemple : familles, demandeurs d'emploi, allocataires CAF."),
    )
    official_url = models.URLField(_("site officiel"), max_length=300)
    domain = models.CharField(
        _("domaine"),
        max_length=20,
        choices=Domain.choices,
        help_text=_("Un mandat dit pour quels domaines un médiateur peut faire les démarches d'une personne."),
    )
    to_bring = models.TextField(
        _("ce qu'il faut avoir avec soi"),
        blank=True,
        max_length=1000,
        help_text=_("Une chose par ligne : « Numéro d'allocataire », « Montant des salaires du trimestre »."),
    )
    duration = models.CharField(
        _("combien de temps"),
        max_length=80,
        blank=True,
        help_text=_("En mots : « 10 minutes, chaque mois »."),
    )
    rhythm = models.CharField(_("quand"), max_length=10, choices=Rhythm.choices, default=Rhythm.DATES)
    opens_day = models.PositiveSmallIntegerField(_("ouvre le (jour)"), null=True, blank=True, validators=DAY_OF_MONTH)
    opens_month = models.PositiveSmallIntegerField(
        _("ouvre en (mois)"),
        null=True,
        blank=True,
        choices=MONTH_CHOICES,
        help_text=_("Par trimestre ou par année : le mois de la première ouverture de l'année."),
    )
    closes_day = models.PositiveSmallIntegerField(
        _("ferme le (jour)"),
        null=True,
        blank=True,
        validators=DAY_OF_MONTH,
        help_text=_("Chaque mois, un jour plus petit que l'ouverture veut dire le mois suivant (du 28 au 15)."),
    )
    closes_month = models.PositiveSmallIntegerField(_("ferme en (mois)"), null=True, blank=True, choices=MONTH_CHOICES)
    rule_ends_on = models.DateField(
        _("jusqu'au"), null=True, blank=True, help_text=_("Vide : la règle continue d'année en année.")
    )

    tutorial = models.ForeignKey(
        "lexique.TutorialPage",
        verbose_name=_("tutoriel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="procedures",
        help_text=_("Le tutoriel qui montre comment faire cette démarche, étape par étape."),
    )

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("démarche en ligne")
        verbose_name_plural = _("démarches en ligne")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_month__isnull=True) | Q(opens_month__gte=1, opens_month__lte=12),
                name="procedure_opens_month_is_a_month",
            ),
            models.CheckConstraint(
                condition=Q(closes_month__isnull=True) | Q(closes_month__gte=1, closes_month__lte=12),
                name="procedure_closes_month_is_a_month",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("demarches:procedure", args=[self.slug])

    @property
    def rule(self):
        return DeadlineRule(
            rhythm=self.rhythm,
            opens_day=self.opens_day,
            closes_day=self.closes_day,
            opens_month=self.opens_month,
            closes_month=self.closes_month,
            ends_on=self.rule_ends_on,
        )

    def things_to_bring(self):
        """What to bring, one thing a line, as the page lists them."""
        return [line.strip(" -•\t") for line in self.to_bring.splitlines() if line.strip(" -•\t")]


class DatedWindow(Orderable):
    """A period the editor typed: this year's school registrations, from one date to another."""

    procedure = ParentalKey(Procedure, on_delete=models.CASCADE, related_name="dated_windows")
    opens_on = models.DateField(_("du"))
    closes_on = models.DateField(_("au"))

    class Meta(Orderable.Meta):
        verbose_name = _("période")
        verbose_name_plural = _("périodes")
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="dated_window_closes_after_opens")
        ]

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("La fin de la période doit venir après son début.")})


class DeadlineQuerySet(models.QuerySet):
    def current(self, today=None):
        """Deadlines not yet closed: open now, or to come."""
        return self.filter(closes_on__gte=today or timezone.localdate())

    def for_listing(self):
        return self.select_related("procedure__centre").order_by("opens_on", "closes_on", "procedure__name")


class ProcedureDeadline(models.Model):
    """One window of a procedure, written ahead: the procedure can be done from `opens_on` to `closes_on` included."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="deadlines")
    opens_on = models.DateField(_("ouvre le"))
    closes_on = models.DateField(_("ferme le"))

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("échéance")
        verbose_name_plural = _("échéances")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "opens_on", "closes_on"], name="deadline_unique_per_dates"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="deadline_closes_after_opens"),
        ]
        indexes = [models.Index(fields=["closes_on", "opens_on"])]

    def __str__(self):
        return f"{self.procedure} ({self.opens_on} – {self.closes_on})"

    def is_open(self, today=None):
        return self.opens_on <= (today or timezone.localdate()) <= self.closes_on

    def in_words(self, today=None):
        """ "À faire maintenant, jusqu'au mardi 15 décembre (encore 9 jours)", or when the next window opens."""
        today = today or timezone.localdate()
        if self.closes_on == today:
            return _("Dernier jour aujourd'hui, %(day)s.") % {"day": day(self.closes_on)}
        if self.is_open(today):
            left = (self.closes_on - today).days
            return ngettext(
                "À faire maintenant, jusqu'au %(day)s (encore %(left)s jour).",
                "À faire maintenant, jusqu'au %(day)s (encore %(left)s jours).",
                left,
            ) % {"day": day(self.closes_on), "left": left}
        return _("Du %(opens)s au %(closes)s.") % {"opens": day(self.opens_on), "closes": day(self.closes_on)}


class Contact(models.Model):
    """Someone without an account whom a centre's front desk keeps informed by SMS, with their consent recorded.

    The number is stored as E.164 ("+33612345678"); forms take it the French way (accounts.fields). Who took the
    consent and when is kept, as the person cannot manage it online: the front desk changes it for them.
    """

    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nom"), max_length=120)
    phone = models.CharField(_("portable"), max_length=20)
    consent_on = models.DateField(_("accord donné le"), default=timezone.localdate)
    consent_taken_by = done_by(_("accord recueilli par"))
    # Beyond the reminders of the procedures followed: the centre's information campaigns.
    accepts_campaigns = models.BooleanField(_("accepte les SMS d'information du centre"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact de l'accueil")
        verbose_name_plural = _("contacts de l'accueil")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["centre", "phone"], name="contact_unique_phone_per_centre")]

    def __str__(self):
        return self.name


class Follow(models.Model):
    """A person follows a procedure: "Prévenez-moi avant la date", `days_before` each of its deadlines.

    The person is a resident with an account (told by their own channel) or a front-desk contact (told by SMS).
    """

    class DaysBefore(models.IntegerChoices):
        ONE = 1, _("la veille")
        THREE = 3, _("3 jours avant")
        SEVEN = 7, _("une semaine avant")
        FOURTEEN = 14, _("deux semaines avant")

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("habitant"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="procedure_follows",
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    days_before = models.PositiveSmallIntegerField(_("prévenir"), choices=DaysBefore.choices, default=DaysBefore.SEVEN)
    # A mediator or the front desk, when they set it up for the person.
    created_by = done_by(_("enregistré par"))
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("suivi d'une démarche")
        verbose_name_plural = _("suivis de démarches")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, contact__isnull=True) | Q(user__isnull=True, contact__isnull=False),
                name="follow_user_or_contact",
            ),
            models.UniqueConstraint(
                fields=["procedure", "user"], condition=Q(user__isnull=False), name="follow_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["procedure", "contact"], condition=Q(contact__isnull=False), name="follow_once_per_contact"
            ),
        ]

    def __str__(self):
        return f"{self.user or self.contact} — {self.procedure}"


class CallbackQuerySet(models.QuerySet):
    def for_team_of(self, user):
        """The callbacks of the centres `user` runs: what their phone page lists, and all they may mark done."""
        return self.filter(centre__in=CentrePage.objects.run_by(user))

    def open(self):
        return self.filter(done_at__isnull=True)


class Callback(models.Model):
    """Someone answered one of the centre's SMS ("OUI", "RAPPEL", a question): the team calls them back.

    Written when the reply arrives (demarches.callbacks, from notifications.sms.replies.reply_received), with the
    name the centre knows the number by at that moment; `delivery` is the SMS it answers, and through it (once
    campaigns exist) the campaign.
    """

    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(_("portable"), max_length=20)
    name = models.CharField(_("nom"), max_length=120, blank=True)
    text = models.TextField(_("réponse"), max_length=1000)
    received_at = models.DateTimeField(_("reçue le"))
    delivery = models.ForeignKey(
        "notifications.Delivery",
        verbose_name=_("en réponse au SMS"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("rappelé le"), null=True, blank=True)
    done_by = done_by(_("rappelé par"))

    objects = CallbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne à rappeler")
        verbose_name_plural = _("personnes à rappeler")
        ordering = ["received_at", "pk"]
        indexes = [models.Index(fields=["centre", "done_at", "received_at"], name="callback_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_by__isnull=True) | Q(done_at__isnull=False), name="callback_done_by_has_date"
            )
        ]

    def __str__(self):
        return f"{self.name or self.phone} : {self.text[:40]}"


# A mandate lasts from one day to twelve months (Aidants Connect's bounds). The database holds the outer bound in
# days (a year and its leap day); the services and the form hold the calendar one, twelve months to the day.
MANDATE_MAX_DAYS = 366
# A mandate ending within this many days is "bientôt fini" on the lists, and its mediator and resident are told.
ENDING_SOON_DAYS = 7


def add_months(day, months):
    """The same day `months` later, or the month's last day when it has fewer days (31 March + 1 month: 30 April)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def longest_end(starts_on):
    return add_months(starts_on, 12)


class MandateQuerySet(models.QuerySet):
    def valid_on(self, day=None):
        """Mandates in force on `day` (today by default): started, not ended, not revoked."""
        day = day or timezone.localdate()
        return self.filter(revoked_at__isnull=True, starts_on__lte=day, ends_on__gte=day)

    def for_centre_team(self, user):
        """The mandates of the centres `user` runs (as an editor or a mediator): what their team pages may show."""
        return self.filter(centre_id__in=centre_ids_run_by(user))

    def of_resident(self, user):
        return self.filter(resident=user) if user.is_authenticated else self.none()


class Mandate(models.Model):
    """A resident lets the team of one centre do their procedures on outside sites, for some domains, for a time.

    Recorded by a mediator with the resident present; the consent is a signed paper (its scan kept in private
    files) or the terms read and accepted on the mediator's screen (the words shown are kept). Revocable at any
    time by the resident or the centre; nothing is done under it once revoked or past its last day.
    """

    class ConsentMode(models.TextChoices):
        PAPER = "papier", _("Papier signé, scanné")
        SCREEN = "ecran", _("Accord donné sur l'écran du médiateur")

    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("habitant"), on_delete=models.CASCADE, related_name="mandates"
    )
    recorded_by = done_by(_("noté par"), related_name="mandates_recorded")
    scopes = models.JSONField(_("domaines"), default=list)
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("jusqu'au (inclus)"))
    consent_mode = models.CharField(_("comment la personne a dit oui"), max_length=10, choices=ConsentMode.choices)
    consent_scan = models.FileField(
        _("papier signé (scan)"), upload_to="mandats/%Y/%m/", storage=PrivateFileStorage(), blank=True
    )
    consent_shown = models.TextField(_("ce qui a été montré à l'écran"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("noté le"), default=timezone.now)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = done_by(_("révoqué par"))
    revoke_reason = models.CharField(_("raison de la révocation"), max_length=200, blank=True)
    expiry_notice_sent_on = models.DateField(_("avis de fin envoyé le"), null=True, blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="mandate_lasts_a_day_at_least"),
            models.CheckConstraint(
                condition=Q(ends_on__lte=F("starts_on") + dt.timedelta(days=MANDATE_MAX_DAYS)),
                name="mandate_lasts_a_year_at_most",
            ),
            models.CheckConstraint(
                condition=Q(consent_mode="ecran", consent_scan="") & ~Q(consent_shown="")
                | Q(consent_mode="papier") & ~Q(consent_scan=""),
                name="mandate_consent_is_kept",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=False) | Q(revoked_by__isnull=True, revoke_reason=""),
                name="mandate_revocation_is_whole",
            ),
        ]
        indexes = [models.Index(fields=["centre", "ends_on"]), models.Index(fields=["ends_on", "revoked_at"])]

    def __str__(self):
        return f"{self.resident} — {self.centre} ({self.starts_on} – {self.ends_on})"

    def scope_labels(self):
        labels = dict(Domain.choices)
        return [labels[scope] for scope in self.scopes if scope in labels]

    def is_valid_on(self, day=None):
        day = day or timezone.localdate()
        return self.revoked_at is None and self.starts_on <= day <= self.ends_on

    def state(self, today=None):
        """ "valid", "ending" (within the notice's days), "revoked" or "ended": how the lists sort and word it."""
        today = today or timezone.localdate()
        if self.revoked_at is not None:
            return "revoked"
        if self.ends_on < today:
            return "ended"
        if self.ends_on <= today + dt.timedelta(days=ENDING_SOON_DAYS):
            return "ending"
        return "valid"

    def covers(self, procedure):
        return procedure.domain in self.scopes


class MandateAction(models.Model):
    """One procedure a mediator did for the resident under a mandate, on an outside site: what, when, how it went."""

    class Outcome(models.TextChoices):
        DONE = "fait", _("Fait")
        WAITING = "en-attente", _("En attente d'une réponse")
        BLOCKED = "bloque", _("Refusé ou bloqué")

    mandate = models.ForeignKey(Mandate, verbose_name=_("mandat"), on_delete=models.CASCADE, related_name="actions")
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("démarche"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The log outlives a procedure the network or the centre removes: its name stays as it was.
    procedure_name = models.CharField(_("démarche"), max_length=120)
    done_on = models.DateField(_("faite le"))
    outcome = models.CharField(_("résultat"), max_length=12, choices=Outcome.choices)
    next_step = models.CharField(_("et ensuite"), max_length=200, blank=True)
    done_by = done_by(_("faite par"), related_name="mandate_actions_done")
    created_at = models.DateTimeField(_("notée le"), default=timezone.now)

    class Meta:
        verbose_name = _("démarche faite sous mandat")
        verbose_name_plural = _("démarches faites sous mandat")
        ordering = ["-done_on", "-created_at", "-pk"]

    def __str__(self):
        return f"{self.procedure_name} ({self.done_on})"


class FollowReminder(models.Model):
    """A follow's reminder of one deadline, written in the transaction that tells the person: each goes once.

    The unique pair is what makes a second run, or a second worker, send nothing more; the notification or the
    SMS delivery is written beside it, so a worker dying before the commit leaves neither, and the next run
    sends it.
    """

    follow = models.ForeignKey(Follow, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.ForeignKey(ProcedureDeadline, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("rappel envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("rappel d'une démarche suivie")
        verbose_name_plural = _("rappels des démarches suivies")
        constraints = [
            models.UniqueConstraint(fields=["follow", "deadline"], name="follow_reminder_once_per_deadline")
        ]

    def __str__(self):
        return f"{self.follow_id} — {self.deadline_id}"


class CampaignQuerySet(models.QuerySet):
    def run_by(self, user):
        """The campaigns of the centres `user` runs: another centre's are not found."""
        return self.filter(centre__in=CentrePage.objects.run_by(user).values("pk"))


class Campaign(models.Model):
    """An SMS a centre sends to many people at once: an audience, a text, maybe a link, a time to leave.

    Written as a draft while the team composes it on a phone, then confirmed (its cost checked against the
    centre's monthly budget) and sent by the worker in batches (`demarches.campaigns`). Its figures come from
    its deliveries (`CampaignMessage`), the STOPs recorded after it left, and the clicks on its short link.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        SCHEDULED = "scheduled", _("programmée")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyée")
        CANCELLED = "cancelled", _("annulée")

    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("titre (pour l'équipe)"), max_length=120)
    # The audience as registered in demarches.audiences, and what it was called when chosen.
    audience = models.CharField(_("destinataires"), max_length=30)
    audience_choice = models.CharField(_("choix"), max_length=40, blank=True)
    audience_label = models.CharField(_("destinataires (en mots)"), max_length=300)
    text = models.TextField(_("message"), max_length=1000, blank=True)
    # A page of the site (a path, or an address on this site), reached through the campaign's short link.
    link_url = models.CharField(_("lien"), max_length=300, blank=True)
    link_code = models.CharField(_("code du lien court"), max_length=12, unique=True)
    send_at = models.DateTimeField(_("envoi le"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    recipients_count = models.PositiveIntegerField(_("destinataires"), default=0)
    cost_parts = models.PositiveIntegerField(_("coût en SMS"), default=0)
    created_by = done_by(_("écrite par"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    confirmed_by = done_by(_("envoi confirmé par"))
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    # The worker sending it, renewed at each batch: a claim that grows stale was left by a dead worker.
    claimed_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("tous les SMS préparés le"), null=True, blank=True)
    clicks = models.PositiveIntegerField(_("clics sur le lien"), default=0)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne SMS")
        verbose_name_plural = _("campagnes SMS")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"]) | Q(confirmed_at__isnull=False, send_at__isnull=False),
                name="campaign_confirmed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="campaign_sent_has_date"
            ),
        ]
        indexes = [models.Index(fields=["status", "send_at"], name="campaign_due_idx")]

    def __str__(self):
        return self.name

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class CampaignMessage(models.Model):
    """One SMS of a campaign: the delivery that sends it, once per number (a reply or a STOP finds its campaign)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    delivery = models.OneToOneField(
        "notifications.Delivery", on_delete=models.CASCADE, related_name="campaign_message"
    )
    phone = models.CharField(_("numéro"), max_length=20)

    class Meta:
        verbose_name = _("SMS d'une campagne")
        verbose_name_plural = _("SMS des campagnes")
        constraints = [models.UniqueConstraint(fields=["campaign", "phone"], name="campaign_message_once_per_number")]

    def __str__(self):
        return f"{self.campaign} → {self.phone}"
