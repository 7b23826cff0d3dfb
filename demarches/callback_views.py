"""The centre team's phone page of SMS replies: who to call back, and "C'est fait" once called.

Callbacks are looked up among those of the centres the user runs (`Callback.objects.for_team_of`): another
centre's is "not found".
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.fields import phone_as_written
from accounts.middleware import team_page
from core.listing import paginate
from demarches import callbacks
from demarches.models import Callback
from quartier.models import centre_ids_run_by


@team_page
@require_GET
def callback_list(request):
    """The open callbacks of my centres, oldest first: the person who waited longest is called first."""
    waiting = (
        Callback.objects.for_team_of(request.user)
        .open()
        .select_related("centre", "delivery__notification", "delivery__campaign_message__campaign")
        .order_by("received_at", "pk")
    )
    page = paginate(request, waiting)
    return render(
        request,
        "demarches/team/callbacks.html",
        {"page_obj": page, "callbacks": page.object_list, "show_centre": len(centre_ids_run_by(request.user)) > 1},
    )


@team_page
@require_POST
def callback_done(request, callback_id):
    try:
        callback = callbacks.mark_done(request.user, callback_id)
    except Callback.DoesNotExist:
        raise Http404 from None
    messages.success(
        request,
        _("C'est noté : vous avez rappelé %(person)s.")
        % {"person": callback.name or phone_as_written(callback.phone)},
    )
    return redirect("demarches:callbacks")
