"""Registering to a date, cancelling, "Mes inscriptions" and the secret address of my calendar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.confirmation import ask, confirmed, next_or
from agenda import services
from agenda.models import CalendarToken, Occurrence, Registration
from core.acting_for import acting_mediator, describe_action, for_someone_too, for_whom
from core.views import refusals_as_messages
from home.templatetags.french import day, day_and_hours


def _event_of_occurrence(request, occurrence_id):
    """Where a refused registration sends the person back: the activity's page."""
    return get_object_or_404(Occurrence.objects.listed().select_related("event"), pk=occurrence_id).event.url


def _my_registrations(request, **kwargs):
    return reverse("agenda:my_registrations")


@for_someone_too
@refusals_as_messages(_event_of_occurrence)
def confirm_registration(request, occurrence_id):
    """The one button that registers to a date: where "Je m'inscris" leads, before and after signing in by code.

    A GET never registers: the link can come from anywhere, so the person says yes on this page.
    """
    occurrence = get_object_or_404(Occurrence.objects.listed().select_related("event", "centre"), pk=occurrence_id)
    if not request.user.is_authenticated:
        messages.info(
            request, _("Pour vous inscrire, connectez-vous ou créez votre compte. C'est gratuit, sans mot de passe.")
        )
        return redirect_to_login(request.path)
    back = occurrence.event.url
    services.check_open_for_registration(occurrence)
    mine = Registration.objects.active().filter(person=request.user, occurrence=occurrence).first()
    if mine is not None:
        if mine.status == Registration.Status.WAITLISTED:
            messages.info(request, _("Vous êtes déjà sur la liste d'attente de cette date."))
        else:
            messages.info(request, _("Vous avez déjà une place à cette date."))
        return redirect(back)
    return render(request, "agenda/confirm_registration.html", {"occurrence": occurrence, "event": occurrence.event})


@for_someone_too
@require_POST
@refusals_as_messages(_event_of_occurrence)
def register(request, occurrence_id):
    occurrence = get_object_or_404(Occurrence.objects.listed().select_related("event"), pk=occurrence_id)
    back = next_or(request, occurrence.event.url)
    if not request.user.is_authenticated:
        return redirect(reverse("agenda:confirm_registration", args=[occurrence.pk]))
    describe_action(
        request,
        _("Inscription : « %(title)s », %(day)s")
        % {"title": occurrence.event.title, "day": day_and_hours(occurrence.start, occurrence.end)},
    )
    registration = services.register(occurrence.pk, request.user, by=acting_mediator(request))
    if registration.status == Registration.Status.WAITLISTED:
        messages.warning(
            request,
            for_whom(
                request,
                _("C'est complet : vous êtes sur la liste d'attente. Nous vous prévenons si une place se libère."),
                _(
                    "C'est complet : %(name)s est sur la liste d'attente. "
                    "Nous prévenons %(name)s si une place se libère."
                ),
            ),
        )
    else:
        messages.success(
            request,
            for_whom(
                request,
                _("C'est noté : vous avez une place. Vous le retrouvez dans « Mes inscriptions »."),
                _("%(name)s : inscription confirmée. Retrouvez-la dans « Ses inscriptions »."),
            ),
        )
    return redirect(back)


