"""Finding rows by the words people type, the way the site search does: blind to case and accents.

Wagtail's search index answers (SQLite's full-text index; `french_unaccent` on PostgreSQL, see
search/migrations), so a listing's word filter and the search page find the same things, tags and
categories included, and no listing scans its rows for a substring. Lives in `home`, the lowest app, so
that every listing may use it.
"""

import re

from wagtail.search.backends import get_search_backend

MAX_WORDS = 8


def words_of(text):
    """The words to look for: letters and digits only, so that nothing typed is read as search syntax."""
    return re.findall(r"\w+", text)[:MAX_WORDS]


def having_words(queryset, text):
    """`queryset` narrowed to the rows whose indexed text holds every word of `text`; its order is kept.

    The index is read in a subquery of the same query, so this costs no query of its own.
    """
    words = words_of(text)
    if not words:
        return queryset
    found = get_search_backend().search(
        " ".join(words), queryset.model.objects.all(), operator="and", order_by_relevance=False
    )
    return queryset.filter(pk__in=found.get_queryset().values("pk"))
