"""The "Signaler" pages: a resident tells a centre's team about an offer, a message or a person."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.acting_for import describe_action, for_someone_too, for_whom
from core.errors import PlacetteError
from echanges import moderation
from echanges.models import Conversation, Message, Offer, Report
from quartier.models import CentrePage

TEMPLATE = "echanges/report.html"
THANKS = gettext_lazy("Merci. L'équipe du centre va regarder. Nous vous dirons la suite.")
THANKS_ACTING = gettext_lazy("Merci. L'équipe du centre va regarder et dira la suite à %(name)s.")


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Qu'est-ce qui ne va pas ?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez ce qui ne va pas.")},
    )
    details = forms.CharField(
        label=gettext_lazy("Racontez en quelques mots (si vous voulez)"),
        required=False,
        max_length=moderation.DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("%(max)s signes au plus.") % {"max": moderation.DETAILS_MAX},
    )


def _back_url(request, default):
    """Where to go after reporting: the page the link was on (`?next=`), if it is one of ours."""
    wanted = request.GET.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def _report_page(request, *, subject, excerpt, back_url, own, file):
    """Show the form (GET) or file the report through `file(reason=…, details=…)` and go back (POST)."""
    context = {"subject": subject, "excerpt": excerpt, "back_url": back_url}
    if own:
        context["refusal"] = own
        return render(request, TEMPLATE, context, status=403)
    form = ReportForm(request.POST if request.method == "POST" else None)
    context["form"] = form
    if not form.is_bound:
        return render(request, TEMPLATE, context)
    if form.is_valid():
        describe_action(request, _("Signalement : %(subject)s") % {"subject": subject})
        try:
            file(reason=form.cleaned_data["reason"], details=form.cleaned_data["details"])
        except moderation.AlreadyReported as already:
            messages.info(request, str(already))
            return redirect(back_url)
        except PlacetteError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, for_whom(request, str(THANKS), str(THANKS_ACTING)))
            return redirect(back_url)
    return render(request, TEMPLATE, context, status=400)


@for_someone_too
@login_required
def report_offer(request, offer_id):
    offer = get_object_or_404(Offer.objects.shown(), pk=offer_id)
    return _report_page(
        request,
        subject=_("l'annonce « %(title)s »") % {"title": offer.title},
        excerpt="",
        back_url=_back_url(request, offer.get_absolute_url()),
        own=offer.author_id == request.user.pk and _("C'est votre propre annonce : vous ne pouvez pas la signaler."),
        file=lambda **answers: moderation.report_offer(request.user, offer.pk, **answers),
    )


@for_someone_too
@login_required
def report_message(request, message_id):
    message = get_object_or_404(
        Message.objects.filter(
            conversation__in=Conversation.objects.involving(request.user), hidden=False
        ).select_related("sender", "conversation__offer"),
        pk=message_id,
    )
    return _report_page(
        request,
        subject=_("un message de %(name)s") % {"name": message.sender},
        excerpt=Truncator(message.body).chars(200),
        back_url=_back_url(request, message.conversation.get_absolute_url()),
        own=message.sender_id == request.user.pk and _("C'est votre propre message : vous ne pouvez pas le signaler."),
        file=lambda **answers: moderation.report_message(request.user, message.pk, **answers),
    )


@for_someone_too
@login_required
def report_person(request, person_id):
    """`?centre=<id>` names the centre whose team should handle it (a page about an offer passes its centre)."""
    person = get_object_or_404(get_user_model().objects.filter(is_active=True, erased_at__isnull=True), pk=person_id)
    centre = None
    chosen = request.GET.get("centre", "")
    if chosen:
        if not chosen.isdigit():
            raise Http404
        centre = get_object_or_404(CentrePage.objects.live(), pk=chosen)
    return _report_page(
        request,
        subject=str(person),
        excerpt="",
        back_url=_back_url(request, reverse("echanges")),
        own=person.pk == request.user.pk and _("Vous ne pouvez pas vous signaler vous-même."),
        file=lambda **answers: moderation.report_person(request.user, person.pk, centre=centre, **answers),
    )
