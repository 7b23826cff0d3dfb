"""The site search: one box over published pages and open offers, answers grouped by what they are.

Wagtail's database search backend answers (see WAGTAILSEARCH_BACKENDS). The overview shows the first few
answers of each group with its count; "Voir les N …" opens one group alone, page by page. Each group costs
two queries (its count, its answers), however many rows match. Activities without a date to come are left out,
and offers sharing a title (five "Réparer un vélo") are one answer leading to the exchange's listing of them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Subquery, TextField, Value, Window
from django.db.models.functions import Coalesce, Lower, NullIf, RowNumber
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from agenda.models import EventPage, Occurrence
from core.acting_for import for_someone_too
from core.listing import paginate
from echanges.models import Offer
from home.models import ContentPage, HomePage
from home.searching import words_of
from lexique.models import TermPage, TutorialPage
from quartier.models import CentrePage

MAX_QUERY_LENGTH = 100
OVERVIEW_SIZE = 5
CONTEXT_LENGTH = 100


@dataclass(frozen=True)
class Hit:
    """One answer as the page shows it: its title and link, what it is, a line of its text."""

    title: str
    url: str
    meta: str
    context: str


@dataclass(frozen=True)
class Group:
    """A kind of answer: where it is looked for (`queryset(pages)`), how one is shown (`hit(obj, request)`).

    `narrow(found)`, if given, takes the matching rows (a queryset in the order of relevance) and keeps those
    worth showing: what the search index cannot filter on.
    """

    key: str
    title: str
    plural: str
    nothing: str
    queryset: Callable
    hit: Callable
    narrow: Callable | None = None


def shorten(text):
    return Truncator(" ".join(str(text or "").split())).chars(CONTEXT_LENGTH)


def centre_hit(centre, request):
    return Hit(
        centre.title,
        centre.get_url(request),
        f"Centre social · {centre.postcode} {centre.town}",
        shorten(centre.introduction),
    )


def with_dates_to_come(found):
    """Activities with a date still to come: one whose dates are all past has nothing left to go to."""
    return found.filter(pk__in=Occurrence.objects.upcoming().scheduled().values("event_id"))


def event_hit(event, request):
    return Hit(event.title, event.get_url(request), _("Activité"), shorten(event.summary))


def page_hit(page, request):
    return Hit(page.title, page.get_url(request), _("Page d'information"), shorten(page.context_text))


def other_pages(pages):
    """Pages besides centres and activities, each with its line of text read in the same query, whatever its type."""

    def text(model, field):
        value = Subquery(model.objects.filter(pk=OuterRef("pk")).values(field)[:1], output_field=TextField())
        return NullIf(value, Value(""))

    return (
        pages(Page)
        .not_type(CentrePage, EventPage)
        .annotate(
            context_text=Coalesce(
                text(ContentPage, "summary"),
                text(TermPage, "definition"),
                text(TutorialPage, "summary"),
                text(HomePage, "introduction"),
                "search_description",
                output_field=TextField(),
            )
        )
    )


def one_per_title(found):
    """The newest offer of each title, with how many share it (`same_title`), in the order of the best answer.

    Window functions over the matching rows: still one query for the answers and one for their count.
    """
    title = [Lower("title")]
    return found.annotate(
        same_title=Window(Count("pk"), partition_by=title),
        newest_first=Window(RowNumber(), partition_by=title, order_by=[F("published_at").desc(), F("pk").desc()]),
    ).filter(newest_first=1)


def offer_hit(offer, request):
    if offer.same_title > 1:
        # Several people offer the same thing: one line, leading to the exchange's listing of them all.
        return Hit(
            _("%(title)s — %(count)s annonces") % {"title": offer.title, "count": offer.same_title},
            f"{reverse('echanges:listing')}?{urlencode({'q': offer.title})}",
            _("Annonces d'échange · la plus récente : %(kind)s · %(centre)s")
            % {"kind": offer.get_kind_display(), "centre": offer.centre.title},
            shorten(offer.description),
        )
    meta = f"{offer.get_kind_display()} · {offer.centre.title}"
    return Hit(offer.title, offer.get_absolute_url(), meta, shorten(offer.description))


GROUPS = [
    Group(
        "centres",
        gettext_lazy("Centres sociaux"),
        gettext_lazy("centres"),
        gettext_lazy("Aucun centre trouvé."),
        lambda pages: pages(CentrePage),
        centre_hit,
    ),
    Group(
        "activites",
        gettext_lazy("Activités"),
        gettext_lazy("activités"),
        gettext_lazy("Aucune activité trouvée."),
        lambda pages: pages(EventPage).defer_streamfields(),
        event_hit,
        with_dates_to_come,
    ),
    Group(
        "pages",
        gettext_lazy("Pages d'aide et autres pages"),
        gettext_lazy("pages"),
        gettext_lazy("Aucune page trouvée."),
        other_pages,
        page_hit,
    ),
    Group(
        "annonces",
        gettext_lazy("Annonces d'échange"),
        gettext_lazy("annonces"),
        gettext_lazy("Aucune annonce trouvée."),
        lambda pages: Offer.objects.open().select_related("centre"),
        offer_hit,
        one_per_title,
    ),
]
GROUPS_BY_KEY = {group.key: group for group in GROUPS}


def live_public_pages(request):
    """For a page type, its live pages on this site outside private sections (private sections: one query)."""
    site = Site.find_for_request(request)
    private = Page.objects.private_q()

    def pages(model):
        if site is None:
            return model.objects.none()
        return model.objects.live().exclude(private).descendant_of(site.root_page, inclusive=True)

    return pages


@for_someone_too
def search(request):
    typed = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    words = words_of(typed)
    chosen = GROUPS_BY_KEY.get(request.GET.get("type", ""))
    context = {"typed": typed, "chosen": chosen, "groups": [], "total": 0, "everything": urlencode({"q": typed})}
    if words:
        backend = get_search_backend()
        pages = live_public_pages(request)
        for group in [chosen] if chosen else GROUPS:
            results = backend.search(" ".join(words), group.queryset(pages), operator="and")
            if group.narrow is not None:
                results = group.narrow(results.get_queryset())
            if chosen:
                page_obj = paginate(request, results)
                count, found = page_obj.paginator.count, page_obj.object_list
                context.update(page_obj=page_obj, query=urlencode({"q": typed, "type": group.key}))
            else:
                count = results.count()
                found = results[:OVERVIEW_SIZE] if count else []
            hits = [group.hit(obj, request) for obj in found]
            more = urlencode({"q": typed, "type": group.key}) if not chosen and count > len(hits) else ""
            context["groups"].append({"group": group, "count": count, "hits": hits, "more": more})
            context["total"] += count
        # Groups with answers first: a lone offer should not sit under three "nothing found" lines.
        context["groups"].sort(key=lambda entry: entry["count"] == 0)
    return render(request, "search/search.html", context)
