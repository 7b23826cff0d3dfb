"""Talking about an offer and agreeing: answering, the conversation page, agreements, blocking, the hours statement."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.confirmation import ask, confirmed, next_or
from core.acting_for import describe_action, for_someone_too, for_whom
from core.views import attempt, refusals_as_messages
from echanges import notices
from echanges.forms import AgreementForm, MessageForm
from echanges.models import Agreement, Block, Conversation, Message, Offer
from echanges.services import conversations, ledger
from notifications.services import mark_read_about

# The latest messages only; earlier ones are a link away, so that a long conversation neither weighs on a slow
# phone connection nor costs the server more to write out at each visit.
MESSAGES_SHOWN = 30
# What the page's script fetches at once when notified: a reconnection after a long while may find many.
NEW_MESSAGES_FETCHED = 200


def _conversation_or_404(user, conversation_id):
    try:
        return (
            Conversation.objects.involving(user)
            .select_related("offer__author", "offer__centre", "offer__category", "starter")
            .get(pk=conversation_id)
        )
    except Conversation.DoesNotExist:
        raise Http404 from None


@for_someone_too
@login_required
def answer(request, offer_id):
    """The answer form: on the offer's page, and on its own page when what was typed needs correcting."""
    offer = get_object_or_404(Offer.objects.open().select_related("author", "centre"), pk=offer_id)
    if offer.author_id == request.user.pk:
        messages.info(
            request,
            for_whom(
                request,
                _("C'est votre annonce : les réponses arrivent dans vos conversations."),
                _("%(name)s : c'est son annonce, les réponses arrivent dans ses conversations."),
            ),
        )
        return redirect("echanges:conversations")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        describe_action(request, _("Réponse à l'annonce « %(title)s »") % {"title": offer.title})
        body = form.cleaned_data["body"]
        started = attempt(form, conversations.answer_offer, offer.pk, request.user, body=body, by=request.mediator)
        if started is not None:
            messages.success(
                request,
                for_whom(
                    request,
                    _("Votre message est envoyé. La réponse arrivera ici."),
                    _("%(name)s : le message est envoyé. La réponse arrivera ici."),
                ),
            )
            return redirect(started)
    return render(request, "echanges/answer.html", {"offer": offer, "form": form})


def _message_id(request, name):
    """A message id from the query string, or None (absent or not a number: the latest messages are shown)."""
    try:
        return int(request.GET[name])
    except (KeyError, ValueError):
        return None


def _thread(conversation, before=None):
    """The latest messages (before the message `before` if given), oldest first, and whether earlier ones exist."""
    messages_ = Message.objects.filter(conversation=conversation)
    if before is not None:
        messages_ = messages_.filter(pk__lt=before)
    thread = list(messages_.select_related("sender").order_by("-sent_at", "-pk")[: MESSAGES_SHOWN + 1])
    return thread[:MESSAGES_SHOWN][::-1], len(thread) > MESSAGES_SHOWN


@for_someone_too
@login_required
def conversation(request, conversation_id):
    conversation = _conversation_or_404(request.user, conversation_id)
    other = conversation.other_than(request.user)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        describe_action(request, _("Message à %(name)s") % {"name": other})
        sent = attempt(
            form,
            conversations.send_message,
            conversation.pk,
            request.user,
            body=form.cleaned_data["body"],
            by=request.mediator,
        )
        if sent is not None:
            messages.success(
                request, for_whom(request, _("Votre message est envoyé."), _("%(name)s : le message est envoyé."))
            )
            return redirect(conversation)
    # The page shows the latest messages and every agreement: what told of them is read now.
    mark_read_about(request.user, conversation.get_absolute_url())
    return render(request, "echanges/conversation.html", _conversation_context(request, conversation, other, form))


