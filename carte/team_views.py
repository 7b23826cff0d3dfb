"""The centre team's phone page for the map: residents' proposals to answer, places due for a check.

Proposals and places are looked up among those of the centres the user runs (`reviewable_by`,
`centre_ids_run_by`): another centre's are "not found". Every write goes through carte.proposals or
carte.checks, which check the same right again.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.middleware import team_page
from carte import checks, proposals
from carte.forms import AnswerForm, PlaceFieldsForm, RejectForm
from carte.models import PlaceProposal, UsefulPlace
from core.listing import paginate
from core.views import attempt
from quartier.models import centre_ids_run_by

# Places due for a check shown at once: the oldest first, the others once these are done.
STALE_SHOWN = 20


@team_page
def team(request):
    """Pending proposals of my centres, oldest first, then the places nobody checked for a year."""
    pending = (
        PlaceProposal.objects.reviewable_by(request.user)
        .pending()
        .select_related("place", "centre", "person")
        .order_by("created_at", "pk")
    )
    page = paginate(request, pending)
    stale = checks.places_to_check_by(request.user).select_related("centre", "last_checked_by")
    return render(
        request,
        "carte/team/team.html",
        {
            "page_obj": page,
            "proposals": page.object_list,
            "stale": stale[:STALE_SHOWN],
            "stale_count": stale.count(),
            "show_centre": len(centre_ids_run_by(request.user)) > 1,
        },
    )


def _proposal_or_404(request, proposal_id):
    try:
        return (
            PlaceProposal.objects.reviewable_by(request.user)
            .select_related("place", "centre", "person", "reviewed_by")
            .prefetch_related("categories")
            .get(pk=proposal_id)
        )
    except PlaceProposal.DoesNotExist:
        raise Http404 from None


def _place_form(proposal, data=None):
    """The place's fields to put right: the place's own for a correction, the proposal's for a new place.

    A centre's own place is written from its page (carte.signals): nothing to edit here.
    """
    if proposal.is_correction:
        if proposal.place.for_centre_id is not None:
            return None
        return PlaceFieldsForm(data, instance=proposal.place, prefix="place")
    initial = {
        "name": proposal.name,
        "street_address": proposal.street_address,
        "postcode": proposal.postcode,
        "town": proposal.town,
        "phone": proposal.phone,
        "categories": list(proposal.categories.all()),
    }
    place = UsefulPlace(centre=proposal.centre, latitude=proposal.latitude, longitude=proposal.longitude)
    return PlaceFieldsForm(data, instance=place, initial=initial, prefix="place")


@team_page
def team_proposal(request, proposal_id):
    """One proposal, what it says next to what the map says, and the team's answer: accept (putting the place
    right) or refuse with a message."""
    proposal = _proposal_or_404(request, proposal_id)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    if posted is not None and action not in {"accept", "reject"}:
        raise Http404
    place_form = _place_form(proposal, posted if action == "accept" else None)
    accept_form = AnswerForm(posted if action == "accept" else None, prefix="accept")
    reject_form = RejectForm(posted if action == "reject" else None, prefix="reject")
    if action == "accept" and accept_form.is_valid() and (place_form is None or place_form.is_valid()):
        changes = place_form.changes() if place_form else None
        categories = place_form.cleaned_data["categories"] if place_form else None
        done = attempt(
            accept_form,
            proposals.accept,
            proposal.pk,
            request.user,
            changes=changes,
            categories=categories,
            message=accept_form.cleaned_data["message"],
        )
        if done is not None:
            messages.success(request, _("C'est fait : la proposition est acceptée et le lieu est à jour."))
            return redirect("carte:team")
    if action == "reject" and reject_form.is_valid():
        done = attempt(reject_form, proposals.reject, proposal.pk, request.user, **reject_form.cleaned_data)
        if done is not None:
            messages.success(request, _("C'est fait : la proposition est refusée."))
            return redirect("carte:team")
    admin_url = ""
    if proposal.place is not None and request.user.has_perm("carte.change_usefulplace"):
        admin_url = reverse("wagtailsnippets_carte_usefulplace:edit", args=[proposal.place.pk])
    return render(
        request,
        "carte/team/proposal.html",
        {
            "proposal": proposal,
            "place_form": place_form,
            "accept_form": accept_form,
            "reject_form": reject_form,
            "admin_url": admin_url,
        },
        status=400 if action else 200,
    )


@team_page
@require_POST
def place_checked(request, place_id):
    """ "J'ai vérifié, c'est à jour": the place's check is today's, by me."""
    try:
        place = checks.mark_checked(request.user, place_id)
    except UsefulPlace.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Merci ! « %(name)s » est vérifié aujourd'hui.") % {"name": place.name})
    return redirect("carte:team")
