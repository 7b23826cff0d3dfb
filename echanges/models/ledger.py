"""The time bank: one `Account` per person, and `Transfer`s between accounts, written once and never changed.

Balances are sums over transfers, and the sum of all balances is zero because every transfer takes from one
account what it gives to another.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import done_by
from echanges.models.conversations import Agreement


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
    recorded_by = done_by(_("saisi par"))
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
