"""A resident's proposals: "Cette information est fausse" on a place, a new place, and the page that says what the
centre answered."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from carte import proposals
from carte.forms import CorrectionForm, NewPlaceForm
from carte.models import PlaceProposal
from carte.views import listed_places
from core.acting_for import describe_action, for_someone_too


def _person(request):
    return request.user if request.user.is_authenticated else None


@for_someone_too
def report_error(request, place_id, slug):
    """ "Cette information est fausse": what is wrong, the right information, a way to be called back."""
    place = get_object_or_404(listed_places().select_related("centre"), pk=place_id)
    if slug != place.slug:
        return redirect("carte:report_error", place_id=place.pk, slug=place.slug, permanent=True)
    person = _person(request)
    centre = proposals.centre_for_correction(place)
    form = CorrectionForm(request.POST if request.method == "POST" else None, person=person, centre=centre)
    if form.is_bound and form.is_valid():
        describe_action(request, _("Signalement d'une erreur sur le lieu « %s »") % place.name)
        proposal = proposals.propose_correction(
            place,
            centre=centre or form.cleaned_data["centre"],
            token=form.cleaned_data["token"],
            wrong_fields=form.cleaned_data["wrong_fields"],
            details=form.cleaned_data["details"],
            person=person,
            **form.proposer(),
        )
        return redirect(proposal)
    return render(request, "carte/report_error.html", {"place": place, "centre": centre, "form": form})


@for_someone_too
def propose_place(request):
    """A new place; one that may already be on the map is shown first, with "Ce n'est pas le même lieu"."""
    person = _person(request)
    form = NewPlaceForm(request.POST if request.method == "POST" else None, person=person)
    alike = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") != "continuer":
            alike = proposals.places_like(
                data["name"],
                town=data["town"],
                postcode=data["postcode"],
                latitude=data["latitude"],
                longitude=data["longitude"] if data["latitude"] is not None else None,
            )
        if not alike:
            describe_action(request, _("Proposition d'un lieu sur la carte : « %s »") % data["name"])
            proposal = proposals.propose_place(person=person, **form.proposal())
            return redirect(proposal)
    return render(request, "carte/propose.html", {"form": form, "alike": alike})


def proposal_status(request, token):
    """What became of a proposal, for whoever holds the address the form gave (a visitor has no inbox)."""
    proposal = get_object_or_404(
        PlaceProposal.objects.select_related("place", "centre").prefetch_related("categories"), token=token
    )
    return render(request, "carte/proposal_status.html", {"proposal": proposal})
