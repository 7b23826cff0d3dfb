"""My notifications: the inbox (newest first, paginated), opening one, all read, and how to be told."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.acting_for import describe_action, for_someone_too, for_whom
from core.listing import paginate
from notifications import services, sms_numbers
from notifications.forms import PreferencesForm
from notifications.models import Notification, SmsNumber


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
    return render(request, "notifications/preferences.html", {"form": form})


def stop_sms(request, code):
    """The stop link of every SMS: one tap to confirm, as a phone's link preview opens the address by itself."""
    number = get_object_or_404(SmsNumber, code=code)
    if request.method == "POST":
        sms_numbers.stop(number.phone, how=SmsNumber.How.LINK)
        return render(request, "notifications/sms_stopped.html", {"phone": number.phone})
    if number.stopped:
        return render(request, "notifications/sms_stopped.html", {"phone": number.phone})
    return render(request, "notifications/sms_stop.html", {"phone": number.phone})
