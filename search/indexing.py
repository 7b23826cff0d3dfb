"""Putting rows written without `save()` into the search index.

Saving a page or an offer indexes it: Wagtail's post_save handler queues a task that the worker
(`manage.py db_worker`) runs. `bulk_create()` and `update()` send no signal, so whoever writes that way
(placette/volume.py, an import) calls `index_objects()` afterwards, or runs `manage.py update_index`, which
rebuilds the whole index. `manage.py demo` calls it too, so that its offers are found before the worker runs.
"""

from collections import defaultdict

from django.db.models import QuerySet
from wagtail.models import Page
from wagtail.search.backends import get_search_backends
from wagtail.search.index import RelatedFields

CHUNK_SIZE = 500


def index_objects(objects, *, chunk_size=CHUNK_SIZE):
    """Add or refresh `objects` (a queryset, or model instances) in every search backend; return how many."""
    backends = list(get_search_backends())
    count = 0
    for chunk in _chunks(objects, chunk_size):
        by_model = defaultdict(list)
        for obj in chunk:
            # Pages are indexed as their own type (an EventPage, not a Page) with all their fields.
            indexed = obj.get_indexed_instance()
            if indexed is not None:
                by_model[type(indexed)].append(indexed)
        for model, instances in by_model.items():
            for backend in backends:
                backend.add_bulk(model, instances)
            count += len(instances)
    return count


def _chunks(objects, size):
    if isinstance(objects, QuerySet):
        yield from _queryset_chunks(objects, size)
        return
    # Instances (what bulk_create returns) are read again with their related rows, a chunk at a time.
    pks_by_model = defaultdict(list)
    for obj in objects:
        pks_by_model[type(obj)].append(obj.pk)
    for model, pks in pks_by_model.items():
        for start in range(0, len(pks), size):
            yield from _queryset_chunks(model._default_manager.filter(pk__in=pks[start : start + size]), size)


def _queryset_chunks(queryset, size):
    """The rows in primary-key order, `size` at a time, with what their search fields read fetched alongside."""
    if issubclass(queryset.model, Page):
        queryset = queryset.specific()
    else:
        for field in queryset.model.get_search_fields():
            if isinstance(field, RelatedFields):
                queryset = field.select_on_queryset(queryset)
    queryset = queryset.order_by("pk")
    last = None
    while True:
        chunk = list((queryset if last is None else queryset.filter(pk__gt=last))[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk
