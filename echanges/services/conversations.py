"""Answering an offer, talking, blocking, and the agreements two people reach: every write, checked and atomic.

A conversation is only ever reached through `Conversation.objects.involving(person)`, so another
person's id answers "not found". Each message and each step of an agreement tells the other person
through `notify()`: written in the same transaction, pushed live and sent by SMS or e-mail after commit.
Each write takes the mediator acting for the person as `by` (checked with `check_may_act_for`).
Confirming locks the agreement row, so that two people confirming at the same moment make one transfer;
proposing locks the conversation row, so that a double click makes one agreement (and the database keeps
one open agreement per conversation whatever happens).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.services import check_may_act_for
from core.errors import NotAllowed, PlacetteError
from echanges import notices
from echanges.models import Agreement, Block, Conversation, Message, Offer, is_suspended
from echanges.services import create_unless_open, ledger
from notifications.services import notify

MESSAGE_MAX = 2000
WHAT_MAX = 200


class Blocked(PlacetteError):
    pass


class AgreementError(PlacetteError):
    pass


def is_blocked_between(person, other):
    """Either one blocked the other: they can no longer write to each other."""
    return Block.objects.filter(Q(blocker=person, blocked=other) | Q(blocker=other, blocked=person)).exists()


def _check_may_write(sender, recipient):
    if is_suspended(sender):
        raise NotAllowed(_("Votre compte est suspendu des échanges pour le moment. Parlez-en à l'équipe du centre."))
    if is_blocked_between(sender, recipient):
        raise Blocked(_("Vous ne pouvez pas écrire à cette personne."))


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise PlacetteError(_("Écrivez votre message avant de l'envoyer."))
    if len(body) > MESSAGE_MAX:
        raise PlacetteError(_("Votre message est trop long : %(max)s signes au plus.") % {"max": MESSAGE_MAX})
    return body


@transaction.atomic
def answer_offer(offer_id, person, *, body, by=None):
    """Write to an offer's author: opens the conversation between them (or continues it) with a first message."""
    check_may_act_for(by, person)
    body = _clean_body(body)
    offer = Offer.objects.open().select_related("author", "centre").get(pk=offer_id)
    if offer.author_id == person.pk:
        raise NotAllowed(_("C'est votre annonce : vous ne pouvez pas y répondre."))
    _check_may_write(person, offer.author)
    conversation, _created = Conversation.objects.get_or_create(offer=offer, starter=person)
    _write(conversation, person, offer.author, body)
    return conversation


@transaction.atomic
def send_message(conversation_id, sender, *, body, by=None):
    """Write in a conversation `sender` takes part in; `by` is the mediator acting for them, if any."""
    check_may_act_for(by, sender)
    body = _clean_body(body)
    conversation = (
        Conversation.objects.involving(sender).select_related("offer__author", "offer__centre", "starter")
    ).get(pk=conversation_id)
    recipient = conversation.other_than(sender)
    _check_may_write(sender, recipient)
    return _write(conversation, sender, recipient, body)


def _write(conversation, sender, recipient, body):
    now = timezone.now()
    message = Message.objects.create(conversation=conversation, sender=sender, body=body, sent_at=now)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    text = _("%(name)s vous écrit au sujet de « %(title)s » : %(excerpt)s") % {
        "name": sender,
        "title": conversation.offer.title,
        "excerpt": Truncator(body).chars(120),
    }
    notify(
        recipient,
        notices.MESSAGE.key,
        text,
        url=conversation.get_absolute_url(),
        actor=sender,
        centre=conversation.offer.centre,
    )
    return message


def block_person(blocker, person, *, by=None):
    """`blocker` and `person` can no longer write to each other."""
    check_may_act_for(by, blocker)
    if blocker.pk == person.pk:
        raise PlacetteError(_("Vous ne pouvez pas vous bloquer vous-même."))
    Block.objects.get_or_create(blocker=blocker, blocked=person)


def unblock_person(blocker, person, *, by=None):
    check_may_act_for(by, blocker)
    Block.objects.filter(blocker=blocker, blocked=person).delete()


def _locked_conversation(person, conversation_id):
    """The conversation, locked until the transaction ends, if `person` takes part in it."""
    return (
        Conversation.objects.involving(person)
        .select_for_update(of=("self",))
        .select_related("offer__author", "offer__centre", "starter")
        .get(pk=conversation_id)
    )


def _has_open_agreement(conversation):
    return conversation.agreements.filter(status__in=[Agreement.Status.PROPOSED, Agreement.Status.ACCEPTED]).exists()


@transaction.atomic
def propose_agreement(conversation_id, person, *, what, on=None, minutes=None, i_give, by=None):
    """Propose what will be done: `i_give` says whether `person` gives (or helps) or receives."""
    check_may_act_for(by, person)
    # Two clicks at once queue on the conversation's row: the second sees the first one's agreement.
    conversation = _locked_conversation(person, conversation_id)
    other = conversation.other_than(person)
    _check_may_write(person, other)
    what = (what or "").strip()
    if not what:
        raise AgreementError(_("Dites en quelques mots ce qui est prévu."))
    if len(what) > WHAT_MAX:
        raise AgreementError(_("%(max)s signes au plus pour dire ce qui est prévu.") % {"max": WHAT_MAX})
    if conversation.offer.mode == Offer.Mode.TIME:
        ledger.check_minutes(minutes)
    else:
        minutes = None
    # Only `agreement_one_open_per_conversation` can refuse these values: the other checks ran above.
    agreement = create_unless_open(
        Agreement,
        AgreementError(_("Un accord est déjà en cours dans cette conversation.")),
        already_open=_has_open_agreement(conversation),
        conversation=conversation,
        proposed_by=person,
        giver=person if i_give else other,
        receiver=other if i_give else person,
        what=what,
        on=on,
        minutes=minutes,
    )
    _tell(agreement, other, _("%(name)s vous propose un accord : « %(what)s ». Acceptez-vous ?"), person)
    return agreement


