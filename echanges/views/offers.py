"""The exchange's public pages and the author's: the listing, an offer's page, posting, changing, "Mes échanges"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import freshness
from core.acting_for import describe_action, for_someone_too, for_whom
from core.listing import filtered_listing
from core.views import attempt, refusals_as_messages
from echanges.filters import OfferFilter
from echanges.forms import MODE_IN_WORDS, OfferForm
from echanges.models import OFFER_LIFETIME, Offer, is_suspended
from echanges.services import offers as services
from home.templatetags.french import short_day

# The order of the groups on "Mes échanges": what is alive first.
MY_GROUPS = [
    (Offer.Status.OPEN, _("En ligne")),
    (Offer.Status.IN_PROGRESS, _("En cours")),
    (Offer.Status.EXPIRED, _("Expirées : à renouveler si elles tiennent toujours")),
    (Offer.Status.DONE, _("Réalisées")),
    (Offer.Status.WITHDRAWN, _("Retirées")),
]


def listing(request, *, centre=None):
    """Open offers, filtered and paginated: the network's exchange, or one centre's."""
    offers = Offer.objects.open().for_listing().prefetch_related("photo__renditions")
    if centre is not None:
        offers = offers.filter(centre=centre)
    return filtered_listing(request, OfferFilter, offers, name="offers", centre=centre)


def _written_listing(request):
    context = listing(request)
    html = render_to_string(
        "echanges/_listing.html", {**context, "action": request.path, "show_centre": True, "level": 1}
    )
    return {"listing": html, "page_number": context["page_obj"].number}


@for_someone_too
def echanges(request):
    # The offers and their filters are the same for everyone: written once until any centre's offers change,
    # then the person's own header and buttons are written around them.
    scopes = (freshness.SITE, freshness.ALL_CENTRES)
    context = freshness.kept("echanges", scopes, request.get_full_path(), lambda: _written_listing(request))
    return render(request, "echanges/echanges.html", context)


def offers_visible_to(user):
    """What anyone may read, and the person's own offers whatever became of them."""
    if not user.is_authenticated:
        return Offer.objects.shown()
    return Offer.objects.filter((Q(hidden=False) & ~Q(status=Offer.Status.WITHDRAWN)) | Q(author=user))


@for_someone_too
def offer(request, offer_id):
    offer = get_object_or_404(
        offers_visible_to(request.user)
        .select_related("author", "centre", "category", "photo")
        .prefetch_related("tags", "photo__renditions"),
        pk=offer_id,
    )
    freshness.about_centre(request, offer.centre_id)
    is_author = offer.author_id == request.user.pk
    return render(
        request,
        "echanges/offer.html",
        {
            "offer": offer,
            "is_author": is_author,
            "mode_in_words": MODE_IN_WORDS[offer.mode],
            "tags": offer.tags.all(),
            "report_url": "" if is_author else reverse("echanges:report_offer", args=[offer.pk]),
            "may_renew": is_author and not offer.hidden and offer.status in (Offer.Status.OPEN, Offer.Status.EXPIRED),
            "may_edit": is_author and not offer.hidden and offer.status != Offer.Status.WITHDRAWN,
            "may_restore": is_author and services.may_be_restored(offer),
            "login_url": f"{reverse('account_request_login_code')}?next={offer.get_absolute_url()}",
        },
    )


def _suspension_refusal(request):
    if is_suspended(request.user):
        return render(
            request,
            "echanges/offer_form.html",
            {
                "refusal": _(
                    "La modération a suspendu votre compte pour un temps : vous ne pouvez pas publier d'annonce. "
                    "Parlez-en à un médiateur de votre centre."
                )
            },
            status=403,
        )
    return None


@for_someone_too
@login_required
def post(request):
    refusal = _suspension_refusal(request)
    if refusal is not None:
        return refusal
    initial = {}
    if request.GET.get("centre", "").isdigit():
        initial["centre"] = int(request.GET["centre"])
    form = OfferForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if form.is_bound:
        if form.is_valid():
            describe_action(request, _("Annonce publiée : « %s »") % form.cleaned_data["title"])
            offer = attempt(form, services.post_offer, request.user, by=request.mediator, **form.values())
            if offer is not None:
                messages.success(
                    request,
                    for_whom(
                        request,
                        _("Votre annonce est en ligne pour %(days)s jours. Merci !"),
                        _("%(name)s : l'annonce est en ligne pour %(days)s jours. Merci !"),
                        days=OFFER_LIFETIME.days,
                    ),
                )
                return redirect(offer)
        return render(request, "echanges/offer_form.html", {"form": form}, status=400)
    return render(request, "echanges/offer_form.html", {"form": form})


