"""Accounts nobody uses any more: a notice first, erasure after (RGPD, storage limitation)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.services import erase_account
from notifications.sms import SmsError, send_sms

logger = logging.getLogger(__name__)

NOTICE = (
    "Bonjour {name}, vous n'êtes pas venu sur Placette depuis longtemps. "
    "Sans nouvelles de vous d'ici {days} jours, votre compte et vos données seront supprimés. "
    "Pour le garder, il suffit de vous connecter."
)


def _inactive_since(cutoff):
    """People (not staff, not already erased) with no visit, sign-in or signup after `cutoff`."""
    return (
        User.objects.filter(erased_at__isnull=True, is_staff=False, is_superuser=False, date_joined__lt=cutoff)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .filter(Q(last_seen__isnull=True) | Q(last_seen__lt=cutoff.date()))
        .exclude(groups__centre_team__isnull=False)
    )


def send_notice(user):
    """Tell the person by e-mail or SMS; an accompanied resident is told by their centre, not here."""
    text = NOTICE.format(name=user, days=settings.ACCOUNT_INACTIVITY_NOTICE_DAYS)
    if user.email:
        send_mail("[Placette] Votre compte va être supprimé", text, None, [user.email])
    elif user.phone and user.phone_verified:
        send_sms(user.phone, "Placette : " + text)


def notify_and_purge(now=None, *, dry_run=False, progress=None):
    """Send notices to newly inactive accounts and erase those noticed long enough ago. Returns (noticed, erased)."""
    now = now or timezone.now()
    progress = progress or (lambda message: None)
    cutoff = now - timedelta(days=settings.ACCOUNT_INACTIVITY_DAYS)
    notice_cutoff = now - timedelta(days=settings.ACCOUNT_INACTIVITY_NOTICE_DAYS)

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
