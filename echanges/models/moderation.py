"""Moderation: the `Report`s residents file, the `ModerationAction`s taken about them, and `Suspension`s."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import done_by
from echanges.models.conversations import Message
from echanges.models.offers import Offer
from quartier.models import CentrePage


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
    decided_by = done_by(_("décidé par"), blank=False)
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
    closed_by = done_by(_("traité par"), blank=False)

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

    moderator = done_by(_("modérateur"), blank=False)
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
