"""Request-wide rules about people: a second factor for staff (the admin) and centre teams (their pages), acting
for a resident (every view closed unless it says `core.acting_for.for_someone_too`), and the last visit."""

from functools import wraps

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import can_act_for, record_acting
from core.acting_for import may_be_used_for_someone
from quartier.models import centre_ids_run_by

ACTING_FOR_SESSION_KEY = "placette_acting_for"

# Views of other projects a mediator may use for someone: reading the site's pages. Ours say it themselves
# (core.acting_for.for_someone_too); everything else is closed while acting for someone.
OPEN_VIEWS_OF_OTHER_PROJECTS = {"wagtail.views.serve", "wagtail.views.authenticate_with_password"}
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


def team_page(view):
    """A centre team's page (residents' names, phone numbers, attendance): for whoever runs a centre.

    Signed in first; someone who runs no centre gets the page that says it is the teams' (403), or "not
    found" at an address that names a thing (a date, a registration), as another centre's team does, so that
    it tells nothing of it. The others, editors and mediators alike, type a TOTP code in this session, as
    staff do before the admin (docs/adr/0004). Which centres and which dates they may see, the page decides.
    """

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not centre_ids_run_by(request.user):
            if args or kwargs:
                raise Http404
            return render(request, "components/not_team.html", status=403)
        redirect = second_factor_redirect(
            request,
            must_have_one=True,
            why=_("Pour ouvrir les pages de l'équipe, activez d'abord la double vérification."),
        )
        return redirect or view(request, *args, **kwargs)

    return wrapped


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
        name = f"{getattr(view_func, '__module__', '')}.{getattr(view_func, '__name__', '')}"
        if request.mediator is None or may_be_used_for_someone(view_func) or name in OPEN_VIEWS_OF_OTHER_PROJECTS:
            return None
        messages.error(request, _("Cette page n'est pas accessible quand vous agissez pour quelqu'un."))
        # A redirect, yet nothing was done: the resident's log must not show it as done.
        request.acting_refused = True
        return HttpResponseRedirect("/")


class LastSeenMiddleware:
    """Note the day of each person's last visit (once a day): the account no longer counts as inactive, and a
    warning of its erasure already sent no longer holds (accounts.inactivity)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        today = timezone.localdate()
        for person in (request.user, getattr(request, "mediator", None)):
            if person is not None and person.is_authenticated and person.last_seen != today:
                User.objects.filter(pk=person.pk).update(last_seen=today, inactivity_notice_sent_at=None)
                person.last_seen = today
        return self.get_response(request)
