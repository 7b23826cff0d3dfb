"""What Placette tells people: the inbox, how each person wants to be told, and each e-mail or SMS sent.

A `Notification` is written in the same transaction as its cause, so it exists exactly when the cause
does; everything else (the live push, e-mails, SMS) follows after commit and may fail without losing it.
"""

from django.conf import settings
from django.db import models
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
    """One e-mail or SMS for one notification, sent at most once: the idempotency key is unique.

    A worker claims a due delivery with one conditional UPDATE; if it dies before sending, the claim
    grows stale and another worker takes it; once marked sent, nothing claims it again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("à envoyer")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("abandonné")
        CANCELLED = "cancelled", _("annulé")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
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
        ]

    def __str__(self):
        return f"{self.get_channel_display()} — {self.notification}"


class SmsBudgetAlert(models.Model):
    """A centre's staff were told that its SMS budget ran out this month: told once, not at every SMS."""

    centre = models.ForeignKey("quartier.CentrePage", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("mois"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "month"], name="sms_budget_alert_once_a_month")]

    def __str__(self):
        return f"{self.centre_id} {self.month:%Y-%m}"
