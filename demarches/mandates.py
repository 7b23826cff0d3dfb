"""Every write of a mandate: recording it with the resident present, revoking it, noting a procedure done under it,
and the notice before it ends. Checks first, one transaction, notifications inside it (docs/adr/0010).

A mandate is not the acting-for consent (accounts.models.Consent): that one lets a mediator use Placette as the
resident; a mandate lets the centre's team do named procedures for them on other sites, and needs no consent.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notices import ACTED_FOR
from core.errors import NotAllowed
from demarches import notices
from demarches.models import (
    ENDING_SOON_DAYS,
    Domain,
    Mandate,
    MandateAction,
    Procedure,
    longest_end,
)
from home.templatetags.french import day
from notifications.services import notify, tell_team
from quartier.models import Membership, centre_ids_run_by


class MandateRefused(NotAllowed):
    """A mandate, or a procedure under one, is refused; `field` is the form's field the sentence goes next to."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


def check_dates(starts_on, ends_on):
    """One day to twelve months, to the day: a shorter or longer mandate is refused next to its end date."""
    if ends_on <= starts_on:
        raise MandateRefused(_("Un mandat dure au moins un jour : choisissez une fin plus tard."), field="ends_on")
    if ends_on > longest_end(starts_on):
        raise MandateRefused(
            _("Un mandat dure 12 mois au plus : choisissez une fin au plus tard le %(day)s.")
            % {"day": day(longest_end(starts_on), "year")},
            field="ends_on",
        )


def check_scopes(scopes):
    known = set(Domain.values)
    if not scopes or any(scope not in known for scope in scopes):
        raise MandateRefused(_("Cochez au moins un domaine de la liste."), field="scopes")
    return [value for value in Domain.values if value in set(scopes)]


def terms_in_words(centre, resident, scopes, starts_on, ends_on):
    """What the resident reads on the mediator's screen before saying yes; kept with the mandate as it was shown."""
    labels = dict(Domain.choices)
    lines = [
        _(
            "Moi, %(resident)s, je donne mandat à l'équipe du centre %(centre)s pour faire à ma place mes démarches "
            "en ligne dans ces domaines :"
        )
        % {"resident": resident, "centre": centre.title},
        *(f"– {labels[scope]}" for scope in scopes),
        _("Du %(starts)s au %(ends)s inclus.") % {"starts": day(starts_on, "year"), "ends": day(ends_on, "year")},
        _(
            "Chaque démarche faite est notée ; je la lis dans mon compte ou sur papier. "
            "Je peux arrêter ce mandat à tout moment."
        ),
    ]
    return "\n".join(str(line) for line in lines)


def record_mandate(
    mediator, *, centre, resident, scopes, starts_on, ends_on, consent_mode, consent_scan=None, consent_shown=""
):
    """A centre's team member records a mandate with the resident present; the resident is told by their channel."""
    if centre.pk not in centre_ids_run_by(mediator):
        raise NotAllowed(_("Vous ne faites pas partie de l'équipe de ce centre."))
    if resident.pk == mediator.pk:
        raise MandateRefused(_("Un mandat se donne à quelqu'un d'autre que soi."), field="membership")
    if resident.erased_at or not resident.is_active:
        raise MandateRefused(_("Ce compte n'existe plus."), field="membership")
    scopes = check_scopes(scopes)
    check_dates(starts_on, ends_on)
    if consent_mode == Mandate.ConsentMode.PAPER and not consent_scan:
        raise MandateRefused(_("Ajoutez le scan ou la photo du papier signé."), field="consent_scan")
    if consent_mode == Mandate.ConsentMode.SCREEN and not consent_shown:
        raise MandateRefused(_("La personne doit lire et accepter le mandat sur votre écran."), field="consent_given")
    with transaction.atomic():
        # Leaving the centre at this moment waits for the mandate, or the mandate finds the person gone.
        if not Membership.objects.select_for_update().filter(user=resident, centre=centre).exists():
            raise MandateRefused(_("Cette personne n'est pas membre du centre."), field="membership")
        mandate = Mandate.objects.create(
            centre=centre,
            resident=resident,
            recorded_by=mediator,
            scopes=scopes,
            starts_on=starts_on,
            ends_on=ends_on,
            consent_mode=consent_mode,
            consent_scan=consent_scan if consent_mode == Mandate.ConsentMode.PAPER else "",
            consent_shown=consent_shown if consent_mode == Mandate.ConsentMode.SCREEN else "",
        )
        notify(
            resident,
            notices.MANDATE.key,
            _(
                "Vous avez donné mandat au centre %(centre)s pour vos démarches en ligne, jusqu'au %(day)s. "
                "Vous pouvez l'arrêter à tout moment."
            )
            % {"centre": centre.title, "day": day(ends_on, "year")},
            url=reverse("demarches:my_mandate", args=[mandate.pk]),
            actor=mediator,
            centre=centre,
        )
    return mandate


def _locked(mandates, mandate_id):
    """The mandate, locked, or None; `of` self: PostgreSQL locks no nullable side of a join (`recorded_by`)."""
    return (
        mandates.select_for_update(of=("self",))
        .select_related("centre", "resident", "recorded_by")
        .filter(pk=mandate_id)
        .first()
    )


def may_revoke(person, mandate):
    return person.is_authenticated and (
        person.pk == mandate.resident_id or mandate.centre_id in centre_ids_run_by(person)
    )


def revoke_mandate(person, mandate_id, *, reason=""):
    """The resident or the centre's team ends a mandate now; the other side is told."""
    with transaction.atomic():
        mandate = _locked(Mandate.objects.all(), mandate_id)
        if not mandate or not may_revoke(person, mandate):
            raise NotAllowed(_("Ce mandat n'existe pas ou n'est pas le vôtre."))
        if mandate.revoked_at is not None:
            raise MandateRefused(_("Ce mandat est déjà révoqué."))
        mandate.revoked_at = timezone.now()
        mandate.revoked_by = person
        mandate.revoke_reason = reason.strip()[:200]
        mandate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        if person.pk == mandate.resident_id:
            text = _("%(resident)s a arrêté son mandat : plus aucune démarche ne peut être faite avec.") % {
                "resident": mandate.resident
            }
            _tell_mediators(mandate, text, actor=person)
        else:
            notify(
                mandate.resident,
                notices.MANDATE.key,
                _("Le centre %(centre)s a arrêté votre mandat. Plus aucune démarche n'est faite pour vous.")
                % {"centre": mandate.centre.title},
                url=reverse("demarches:my_mandate", args=[mandate.pk]),
                actor=person,
                centre=mandate.centre,
            )
    return mandate


def _tell_mediators(mandate, text, *, actor=None):
    """The mediator who recorded the mandate if still in the team, else the whole team."""
    url = reverse("demarches:team_mandate", args=[mandate.pk])
    mediator = mandate.recorded_by
    if mediator is not None and mediator.is_active and mandate.centre_id in centre_ids_run_by(mediator):
        notify(mediator, notices.MANDATE_TEAM.key, text, url=url, actor=actor, centre=mandate.centre)
    else:
        tell_team(mandate.centre, notices.MANDATE_TEAM.key, text, link=lambda member: url, actor=actor)


def procedures_for(mandate):
    """The procedures a mandate covers: the network's and its centre's own, in its domains."""
    return Procedure.objects.for_centre(mandate.centre_id).filter(domain__in=mandate.scopes)


def record_action(mediator, mandate_id, *, procedure, done_on, outcome, next_step=""):
    """Note a procedure done on an outside site; only under a mandate in force that day and covering its domain."""
    today = timezone.localdate()
    with transaction.atomic():
        # Locked: a revocation at this moment comes before or after the note, never beside it.
        mandate = _locked(Mandate.objects.for_centre_team(mediator), mandate_id)
        if not mandate:
            raise NotAllowed(_("Ce mandat n'existe pas ou n'est pas celui de votre centre."))
        if mandate.revoked_at is not None:
            raise MandateRefused(_("Ce mandat est révoqué : aucune démarche ne peut plus être faite avec."))
        if mandate.ends_on < today:
            raise MandateRefused(
                _("Ce mandat est fini depuis le %(day)s. Faites-en un nouveau avec la personne.")
                % {"day": day(mandate.ends_on, "year")}
            )
        if done_on > today:
            raise MandateRefused(_("Une démarche faite ne peut pas être datée de demain."), field="done_on")
        if not mandate.starts_on <= done_on <= mandate.ends_on:
            raise MandateRefused(
                _("Ce jour-là, le mandat ne valait pas : il commence le %(day)s.")
                % {"day": day(mandate.starts_on, "year")},
                field="done_on",
            )
        if procedure.centre_id not in (None, mandate.centre_id) or not mandate.covers(procedure):
            raise MandateRefused(
                _("Cette démarche n'est pas dans les domaines du mandat : %(scopes)s.")
                % {"scopes": ", ".join(str(label).split(" :")[0] for label in mandate.scope_labels())},
                field="procedure",
            )
        action = MandateAction.objects.create(
            mandate=mandate,
            procedure=procedure,
            procedure_name=procedure.name,
            done_on=done_on,
            outcome=outcome,
            next_step=next_step.strip(),
            done_by=mediator,
        )
        notify(
            mandate.resident,
            ACTED_FOR.key,
            _("%(mediator)s a fait pour vous : %(procedure)s (%(outcome)s).")
            % {"mediator": mediator, "procedure": procedure.name, "outcome": action.get_outcome_display().lower()},
            url=reverse("demarches:my_mandate", args=[mandate.pk]),
            actor=mediator,
            centre=mandate.centre,
        )
    return action


def send_expiry_notices(today=None):
    """Tell the mediator and the resident, once, that a mandate ends within the week; returns how many mandates.

    Only mandates that lasted longer than that week: for a one-day mandate, a notice would say what both know.
    """
    today = today or timezone.localdate()
    due = (
        Mandate.objects.valid_on(today)
        .filter(expiry_notice_sent_on__isnull=True, ends_on__lte=today + dt.timedelta(days=ENDING_SOON_DAYS))
        .select_related("centre", "resident", "recorded_by")
    )
    sent = 0
    for mandate in due:
        if (mandate.ends_on - mandate.starts_on).days <= ENDING_SOON_DAYS:
            continue
        with transaction.atomic():
            # The conditional update is the "once": a second worker, or tomorrow's run, updates nothing.
            if not Mandate.objects.filter(pk=mandate.pk, expiry_notice_sent_on__isnull=True).update(
                expiry_notice_sent_on=today
            ):
                continue
            ends = day(mandate.ends_on, "year")
            _tell_mediators(
                mandate,
                _("Le mandat de %(resident)s finit le %(day)s. Pour continuer, refaites-en un avec la personne.")
                % {"resident": mandate.resident, "day": ends},
            )
            notify(
                mandate.resident,
                notices.MANDATE.key,
                _("Votre mandat pour le centre %(centre)s finit le %(day)s. Pour le continuer, passez au centre.")
                % {"centre": mandate.centre.title, "day": ends},
                url=reverse("demarches:my_mandate", args=[mandate.pk]),
                centre=mandate.centre,
            )
        sent += 1
    return sent
