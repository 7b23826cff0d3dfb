"""The exchange between residents: `Offer`s and requests, the `Conversation`s they open, the `Agreement`s
reached in them, the time bank's `Account`s and `Transfer`s, and the `Report`s moderators handle.

Hours are stored as whole minutes (quarter hours only), so that sums are exact on every database.
A transfer is written once and never changed: balances are sums over transfers, and the sum of all
balances is zero because every transfer takes from one account what it gives to another.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index

from home.models import NetworkCategory
from quartier.models import CentrePage

OFFER_LIFETIME = timedelta(days=60)
QUARTER = 15
MAX_MINUTES = 10 * 60
ALLOWED_MINUTES = range(QUARTER, MAX_MINUTES + 1, QUARTER)


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


class Offer(index.Indexed, models.Model):
    """Something a resident gives, lends, swaps or does for time, or asks for, in one centre."""

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
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_alt = models.CharField(_("ce que montre la photo"), max_length=200, blank=True)
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
        return reverse("echanges_offer", args=[self.pk])

    @property
    def is_open(self):
        return self.status == self.Status.OPEN and not self.hidden

    @property
    def place(self):
        """Where it happens, at the centre unless the author said otherwise."""
        return self.where or _("%(centre)s, à l'accueil") % {"centre": self.centre.title}


class ConversationQuerySet(models.QuerySet):
    def involving(self, user):
        """Conversations `user` takes part in: as the one who answered, or as the offer's author."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(starter=user) | Q(offer__author=user))


class Conversation(models.Model):
    """Two people talking about one offer: the author and the person who answered it."""

    offer = models.ForeignKey(Offer, verbose_name=_("annonce"), on_delete=models.CASCADE, related_name="conversations")
    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne qui a répondu"),
        on_delete=models.CASCADE,
        related_name="conversations_started",
    )
    created_at = models.DateTimeField(_("commencée le"), default=timezone.now)
    last_message_at = models.DateTimeField(_("dernier message le"), default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [models.UniqueConstraint(fields=["offer", "starter"], name="conversation_one_per_person")]

    def __str__(self):
        return f"{self.offer} — {self.starter}"

    def get_absolute_url(self):
        return reverse("echanges_conversation", args=[self.pk])

    @property
    def people(self):
        return (self.offer.author, self.starter)

    def other_than(self, user):
        return self.starter if self.offer.author_id == user.pk else self.offer.author


class Message(models.Model):
    """A plain-text message in a conversation; moderators may hide it, never rewrite it."""

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.CASCADE, related_name="messages_sent"
    )
    body = models.TextField(_("message"), max_length=2000)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    hidden = models.BooleanField(_("masqué par la modération"), default=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["conversation", "sent_at"])]

    def __str__(self):
        return self.body[:60]


