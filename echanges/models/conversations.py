"""Talking about an offer and agreeing: conversations, their messages, blocks, and agreements.

Hours are stored as whole minutes (quarter hours only), so that sums are exact on every database.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echanges.models.offers import Offer

QUARTER = 15
MAX_MINUTES = 10 * 60
ALLOWED_MINUTES = range(QUARTER, MAX_MINUTES + 1, QUARTER)


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
        return reverse("echanges:conversation", args=[self.pk])

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
