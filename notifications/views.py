"""My notifications: the inbox (newest first, paginated), opening one, all read, and how to be told; the SMS stop
link; the SMS provider's webhook."""

import base64
import binascii
import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.acting_for import describe_action, for_someone_too, for_whom
from core.listing import paginate
from notifications import services, sms_inbound, sms_numbers
from notifications.forms import PreferencesForm
from notifications.models import Notification, SmsNumber
from notifications.sms.webhooks import MalformedEvent, get_parser

logger = logging.getLogger(__name__)

# A batch of Brevo's 500 events weighs about 200 KB; anything much bigger is not a provider's.
WEBHOOK_MAX_BYTES = 512 * 1024


@for_someone_too
@login_required
def inbox(request):
    page = paginate(request, Notification.objects.for_user(request.user))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@for_someone_too
@login_required
@require_POST
def mark_all_as_read(request):
    describe_action(request, _("Toutes ses notifications marquées comme lues"))
    count = services.mark_all_read(request.user)
    if count:
        messages.success(
            request,
            for_whom(
                request,
                _("Toutes vos notifications sont marquées comme lues."),
                _("%(name)s : toutes ses notifications sont marquées comme lues."),
            ),
        )
    return redirect("notifications:inbox")


@for_someone_too
@login_required
def open_notification(request, notification_id):
    """Mark it read and follow its link: a plain link, so that it works without JavaScript."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=notification_id)
    describe_action(request, _("Notification ouverte : %s") % notification.text)
    services.mark_read(request.user, notification.pk)
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()})
    return redirect(notification.url if notification.url and safe else "notifications:inbox")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, form.cleaned_data)
        messages.success(request, _("C'est noté : vos choix sont enregistrés."))
        return redirect("notifications:preferences")
    phone = str(request.user.phone or "")
    number = SmsNumber.objects.filter(phone=phone).first() if phone else None
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "phone": phone, "sms_stopped_at": number.stopped_at if number else None},
    )


@login_required
@require_POST
def stop_my_sms(request):
    """No SMS at all to my number any more, whatever sends them: the same STOP as a reply, recorded as mine."""
    phone = str(request.user.phone or "")
    if phone:
        sms_numbers.stop(phone, how=SmsNumber.How.ACCOUNT, by=request.user)
        messages.success(request, _("C'est noté : Placette ne vous enverra plus de SMS."))
    return redirect("notifications:preferences")


@login_required
@require_POST
def resume_my_sms(request):
    """My number said STOP; I want SMS again."""
    phone = str(request.user.phone or "")
    if phone and sms_numbers.resume(phone, how=SmsNumber.How.ACCOUNT, by=request.user):
        messages.success(request, _("C'est noté : vous pouvez de nouveau recevoir des SMS de Placette."))
    return redirect("notifications:preferences")


def stop_sms(request, code):
    """The stop link of every SMS: one tap to confirm, as a phone's link preview opens the address by itself."""
    number = get_object_or_404(SmsNumber, code=code)
    if request.method == "POST":
        sms_numbers.stop(number.phone, how=SmsNumber.How.LINK)
        return render(request, "notifications/sms_stopped.html", {"phone": number.phone})
    if number.stopped:
        return render(request, "notifications/sms_stopped.html", {"phone": number.phone})
    return render(request, "notifications/sms_stop.html", {"phone": number.phone})


def _webhook_secret(request):
    """The secret a webhook request carries: a bearer token, or the password of Basic auth (in the URL at Brevo)."""
    scheme, _space, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""


def _refused(request, status, why):
    logger.warning("SMS webhook refused (%s) from %s: %s", status, request.META.get("REMOTE_ADDR"), why)
    return JsonResponse({"error": why}, status=status)


@csrf_exempt
def sms_webhook(request):
    """The SMS provider's reports and replies (notifications.sms_inbound): authenticated, each event acted on once.

    Without a secret configured it does not exist (404). A replayed or too old event is answered 200 with nothing
    done, so that the provider stops sending it; what is not JSON, or not the provider's shape, is a 400.
    """
    token = settings.SMS_WEBHOOK_TOKEN
    if not token:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not constant_time_compare(_webhook_secret(request), token):
        response = _refused(request, 401, "authentication")
        response["WWW-Authenticate"] = 'Bearer realm="placette", Basic realm="placette"'
        return response
    if request.content_type != "application/json":
        return _refused(request, 415, "not JSON")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > WEBHOOK_MAX_BYTES or len(request.body) > WEBHOOK_MAX_BYTES:
        return _refused(request, 413, "too large")
    try:
        events = get_parser()(json.loads(request.body))
    except (ValueError, RecursionError) as error:
        # MalformedEvent is a ValueError, as are JSON and UTF-8 errors.
        kind = "malformed event" if isinstance(error, MalformedEvent) else "malformed JSON"
        return _refused(request, 400, f"{kind}: {error}"[:200])
    outcomes = sms_inbound.receive(events)
    logger.info("SMS webhook: %s", dict(outcomes))
    return JsonResponse({"outcomes": outcomes})
