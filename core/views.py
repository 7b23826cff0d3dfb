"""What every view does the same way with a service's refusal, and where it sends the person back.

Services answer a refusal with a `PlacetteError` whose message is a French sentence; no view catches it by
hand. A view either lets `refusals_as_messages` turn it into an error message and a redirect, or, when it
re-shows a form, calls the service through `attempt(form, …)`.
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import PlacetteError


def safe_next(request, default):
    """The `next` address the form posted (or the query string gave) when it stays on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def refusals_as_messages(back):
    """Decorate a view: a `PlacetteError` it lets through becomes an error message and a redirect.

    `back(request, **kwargs)` says where to (the view's own keyword arguments, e.g. the offer's page);
    a `next` field on the form wins when it stays on the site. Nothing was done, so a mediator acting
    for someone sees it logged as refused.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except PlacetteError as error:
                messages.error(request, str(error))
                request.acting_refused = True
                return redirect(safe_next(request, back(request, **kwargs)))

        return wrapped

    return decorate


def attempt(form, service, *args, **kwargs):
    """Call `service`; its refusal becomes an error at the top of `form` and the result is None."""
    try:
        return service(*args, **kwargs)
    except PlacetteError as error:
        form.add_error(None, str(error))
        return None
