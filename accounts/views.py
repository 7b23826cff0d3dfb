"""Account pages: "Mon compte", centres, consents, acting for a resident, personal data, erasure."""

import json
import zlib

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows import login_by_code
from allauth.account.internal.userkit import filter_users_by_email
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import personal_data, retention
from accounts.code_attempts import CountedTriesMixin
from accounts.confirmation import ask, confirmed
from accounts.fields import phone_as_written
from accounts.forms import AccompaniedAccountForm, ConsentForm, DeleteAccountForm, ProfileForm, TakeOverForm
from accounts.middleware import ACTING_FOR_SESSION_KEY
from accounts.models import ActingLog, Consent, User
from accounts.services import (
    can_act_for,
    create_accompanied_account,
    erase_account,
    give_consent,
    join_centre,
    leave_centre,
    residents_helped_by,
    take_over_account,
    withdraw_consent,
)
from core.acting_for import acting_mediator, describe_action, for_someone_too, for_whom
from core.errors import NotAllowed
from core.views import refusals_as_messages
from quartier.models import CentrePage, Membership

CONSENT_EXPLAINED_ONLINE = _(
    "J'autorise les médiateurs de ce centre à utiliser Placette pour moi, quand je le leur demande. "
    "Je vois tout ce qu'ils font dans « Mon compte » et je peux retirer cet accord à tout moment."
)


SIGNUP_LOCKS = 1  # the first of PostgreSQL's two advisory-lock keys: sign-ups, by address


def hold_address(address):
    """Make sign-ups with one address or number wait for each other until the transaction ends.

    PostgreSQL only (an advisory lock keyed on the address): SQLite serves development and tests.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [SIGNUP_LOCKS, zlib.crc32(address.encode()) - 2**31]
            )


class SignupView(allauth_views.SignupView):
    """allauth's signup, with the centre a person came from already ticked.

    Signing up with an address or a number that already has an account sends a sign-in code to it,
    exactly as for a new account: the page that follows is the same, so it reveals nothing, and
    someone who forgot they had an account simply gets in.
    """

    def get_initial(self):
        initial = super().get_initial()
        initial["centres"] = [pk for pk in self.request.GET.getlist("centre") if pk.isdigit()]
        return initial

    def form_valid(self, form):
        email, phone = form.cleaned_data.get("email"), form.cleaned_data.get("phone")
        key = (email or phone).lower()
        with transaction.atomic():
            # A double click sends the same sign-up twice at once: the second waits here for the first to
            # commit, then finds its account and goes the "already exists" way instead of making a second one.
            hold_address(key)
            if not form.account_already_exists and form.address_taken():
                form.account_already_exists = True
            if not form.account_already_exists:
                return super().form_valid(form)
        if not ratelimit.consume(self.request, action="request_login_code", key=key):
            form.add_error(None, get_adapter().error_messages["too_many_login_attempts"])
            return self.form_invalid(form)
        if email:
            # None when the address belongs to a deactivated account: allauth then sends its "no account" mail.
            user = next(iter(filter_users_by_email(email, is_active=True, for_login=True)), None)
        else:
            user = get_adapter().get_user_by_phone(phone)
        login_by_code.LoginCodeVerificationProcess.initiate(request=self.request, user=user, email=email, phone=phone)
        return redirect(self.passthrough_next_url(reverse("account_confirm_login_code")))


CODE_IS_DEAD = _("Ce code a été essayé trop de fois : il ne marche plus. Demandez un nouveau code.")


class ConfirmLoginCodeView(CountedTriesMixin, allauth_views.ConfirmLoginCodeView):
    """allauth's code page, with the number written as people write it and a new code within the limits.

    allauth caps the new codes of one attempt (ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND) but does not count
    them against the limit on codes sent to one address or number; here they count, as a request does.
    Each try of a code is counted in the database before it is compared (accounts.code_attempts).
    """

    code_purpose = "login"

    def code_process(self):
        return self._process

    def code_is_dead(self):
        # Back to the request page, also after a sign-up: allauth would send that one to the password page,
        # which a person without a password cannot use.
        self._process.abort()
        messages.error(self.request, CODE_IS_DEAD)
        return redirect(self.passthrough_next_url(reverse("account_request_login_code")))

    def form_invalid(self, form):
        if self._action == "verify" and self.was_last_try():
            return self.code_is_dead()
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["phone"]:
            context["phone"] = phone_as_written(context["phone"])
        return context

    def _resend_form_valid(self, form):
        state = self._process.state
        key = (state.get("email") or state.get("phone")).lower()
        if not ratelimit.consume(self.request, action="request_login_code", key=key):
            messages.error(self.request, get_adapter().error_messages["rate_limited"])
            return redirect(self.passthrough_next_url(reverse("account_confirm_login_code")))
        if self._process.user is None:
            # No account: allauth would send nothing, yet fails making a phone code without one. Count the new
            # code and send nothing, so that the page reads the same whether the number has an account or not.
            self._process.record_resend()
            self._process.persist()
            response = redirect(self.passthrough_next_url(reverse("account_confirm_login_code")))
        else:
            response = super()._resend_form_valid(form)
        messages.success(self.request, _("Nous vous avons envoyé un nouveau code. Seul le dernier marche."))
        return response


class _CountedPhoneCodeMixin(CountedTriesMixin):
    """allauth's page for the code that proves a mobile number, its tries counted as sign-in codes' are."""

    code_purpose = "phone"

    def code_process(self):
        return self.process

    def _verify_form_invalid(self, form):
        if self.was_last_try():
            return self.code_is_dead()
        return super()._verify_form_invalid(form)


# allauth's two views behind its verify_phone (private names, read from the installed 65.21): proving the number
# while signing in, and after changing it in "Mon compte".
class VerifyPhoneSignupView(_CountedPhoneCodeMixin, allauth_views._VerifyPhoneSignupView):
    def code_is_dead(self):
        messages.error(self.request, CODE_IS_DEAD)
        self.process.abort()
        return self.stage.abort()


class VerifyPhoneChangeView(_CountedPhoneCodeMixin, allauth_views._VerifyPhoneChangeView):
    def code_is_dead(self):
        messages.error(self.request, CODE_IS_DEAD)
        self.process.abort()
        return redirect("account_change_phone")


def verify_phone(request):
    """allauth's verify_phone, with the tries of the code counted (accounts.code_attempts)."""
    if request.user.is_authenticated:
        return VerifyPhoneChangeView.as_view()(request)
    return VerifyPhoneSignupView.as_view()(request)


