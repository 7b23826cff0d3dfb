"""The time bank's ledger: accounts, the transfer an agreement done makes, staff corrections, statements, figures.

Every movement is one `Transfer` row taking minutes from one account and giving them to another, so
the sum of all balances is zero by construction; a balance is only ever computed from transfers.
Nothing here updates or deletes a transfer: a mistake is put right by a new transfer the other way.
"""

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotAllowed, PlacetteError
from echanges import notices
from echanges.models import ALLOWED_MINUTES, MAX_MINUTES, Account, Agreement, ModerationAction, Transfer
from notifications.services import notify
from quartier.models import CentrePage


class InvalidHours(PlacetteError):
    pass


def check_minutes(minutes):
    """Quarter hours, more than nothing and at most the bound: the same rule for agreements and corrections."""
    if minutes is None or minutes not in ALLOWED_MINUTES:
        raise InvalidHours(
            _("Indiquez une durée en quarts d'heure, entre un quart d'heure et %(max)s heures.")
            % {"max": MAX_MINUTES // 60}
        )
    return minutes


def account_for(user):
    account, _created = Account.objects.get_or_create(owner=user)
    return account


def balance(user):
    """Minutes the person has been given minus minutes they gave, through transfers only."""
    account = Account.objects.filter(owner=user).first()
    return account.balance_minutes() if account else 0


def record_agreement_transfer(agreement):
    """The hours of a time-bank agreement done: from the person who received the help to the one who gave it.

    Called inside the transaction that marks the agreement done; the unique `Transfer.agreement` makes a
    second transfer for the same agreement impossible, whatever happens around it.
    """
    return Transfer.objects.create(
        payer=account_for(agreement.receiver),
        payee=account_for(agreement.giver),
        minutes=check_minutes(agreement.minutes),
        agreement=agreement,
    )


@transaction.atomic
def record_correction(staff, *, payer, payee, minutes, note, corrects=None):
    """A staff member moves hours by hand (a mistake, a forgotten exchange), with a reason, for the record."""
    centres = CentrePage.objects.run_by(staff).filter(memberships__user__in=[payer, payee]).distinct()
    if not staff.is_superuser and not centres.exists():
        raise NotAllowed(_("Seule l'équipe d'un centre de ces personnes peut corriger leurs heures."))
    if payer == payee:
        raise PlacetteError(_("Choisissez deux personnes différentes."))
    note = (note or "").strip()
    if not note:
        raise PlacetteError(_("Dites pourquoi vous corrigez les heures."))
    transfer = Transfer.objects.create(
        payer=account_for(payer),
        payee=account_for(payee),
        minutes=check_minutes(minutes),
        corrects=corrects,
        recorded_by=staff,
        note=note[:200],
    )
    # The record goes to a centre the staff member runs, or for a network admin to a centre of the people.
    centre = centres.first() or CentrePage.objects.filter(memberships__user__in=[payer, payee]).first()
    if centre is not None:
        ModerationAction.objects.create(
            moderator=staff, action=ModerationAction.Action.CORRECT, person=payee, centre=centre, note=note
        )
    text = _("L'équipe du centre a corrigé vos heures : %(note)s") % {"note": note}
    for person in (payer, payee):
        notify(person, notices.AGREEMENT.key, text, url=statement_url(), actor=staff)
    return transfer


def statement_url():
    return reverse("echanges:statement")


@dataclass
class Line:
    """One line of a statement: a transfer seen from one account."""

    when: datetime
    label: str
    other: object
    minutes: int
    balance: int

    @property
    def received(self):
        return self.minutes > 0


def statement(user):
    """Every transfer of the person's account, oldest first, with the balance after each one."""
    account = Account.objects.filter(owner=user).first()
    if account is None:
        return []
    transfers = (
        Transfer.objects.filter(Q(payer=account) | Q(payee=account))
        .select_related("agreement", "payer__owner", "payee__owner")
        .order_by("created_at", "pk")
    )
    lines, running = [], 0
    for transfer in transfers:
        incoming = transfer.payee_id == account.pk
        signed = transfer.minutes if incoming else -transfer.minutes
        running += signed
        other = transfer.payer.owner if incoming else transfer.payee.owner
        if transfer.agreement_id:
            label = transfer.agreement.what
        else:
            label = _("Correction par l'équipe : %(note)s") % {"note": transfer.note}
        lines.append(Line(transfer.created_at, label, other, signed, running))
    return lines


@dataclass
class Month:
    month: date
    exchanges: int
    minutes: int
    people: int


def centre_figures(centre, *, months=12, today=None):
    """Per month, for the centre's offers: exchanges done, hours exchanged, and how many different people took part."""
    today = today or timezone.localdate()
    first = today.replace(day=1) - relativedelta(months=months - 1)
    done = Agreement.objects.filter(
        status=Agreement.Status.DONE, conversation__offer__centre=centre, done_at__date__gte=first
    ).annotate(month=TruncMonth("done_at"))
    totals = {
        row["month"].date() if isinstance(row["month"], datetime) else row["month"]: row
        for row in done.values("month").annotate(exchanges=Count("pk"), minutes=Sum("transfer__minutes"))
    }
    people = {}
    for month, giver, receiver in done.values_list("month", "giver", "receiver"):
        key = month.date() if isinstance(month, datetime) else month
        people.setdefault(key, set()).update((giver, receiver))
    return [
        Month(month, totals[month]["exchanges"], totals[month]["minutes"] or 0, len(people.get(month, ())))
        for month in sorted(totals, reverse=True)
    ]
