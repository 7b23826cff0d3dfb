"""Reports and what moderators do about them: every write checked, atomic, logged and told to the people concerned.

Anyone signed in reports an offer, a message of one of their conversations, or a person. The report goes to the
centre it concerns (the offer's, the conversation's offer's, or for a person see `person_report_centre`), whose
editors and mediators are told. Only people who run that centre (`CentrePage.objects.run_by`) see it and act on
it: another centre's report is "not found". Each action writes a `ModerationAction`; the person concerned is told
of a hidden content, a warning or a suspension, and the reporter of the outcome (its label only, never the team's
note).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotAllowed, PlacetteError
from echanges import notices
from echanges.models import Conversation, Message, ModerationAction, Offer, Report, Suspension
from echanges.services import create_unless_open
from home.templatetags.french import moment, short_day
from notifications.services import notify
from quartier.models import CentrePage, Membership, team_of

DETAILS_MAX = Report._meta.get_field("details").max_length
NOTE_MAX = ModerationAction._meta.get_field("note").max_length
SUSPENSION_DAYS_MAX = 365
# Messages shown around a reported one: enough to understand it, no more of a private conversation.
MESSAGES_AROUND = 2


class AlreadyReported(PlacetteError):
    """The reporter's earlier report on the same thing is still open: nothing new is written."""


class ReportClosed(PlacetteError):
    pass


# Filing a report.


def report_offer(reporter, offer_id, *, reason, details=""):
    """Report an offer anyone may read; its author's own offer cannot be reported. Raises Offer.DoesNotExist."""
    offer = Offer.objects.shown().select_related("centre", "author").get(pk=offer_id)
    if offer.author_id == reporter.pk:
        raise NotAllowed(_("C'est votre propre annonce : vous ne pouvez pas la signaler."))
    return _file(
        reporter,
        offer.author,
        offer.centre,
        reason=reason,
        details=details,
        offer=offer,
        what=_("l'annonce « %(title)s »") % {"title": offer.title},
    )


def report_message(reporter, message_id, *, reason, details=""):
    """Report a message of a conversation `reporter` takes part in. Raises Message.DoesNotExist otherwise."""
    message = (
        Message.objects.filter(conversation__in=Conversation.objects.involving(reporter), hidden=False)
        .select_related("sender", "conversation__offer__centre")
        .get(pk=message_id)
    )
    if message.sender_id == reporter.pk:
        raise NotAllowed(_("C'est votre propre message : vous ne pouvez pas le signaler."))
    return _file(
        reporter,
        message.sender,
        message.conversation.offer.centre,
        reason=reason,
        details=details,
        message=message,
        what=_("un message au sujet de « %(title)s »") % {"title": message.conversation.offer.title},
    )


def report_person(reporter, person_id, *, reason, details="", centre=None):
    """Report a person to `centre` (see `person_report_centre`). Raises User.DoesNotExist for an unknown person."""
    person = get_user_model().objects.filter(is_active=True, erased_at__isnull=True).get(pk=person_id)
    if person.pk == reporter.pk:
        raise NotAllowed(_("Vous ne pouvez pas vous signaler vous-même."))
    return _file(
        reporter,
        person,
        person_report_centre(reporter, person, centre),
        reason=reason,
        details=details,
        what=_("la personne %(name)s") % {"name": person},
    )


def person_report_centre(reporter, person, centre=None):
    """The centre whose team handles a report on `person`.

    A centre the reporter names must be one where either of them belongs or where they talked. Otherwise: the
    centre of their latest conversation (where they met), else a centre both belong to, else the reporter's own
    centre, else the person's. Someone with no tie to any centre is asked to join one first.
    """
    talks = list(
        Conversation.objects.filter(
            Q(starter=reporter, offer__author=person) | Q(starter=person, offer__author=reporter)
        )
        .order_by("-last_message_at")
        .values_list("offer__centre", flat=True)
    )
    reporter_centres = list(
        Membership.objects.filter(user=reporter).order_by("joined_at").values_list("centre", flat=True)
    )
    person_centres = list(
        Membership.objects.filter(user=person).order_by("joined_at").values_list("centre", flat=True)
    )
    if centre is not None:
        if centre.pk not in {*talks, *reporter_centres, *person_centres}:
            raise NotAllowed(_("Choisissez un de vos centres, ou un de ceux de cette personne."))
        return centre
    shared = [pk for pk in reporter_centres if pk in person_centres]
    for candidates in (talks, shared, reporter_centres, person_centres):
        if candidates:
            return CentrePage.objects.get(pk=candidates[0])
    raise PlacetteError(
        _("Pour signaler une personne, rejoignez d'abord votre centre social : son équipe recevra votre signalement.")
    )


def _has_open_report(reporter, person, *, offer, message):
    return Report.objects.open().filter(reporter=reporter, person=person, offer=offer, message=message).exists()