@login_required
def my_account(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            form.save()
            messages.success(request, _("C'est enregistré."))
            return redirect("accounts:my_account")
    else:
        form = ProfileForm(instance=user)
    memberships = list(user.memberships.select_related("centre").order_by("centre__title"))
    consents = list(Consent.objects.active().filter(resident=user).select_related("centre", "recorded_by"))
    consented = {c.centre_id for c in consents}
    consent_centres = CentrePage.objects.filter(
        pk__in=[m.centre_id for m in memberships if m.centre_id not in consented]
    ).order_by("title")
    return render(
        request,
        "accounts/my_account.html",
        {
            "form": form,
            "memberships": memberships,
            "consents": consents,
            "consent_form": ConsentForm(centres=consent_centres) if consent_centres else None,
            "acting_logs": ActingLog.objects.filter(resident=user).select_related("mediator")[:50],
            "is_mediator": any(m.role == Membership.Role.MEDIATOR for m in memberships),
        },
    )


@for_someone_too
@require_POST
def join(request, centre_id):
    centre = get_object_or_404(CentrePage.objects.live().public(), pk=centre_id)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_signup')}?centre={centre.pk}")
    describe_action(request, _("Inscription au centre « %s »") % centre.title)
    _membership, created = join_centre(request.user, centre, by=acting_mediator(request))
    if created:
        messages.success(
            request,
            for_whom(
                request,
                _("Bienvenue ! Vous avez rejoint « %(centre)s »."),
                _("%(name)s a rejoint « %(centre)s »."),
                centre=centre.title,
            ),
        )
    else:
        messages.info(
            request,
            for_whom(
                request,
                _("Vous êtes déjà membre du centre %(centre)s."),
                _("%(name)s est déjà membre du centre %(centre)s."),
                centre=centre.title,
            ),
        )
    return redirect(centre.url)


@login_required
def leave(request, centre_id):
    """Leave one of my centres, once the page saying what it ends has had a yes."""
    membership = get_object_or_404(Membership.objects.select_related("centre"), user=request.user, centre_id=centre_id)
    if not confirmed(request):
        explanation = [_("Vous ne recevrez plus les nouvelles de ce centre.")]
        if membership.role != Membership.Role.RESIDENT:
            explanation.append(
                _("Votre rôle dans ce centre (%(role)s) s'arrête.") % {"role": membership.get_role_display()}
            )
        if Consent.objects.active().filter(resident=request.user, centre=membership.centre).exists():
            explanation.append(_("Votre accord s'arrête : ses médiateurs ne pourront plus vous aider sur le site."))
        explanation += [
            _("Vos inscriptions et vos annonces restent."),
            _("Vous pourrez revenir quand vous voulez, depuis la page du centre."),
        ]
        return ask(
            request,
            question=_("Quitter « %(centre)s » ?") % {"centre": membership.centre.title},
            explanation=explanation,
            yes=_("Oui, je quitte ce centre"),
            no=_("Non, je reste"),
            back=reverse("accounts:my_account"),
        )
    leave_centre(request.user, membership.centre)
    messages.success(request, _("Vous avez quitté le centre %s.") % membership.centre.title)
    return redirect("accounts:my_account")


@login_required
@require_POST
def consent_give(request):
    centres = CentrePage.objects.filter(memberships__user=request.user)
    form = ConsentForm(request.POST, centres=centres)
    if form.is_valid():
        give_consent(request.user, form.cleaned_data["centre"], explained=str(CONSENT_EXPLAINED_ONLINE))
        messages.success(request, _("Les médiateurs du centre peuvent maintenant vous aider sur le site."))
    else:
        messages.error(request, _("Choisissez un de vos centres."))
    return redirect("accounts:my_account")


@login_required
@require_POST
@refusals_as_messages(back=lambda request, **kwargs: reverse("accounts:my_account"))
def consent_withdraw(request, consent_id):
    withdraw_consent(request.user, consent_id)
    messages.success(request, _("Votre accord est retiré. Plus personne ne peut agir pour vous."))
    return redirect("accounts:my_account")


@login_required
def my_data(request):
    sections = personal_data.collect(request.user)
    return render(
        request, "accounts/my_data.html", {"sections": sections, "erasures": personal_data.erasures(request.user)}
    )


@login_required
def my_data_json(request):
    sections = personal_data.collect(request.user)
    payload = {
        "exporte_le": timezone.now(),
        "donnees": {str(title): rows for title, rows in sections},
    }
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2, default=personal_data.as_json),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-placette.json"'
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        erase_account(user)
        messages.success(request, _("Votre compte et vos données sont effacés. Merci d'avoir utilisé Placette."))
        return redirect("/")
    return render(request, "accounts/delete_account.html", {"form": form})