def _conversation_context(request, conversation, other, form, agreement_form=None):
    before = _message_id(request, "avant")
    thread, earlier = _thread(conversation, before)
    agreements = list(conversation.agreements.select_related("giver", "receiver").order_by("-proposed_at"))
    pending = next(
        (item for item in agreements if item.status in (Agreement.Status.PROPOSED, Agreement.Status.ACCEPTED)), None
    )
    time_bank = conversation.offer.mode == Offer.Mode.TIME
    for item in agreements:
        item.mine_to_answer = item.status == Agreement.Status.PROPOSED and item.proposed_by_id != request.user.pk
        confirmed = item.giver_confirmed_at if item.giver_id == request.user.pk else item.receiver_confirmed_at
        item.mine_to_confirm = item.status == Agreement.Status.ACCEPTED and not confirmed
        item.i_give = item.giver_id == request.user.pk
    blocks = set(
        Block.objects.filter(blocker__in=[request.user, other], blocked__in=[request.user, other]).values_list(
            "blocker_id", flat=True
        )
    )
    return {
        "conversation": conversation,
        "offer": conversation.offer,
        "other": other,
        "thread": thread,
        "last_id": thread[-1].pk if thread else 0,
        # Earlier messages are read on a page of their own: new ones are not added there, the link back shows them.
        "earlier_than": thread[0].pk if earlier else None,
        "reading_earlier": before is not None,
        "message_kind": notices.MESSAGE.key,
        "form": form,
        "agreements": agreements,
        "pending": pending,
        "agreement_form": agreement_form or (None if pending else AgreementForm(time_bank=time_bank, me=_me(request))),
        "time_bank": time_bank,
        "i_blocked": request.user.pk in blocks,
        "blocked_me": other.pk in blocks,
    }


@for_someone_too
@require_GET
@login_required
def new_messages(request, conversation_id):
    """Messages after a given one, as list items: the page's script adds them when a notification says so."""
    conversation = _conversation_or_404(request.user, conversation_id)
    after = _message_id(request, "apres") or 0
    thread = list(
        Message.objects.filter(conversation=conversation, pk__gt=after)
        .select_related("sender")
        .order_by("sent_at", "pk")[:NEW_MESSAGES_FETCHED]
    )
    if thread:
        # The page adds these messages where the person is reading: the notifications of them are read.
        mark_read_about(request.user, conversation.get_absolute_url(), kinds=[notices.MESSAGE.key])
    return render(request, "echanges/_messages.html", {"thread": thread, "conversation": conversation})


@for_someone_too
@require_POST
@login_required
def propose(request, conversation_id):
    conversation = _conversation_or_404(request.user, conversation_id)
    other = conversation.other_than(request.user)
    time_bank = conversation.offer.mode == Offer.Mode.TIME
    form = AgreementForm(request.POST, time_bank=time_bank, me=_me(request))
    if form.is_valid():
        data = form.cleaned_data
        describe_action(request, _("Accord proposé à %(name)s : « %(what)s »") % {"name": other, "what": data["what"]})
        proposed = attempt(
            form,
            conversations.propose_agreement,
            conversation.pk,
            request.user,
            what=data["what"],
            on=data["on"],
            minutes=data.get("hours"),
            i_give=data["who"] == "me",
            by=request.mediator,
        )
        if proposed is not None:
            messages.success(
                request,
                for_whom(
                    request,
                    _("Votre proposition est envoyée. L'autre personne doit l'accepter."),
                    _("%(name)s : la proposition est envoyée. L'autre personne doit l'accepter."),
                ),
            )
            return redirect(conversation)
    context = _conversation_context(request, conversation, other, MessageForm(), agreement_form=form)
    return render(request, "echanges/conversation.html", context, status=400)


def _me(request):
    """The person's name where the page would say "Moi", when a mediator acts for them."""
    return str(request.user) if request.mediator is not None else None


def _agreements_conversation(request, agreement_id):
    """Where a refused step goes back to: the agreement's conversation, if the person is one of its two people."""
    mine = Agreement.objects.filter(Q(giver=request.user) | Q(receiver=request.user))
    return get_object_or_404(mine, pk=agreement_id).conversation.get_absolute_url()


def _agreement_step(step, action, success):
    """A view for one step of an agreement: `step` is its service, `action` what the resident's log says."""

    @for_someone_too
    @require_POST
    @login_required
    @refusals_as_messages(_agreements_conversation)
    def view(request, agreement_id):
        describe_action(request, action)
        try:
            agreement = step(agreement_id, request.user, by=request.mediator)
        except Agreement.DoesNotExist:
            raise Http404 from None
        describe_action(request, _("%(action)s : « %(what)s »") % {"action": action, "what": agreement.what})
        messages.success(request, success(request, agreement))
        return redirect("echanges:conversation", agreement.conversation_id)

    return view


