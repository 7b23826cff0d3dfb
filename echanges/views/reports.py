"""The "Signaler" pages: a resident tells a centre's team about an offer, a message or a person."""

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

from accounts.middleware import team_page
from core.acting_for import describe_action, for_someone_too, for_whom
from core.listing import paginate
from core.views import attempt
from echanges.forms import CloseForm, HideForm, ReportForm, SuspendForm, WarnForm
from echanges.models import Conversation, Message, Offer, Report
from echanges.services import moderation
from quartier.models import CentrePage

TEMPLATE = "echanges/report.html"
THANKS = gettext_lazy("Merci. L'équipe du centre va regarder. Nous vous dirons la suite.")
THANKS_ACTING = gettext_lazy("Merci. L'équipe du centre va regarder et dira la suite à %(name)s.")


def _back_url(request, default):
    """Where to go after reporting: the page the link was on (`?next=`), if it is one of ours."""
    wanted = request.GET.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def _once(file, **answers):
    """File the report; an earlier one on the same thing still open is no refusal, but what to tell the person."""
    try:
        return file(**answers)
    except moderation.AlreadyReported as already:
        return already


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
        filed = attempt(form, _once, file, reason=form.cleaned_data["reason"], details=form.cleaned_data["details"])
        if isinstance(filed, moderation.AlreadyReported):
            messages.info(request, str(filed))
            return redirect(back_url)
        if filed is not None:
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
        back_url=_back_url(request, reverse("echanges:listing")),
        own=person.pk == request.user.pk and _("Vous ne pouvez pas vous signaler vous-même."),
        file=lambda **answers: moderation.report_person(request.user, person.pk, centre=centre, **answers),
    )


# What the centre's team does about reports (docs/adr/0008): the same forms, services and words in the admin
# (echanges.wagtail_hooks) and on the team's phone pages below.

# Each action: its form, the service that does it, and what the moderator reads afterwards.
ACTIONS = {
    "hide": (HideForm, moderation.hide_content, gettext_lazy("Contenu masqué.")),
    "warn": (WarnForm, moderation.warn_person, gettext_lazy("Avertissement envoyé.")),
    "suspend": (SuspendForm, moderation.suspend_person, gettext_lazy("Personne suspendue des échanges.")),
    "close": (
        CloseForm,
        moderation.close_report,
        gettext_lazy("Signalement clos. La personne qui l'a fait est prévenue."),
    ),
}


def reported_thing(report):
    if report.offer_id:
        return _("Annonce « %(title)s »") % {"title": report.offer.title}
    if report.message_id:
        return _("Message")
    return _("Personne")


def report_or_404(user, report_id):
    """A report of the centres `user` runs, with what its page shows; another centre's is "not found"."""
    return get_object_or_404(
        moderation.reports_moderated_by(user).select_related(
            "centre", "person", "reporter", "closed_by", "offer__author", "message__sender"
        ),
        pk=report_id,
    )


def act_on_report(request, report):
    """Do the action the page posted (`action`): None once done, else its form bound, to show with its errors."""
    name = request.POST.get("action", "")
    if name not in ACTIONS:
        raise Http404
    form_class, act, done = ACTIONS[name]
    form = form_class(request.POST, prefix=name)
    if form.is_valid():
        try:
            acted = attempt(form, act, report.pk, request.user, **form.cleaned_data)
        except Report.DoesNotExist:
            raise Http404 from None
        if acted is not None:
            messages.success(request, done)
            return None
    return {name: form}


def report_page(report, user, posted=None):
    """What a report's page shows: the report and its record, and every action's form (`posted` as it came)."""
    initial = {"close": {"outcome": moderation.outcome_done(report)}}
    forms = {
        name: form_class(prefix=name, initial=initial.get(name)) for name, (form_class, *_rest) in ACTIONS.items()
    }
    return {**moderation.report_record(report, user), "forms": {**forms, **(posted or {})}}


@team_page
def team_reports(request):
    """The reports of the centres I run, open ones first: a mediator handles them here, without the admin."""
    reports = moderation.open_first(
        moderation.reports_moderated_by(request.user).select_related("centre", "person", "offer")
    )
    page = paginate(request, reports)
    for report in page.object_list:
        report.thing = reported_thing(report)
    return render(request, "echanges/staff/reports.html", {"page_obj": page, "reports": page.object_list})


@team_page
def team_report(request, report_id):
    """One report: what was reported, the person's record, and the team's actions, as in the admin."""
    report = report_or_404(request.user, report_id)
    posted = None
    if request.method == "POST":
        posted = act_on_report(request, report)
        if posted is None:
            return redirect("echanges:team_report", report.pk)
    status = 400 if posted else 200
    return render(request, "echanges/staff/report.html", report_page(report, request.user, posted), status=status)
