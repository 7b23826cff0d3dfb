"""Every write of the procedures' calendar: deadlines written ahead from each procedure's rule and dated windows.

Like the agenda's occurrences, deadlines are materialised rows: written when a procedure is saved and extended
each night (`demarches.tasks`), so that pages, sections and feeds only read them. Writing is idempotent: the
rows a procedure should have are compared with those it has, and only the difference is written.
"""

from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import can_act_for
from core import freshness
from core.errors import NotAllowed, PlacetteError
from demarches import notices
from demarches.models import Contact, Follow, FollowReminder, Procedure, ProcedureDeadline
from demarches.rules import Rhythm
from notifications import sms_numbers
from notifications.models import Delivery, SmsNumber
from notifications.services import Text, notify, queue_texts, sms_budget_left, tell_team_sms_budget_spent
from quartier.models import centre_ids_run_by

# A yearly procedure (the income tax return) must show its next window all year round: a year and a bit ahead.
HORIZON_DAYS = 400


def horizon(today=None):
    """The last day a window may open on to be written now."""
    return (today or timezone.localdate()) + timedelta(days=HORIZON_DAYS)


def windows_of(procedure, *, today=None):
    """(opens_on, closes_on) of every window not yet closed and opening by the horizon: rule and dated ones."""
    today = today or timezone.localdate()
    until = horizon(today)
    windows = set(procedure.rule.windows(today, until))
    if procedure.rhythm != Rhythm.NONE:
        windows |= {
            (window.opens_on, window.closes_on)
            for window in procedure.dated_windows.all()
            if window.closes_on >= today and window.opens_on <= until
        }
    return sorted(windows)


@transaction.atomic
def materialise(procedure, *, today=None):
    """Write the procedure's deadlines from today to the horizon; returns (added, removed).

    Past deadlines stay: they are history, and nothing reads them for reminders. A window the editor removed,
    or a rule changed, deletes the rows not yet closed that no longer match.
    """
    today = today or timezone.localdate()
    wanted = set(windows_of(procedure, today=today))
    existing = {
        (deadline.opens_on, deadline.closes_on): deadline.pk
        for deadline in ProcedureDeadline.objects.select_for_update().filter(procedure=procedure).current(today)
    }
    added = wanted - existing.keys()
    removed = [pk for window, pk in existing.items() if window not in wanted]
    # The lock above holds the rows that exist, not those being added: an editor's save and the nightly task may
    # write the same new window at once, and the second one must find it there rather than fail.
    ProcedureDeadline.objects.bulk_create(
        [
            ProcedureDeadline(procedure=procedure, opens_on=opens_on, closes_on=closes_on)
            for opens_on, closes_on in added
        ],
        ignore_conflicts=True,
    )
    if removed:
        ProcedureDeadline.objects.filter(pk__in=removed).delete()
    if added or removed:
        # bulk_create sends no post_save: the pages showing these deadlines are staled here (core/freshness.py).
        transaction.on_commit(partial(freshness.bump, *freshness.scopes_of_write(procedure)), robust=True)
    return len(added), len(removed)


def extend_horizon(today=None):
    """Materialise every procedure up to today's horizon (one more day each night); returns how many were added."""
    added = 0
    for procedure in Procedure.objects.prefetch_related("dated_windows").iterator(chunk_size=200):
        added += materialise(procedure, today=today)[0]
    return added


# Following procedures: "Prévenez-moi avant la date", for a resident or a front-desk contact, and the reminders.


class FollowRefused(PlacetteError):
    """Following, or keeping a front-desk contact, is not allowed or not possible as asked."""


def follow(procedure, person, *, days_before, by=None):
    """`person` follows `procedure`, told `days_before` each deadline; following again changes when. `by` is the
    mediator acting for them, recorded as the one who set it up."""
    if not person.is_authenticated or not person.is_active:
        raise FollowRefused(_("Connectez-vous pour être prévenu."))
    if by is not None and not can_act_for(by, person):
        raise NotAllowed(_("Cette personne ne vous a pas donné son accord pour agir pour elle."))
    if days_before not in Follow.DaysBefore.values:
        raise FollowRefused(_("Choisissez quand être prévenu."))
    with transaction.atomic():
        followed, created = Follow.objects.get_or_create(
            procedure=procedure, user=person, defaults={"days_before": days_before, "created_by": by}
        )
        if not created and followed.days_before != days_before:
            followed.days_before = days_before
            followed.save(update_fields=["days_before"])
    return followed


def unfollow(procedure, person, *, by=None):
    """`person` stops following `procedure`; returns whether they followed it."""
    if by is not None and not can_act_for(by, person):
        raise NotAllowed(_("Cette personne ne vous a pas donné son accord pour agir pour elle."))
    with transaction.atomic():
        deleted, _rows = Follow.objects.filter(procedure=procedure, user=person).delete()
    return bool(deleted)


def _check_runs(user, centre):
    if centre.pk not in centre_ids_run_by(user):
        raise NotAllowed(_("Seule l'équipe du centre peut s'occuper de ses contacts."))