class Block(models.Model):
    """`blocker` no longer wants messages or answers from `blocked`."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("blocage")
        verbose_name_plural = _("blocages")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_oneself"),
        ]

    def __str__(self):
        return f"{self.blocker} → {self.blocked}"


class Agreement(models.Model):
    """What two people agreed in a conversation: who does what for whom, when, and for how many hours."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposé")
        ACCEPTED = "accepted", _("accepté")
        DECLINED = "declined", _("refusé")
        CANCELLED = "cancelled", _("annulé")
        DONE = "done", _("réalisé")

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="agreements"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposé par"), on_delete=models.CASCADE, related_name="+"
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("qui donne ou rend service"),
        on_delete=models.CASCADE,
        related_name="agreements_given",
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("qui reçoit"),
        on_delete=models.CASCADE,
        related_name="agreements_received",
    )
    what = models.CharField(_("quoi"), max_length=200)
    on = models.DateField(_("le"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("durée en minutes"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(_("proposé le"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepté le"), null=True, blank=True)
    giver_confirmed_at = models.DateTimeField(_("confirmé par qui donne le"), null=True, blank=True)
    receiver_confirmed_at = models.DateTimeField(_("confirmé par qui reçoit le"), null=True, blank=True)
    done_at = models.DateTimeField(_("réalisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("accord")
        verbose_name_plural = _("accords")
        constraints = [
            models.CheckConstraint(condition=~Q(giver=F("receiver")), name="agreement_two_people"),
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__in=list(ALLOWED_MINUTES)),
                name="agreement_quarter_hours_bounded",
            ),
            # A double click on "Proposer un accord" must not leave two proposals to accept (and two transfers).
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="agreement_one_open_per_conversation",
            ),
        ]
        indexes = [models.Index(fields=["status", "done_at"])]

    def __str__(self):
        return self.what


class Account(models.Model):
    """A person's time-bank account; its balance is what transfers brought in minus what they took out."""

    # An account outlives its owner's deletion: the hours it gave and received stay in other statements.
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titulaire"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="time_account",
    )
    opened_at = models.DateTimeField(_("ouvert le"), default=timezone.now)

    class Meta:
        verbose_name = _("compte d'heures")
        verbose_name_plural = _("comptes d'heures")

    def __str__(self):
        return str(self.owner)

    def balance_minutes(self):
        received = self.transfers_in.aggregate(total=Sum("minutes"))["total"] or 0
        given = self.transfers_out.aggregate(total=Sum("minutes"))["total"] or 0
        return received - given


class TransferQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Transfers are never changed: record a correction instead.")

    def delete(self):
        raise TypeError("Transfers are never deleted: record a correction instead.")


class Transfer(models.Model):
    """Minutes moved from one account to another, for an agreement done or as a staff correction. Never changed."""

    payer = models.ForeignKey(
        Account, verbose_name=_("compte débité"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    payee = models.ForeignKey(
        Account, verbose_name=_("compte crédité"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    minutes = models.PositiveIntegerField(_("minutes"))
    agreement = models.OneToOneField(
        Agreement,
        verbose_name=_("accord"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfer",
    )
    corrects = models.ForeignKey(
        "self", verbose_name=_("corrige"), null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("motif"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("mouvement d'heures")
        verbose_name_plural = _("mouvements d'heures")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="transfer_positive"),
            models.CheckConstraint(condition=~Q(payer=F("payee")), name="transfer_two_accounts"),
            models.CheckConstraint(
                condition=Q(agreement__isnull=False) | Q(recorded_by__isnull=False) | Q(corrects__isnull=False),
                name="transfer_has_a_cause",
            ),
        ]

    def __str__(self):
        return f"{self.payer} → {self.payee} : {self.minutes} min"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Transfers are never changed: record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Transfers are never deleted: record a correction instead.")


class SuspensionQuerySet(models.QuerySet):
    def current(self, now=None):
        return self.filter(until__gt=now or timezone.now())


def is_suspended(user):
    """Whether a moderator keeps `user` out of the exchange right now (no posting, answering or writing)."""
    return user.is_authenticated and Suspension.objects.current().filter(person=user).exists()


class Suspension(models.Model):
    """A person kept out of the exchange until a date, decided by a centre's moderator."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="suspensions"
    )
    until = models.DateTimeField(_("jusqu'au"))
    reason = models.CharField(_("motif"), max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("décidé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self):
        return f"{self.person} ({self.until:%d/%m/%Y})"


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Report.Status.OPEN)


class Report(models.Model):
    """Someone signals an offer, a message or a person to the centre's moderators."""

    class Reason(models.TextChoices):
        DANGER = "danger", _("C'est dangereux ou illégal")
        MONEY = "money", _("On me demande de l'argent")
        RUDE = "rude", _("Propos insultants ou gênants")
        SPAM = "spam", _("Publicité ou arnaque")
        OTHER = "other", _("Autre chose")

    class Status(models.TextChoices):
        OPEN = "open", _("à traiter")
        CLOSED = "closed", _("traité")

    class Outcome(models.TextChoices):
        NOTHING = "nothing", _("rien à reprocher")
        HIDDEN = "hidden", _("contenu masqué")
        WARNED = "warned", _("personne avertie")
        SUSPENDED = "suspended", _("personne suspendue")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signalé par"), on_delete=models.CASCADE, related_name="reports_made"
    )
    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="reports")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne concernée"),
        on_delete=models.CASCADE,
        related_name="reports_received",
    )
    offer = models.ForeignKey(
        Offer, verbose_name=_("annonce"), null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    message = models.ForeignKey(
        Message, verbose_name=_("message"), null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("motif"), max_length=10, choices=Reason.choices)
    details = models.TextField(_("précisions"), max_length=1000, blank=True)
    status = models.CharField(_("état"), max_length=6, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("décision"), max_length=10, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note de la modération"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("signalé le"), default=timezone.now)
    closed_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("traité par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["centre", "status"])]
        constraints = [
            # One open report per reporter and thing. A person report has neither offer nor message, and NULLs
            # never collide in a unique index: 0 stands for "none" (ids start at 1) on SQLite and PostgreSQL alike.
            models.UniqueConstraint(
                "reporter",
                "person",
                Coalesce("offer", Value(0), output_field=models.BigIntegerField()),
                Coalesce("message", Value(0), output_field=models.BigIntegerField()),
                condition=Q(status="open"),
                name="report_one_open_per_reporter_and_thing",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} — {self.person}"


class ModerationAction(models.Model):
    """One thing a moderator did, kept for the record: who, what, to whom, why."""

    class Action(models.TextChoices):
        HIDE = "hide", _("a masqué le contenu")
        WARN = "warn", _("a averti la personne")
        SUSPEND = "suspend", _("a suspendu la personne")
        CLOSE = "close", _("a clos le signalement")
        CORRECT = "correct", _("a corrigé des heures")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("modérateur"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne concernée"), on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(
        Report, verbose_name=_("signalement"), null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    centre = models.ForeignKey(CentrePage, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("action de modération")
        verbose_name_plural = _("actions de modération")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.moderator} {self.get_action_display()}"
