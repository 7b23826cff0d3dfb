"""Accounts nobody uses any more: a notice first, erasure after (RGPD, storage limitation)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.services import erase_account
from notifications.sms import SmsError, send_sms
from quartier.models import Membership

logger = logging.getLogger(__name__)

NOTICE = (
    "Bonjour {name}, vous n'êtes pas venu sur Placette depuis longtemps. "
    "Sans nouvelles de vous d'ici {days} jours, votre compte et vos données seront supprimés. "
    "Pour le garder, il suffit de vous connecter."
)

# A code lasts minutes; a day leaves room for a late e-mail without keeping squatted addresses around.
UNCONFIRMED_GRACE = timedelta(days=1)

MEDIATOR_NOTICE = (
    "Bonjour, le compte accompagné de {name} n'a pas servi depuis longtemps. "
    "Il sera supprimé dans {days} jours. Pour le garder, agissez pour cette personne sur Placette "
    "(même une seule fois), avec son accord."
)


def _inactive_since(cutoff):
    """People (not staff, not already erased) with no visit, sign-in or signup after `cutoff`."""
    return (
        User.objects.filter(erased_at__isnull=True, is_staff=False, is_superuser=False, date_joined__lt=cutoff)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .filter(Q(last_seen__isnull=True) | Q(last_seen__lt=cutoff.date()))
        .exclude(groups__centre_team__isnull=False)
        # Staff as User.is_staff_member sees them: whoever reaches the Wagtail admin, through any group.
        .exclude(groups__permissions__in=_admin_access())
        .exclude(user_permissions__in=_admin_access())
    )


def _admin_access():
    return Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")


def send_notice(user):
    """Tell the person by e-mail or SMS; for an accompanied resident, tell the mediators of their centres."""
    text = NOTICE.format(name=user, days=settings.ACCOUNT_INACTIVITY_NOTICE_DAYS)
    if user.email:
        send_mail("[Placette] Votre compte va être supprimé", text, None, [user.email])
    elif user.phone and user.phone_verified:
        send_sms(user.phone, "Placette : " + text)
    else:
        mediators = User.objects.filter(
            memberships__role=Membership.Role.MEDIATOR,
            memberships__centre__memberships__user=user,
            erased_at__isnull=True,
        ).exclude(email="")
        send_mail(
            "[Placette] Un compte accompagné va être supprimé",
            MEDIATOR_NOTICE.format(name=user, days=settings.ACCOUNT_INACTIVITY_NOTICE_DAYS),
            None,
            sorted({mediator.email for mediator in mediators}),
        )


def delete_unconfirmed(now, *, dry_run=False):
    """Delete sign-ups whose code was never typed: nobody proved the address, so nobody is warned first.

    Without this, anyone could leave an account with someone else's address, a name and centres of
    their choosing, for the owner to find on their first sign-in.
    """
    unconfirmed = (
        User.objects.filter(
            last_login__isnull=True,
            accompanied=False,
            erased_at__isnull=True,
            is_staff=False,
            is_superuser=False,
            phone_verified=False,
            date_joined__lt=now - UNCONFIRMED_GRACE,
        )
        # What a sign-up leaves: an unverified address or number. Accounts made otherwise (admin) have neither.
        .filter(Q(emailaddress__verified=False) | Q(phone__isnull=False))
        .exclude(emailaddress__verified=True)
        .exclude(groups__isnull=False)
        # An accompanied account a mediator handed over keeps its history until its owner first signs in.
        .exclude(consents__recorded_by__isnull=False)
        .distinct()
    )
    ids = list(unconfirmed.values_list("pk", flat=True))
    if not dry_run:
        User.objects.filter(pk__in=ids).delete()
    return len(ids)


def notify_and_purge(now=None, *, dry_run=False, progress=None):
    """Send notices to newly inactive accounts and erase those noticed long enough ago. Returns (noticed, erased)."""
    now = now or timezone.now()
    progress = progress or (lambda message: None)
    cutoff = now - timedelta(days=settings.ACCOUNT_INACTIVITY_DAYS)
    notice_cutoff = now - timedelta(days=settings.ACCOUNT_INACTIVITY_NOTICE_DAYS)

    unconfirmed = delete_unconfirmed(now, dry_run=dry_run)
    progress(
        f"{unconfirmed} inscription(s) jamais confirmée(s) par le code {'à supprimer' if dry_run else 'supprimée(s)'}."
    )

    to_notice = list(_inactive_since(cutoff).filter(inactivity_notice_sent_at__isnull=True).distinct())
    progress(f"{len(to_notice)} compte(s) inactif(s) à prévenir.")
    noticed = 0
    for index, user in enumerate(to_notice, start=1):
        if dry_run:
            continue
        try:
            send_notice(user)
        except (SmsError, OSError):
            # Not marked: the notice is tried again at the next run, and nobody is erased unwarned.
            logger.exception("Inactivity notice to user %s failed", user.pk)
            continue
        User.objects.filter(pk=user.pk).update(inactivity_notice_sent_at=now)
        noticed += 1
        if index % 100 == 0:
            progress(f"  {index}/{len(to_notice)} prévenus")

    to_erase = list(_inactive_since(cutoff).filter(inactivity_notice_sent_at__lte=notice_cutoff).distinct())
    progress(
        f"{len(to_erase)} compte(s) prévenu(s) depuis {settings.ACCOUNT_INACTIVITY_NOTICE_DAYS} jours à supprimer."
    )
    erased = 0
    for index, user in enumerate(to_erase, start=1):
        if dry_run:
            continue
        erase_account(user)
        erased += 1
        if index % 100 == 0:
            progress(f"  {index}/{len(to_erase)} supprimés")
    return noticed, erased