def save_contact(centre, *, by, name, phone, procedures, days_before, accepts_campaigns, contact=None):
    """The front desk records someone without an account and what they follow, with their consent of today.

    A number the centre already has updates that contact rather than making a second one; the procedures not
    ticked any more stop being followed. Returns (contact, created).
    """
    _check_runs(by, centre)
    procedures = list(procedures)
    allowed = set(Procedure.objects.for_centre(centre).values_list("pk", flat=True))
    if not procedures or any(procedure.pk not in allowed for procedure in procedures):
        raise FollowRefused(_("Choisissez au moins une démarche de ce centre."))
    if days_before not in Follow.DaysBefore.values:
        raise FollowRefused(_("Choisissez quand prévenir la personne."))
    values = {
        "name": name,
        "phone": phone,
        "consent_on": timezone.localdate(),
        "consent_taken_by": by,
        "accepts_campaigns": accepts_campaigns,
    }
    with transaction.atomic():
        if contact is None:
            contact, created = Contact.objects.select_for_update().get_or_create(
                centre=centre, phone=phone, defaults=values
            )
        else:
            contact, created = Contact.objects.select_for_update().get(pk=contact.pk, centre=centre), False
            if Contact.objects.filter(centre=centre, phone=phone).exclude(pk=contact.pk).exists():
                raise FollowRefused(_("Un autre contact du centre a déjà ce numéro."))
        if not created:
            for field, value in values.items():
                setattr(contact, field, value)
            contact.save()
        dropped = contact.follows.exclude(procedure__in=procedures)
        _cancel_waiting_texts(dropped.values_list("pk", flat=True))
        dropped.delete()
        contact.follows.filter(procedure__in=procedures).update(days_before=days_before)
        followed = set(contact.follows.values_list("procedure_id", flat=True))
        Follow.objects.bulk_create(
            Follow(procedure=procedure, contact=contact, days_before=days_before, created_by=by)
            for procedure in procedures
            if procedure.pk not in followed
        )
    return contact, created


def delete_contact(contact, *, by):
    """Erase a front-desk contact and what they follow; their number's STOP, if they said it, stays."""
    _check_runs(by, contact.centre)
    with transaction.atomic():
        _cancel_waiting_texts(contact.follows.values_list("pk", flat=True))
        contact.delete()


def resume_contact_sms(contact, *, by):
    """The contact told the team they want SMS again after a STOP: recorded as the team's, with who; False when
    their number had not said STOP."""
    _check_runs(by, contact.centre)
    return sms_numbers.resume(contact.phone, how=SmsNumber.How.TEAM, by=by)


def _cancel_waiting_texts(follow_ids):
    """The reminders of these follows still waiting to leave (for the morning, say) do not leave any more."""
    keys = Q()
    for follow_id in follow_ids:
        keys |= Q(idempotency_key__startswith=f"follow-{follow_id}-deadline-")
    if keys:
        Delivery.objects.filter(keys, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.CANCELLED, last_error=_("La personne ne suit plus cette démarche.")
        )


def due_reminders(today):
    """(follow id, deadline id) of every reminder due: a deadline not yet closed, `days_before` or less away
    (a day missed by a stopped worker is caught up until it closes), not yet reminded, to a number that did not
    say STOP."""
    stopped = SmsNumber.objects.filter(stopped_at__isnull=False).values("phone")
    pairs = []
    for days in Follow.DaysBefore.values:
        follows = (
            Follow.objects.filter(
                days_before=days,
                procedure__deadlines__closes_on__gte=today,
                procedure__deadlines__closes_on__lte=today + timedelta(days=days),
            )
            .exclude(contact__phone__in=stopped)
            .annotate(deadline_id=F("procedure__deadlines__pk"))
            .exclude(Exists(FollowReminder.objects.filter(follow=OuterRef("pk"), deadline=OuterRef("deadline_id"))))
            .order_by("pk", "deadline_id")
        )
        pairs += follows.values_list("pk", "deadline_id")
    return pairs


def send_due_follow_reminders(now=None):
    """Remind each follower of each deadline once, by their channel (a contact by SMS); returns how many went.

    A contact's reminder waits while the centre's SMS budget is spent (the team is told, once a month): nothing is
    recorded, so it goes on the first run the budget allows, and never once the deadline has closed.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    return sum(send_follow_reminder(follow_id, deadline_id, now) for follow_id, deadline_id in due_reminders(today))


def send_follow_reminder(follow_id, deadline_id, now):
    """Tell one follower of one deadline, with the row that says it was told, in one transaction."""
    today = timezone.localdate(now)
    with transaction.atomic():
        followed = Follow.objects.select_related("procedure", "user", "contact__centre").filter(pk=follow_id).first()
        deadline = ProcedureDeadline.objects.select_related("procedure").filter(pk=deadline_id).first()
        if followed is None or deadline is None:
            return 0
        contact = followed.contact
        if contact is not None and not sms_budget_left(contact.centre, now):
            tell_team_sms_budget_spent(contact.centre, now)
            return 0
        try:
            # A second worker on the same reminder waits here for the first one's commit, then finds it written.
            with transaction.atomic():
                FollowReminder.objects.create(follow=followed, deadline=deadline, sent_at=now)
        except IntegrityError:
            return 0
        if contact is not None:
            text = notices.contact_sms(
                deadline, contact.centre, reverse("demarches:short", args=[deadline.procedure_id]), today
            )
            key = f"follow-{followed.pk}-deadline-{deadline.pk}"
            queue_texts([Text(contact.phone, text, key)], centre=contact.centre, due_at=now)
        else:
            notify(
                followed.user,
                notices.REMINDER.key,
                notices.reminder_text(deadline, today),
                url=deadline.procedure.get_absolute_url(),
                centre=deadline.procedure.centre,
            )
    return 1
