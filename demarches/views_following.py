"""Following a procedure: "Prévenez-moi avant la date" on its page, and "Mes démarches suivies".

A visitor without an account is sent to the site's sign-in by code and brought back to the one button that
follows; a mediator acting for a resident follows for them (the follow records who set it up).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.confirmation import next_or
from core.acting_for import acting_mediator, describe_action, for_someone_too, for_whom
from core.views import refusals_as_messages
from demarches import notices, services
from demarches.forms import FollowForm
from demarches.models import Follow, Procedure, ProcedureDeadline
from notifications.models import Channel
from notifications.services import channel_for
from notifications.sms_numbers import is_stopped

FOLLOW_ANCHOR = "#prevenir"


def told_by(user):
    """How a reminder will reach `user`: the channel they chose for it, as plan_deliveries will really use it."""
    channel = channel_for(user, notices.REMINDER.key)
    phone = str(user.phone or "")
    if channel == Channel.SMS and (not phone or is_stopped(phone)):
        channel = Channel.EMAIL
    if channel == Channel.EMAIL and not user.email:
        channel = Channel.SITE
    return channel


def following_context(request, procedure):
    """What the procedure's page needs for its "Prévenez-moi avant la date" form."""
    user = request.user
    if not user.is_authenticated:
        return {
            "follow_form": FollowForm(procedure=procedure),
            "follow_url": reverse("demarches:follow", args=[procedure.slug]),
        }
    followed = Follow.objects.filter(procedure=procedure, user=user).first()
    initial = {"days_before": followed.days_before} if followed else None
    return {
        "follow_form": FollowForm(procedure=procedure, initial=initial),
        "follow_url": reverse("demarches:follow", args=[procedure.slug]),
        "followed": followed,
        "told_by": told_by(user),
    }


def _procedure_page(request, slug):
    return reverse("demarches:procedure", args=[slug]) + FOLLOW_ANCHOR


@for_someone_too
@refusals_as_messages(_procedure_page)
def follow(request, slug):
    """Follow the procedure (or change when): one tap for a signed-in person; the sign-in by code first otherwise."""
    procedure = get_object_or_404(Procedure, slug=slug)
    form = FollowForm(request.POST or request.GET or None, procedure=procedure)
    if not request.user.is_authenticated:
        messages.info(
            request,
            _("Pour être prévenu, connectez-vous ou créez votre compte. C'est gratuit, sans mot de passe."),
        )
        days = form.cleaned_data["days_before"] if form.is_valid() else Follow.DaysBefore.SEVEN
        return redirect_to_login(f"{request.path}?{urlencode({'days_before': days})}")
    if request.method != "POST":
        # Back from signing in: the choice made before, and the one button that follows.
        return render(
            request,
            "demarches/follow.html",
            {
                "procedure": procedure,
                "follow_form": form if form.is_bound else FollowForm(procedure=procedure),
                "told_by": told_by(request.user),
            },
        )
    back = next_or(request, _procedure_page(request, slug))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("days_before", [])))
        request.acting_refused = True
        return redirect(back)
    days_before = form.cleaned_data["days_before"]
    describe_action(request, _("Démarche suivie : « %(name)s »") % {"name": procedure.name})
    followed = services.follow(procedure, request.user, days_before=days_before, by=acting_mediator(request))
    when = followed.get_days_before_display()
    messages.success(
        request,
        for_whom(
            request,
            _("C'est noté : nous vous prévenons %(when)s chaque date limite de « %(procedure)s »."),
            _("C'est noté : %(name)s sera prévenu %(when)s chaque date limite de « %(procedure)s »."),
            when=when,
            procedure=procedure.name,
        ),
    )
    return redirect(back)


@for_someone_too
@require_POST
@login_required
@refusals_as_messages(_procedure_page)
def unfollow(request, slug):
    procedure = get_object_or_404(Procedure, slug=slug)
    describe_action(request, _("Démarche plus suivie : « %(name)s »") % {"name": procedure.name})
    if services.unfollow(procedure, request.user, by=acting_mediator(request)):
        messages.success(
            request,
            for_whom(
                request,
                _("Vous ne serez plus prévenu pour « %(procedure)s »."),
                _("%(name)s ne sera plus prévenu pour « %(procedure)s »."),
                procedure=procedure.name,
            ),
        )
    return redirect(next_or(request, _procedure_page(request, slug)))


@for_someone_too
@require_safe
@login_required
def my_follows(request):
    """The procedures I follow, each with its next date, when I am told, and a way to change or stop."""
    today = timezone.localdate()
    follows = list(
        Follow.objects.filter(user=request.user)
        .select_related("procedure")
        .prefetch_related(
            Prefetch(
                "procedure__deadlines",
                queryset=ProcedureDeadline.objects.current(today).order_by("opens_on", "closes_on"),
                to_attr="coming",
            )
        )
        .order_by("procedure__name")
    )
    for followed in follows:
        followed.next_deadline = followed.procedure.coming[0] if followed.procedure.coming else None
        followed.form = FollowForm(procedure=followed.procedure, initial={"days_before": followed.days_before})
    return render(
        request,
        "demarches/my_follows.html",
        {"follows": follows, "today": today, "told_by": told_by(request.user), "acting": acting_mediator(request)},
    )


@for_someone_too
@require_safe
def short_link(request, procedure_id):
    """The short address an SMS carries (every character of an SMS counts): the procedure's page."""
    return redirect(get_object_or_404(Procedure, pk=procedure_id))