@for_someone_too
@login_required
@refusals_as_messages(_my_registrations)
def cancel(request, registration_id):
    """Cancel my registration or leave the waitlist, once the page saying what it means has had a yes."""
    registration = get_object_or_404(
        Registration.objects.filter(person=request.user).select_related("occurrence__event", "occurrence__centre"),
        pk=registration_id,
    )
    occurrence = registration.occurrence
    back = next_or(request, reverse("agenda:my_registrations"))
    waitlisted = registration.status == Registration.Status.WAITLISTED
    if confirmed(request):
        describe_action(
            request,
            _("Inscription annulée : « %(title)s », %(day)s")
            % {"title": occurrence.event.title, "day": day_and_hours(occurrence.start, occurrence.end)},
        )
        services.cancel_registration(registration.pk, request.user, by=acting_mediator(request))
        if waitlisted:
            messages.success(
                request,
                for_whom(
                    request,
                    _("Vous n'êtes plus sur la liste d'attente."),
                    _("%(name)s n'est plus sur la liste d'attente."),
                ),
            )
        else:
            messages.success(
                request,
                for_whom(
                    request,
                    _("Votre inscription est annulée. Merci d'avoir prévenu !"),
                    _("%(name)s : l'inscription est annulée. Merci d'avoir prévenu !"),
                ),
            )
        return redirect(back)
    if registration.status not in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED):
        messages.info(request, _("Cette inscription est déjà annulée."))
        return redirect(back)
    when = day(occurrence.start)
    what = _("« %(title)s », %(day)s.") % {
        "title": occurrence.event.title,
        "day": day_and_hours(occurrence.start, occurrence.end),
    }
    if waitlisted:
        return ask(
            request,
            question=for_whom(
                request,
                _("Quitter la liste d'attente du %(day)s ?"),
                _("%(name)s : quitter la liste d'attente du %(day)s ?"),
                day=when,
            ),
            explanation=[
                what,
                for_whom(
                    request,
                    _("Nous ne vous préviendrons plus si une place se libère."),
                    _("Nous ne préviendrons plus %(name)s si une place se libère."),
                ),
            ],
            yes=for_whom(request, _("Oui, je quitte la liste"), _("Oui, retirer %(name)s de la liste")),
            no=for_whom(request, _("Non, je reste sur la liste"), _("Non, %(name)s reste sur la liste")),
            back=back,
            next_url=back,
        )
    if occurrence.waitlist_count:
        seat = for_whom(
            request,
            _("Votre place ira à la personne suivante sur la liste d'attente."),
            _("Sa place ira à la personne suivante sur la liste d'attente."),
        )
    else:
        seat = for_whom(
            request,
            _("Votre place sera libre pour quelqu'un d'autre."),
            _("Sa place sera libre pour quelqu'un d'autre."),
        )
    return ask(
        request,
        question=for_whom(
            request,
            _("Annuler mon inscription du %(day)s ?"),
            _("%(name)s : annuler l'inscription du %(day)s ?"),
            day=when,
        ),
        explanation=[what, seat],
        yes=_("Oui, j'annule"),
        no=for_whom(request, _("Non, je garde ma place"), _("Non, %(name)s garde sa place")),
        back=back,
        next_url=back,
    )


@for_someone_too
@login_required
def my_registrations(request):
    now = timezone.now()
    # The columns the page shows: the activity and its centre are pages, dozens of columns each, and building
    # and reading them all cost this page most of its time.
    registrations = (
        Registration.objects.active()
        .filter(person=request.user)
        .select_related("occurrence__event", "occurrence__centre", "occurrence__event__place")
        .only(
            "status",
            "occurrence__start",
            "occurrence__end",
            "occurrence__status",
            "occurrence__event__title",
            "occurrence__event__url_path",
            "occurrence__event__place__name",
            "occurrence__centre__title",
        )
        .order_by("occurrence__start")
    )
    upcoming = list(registrations.filter(occurrence__end__gt=now))
    past = list(registrations.filter(occurrence__end__lte=now).order_by("-occurrence__start")[:20])
    token = CalendarToken.objects.filter(person=request.user).first()
    return render(
        request,
        "agenda/my_registrations.html",
        {
            "upcoming": upcoming,
            "past": past,
            "personal_feed": request.build_absolute_uri(reverse("agenda:personal_feed", args=[token.token]))
            if token
            else "",
            "personal_feed_path": reverse("agenda:personal_feed", args=[token.token]) if token else "",
        },
    )


@require_POST
@login_required
def renew_calendar_address(request):
    """Make (or remake) the secret address of my calendar; the old one stops working at once."""
    services.renew_calendar_token(request.user)
    messages.success(request, _("Votre adresse d'agenda est prête. L'ancienne ne marche plus."))
    return redirect("agenda:my_registrations")


@require_POST
@login_required
def forget_calendar_address(request):
    CalendarToken.objects.filter(person=request.user).delete()
    messages.success(request, _("Votre adresse d'agenda ne marche plus. Personne ne peut plus la lire."))
    return redirect("agenda:my_registrations")
