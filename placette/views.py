"""Project-wide views that belong to no app."""

from django.conf import settings
from django.http import Http404
from django.views.static import serve

from core.acting_for import for_someone_too


@for_someone_too
def serve_media(request, path):
    """Serve uploaded files from MEDIA_ROOT when no proxy does (local runs and browser tests)."""
    if not settings.SERVE_MEDIA:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
