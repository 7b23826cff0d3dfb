"""Acting for a resident, as views state it: which views a mediator may use for someone, and in what words.

While a mediator acts for a resident (accounts.middleware.ActingForMiddleware swaps `request.user` for the
resident and keeps the mediator in `request.mediator`), every view is closed unless it says
`@for_someone_too`: moving or adding a view never opens it by accident. What stays the resident's alone
(sign-in and security, personal data and consents, how they are told, their calendar's secret address,
the admin) simply carries no mark. Each write a mediator makes is logged for the resident in the words the
view gives with `describe_action`, and the view's messages name the resident with `for_whom`.
"""


def for_someone_too(view):
    """A mediator acting for a resident may use this view for them."""
    view.for_someone_too = True
    return view


def may_be_used_for_someone(view):
    return getattr(view, "for_someone_too", False)


def acting_mediator(request):
    """The mediator acting for `request.user`, or None when people act for themselves."""
    return getattr(request, "mediator", None)


def describe_action(request, text):
    """Let a view say in words what it did, for the log a resident reads ("Inscription à l'atelier …")."""
    request.acting_description = text


def for_whom(request, own, acting, **values):
    """`own` speaks to the person; while a mediator acts for them, `acting` names them instead.

    `acting` puts %(name)s (the name the resident goes by) where the sentence needs neither a gender
    nor an elision: "%(name)s : l'annonce est modifiée.", "%(name)s a une place." Other %(…)s come from `values`.
    """
    if acting_mediator(request) is not None:
        own, values = acting, {"name": request.user, **values}
    return own % values if values else own
