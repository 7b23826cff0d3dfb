"""What Placette tells people: the inbox, how each person wants to be told, and each e-mail or SMS sent.

A `Notification` is written in the same transaction as its cause, so it exists exactly when the cause
does; everything else (the live push, e-mails, SMS) follows after commit and may fail without losing it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import done_by
from quartier.models import concerned_centre


class Channel(models.TextChoices):
    """How a person wants to be told. The site's inbox always gets everything."""

    SITE = "site", _("Seulement sur le site")
    EMAIL = "email", _("Par e-mail")
    SMS = "sms", _("Par SMS")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("sorte"), max_length=40)
    text = models.CharField(_("texte"), max_length=300)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    actor = done_by(_("auteur"))
    # The centre it concerns, which pays for its SMS.
    centre = concerned_centre()
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        indexes = [models.Index(fields=["recipient", "-id"], name="notification_inbox_idx")]

    def __str__(self):
        return self.text

    @property
    def is_read(self):
        return self.read_at is not None


class Preference(models.Model):
    """How one person wants to be told of one kind of notification; without a row, their general choice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("sorte"), max_length=40)
    channel = models.CharField(_("comment"), max_length=5, choices=Channel.choices)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique_per_kind")]

    def __str__(self):
        return f"{self.kind}: {self.channel}"


class Delivery(models.Model):
    """One e-mail or SMS, sent at most once: the idempotency key is unique.

    Most tell a person of a notification, by the address of their account. A text to someone without an
    account (a front-desk contact, a campaign's recipient) has no notification: it carries its number in `to`
    and its words in `text`.

    A worker claims a due delivery with one conditional UPDATE; if it dies before sending, the claim
    grows stale and another worker takes it; once marked sent, nothing claims it again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("à envoyer")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("abandonné")
        CANCELLED = "cancelled", _("annulé")

    class Report(models.TextChoices):
        DELIVERED = "delivered", _("reçu")
        FAILED = "failed", _("non reçu")
        UNKNOWN_NUMBER = "unknown", _("numéro inconnu")

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    to = models.CharField(_("numéro"), max_length=20, blank=True)
    text = models.TextField(_("message"), max_length=1000, blank=True)
    channel = models.CharField(
        _("canal"), max_length=5, choices=[(Channel.EMAIL, _("e-mail")), (Channel.SMS, _("SMS"))]
    )
    centre = concerned_centre()
    idempotency_key = models.CharField(_("clé d'envoi"), max_length=100, unique=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    due_at = models.DateTimeField(_("à envoyer à partir de"))
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    # What it costs: an SMS in several parts is paid for each part (notifications.sms.parts); an e-mail is 1.
    parts = models.PositiveSmallIntegerField(_("parties"), default=1)
    # What the provider's delivery report said, when it sent one (notifications.sms.webhooks).
    report = models.CharField(_("accusé de réception"), max_length=10, choices=Report.choices, blank=True)
    reported_at = models.DateTimeField(_("accusé reçu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="delivery_due_idx"),
            models.Index(fields=["centre", "channel", "created_at"], name="delivery_budget_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False), name="delivery_sent_has_date"
            ),
            models.CheckConstraint(
                condition=models.Q(notification__isnull=False)
                | (models.Q(channel="sms") & ~models.Q(to="") & ~models.Q(text="")),
                name="delivery_notification_or_text",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} — {self.message}"

    @property
    def message(self):
        return self.notification.text if self.notification_id else self.text

    @property
    def recipient(self):
        """Who it is for: the notification's recipient, else the number it carries."""
        return self.notification.recipient if self.notification_id else self.to


class SmsBudgetAlert(models.Model):
    """A centre's staff were told that its SMS budget ran out this month: told once, not at every SMS."""

    centre = models.ForeignKey("quartier.CentrePage", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("mois"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "month"], name="sms_budget_alert_once_a_month")]

    def __str__(self):
        return f"{self.centre_id} {self.month:%Y-%m}"


class SmsNumber(models.Model):
    """A number Placette has texted: its short stop link, and whether its owner said STOP.

    STOP, by SMS or by the link, ends every SMS from Placette to that number at once, whatever sends it;
    each change is kept in `SmsNumberChange` (who, when, how).
    """

    class How(models.TextChoices):
        SMS = "sms", _("réponse STOP par SMS")
        LINK = "link", _("lien dans un SMS")
        TEAM = "team", _("demande faite à l'équipe")
        ACCOUNT = "account", _("depuis son compte")

    phone = models.CharField(_("numéro"), max_length=20, unique=True)
    # In each SMS's stop link: short, as every character of an SMS counts.
    code = models.CharField(_("code du lien"), max_length=12, unique=True)
    stopped_at = models.DateTimeField(_("STOP le"), null=True, blank=True)

    class Meta:
        verbose_name = _("numéro de portable")
        verbose_name_plural = _("numéros de portable")

    def __str__(self):
        return self.phone

    @property
    def stopped(self):
        return self.stopped_at is not None


class SmsNumberChange(models.Model):
    """One STOP, or one return to SMS, of a number: when, how, and who recorded it if not its owner."""

    number = models.ForeignKey(SmsNumber, on_delete=models.CASCADE, related_name="changes")
    stopped = models.BooleanField(_("ne veut plus de SMS"))
    how = models.CharField(_("comment"), max_length=10, choices=SmsNumber.How.choices)
    by = done_by(_("enregistré par"))
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("changement de choix SMS")
        verbose_name_plural = _("changements de choix SMS")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.number} {self.at:%Y-%m-%d}"


class SmsProviderEvent(models.Model):
    """An event the SMS provider's webhook delivered and Placette acted on: the same one again is a replay.

    Kept as long as an event of that age is still accepted (notifications.sms_inbound.MAX_AGE); older events are
    refused by their date, so forgetting the keys then lets no replay through.
    """

    key = models.CharField(_("clé"), max_length=64, unique=True)
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("événement du fournisseur de SMS")
        verbose_name_plural = _("événements du fournisseur de SMS")

    def __str__(self):
        return self.key
