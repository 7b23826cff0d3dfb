"""Residents propose activities; the centre's team reviews them through Wagtail's moderation workflow.

A proposal is a draft `EventPage` under the centre, owned by the resident and submitted to the centre's
own workflow (see `quartier.editors.set_up_review`), exactly as an editor's "Submit for moderation" in
the admin would. Wagtail's models check no permission when a revision is saved or a workflow started:
its admin views do, and a resident never reaches them; `propose()` checks membership instead.

What happens next is heard from Wagtail's signals, whichever way the team acts in the admin: the
team is told of a new proposal, and the resident hears when it goes live or is declined.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page, WorkflowState
from wagtail.signals import page_published, workflow_rejected, workflow_submitted
from wagtail.users.models import UserProfile

from accounts.services import check_may_act_for
from agenda.models import EventPage
from agenda.notices import PROPOSAL, PROPOSAL_SUBMITTED
from core.errors import NotAllowed, PlacetteError
from home.templatetags.french import day
from notifications.services import notify
from quartier.models import CentrePage, Membership, team_of

LISTED = 20


class ProposalRefused(PlacetteError):
    pass


def not_member_text(centre):
    return _(
        "Pour proposer une activité au centre %(centre)s, il faut d'abord en être membre. "
        "Ouvrez la page du centre et appuyez sur « Rejoindre ce centre ». C'est gratuit."
    ) % {"centre": centre.title}


def propose(
    person, centre, *, title, summary, start_date, start_time, end_time, place, category, capacity, needs, by=None
):
    """Write `person`'s proposal as a draft activity of `centre` and submit it to the centre's workflow.

    `by` is the mediator writing it for them, who needs their consent.
    """
    check_may_act_for(by, person)
    if not Membership.objects.filter(user=person, centre=centre).exists():
        raise NotAllowed(not_member_text(centre))
    if place is not None and place.centre_id != centre.pk:
        raise ProposalRefused(_("Ce lieu n'est pas un lieu du centre. Choisissez-en un dans la liste."))
    event = EventPage(
        title=title,
        summary=summary,
        start_date=start_date,
        start_time=start_time,
        end_time=end_time,
        place=place,
        wheelchair_accessible=bool(place and place.wheelchair_accessible),
        category=category,
        registration_required=True,
        capacity=capacity,
        needs=needs,
        proposed_by=person,
        owner=person,
        live=False,
    )
    with transaction.atomic():
        centre.add_child(instance=event)
        event.save_revision(user=person, log_action=True)
        workflow = event.get_workflow()
        if workflow is None:
            raise ProposalRefused(_("Ce centre ne reçoit pas de propositions pour le moment. Parlez-en à son équipe."))
        if not person.has_perm("wagtailadmin.access_admin"):
            # Wagtail would e-mail the requester its admin's own words and links; Placette tells a
            # resident itself, in plain French, by the way they chose (below).
            UserProfile.objects.update_or_create(
                user=person, defaults={"approved_notifications": False, "rejected_notifications": False}
            )
        workflow.start(event, person)
    return event


def proposals_of(person):
    """The person's latest proposals, newest first, with `proposal_status` and, if declined, `team_comment`."""
    events = list(EventPage.objects.filter(proposed_by=person).order_by("-pk")[:LISTED])
    if not events:
        return []
    latest = {}
    for state in (
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(event.pk) for event in events],
        )
        .select_related("current_task_state")
        .order_by("created_at", "pk")
    ):
        latest[state.object_id] = state
    centres = CentrePage.objects.in_bulk([event.path[: -Page.steplen] for event in events], field_name="path")
    for event in events:
        state = latest.get(str(event.pk))
        event.centre_page = centres.get(event.path[: -Page.steplen])
        event.team_comment = ""
        if event.live:
            event.proposal_status = "published"
        elif event.first_published_at is not None:
            event.proposal_status = "withdrawn"
        elif state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            event.proposal_status = "declined"
            event.team_comment = state.current_task_state.comment if state.current_task_state else ""
        else:
            event.proposal_status = "pending"
    return events


def _proposal_in(workflow_state):
    """The resident's proposal `workflow_state` moderates, while it has never been published, or None."""
    page = workflow_state.content_object
    if not isinstance(page, Page) or page.specific_class is not EventPage:
        return None
    event = page.specific
    if (
        event.proposed_by_id is None
        or event.proposed_by_id != workflow_state.requested_by_id
        or event.first_published_at is not None
    ):
        return None
    return event


def submitted_text(event):
    return _("%(person)s propose une activité : « %(title)s », le %(day)s. Elle attend votre relecture.") % {
        "person": event.proposed_by,
        "title": event.title,
        "day": day(event.start_date),
    }


def published_text(event, centre):
    return _("Bonne nouvelle : votre activité « %(title)s » est dans l'agenda du centre %(centre)s.") % {
        "title": event.title,
        "centre": centre.title,
    }


def declined_text(event, centre, comment):
    text = _("Le centre %(centre)s ne publie pas votre activité « %(title)s ».") % {
        "title": event.title,
        "centre": centre.title,
    }
    if comment:
        text += " " + _("Message de l'équipe : « %(comment)s »") % {"comment": comment}
    return text


@receiver(workflow_submitted, sender=WorkflowState)
def tell_the_team(sender, instance, user=None, **kwargs):
    event = _proposal_in(instance)
    if event is None:
        return
    centre = event.centre
    text = submitted_text(event)
    url = reverse("wagtailadmin_pages:edit", args=[event.pk])
    for member in team_of(centre).exclude(pk=event.proposed_by_id):
        notify(member, PROPOSAL_SUBMITTED.key, text, url=url, actor=event.proposed_by, centre=centre)


@receiver(workflow_rejected, sender=WorkflowState)
def tell_declined(sender, instance, user=None, **kwargs):
    """The team asked for changes: the resident cannot make them, so for them the proposal is declined."""
    event = _proposal_in(instance)
    if event is None:
        return
    centre = event.centre
    comment = instance.current_task_state.specific.get_comment().strip()
    notify(
        event.proposed_by,
        PROPOSAL.key,
        declined_text(event, centre, comment),
        url=reverse("agenda:propose"),
        actor=user,
        centre=centre,
    )


@receiver(page_published, sender=EventPage)
def tell_published(sender, instance, **kwargs):
    """Heard at publication rather than at approval: an approval may publish later (a date set to go live),
    and an editor may publish the proposal directly, which cancels its workflow."""
    first_publication = instance.first_published_at == instance.last_published_at
    if instance.proposed_by_id is None or not first_publication:
        return
    centre = instance.centre
    notify(
        instance.proposed_by,
        PROPOSAL.key,
        published_text(instance, centre),
        url=instance.get_url(),
        centre=centre,
    )
