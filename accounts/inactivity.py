"""Accounts nobody uses any more: a notice first, erasure after (RGPD, storage limitation).

The notice is a notification like any other (accounts.notices), an essential one: its e-mail or SMS goes through
the delivery machinery (exactly once, no SMS at night), whatever the person chose. Nobody is erased before it
reached them: `inactivity_notice_sent_at` is when its e-mail or SMS went, or when it was written if nobody could
be reached but on the site.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import notices
from accounts.models import User
from accounts.services import erase_account
from notifications import deliveries
from notifications.models import Channel, Delivery
from notifications.services import notify, reachable_channel
from quartier.models import CentrePage, Membership

logger = logging.getLogger(__name__)

NOTICE = _(
    "Bonjour {name}, vous n'êtes pas venu sur Placette depuis longtemps. "
    "Sans nouvelles de vous d'ici {days} jours, votre compte et vos données seront supprimés. "
    "Pour le garder, il suffit de vous connecter."
)

# A code lasts minutes; a day leaves room for a late e-mail without keeping squatted addresses around.
UNCONFIRMED_GRACE = timedelta(days=1)

MEDIATOR_NOTICE = _(
    "Bonjour, le compte accompagné de {name} n'a pas servi depuis longtemps. "
    "Il sera supprimé dans {days} jours. Pour le garder, agissez pour cette personne sur Placette "
    "(même une seule fois), avec son accord."
)


def _inactive_since(cutoff, **filters):
    """People with no visit, sign-in or signup after `cutoff`, neither staff nor running a centre, not erased yet.

    Staff as User.is_staff_member sees them (whoever reaches the Wagtail admin, through any group), and whoever
    runs a centre (quartier's `CentrePage.objects.run_by`: its editors and mediators): their accounts are the
    organisation's, closed by it.
    """
    people = (
        User.objects.filter(erased_at__isnull=True, is_staff=False, is_superuser=False, date_joined__lt=cutoff)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .filter(Q(last_seen__isnull=True) | Q(last_seen__lt=cutoff.date()))
        .exclude(groups__permissions__in=_admin_access())
        .exclude(user_permissions__in=_admin_access())
        .filter(**filters)
        .distinct()
    )
    return [person for person in people if not CentrePage.objects.run_by(person).exists()]


def _admin_access():
    return Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")


def send_notice(user):
    """Notify the person (by e-mail or SMS); one nobody can reach so, the mediators of their centres.

    Returns whether any e-mail or SMS was planned.
    """
    days = settings.ACCOUNT_INACTIVITY_NOTICE_DAYS
    if reachable_channel(user) != Channel.SITE:
        notice = notify(
            user, notices.ERASURE_NOTICE.key, NOTICE.format(name=user, days=days), url=reverse("account_login")
        )
        return notice.deliveries.exists()
    # Mediators only, not the whole team: they are the ones who may act for the person, which keeps the account.
    mediators = Membership.objects.mediators().filter(centre__memberships__user=user, user__erased_at__isnull=True)
    planned = False
    told = set()
    for membership in mediators.select_related("user", "centre").order_by("user_id", "centre_id"):
        if membership.user_id in told:
            continue
        told.add(membership.user_id)
        notice = notify(
            membership.user,
            notices.ACCOMPANIED_ERASURE_NOTICE.key,
            MEDIATOR_NOTICE.format(name=user, days=days),
            url=reverse("accounts:accompaniment"),
            actor=user,
            centre=membership.centre,
        )
        planned = notice.deliveries.exists() or planned
    return planned


def _deliveries_of_notices_about(user, since):
    """The e-mails and SMS of the notices about `user` written since `since` (this spell of inactivity)."""
    return Delivery.objects.filter(
        Q(notification__kind=notices.ERASURE_NOTICE.key, notification__recipient=user)
        | Q(notification__kind=notices.ACCOMPANIED_ERASURE_NOTICE.key, notification__actor=user),
        notification__created_at__gte=since,
    )


def warn(user, since):
    """Warn `user` of the erasure to come, once since `since`; returns when the warning went out, or None (not yet).

    What may go now is sent at once, through the deliveries (exactly once, no SMS at night); what waits for
    the morning or a retry, the worker's sweep sends, and the next run reads when it went. A notice given up
    is written again.
    """
    sent = _deliveries_of_notices_about(user, since)
    if not sent.exclude(status__in=[Delivery.Status.FAILED, Delivery.Status.CANCELLED]).exists():
        if not send_notice(user):
            # Nobody to reach by e-mail or SMS: the notice is in the inbox, or there is nobody to tell.
            return timezone.now()
    deliveries.send_now(sent.filter(status=Delivery.Status.PENDING).values_list("pk", flat=True))
    return sent.filter(status=Delivery.Status.SENT).aggregate(first=Min("sent_at"))["first"]


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

    to_notice = _inactive_since(cutoff, inactivity_notice_sent_at__isnull=True)
    progress(f"{len(to_notice)} compte(s) inactif(s) à prévenir.")
    noticed = 0
    for index, user in enumerate(to_notice, start=1):
        if dry_run:
            continue
        warned_at = warn(user, cutoff)
        if warned_at is None:
            # Not marked: the notice waits (the morning, a retry) or failed; nobody is erased unwarned.
            logger.info("Inactivity notice to user %s not sent yet", user.pk)
            continue
        User.objects.filter(pk=user.pk).update(inactivity_notice_sent_at=warned_at)
        noticed += 1
        if index % 100 == 0:
            progress(f"  {index}/{len(to_notice)} prévenus")

    to_erase = _inactive_since(cutoff, inactivity_notice_sent_at__lte=notice_cutoff)
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
