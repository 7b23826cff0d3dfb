"""The addresses of a report in Wagtail's admin: its page, and the results its filters reload without the page."""

from django.urls import path


def report_urls(prefix, view_class):
    """A `ReportView`'s page at `prefix/` and its results at `prefix/resultats/`, under the names the view declares."""
    return [
        path(f"{prefix}/", view_class.as_view(), name=view_class.index_url_name),
        path(f"{prefix}/resultats/", view_class.as_view(results_only=True), name=view_class.index_results_url_name),
    ]
