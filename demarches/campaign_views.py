"""A centre's SMS campaigns, for its team on a phone: the list, a new one in three steps, its figures.

1. who receives it, 2. the text, link and time (counted as typed; the same figures after "Aperçu" without
JavaScript), 3. the preview: one real SMS, the recipients, the cost against the month's budget, then "Envoyer".
Every campaign is looked up among those of the centres the user runs: another centre's is a 404.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from accounts.middleware import team_page
from core.listing import paginate
from demarches import audiences, campaigns
from demarches.campaign_forms import AudienceForm, ComposeForm
from demarches.models import Campaign
from notifications import sms_numbers
from notifications.models import Delivery
from quartier.models import CentrePage


def _campaign(request, campaign_id):
    return get_object_or_404(Campaign.objects.run_by(request.user).select_related("centre"), pk=campaign_id)


def _draft_or_page(campaign):
    """A campaign that left the draft state is no longer written: its page shows where it is."""
    return None if campaign.is_draft else redirect("demarches:campaign", campaign.pk)


@team_page
@require_GET
def campaign_list(request):
    centres = list(CentrePage.objects.run_by(request.user).only("pk", "title").order_by("title"))
    listed = (
        Campaign.objects.filter(centre__in=[centre.pk for centre in centres])
        .select_related("centre")
        .annotate(sent=Count("messages", filter=Q(messages__delivery__status=Delivery.Status.SENT)))
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "demarches/campaigns/list.html",
        {"page_obj": paginate(request, listed), "centres": centres, "show_centre": len(centres) > 1},
    )


@team_page
def new_campaign(request, centre_id):
    """Step 1: who receives it. The choices are the centre's only: anything else is refused next to the field."""
    centre = get_object_or_404(CentrePage.objects.run_by(request.user), pk=centre_id)
    form = AudienceForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        key, value = form.cleaned_audience()
        try:
            campaign = campaigns.start_draft(centre, key, value, by=request.user)
        except audiences.UnknownAudience as error:
            form.add_error("audience", str(error))
        else:
            return redirect("demarches:campaign_write", campaign.pk)
    return render(request, "demarches/campaigns/new.html", {"centre": centre, "form": form})


def _page_of(campaign):
    """The page of what the audience is about (a procedure, an activity), offered as the SMS's link."""
    try:
        _source, choice = audiences.choice_of(campaign.centre, campaign.audience, campaign.audience_choice)
    except audiences.UnknownAudience:
        return "", ""
    return (choice.url, choice.label) if choice else ("", "")


@team_page
def write(request, campaign_id):
    """Step 2: the text, counted as it is typed, its link and its time."""
    campaign = _campaign(request, campaign_id)
    if (elsewhere := _draft_or_page(campaign)) is not None:
        return elsewhere
    page_url, page_label = _page_of(campaign)
    form = ComposeForm.for_campaign(campaign, request.POST or None, page_url=page_url, page_label=page_label)
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.write_draft(
                campaign,
                by=request.user,
                name=form.cleaned_data["name"],
                text=form.cleaned_data["text"],
                link_url=form.link_url,
                at=form.at,
                hosts={request.get_host()},
            )
        except campaigns.CampaignError as error:
            form.add_error(ComposeForm.ERROR_FIELDS.get(error.field), str(error))
        else:
            return redirect("demarches:campaign_preview", campaign.pk)
    typed = form["text"].value() or ""
    with_link = bool(campaign.link_url) if not form.is_bound else form.data.get("link", "") != ""
    length = campaigns.measure(campaigns.message_text(campaign.centre, typed, with_link=with_link))
    return render(
        request,
        "demarches/campaigns/write.html",
        {
            "campaign": campaign,
            "form": form,
            "length": length,
            "prefix": campaigns.prefix(campaign.centre),
            "link_length": len(campaigns.short_link("x" * campaigns.LINK_CODE_LENGTH)) + 1,
            "stop_length": sms_numbers.stop_line_length(),
            "max_parts": campaigns.MAX_PARTS,
            # The same sentences for the page's script, with {characters} and {parts} to fill as it counts.
            "count_words": campaigns.count_words() % {"characters": "{characters}", "parts": "{parts}"},
            "unicode_one": campaigns.unicode_words(1) % {"characters": "{characters}"},
            "unicode_many": campaigns.unicode_words(2) % {"characters": "{characters}"},
            "too_long_text": campaigns.too_long_words(),
        },
    )


@team_page
@require_safe
def preview(request, campaign_id):
    """Step 3: one real SMS as it leaves, who gets it, what it costs; "Envoyer" when nothing stands in the way."""
    campaign = _campaign(request, campaign_id)
    if (elsewhere := _draft_or_page(campaign)) is not None:
        return elsewhere
    seen = campaigns.preview(campaign)
    return render(request, "demarches/campaigns/preview.html", {"campaign": campaign, "preview": seen})


@team_page
@require_POST
def confirm(request, campaign_id):
    """Step 4: sent once, whatever the number of taps; refused with the figures when it no longer fits."""
    campaign = _campaign(request, campaign_id)
    try:
        seen = campaigns.confirm(campaign, by=request.user)
    except campaigns.AlreadyConfirmed as error:
        messages.info(request, str(error))
        return redirect("demarches:campaign", campaign.pk)
    except campaigns.CampaignError as error:
        messages.error(request, str(error))
        return redirect("demarches:campaign_preview", campaign.pk)
    if seen.send_at <= timezone.now():
        messages.success(request, _("C'est parti : les SMS partent dans les minutes qui viennent."))
    else:
        messages.success(request, _("C'est programmé. Vous pouvez encore l'annuler d'ici là."))
    return redirect("demarches:campaign", campaign.pk)


@team_page
@require_POST
def cancel(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    if campaigns.cancel(campaign, by=request.user):
        messages.success(request, _("La campagne est annulée : aucun SMS ne partira."))
    else:
        messages.error(request, _("Trop tard : la campagne est déjà partie."))
    return redirect("demarches:campaign", campaign.pk)


@team_page
@require_GET
def campaign(request, campaign_id):
    """A campaign's page: its message, when it left, and its figures with how each is counted."""
    campaign = _campaign(request, campaign_id)
    if campaign.is_draft:
        return redirect("demarches:campaign_write", campaign.pk)
    return render(
        request,
        "demarches/campaigns/campaign.html",
        {
            "campaign": campaign,
            "figures": campaigns.figures(campaign),
            "message": campaigns.message_of(campaign),
            "may_cancel": campaign.status == Campaign.Status.SCHEDULED,
        },
    )


@require_GET
def follow_link(request, code):
    """The short link of a campaign's SMS: counted, then on to its page. No cookie, nothing about the person."""
    link = campaigns.follow_link(code)
    if link is None:
        raise Http404
    return redirect(link)