def _confirmed(request, agreement):
    if agreement.status == Agreement.Status.DONE:
        hours = for_whom(
            request,
            _("Les heures sont inscrites sur vos relevés."),
            _("Les heures sont inscrites sur les deux relevés."),
        )
        return _("Merci ! L'échange est réalisé.") + (" " + hours if agreement.minutes else "")
    return _("C'est noté. Nous attendons que l'autre personne confirme aussi.")


def _accepted(request, agreement):
    return for_whom(request, _("Vous avez accepté l'accord."), _("%(name)s a accepté l'accord."))


accept = _agreement_step(conversations.accept_agreement, _("Accord accepté"), _accepted)
decline = _agreement_step(
    conversations.decline_agreement,
    _("Accord annulé"),
    lambda request, agreement: _("L'accord est annulé."),
)
confirm = _agreement_step(conversations.confirm_done, _("Échange confirmé"), _confirmed)


def _person_in_my_conversations(user, person_id):
    """Someone I talked with: the only people I can block from a conversation."""
    involved = (
        Conversation.objects.involving(user).filter(Q(starter_id=person_id) | Q(offer__author_id=person_id)).exists()
    )
    if not involved or person_id == user.pk:
        raise Http404
    return get_object_or_404(get_user_model(), pk=person_id)


@for_someone_too
@login_required
def block(request, person_id):
    """Block someone I talked with, once the page saying what it does has had a yes."""
    person = _person_in_my_conversations(request.user, person_id)
    back = _back(request)
    if not confirmed(request):
        return ask(
            request,
            question=_("Bloquer %(name)s ?") % {"name": person},
            explanation=[
                for_whom(
                    request,
                    _("Vous ne pourrez plus vous écrire, ni l'un ni l'autre."),
                    _("Plus aucun message ne passera entre %(name)s et cette personne."),
                ),
                _("Placette ne le dit pas à cette personne."),
                _("Vous pourrez la débloquer quand vous voulez, depuis la conversation."),
            ],
            yes=_("Oui, je bloque %(name)s") % {"name": person},
            no=_("Non, revenir"),
            back=back,
            next_url=back,
        )
    _change_block(request, person, blocked=True)
    return redirect(back)


@for_someone_too
@require_POST
@login_required
def unblock(request, person_id):
    person = _person_in_my_conversations(request.user, person_id)
    _change_block(request, person, blocked=False)
    return redirect(_back(request))


def _change_block(request, person, *, blocked):
    """Block or unblock `person`: the resident's log, the write, and the answer in the asker's words."""
    if blocked:
        describe_action(request, _("Personne bloquée : %s") % person)
        conversations.block_person(request.user, person, by=request.mediator)
        own = _("Cette personne ne peut plus vous écrire. Vous pouvez la débloquer quand vous voulez.")
        acting = _("Cette personne ne peut plus écrire à %(name)s. Vous pouvez la débloquer quand vous voulez.")
    else:
        describe_action(request, _("Personne débloquée : %s") % person)
        conversations.unblock_person(request.user, person, by=request.mediator)
        own = _("Cette personne peut de nouveau vous écrire.")
        acting = _("Cette personne peut de nouveau écrire à %(name)s.")
    messages.success(request, for_whom(request, own, acting))


def _back(request):
    return next_or(request, reverse("echanges:conversations"))


@for_someone_too
@login_required
def my_conversations(request):
    mine = (
        Conversation.objects.involving(request.user)
        .select_related("offer__author", "starter", "offer__centre")
        .order_by("-last_message_at")
    )
    items = list(mine[:100])
    for item in items:
        item.other = item.other_than(request.user)
    return render(request, "echanges/conversations.html", {"conversations": items})


@for_someone_too
@login_required
def statement(request):
    """Mon relevé d'heures: every transfer with the balance after it, laid out to print on paper."""
    lines = ledger.statement(request.user)
    return render(
        request,
        "echanges/statement.html",
        {"lines": lines[::-1], "balance": lines[-1].balance if lines else 0, "person": request.user},
    )