def _file(reporter, person, centre, *, reason, details, what, offer=None, message=None):
    if reason not in Report.Reason.values:
        raise PlacetteError(_("Choisissez ce qui ne va pas."))
    with transaction.atomic():
        # One open report per reporter and thing: two quick clicks queue on the reporter's row.
        get_user_model().objects.select_for_update().filter(pk=reporter.pk).first()
        # `report_one_open_per_reporter_and_thing` refuses too, should a write ever skip the lock above.
        report = create_unless_open(
            Report,
            AlreadyReported(_("Vous avez déjà signalé %(what)s. L'équipe du centre va regarder.") % {"what": what}),
            already_open=_has_open_report(reporter, person, offer=offer, message=message),
            reporter=reporter,
            person=person,
            centre=centre,
            offer=offer,
            message=message,
            reason=reason,
            details=details.strip()[:DETAILS_MAX],
        )
        text = _("Nouveau signalement au centre %(centre)s : %(what)s. Motif : %(reason)s.") % {
            "centre": centre.title,
            "what": what,
            "reason": report.get_reason_display(),
        }
        for moderator in team_of(centre).exclude(pk__in=[reporter.pk, person.pk]):
            notify(moderator, notices.REPORT_RECEIVED.key, text, url=report_url_for(moderator, report), centre=centre)
    return report


# What moderators see and do.


def report_url_for(moderator, report):
    """Where `moderator` handles `report`: the admin's page with admin access, else the team's (docs/adr/0008)."""
    if moderator.has_perm("wagtailadmin.access_admin"):
        return reverse("echanges_reports:detail", args=[report.pk])
    return reverse("echanges:team_report", args=[report.pk])


def reports_moderated_by(moderator):
    """Reports of the centres `moderator` runs (all of them for network admins)."""
    if moderator.is_superuser:
        return Report.objects.all()
    return Report.objects.filter(centre__in=CentrePage.objects.run_by(moderator))