def _tell(agreement, recipient, template, actor):
    conversation = agreement.conversation
    notify(
        recipient,
        notices.AGREEMENT.key,
        template % {"name": actor, "what": agreement.what},
        url=conversation.get_absolute_url(),
        actor=actor,
        centre=conversation.offer.centre,
    )


def _locked_agreement(person, agreement_id):
    """The agreement, locked until the transaction ends, if `person` is one of its two people."""
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("conversation__offer__centre", "conversation__offer__author", "giver", "receiver")
        .filter(Q(giver=person) | Q(receiver=person))
        .get(pk=agreement_id)
    )


@transaction.atomic
def accept_agreement(agreement_id, person, *, by=None):
    check_may_act_for(by, person)
    # No sibling to check: `agreement_one_open_per_conversation` leaves this the only open agreement of its
    # conversation, so one exchange reaches one transfer (and `Transfer.agreement` is one-to-one).
    agreement = _locked_agreement(person, agreement_id)
    if agreement.proposed_by_id == person.pk:
        raise AgreementError(_("C'est l'autre personne qui doit accepter votre proposition."))
    if agreement.status != Agreement.Status.PROPOSED:
        raise AgreementError(_("Cet accord n'attend plus de réponse."))
    agreement.status = Agreement.Status.ACCEPTED
    agreement.accepted_at = timezone.now()
    agreement.save(update_fields=["status", "accepted_at"])
    Offer.objects.filter(pk=agreement.conversation.offer_id, status=Offer.Status.OPEN).update(
        status=Offer.Status.IN_PROGRESS
    )
    other = agreement.giver if agreement.receiver_id == person.pk else agreement.receiver
    _tell(agreement, other, _("%(name)s accepte l'accord : « %(what)s »."), person)
    return agreement


@transaction.atomic
def decline_agreement(agreement_id, person, *, by=None):
    """Say no to a proposal, or call off an accepted agreement before it is done."""
    check_may_act_for(by, person)
    agreement = _locked_agreement(person, agreement_id)
    if agreement.status not in (Agreement.Status.PROPOSED, Agreement.Status.ACCEPTED):
        raise AgreementError(_("Cet accord ne peut plus être annulé."))
    was_accepted = agreement.status == Agreement.Status.ACCEPTED
    refused = agreement.status == Agreement.Status.PROPOSED and agreement.proposed_by_id != person.pk
    agreement.status = Agreement.Status.DECLINED if refused else Agreement.Status.CANCELLED
    agreement.save(update_fields=["status"])
    if was_accepted:
        Offer.objects.filter(pk=agreement.conversation.offer_id, status=Offer.Status.IN_PROGRESS).update(
            status=Offer.Status.OPEN
        )
    other = agreement.giver if agreement.receiver_id == person.pk else agreement.receiver
    if refused:
        template = _("%(name)s refuse l'accord : « %(what)s ».")
    else:
        template = _("%(name)s annule l'accord : « %(what)s ».")
    _tell(agreement, other, template, person)
    return agreement


@transaction.atomic
def confirm_done(agreement_id, person, *, by=None):
    """Say the exchange happened; when both have said so, it is done and the hours move, once."""
    check_may_act_for(by, person)
    agreement = _locked_agreement(person, agreement_id)
    if agreement.status == Agreement.Status.DONE:
        raise AgreementError(_("Cet échange est déjà confirmé. Merci !"))
    if agreement.status != Agreement.Status.ACCEPTED:
        raise AgreementError(_("Cet accord doit d'abord être accepté."))
    field = "giver_confirmed_at" if agreement.giver_id == person.pk else "receiver_confirmed_at"
    if getattr(agreement, field):
        raise AgreementError(_("Vous avez déjà confirmé. Nous attendons l'autre personne."))
    now = timezone.now()
    setattr(agreement, field, now)
    fields = [field]
    other = agreement.receiver if field == "giver_confirmed_at" else agreement.giver
    if agreement.giver_confirmed_at and agreement.receiver_confirmed_at:
        agreement.status = Agreement.Status.DONE
        agreement.done_at = now
        fields += ["status", "done_at"]
        agreement.save(update_fields=fields)
        if agreement.minutes:
            ledger.record_agreement_transfer(agreement)
        Offer.objects.filter(pk=agreement.conversation.offer_id, status=Offer.Status.IN_PROGRESS).update(
            status=Offer.Status.DONE
        )
        _tell(agreement, other, _("%(name)s confirme aussi : l'échange « %(what)s » est réalisé. Merci !"), person)
    else:
        agreement.save(update_fields=fields)
        _tell(agreement, other, _("%(name)s confirme que l'échange « %(what)s » a eu lieu. Et vous ?"), person)
    return agreement
