"""Placette's people: the user model, consents to be helped, and the log of what mediators did.

The user model exists from the first migration because swapping AUTH_USER_MODEL later is a painful
data migration; residents, mediators and editors are all users, told apart by memberships and groups.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from core.models import done_by
from notifications.models import Channel

FORMER_MEMBER = _("Ancien membre")


class User(AbstractUser):
    """A person with an account: resident, mediator, centre editor or network admin."""

    # How the person wants to be told, unless they chose otherwise for a kind (notifications.models.Preference).
    Channel = Channel

    display_name = models.CharField(
        _("nom affiché"), max_length=60, blank=True, help_text=_("Un prénom ou un surnom suffit.")
    )
    phone = PhoneNumberField(_("téléphone mobile"), null=True, blank=True, unique=True)
    phone_verified = models.BooleanField(_("téléphone vérifié"), default=False)
    notify_by = models.CharField(
        _("comment être prévenu"), max_length=5, choices=Channel.choices, default=Channel.SITE
    )
    accompanied = models.BooleanField(
        _("compte accompagné"),
        default=False,
        help_text=_("Créé par un médiateur pour une personne sans e-mail ni téléphone."),
    )
    last_seen = models.DateField(_("dernière venue"), null=True, blank=True)
    inactivity_notice_sent_at = models.DateTimeField(_("avis d'inactivité envoyé le"), null=True, blank=True)
    erased_at = models.DateTimeField(_("données effacées le"), null=True, blank=True)
    # Whether a centre knows the person as a minor (quartier.Membership.is_minor, where their referent is), kept
    # here by accounts.signals: every name shown reads it, and the row is already loaded.
    is_minor = models.BooleanField(_("mineur"), default=False, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return display_name(self)

    @property
    def is_staff_member(self):
        """Staff reach the Wagtail admin; they need a second factor and nobody may act for them."""
        return self.is_staff or self.is_superuser or self.has_perm("wagtailadmin.access_admin")


def random_username():
    """Usernames never show; a random one keeps e-mail addresses and names out of them."""
    return f"u-{get_random_string(12).lower()}"


def display_name(user):
    """What others see of a person: their chosen name, "Ancien membre" once erased, a minor's first name only."""
    if user.erased_at:
        return str(FORMER_MEMBER)
    if user.is_minor:
        return first_name(user)
    return user.display_name or user.get_full_name() or user.get_username()


def first_name(user):
    """A person named in public credits: the first word of their chosen name, never a surname (minor or not)."""
    if user.erased_at:
        return str(FORMER_MEMBER)
    name = (user.display_name or user.first_name).split()
    return name[0] if name else str(FORMER_MEMBER)


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """A resident's agreement that the mediators of one centre may act for them on the site.

    Recorded by the resident online, or by a mediator at the centre with what was explained and
    whether a signed paper form is kept. Withdrawing it ends any mediator's session at once.
    """

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("habitant"), on_delete=models.CASCADE, related_name="consents"
    )
    centre = models.ForeignKey(
        "quartier.CentrePage", verbose_name=_("centre"), on_delete=models.CASCADE, related_name="consents"
    )
    recorded_by = done_by(_("enregistré par"), related_name="consents_recorded")
    given_on = models.DateField(_("donné le"), default=timezone.localdate)
    explained = models.TextField(_("ce qui a été expliqué"), max_length=1000)
    paper_form_kept = models.BooleanField(_("formulaire papier signé et conservé"), default=False)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("accord pour être aidé")
        verbose_name_plural = _("accords pour être aidé")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "centre"], condition=Q(withdrawn_at__isnull=True), name="consent_one_active"
            )
        ]

    def __str__(self):
        return f"{self.resident} — {self.centre}"


class ActingLog(models.Model):
    """One write a mediator made while acting for a resident: who, for whom, what, when."""

    mediator = done_by(_("médiateur"), related_name="acting_logs_as_mediator", blank=False)
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("habitant"), on_delete=models.CASCADE, related_name="acting_logs"
    )
    action = models.CharField(_("action"), max_length=300)
    path = models.CharField(_("adresse"), max_length=500)
    succeeded = models.BooleanField(_("réussi"), default=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("action faite pour un habitant")
        verbose_name_plural = _("actions faites pour des habitants")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.mediator} pour {self.resident} : {self.action}"


class CodeAttempt(models.Model):
    """How many times one code sent by e-mail or SMS has been tried (accounts.code_attempts).

    A row, not the session: requests sent at once each read the session before any of them writes it back,
    whereas one UPDATE at a time takes the row.
    """

    key = models.CharField(max_length=64, primary_key=True)
    tries = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("essais d'un code")
        verbose_name_plural = _("essais des codes")

    def __str__(self):
        return f"{self.key[:8]}… : {self.tries}"