@for_someone_too
@login_required
def edit(request, offer_id):
    offer = get_object_or_404(
        Offer.objects.owned_by(request.user).select_related("photo").prefetch_related("tags"), pk=offer_id
    )
    refusal = _suspension_refusal(request)
    if refusal is not None:
        return refusal
    form = OfferForm(request.POST or None, request.FILES or None, user=request.user, offer=offer)
    context = {"form": form, "offer": offer}
    if form.is_bound:
        if form.is_valid():
            describe_action(request, _("Annonce modifiée : « %s »") % form.cleaned_data["title"])
            edited = attempt(form, services.update_offer, offer.pk, request.user, by=request.mediator, **form.values())
            if edited is not None:
                messages.success(
                    request,
                    for_whom(request, _("Votre annonce est modifiée."), _("%(name)s : l'annonce est modifiée.")),
                )
                return redirect(edited)
        return render(request, "echanges/offer_form.html", context, status=400)
    return render(request, "echanges/offer_form.html", context)


def _offer_page(request, offer_id):
    return reverse("echanges:offer", args=[offer_id])


def _offer_or_404(service, offer_id, request):
    """Run `service` on one of the person's offers; another person's offer is "not found"."""
    try:
        return service(offer_id, request.user, by=request.mediator)
    except Offer.DoesNotExist:
        raise Http404 from None


# A refusal goes back to the offer's page, where "Remettre en ligne" undoes a withdrawal made by mistake.


@for_someone_too
@require_POST
@login_required
@refusals_as_messages(_offer_page)
def withdraw(request, offer_id):
    describe_action(request, _("Annonce retirée"))
    _offer_or_404(services.withdraw_offer, offer_id, request)
    messages.success(
        request,
        for_whom(
            request,
            _("Votre annonce est retirée. Plus personne ne la voit. Vous pouvez la remettre en ligne."),
            _("%(name)s : l'annonce est retirée. Plus personne ne la voit. Vous pouvez la remettre en ligne."),
        ),
    )
    return redirect("echanges:offer", offer_id)


def _keeping_online(service, *, action, to_me, for_someone):
    """Restore or renew: the same checks and answer, with its own words and the offer's new end day."""

    @for_someone_too
    @require_POST
    @login_required
    @refusals_as_messages(_offer_page)
    def keep_online(request, offer_id):
        describe_action(request, str(action))
        offer = _offer_or_404(service, offer_id, request)
        messages.success(request, for_whom(request, to_me, for_someone, day=short_day(offer.expires_at)))
        return redirect(offer)

    return keep_online


restore = _keeping_online(
    services.restore_offer,
    action=gettext_lazy("Annonce remise en ligne"),
    to_me=gettext_lazy("Votre annonce est de nouveau en ligne, jusqu'au %(day)s."),
    for_someone=gettext_lazy("%(name)s : l'annonce est de nouveau en ligne, jusqu'au %(day)s."),
)
renew = _keeping_online(
    services.renew_offer,
    action=gettext_lazy("Annonce renouvelée"),
    to_me=gettext_lazy("Votre annonce est renouvelée : elle reste en ligne jusqu'au %(day)s."),
    for_someone=gettext_lazy("%(name)s : l'annonce reste en ligne jusqu'au %(day)s."),
)


@for_someone_too
@login_required
def mine(request):
    """My offers and requests, grouped by what became of them."""
    mine = list(
        Offer.objects.owned_by(request.user).select_related("centre", "category").order_by("-published_at", "-pk")
    )
    now = timezone.now()
    for offer in mine:
        offer.may_restore = services.may_be_restored(offer, now)
    groups = [
        {"status": status, "title": title, "offers": [offer for offer in mine if offer.status == status]}
        for status, title in MY_GROUPS
    ]
    return render(request, "echanges/mine.html", {"groups": [group for group in groups if group["offers"]]})