def privacy(request):
    return render(
        request,
        "accounts/privacy.html",
        {
            "inactivity_years": settings.ACCOUNT_INACTIVITY_DAYS // 365,
            "inactivity_days": settings.ACCOUNT_INACTIVITY_DAYS,
            "notice_days": settings.ACCOUNT_INACTIVITY_NOTICE_DAYS,
            "retention_rules": retention.rules(),
        },
    )


def _mediator_or_403(request):
    centres = CentrePage.objects.mediated_by(request.user).order_by("title")
    if not centres:
        raise PermissionDenied
    return centres


@login_required
def accompaniment(request):
    centres = _mediator_or_403(request)
    return render(
        request,
        "accounts/accompaniment.html",
        {"centres": centres, "residents": residents_helped_by(request.user)},
    )


@login_required
def accompanied_create(request):
    centres = _mediator_or_403(request)
    form = AccompaniedAccountForm(
        request.POST or None, centres=centres, initial={"given_on": timezone.localdate(), "centre": centres[0]}
    )
    if request.method == "POST" and form.is_valid():
        resident = create_accompanied_account(request.user, **form.cleaned_data)
        messages.success(request, _("Le compte de %s est créé. Vous pouvez agir pour cette personne.") % resident)
        return redirect("accounts:accompaniment")
    return render(request, "accounts/accompanied_create.html", {"form": form})


def _resident_helped(request, user_id):
    _mediator_or_403(request)
    return get_object_or_404(residents_helped_by(request.user), pk=user_id)


@login_required
@refusals_as_messages(back=lambda request, **kwargs: reverse("accounts:accompaniment"))
def take_over(request, user_id):
    resident = _resident_helped(request, user_id)
    if not resident.accompanied:
        # Already their own (or handed over by a click a moment ago): said on the page sent back to, as the
        # service says it to a second click that waited for the first.
        raise NotAllowed(_("Vous ne pouvez pas modifier ce compte."))
    form = TakeOverForm(request.POST or None, resident=resident)
    if request.method == "POST" and form.is_valid():
        take_over_account(request.user, resident, **form.cleaned_data)
        messages.success(
            request,
            _("%s peut maintenant se connecter avec un code, envoyé à ce qu'elle vient de donner.") % resident,
        )
        return redirect("accounts:accompaniment")
    return render(request, "accounts/take_over.html", {"form": form, "resident": resident})


@login_required
@require_POST
def act_for_start(request, user_id):
    resident = get_object_or_404(User, pk=user_id)
    if not can_act_for(request.user, resident):
        raise PermissionDenied
    request.session[ACTING_FOR_SESSION_KEY] = resident.pk
    messages.info(request, _("Vous agissez maintenant pour %s. Tout ce que vous faites est noté.") % resident)
    return redirect("/")


@for_someone_too
@require_POST
def act_for_stop(request):
    describe_action(request, _("A arrêté d'agir pour vous"))
    request.session.pop(ACTING_FOR_SESSION_KEY, None)
    messages.info(request, _("Vous n'agissez plus pour quelqu'un."))
    return redirect(
        "accounts:accompaniment" if CentrePage.objects.mediated_by(request.mediator or request.user).exists() else "/"
    )
