"""Request-wide rules about people: a second factor for staff, acting for a resident, last visit."""

from functools import wraps

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import can_act_for, record_acting
from quartier.models import centres_run_by

ACTING_FOR_SESSION_KEY = "placette_acting_for"

# While a mediator acts for a resident, the resident's own activity is open: the agenda and their
# registrations, the exchange with their offers, conversations and hours, their notifications; that is
# what they asked for help with. What stays theirs alone is closed: sign-in and security (allauth),
# "Mon compte" with their personal data, consents and erasure (accounts, but for the views marked
# allowed_when_acting_for), the admin, and views marked closed_when_acting_for (the secret address of
# their calendar). notifications sits below accounts and closes how they are told in its own view.
CLOSED_WHEN_ACTING_FOR = ("allauth.", "wagtail.admin", "accounts.")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def has_second_factor(request):
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def second_factor_redirect(request, *, must_have_one, why):
    """Where to send a signed-in person who has not typed a TOTP code in this session, or None to let them in.

    Someone who has an authenticator types its code; someone who `must_have_one` and has none sets one up,
    told `why` first; anyone else goes on, and the page itself decides whether they may see it.
    """
    if has_second_factor(request):
        return None
    next_query = urlencode({"next": request.get_full_path()})
    if Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
        return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{next_query}")
    if must_have_one:
        messages.info(request, why)
        return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{next_query}")
    return None


class StaffSecondFactorMiddleware:
    """The Wagtail admin asks staff for a TOTP code in this session; residents never get there (docs/adr/0004)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = settings.ADMIN_URL_PREFIX

    def __call__(self, request):
        if request.path_info.startswith(self.prefix) and request.user.is_authenticated:
            redirect = second_factor_redirect(
                request,
                must_have_one=request.user.is_staff_member,
                why=_("Pour entrer dans l'administration, activez d'abord la double vérification."),
            )
            if redirect is not None:
                return redirect
        return self.get_response(request)


def team_second_factor_required(view):
    """A centre team's page (residents' names, phone numbers, attendance) asks for the admin's second factor.

    Whoever runs a centre, as its editor or its mediator, types a TOTP code in this session first, as staff
    do before the admin (docs/adr/0004). Residents go on to the page, which refuses them itself.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and (user.is_staff_member or centres_run_by(user).exists()):
            redirect = second_factor_redirect(
                request,
                must_have_one=True,
                why=_("Pour ouvrir les pages de l'équipe, activez d'abord la double vérification."),
            )
            if redirect is not None:
                return redirect
        return view(request, *args, **kwargs)

    return wrapped


def describe_action(request, text):
    """Let a view say in words what it did, for the log a resident reads ("Inscription à l'atelier …")."""
    request.acting_description = text


def for_whom(request, own, acting, **values):
    """`own` speaks to the person; while a mediator acts for them, `acting` names them instead.

    `acting` puts %(name)s (the name the resident goes by) where the sentence needs neither a gender
    nor an elision: "%(name)s : l'annonce est modifiée.", "%(name)s a une place." Other %(…)s come from `values`.
    """
    if getattr(request, "mediator", None) is not None:
        own, values = acting, {"name": request.user, **values}
    return own % values if values else own


class ActingForMiddleware:
    """While a mediator acts for a resident, the site sees the resident and every write is logged.

    The right is checked again on every request, so a withdrawn consent ends the mode at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.mediator = None
        resident_id = request.session.get(ACTING_FOR_SESSION_KEY) if hasattr(request, "session") else None
        if resident_id is None or not request.user.is_authenticated:
            return self.get_response(request)
        mediator = request.user
        resident = User.objects.filter(pk=resident_id).first()
        if resident is None or not can_act_for(mediator, resident):
            del request.session[ACTING_FOR_SESSION_KEY]
            messages.warning(request, _("Vous n'agissez plus pour cette personne : son accord n'est plus valable."))
            return self.get_response(request)
        request.mediator, request.user = mediator, resident
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            record_acting(
                mediator,
                resident,
                action=getattr(request, "acting_description", "") or _("Formulaire envoyé : %s") % request.path,
                path=request.path,
                succeeded=response.status_code < 400 and not getattr(request, "acting_refused", False),
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.mediator is None or getattr(view_func, "allowed_when_acting_for", False):
            return None
        module = getattr(view_func, "__module__", "") or ""
        if (
            module.startswith(CLOSED_WHEN_ACTING_FOR)
            or getattr(view_func, "closed_when_acting_for", False)
            or request.path_info.startswith(settings.ADMIN_URL_PREFIX)
        ):
            messages.error(request, _("Cette page n'est pas accessible quand vous agissez pour quelqu'un."))
            # A redirect, yet nothing was done: the resident's log must not show it as done.
            request.acting_refused = True
            return HttpResponseRedirect("/")
        return None


def allowed_when_acting_for(view):
    """Open an accounts view to a mediator acting for someone (joining a centre, stopping the mode)."""
    view.allowed_when_acting_for = True
    return view


def closed_when_acting_for(view):
    """Close a view of an app above accounts to a mediator acting for someone: it is the resident's alone."""
    view.closed_when_acting_for = True
    return view


class LastSeenMiddleware:
    """Note the day of each person's last visit (once a day), which keeps an account from counting as inactive."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        today = timezone.localdate()
        for person in (request.user, getattr(request, "mediator", None)):
            if person is not None and person.is_authenticated and person.last_seen != today:
                User.objects.filter(pk=person.pk).update(last_seen=today, inactivity_notice_sent_at=None)
                person.last_seen = today
        return self.get_response(request)
