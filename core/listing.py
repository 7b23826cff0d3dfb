"""One way to show a list: filter it, cut it into pages, keep the filters in the page links."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Twenty items fit a phone screen in a few swipes and keep each page light.
PER_PAGE = 20
# Counting every match of a network-wide list scans them all, a cost that grows with the network (15 ms for
# 50 000 offers here). Nobody pages that far: past this many, the list says "plus de" and filters narrow it.
COUNTED_AT_MOST = 2000


class CappedPaginator(Paginator):
    """Counts at most COUNTED_AT_MOST items (one query that reads no more rows), and pages through those."""

    capped = False

    @cached_property
    def count(self):
        # Unordered: any 2 001 matches will do, read in whatever order is quickest.
        found = self.object_list.order_by()[: COUNTED_AT_MOST + 1].count()
        self.capped = found > COUNTED_AT_MOST
        return min(found, COUNTED_AT_MOST)


def paginate(request, items, *, per_page=None, paginator=Paginator):
    """The page of `items` the request asks for (?page=…); a page out of range shows the last one."""
    return paginator(items, per_page or PER_PAGE).get_page(request.GET.get("page"))


def filtered(request, filterset_class, items, **filter_options):
    """The filter the query string describes, and `items` through it: none when the filter refuses the query."""
    filterset = filterset_class(request.GET or None, queryset=items, **filter_options)
    if filterset.is_bound:
        items = filterset.qs if filterset.is_valid() else items.none()
    return filterset, items


def filtered_listing(request, filterset_class, items, *, name, **filter_options):
    """`items` through the filter the query string describes, one page of them, and what the template needs.

    A query string the filter refuses shows nothing rather than everything, with the form's errors; `name`
    is the context key of the page's items ("occurrences", "offers"). `query` is the query string without
    the page number, for the pagination links.
    """
    filterset, items = filtered(request, filterset_class, items, **filter_options)
    page = paginate(request, items, paginator=CappedPaginator)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": filterset,
        "page_obj": page,
        name: page.object_list,
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
        "query": query.urlencode(),
    }