def open_first(reports):
    """Open reports first, newest first within each state."""
    waiting = Case(When(status=Report.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return reports.order_by(waiting, "-created_at", "-pk")


def messages_around(message):
    """The reported message with the few just before and after it in its conversation, oldest first."""
    siblings = Message.objects.filter(conversation_id=message.conversation_id).select_related("sender")
    earlier = Q(sent_at__lt=message.sent_at) | Q(sent_at=message.sent_at, pk__lt=message.pk)
    later = Q(sent_at__gt=message.sent_at) | Q(sent_at=message.sent_at, pk__gt=message.pk)
    before = list(siblings.filter(earlier).order_by("-sent_at", "-pk")[:MESSAGES_AROUND])
    after = list(siblings.filter(later).order_by("sent_at", "pk")[:MESSAGES_AROUND])
    return [*reversed(before), message, *after]


def report_record(report, moderator):
    """What a moderator reads beside a report: the conversation around it, what was done, the person's record."""
    person = report.person
    return {
        "report": report,
        "can_act": report.status == Report.Status.OPEN and person.pk != moderator.pk,
        "has_content": bool(report.offer_id or report.message_id),
        "conversation": messages_around(report.message) if report.message_id else [],
        "actions": report.actions.select_related("moderator").order_by("created_at", "pk"),
        "person_reports": Report.objects.filter(person=person).count(),
        "person_actions": ModerationAction.objects.filter(person=person)
        .exclude(action=ModerationAction.Action.CLOSE)
        .count(),
        "suspended_until": Suspension.objects.current().filter(person=person).order_by("-until").first(),
    }


def actions_seen_by(moderator):
    """The moderation log of the centres `moderator` runs."""
    if moderator.is_superuser:
        return ModerationAction.objects.all()
    return ModerationAction.objects.filter(centre__in=CentrePage.objects.run_by(moderator))


def _open_report_for(moderator, report_id):
    """The report, locked, if `moderator` runs its centre (else Report.DoesNotExist) and it is still open."""
    report = (
        reports_moderated_by(moderator)
        .select_for_update(of=("self",))
        .select_related("centre", "person", "reporter", "offer", "message__conversation__offer")
        .get(pk=report_id)
    )
    if report.person_id == moderator.pk:
        raise NotAllowed(_("Ce signalement vous concerne : un autre membre de l'équipe doit le traiter."))
    if report.status != Report.Status.OPEN:
        raise ReportClosed(_("Ce signalement est déjà traité."))
    return report


def _log(report, moderator, action, note):
    return ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        person=report.person,
        report=report,
        centre=report.centre,
        note=note.strip()[:NOTE_MAX],
    )


def hide_content(report_id, moderator, *, note=""):
    """Hide the reported offer or message from everyone, and tell its author."""
    with transaction.atomic():
        report = _open_report_for(moderator, report_id)
        if report.offer is not None:
            # save(), not update(): the search index and the cached public pages follow post_save.
            report.offer.hidden = True
            report.offer.save(update_fields=["hidden", "updated_at"])
            text = _(
                "L'équipe du centre %(centre)s a masqué votre annonce « %(title)s ». "
                "Elle ne respecte pas les règles des échanges. Pour en parler, contactez le centre."
            ) % {"centre": report.centre.title, "title": report.offer.title}
        elif report.message is not None:
            report.message.hidden = True
            report.message.save(update_fields=["hidden"])
            text = _(
                "L'équipe du centre %(centre)s a masqué un de vos messages au sujet de « %(title)s ». "
                "Il ne respecte pas les règles des échanges. Pour en parler, contactez le centre."
            ) % {"centre": report.centre.title, "title": report.message.conversation.offer.title}
        else:
            raise PlacetteError(_("Ce signalement porte sur une personne : il n'y a pas de contenu à masquer."))
        action = _log(report, moderator, ModerationAction.Action.HIDE, note)
        notify(report.person, notices.MODERATION.key, text, centre=report.centre)
    return action


def warn_person(report_id, moderator, *, note):
    """Send the person a warning in the team's own words."""
    note = note.strip()
    if not note:
        raise PlacetteError(_("Écrivez le message d'avertissement pour la personne."))
    with transaction.atomic():
        report = _open_report_for(moderator, report_id)
        action = _log(report, moderator, ModerationAction.Action.WARN, note)
        text = _("Avertissement de l'équipe du centre %(centre)s : « %(note)s »") % {
            "centre": report.centre.title,
            "note": note,
        }
        notify(report.person, notices.MODERATION.key, text, centre=report.centre)
    return action


def suspend_person(report_id, moderator, *, days, note):
    """Keep the person out of the exchange for `days` days from now, and tell them until when and why."""
    note = note.strip()
    if not isinstance(days, int) or not 1 <= days <= SUSPENSION_DAYS_MAX:
        raise PlacetteError(_("Choisissez une durée entre 1 et %(max)s jours.") % {"max": SUSPENSION_DAYS_MAX})
    if not note:
        raise PlacetteError(_("Écrivez le motif de la suspension : la personne le lira."))
    with transaction.atomic():
        report = _open_report_for(moderator, report_id)
        until = timezone.now() + timedelta(days=days)
        Suspension.objects.create(
            person=report.person,
            until=until,
            reason=note[: Suspension._meta.get_field("reason").max_length],
            decided_by=moderator,
        )
        action = _log(report, moderator, ModerationAction.Action.SUSPEND, note)
        text = _(
            "L'équipe du centre %(centre)s a suspendu votre compte des échanges jusqu'au %(until)s. "
            "D'ici là, vous ne pouvez ni publier d'annonce ni écrire de message. Motif : « %(note)s »"
        ) % {
            "centre": report.centre.title,
            "until": moment(until),
            "note": note,
        }
        notify(report.person, notices.MODERATION.key, text, centre=report.centre)
    return action


def outcome_done(report):
    """The strongest outcome the team's actions on this report allow, for the closing form's first choice."""
    done = set(report.actions.values_list("action", flat=True))
    for action, outcome in (
        (ModerationAction.Action.SUSPEND, Report.Outcome.SUSPENDED),
        (ModerationAction.Action.WARN, Report.Outcome.WARNED),
        (ModerationAction.Action.HIDE, Report.Outcome.HIDDEN),
    ):
        if action in done:
            return outcome
    return Report.Outcome.NOTHING


def close_report(report_id, moderator, *, outcome, note=""):
    """Close the report with its outcome, and tell the reporter the outcome (the note stays with the team).

    The outcome must match what was done: "contenu masqué" needs the content hidden, "personne avertie" a
    warning and "personne suspendue" a suspension, so that the reporter is never told something untrue.
    """
    if outcome not in Report.Outcome.values:
        raise PlacetteError(_("Choisissez la décision."))
    with transaction.atomic():
        report = _open_report_for(moderator, report_id)
        done = set(report.actions.values_list("action", flat=True))
        needed = {
            Report.Outcome.HIDDEN: ModerationAction.Action.HIDE,
            Report.Outcome.WARNED: ModerationAction.Action.WARN,
            Report.Outcome.SUSPENDED: ModerationAction.Action.SUSPEND,
        }.get(outcome)
        content_hidden = (report.offer is not None and report.offer.hidden) or (
            report.message is not None and report.message.hidden
        )
        if needed is not None and needed not in done and not (outcome == Report.Outcome.HIDDEN and content_hidden):
            raise PlacetteError(
                _("Cette décision ne correspond pas à ce qui a été fait. Faites d'abord l'action, puis clôturez.")
            )
        report.status = Report.Status.CLOSED
        report.outcome = outcome
        report.note = note.strip()[: Report._meta.get_field("note").max_length]
        report.closed_at = timezone.now()
        report.closed_by = moderator
        report.save(update_fields=["status", "outcome", "note", "closed_at", "closed_by"])
        action = _log(report, moderator, ModerationAction.Action.CLOSE, note)
        text = _(
            "Merci pour votre signalement du %(date)s. L'équipe du centre %(centre)s l'a regardé. "
            "Décision : %(outcome)s."
        ) % {
            "date": short_day(report.created_at),
            "centre": report.centre.title,
            "outcome": report.get_outcome_display(),
        }
        notify(report.reporter, notices.MODERATION.key, text, centre=report.centre)
    return action
