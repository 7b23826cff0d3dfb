"""Proposing an activity to one's centre, and following what became of one's proposals, on one page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agenda.forms.proposals import ProposalForm
from agenda.proposals import not_member_text, proposals_of, propose
from core.acting_for import acting_mediator, describe_action, for_someone_too, for_whom
from core.views import attempt
from quartier.models import CentrePage

TEMPLATE = "agenda/propose.html"


def _chosen_centre(request):
    """The centre named by `?centre=`, or None when the address names none."""
    chosen = request.GET.get("centre", "")
    if not chosen:
        return None
    if not chosen.isdigit():
        raise Http404
    return get_object_or_404(CentrePage.objects.live().public(), pk=chosen)


@for_someone_too
@login_required
def propose_activity(request):
    """`?centre=<id>` names the centre; a member of one centre needs none, a member of several chooses first."""
    person = request.user
    centres = list(CentrePage.objects.live().public().filter(memberships__user=person).order_by("title"))
    context = {"centres": centres, "proposals": proposals_of(person)}
    centre = _chosen_centre(request)
    if centre is None and len(centres) == 1:
        centre = centres[0]
    if centre is not None and centre not in centres:
        context.update(centre=centre, refusal=not_member_text(centre))
        return render(request, TEMPLATE, context, status=403)
    if centre is None:
        if not centres:
            context["refusal"] = _(
                "Pour proposer une activité, rejoignez d'abord votre centre social. Choisissez-le dans la liste "
                "des centres, puis appuyez sur « Rejoindre ce centre ». C'est gratuit."
            )
            return render(request, TEMPLATE, context, status=403)
        return render(request, TEMPLATE, context)

    form = ProposalForm(request.POST if request.method == "POST" else None, centre=centre)
    if form.is_bound:
        if form.is_valid():
            describe_action(request, _("Proposition d'une activité : « %s »") % form.cleaned_data["title"])
            if attempt(form, propose, person, centre, by=acting_mediator(request), **form.proposal()) is not None:
                messages.success(
                    request,
                    for_whom(
                        request,
                        _("Merci ! L'équipe du centre va relire votre proposition."),
                        _("Merci ! L'équipe du centre va relire la proposition et répondra à %(name)s."),
                    ),
                )
                return redirect(f"{reverse('agenda:propose')}?centre={centre.pk}")
        context.update(centre=centre, form=form)
        return render(request, TEMPLATE, context, status=400)
    context.update(centre=centre, form=form)
    return render(request, TEMPLATE, context)
