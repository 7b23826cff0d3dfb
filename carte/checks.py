"""Places nobody checked for a year: shown to their centre's team, who say "J'ai vérifié, c'est à jour", and told
to it once a day by the worker, each place once per year it stays unchecked."""

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carte.models import StalePlaceNotice, UsefulPlace
from carte.notices import PLACES_TO_CHECK
from notifications.services import tell_team
from quartier.models import CentrePage, centre_ids_run_by

STALE_AFTER = relativedelta(years=1)
# A notice names a few places; the team's page lists them all.
NAMED_IN_NOTICE = 3


def stale_places(today=None):
    """Places of a centre not checked for a year (or never, and older than a year), the least recently first."""
    today = today or timezone.localdate()
    cutoff = today - STALE_AFTER
    created_before = timezone.make_aware(timezone.datetime.combine(cutoff, timezone.datetime.min.time()))
    return (
        UsefulPlace.objects.filter(centre__isnull=False, centre__live=True)
        .filter(Q(for_centre__isnull=True) | Q(for_centre__live=True))
        .filter(Q(last_checked_on__lte=cutoff) | Q(last_checked_on__isnull=True, created_at__lt=created_before))
        .order_by("last_checked_on", "created_at", "pk")
    )


def due_on(place, today):
    """The start of the year-long period of staleness `today` falls in (a place is told once in each)."""
    checked = place.last_checked_on or timezone.localdate(place.created_at)
    due = checked + STALE_AFTER
    while due + STALE_AFTER <= today:
        due += STALE_AFTER
    return due


def places_to_check_by(user, today=None):
    return stale_places(today).filter(centre_id__in=centre_ids_run_by(user))


def mark_checked(user, place_id):
    """ "J'ai vérifié, c'est à jour": the place is checked today by `user`, who must run its centre."""
    with transaction.atomic():
        place = (
            UsefulPlace.objects.filter(centre_id__in=centre_ids_run_by(user))
            .select_for_update(of=("self",))
            .get(pk=place_id)
        )
        place.last_checked_on = timezone.localdate()
        place.last_checked_by = user
        place.save(update_fields=["last_checked_on", "last_checked_by"])
    return place


def flag_stale_places(today=None):
    """Tell each centre's team of its places newly due for a check: one notice per centre, each place once per
    year unchecked however often this runs. Returns how many places were flagged."""
    today = today or timezone.localdate()
    by_centre = {}
    for place in stale_places(today).only("pk", "name", "centre_id", "last_checked_on", "created_at"):
        by_centre.setdefault(place.centre_id, []).append(place)
    flagged = 0
    for centre in CentrePage.objects.filter(pk__in=by_centre).order_by("pk"):
        with transaction.atomic():
            new = [place for place in by_centre[centre.pk] if _first_notice(place, today)]
            if new:
                tell_team(centre, PLACES_TO_CHECK.key, _notice_text(new), link=lambda member: reverse("carte:team"))
        flagged += len(new)
    return flagged


def _first_notice(place, today):
    try:
        with transaction.atomic():
            StalePlaceNotice.objects.create(place=place, due_on=due_on(place, today))
    except IntegrityError:  # told already for this year (by this run's twin, or an earlier one)
        return False
    return True


def _notice_text(places):
    names = ", ".join(f"« {place.name} »" for place in places[:NAMED_IN_NOTICE])
    if len(places) > NAMED_IN_NOTICE:
        names += " " + _("et %(count)d autres") % {"count": len(places) - NAMED_IN_NOTICE}
    return ngettext(
        "Un lieu de la carte n'a pas été vérifié depuis un an : %(names)s. Vérifiez-le et touchez « J'ai vérifié ».",
        "%(count)d lieux de la carte n'ont pas été vérifiés depuis un an : %(names)s. "
        "Vérifiez-les et touchez « J'ai vérifié ».",
        len(places),
    ) % {"count": len(places), "names": names}
