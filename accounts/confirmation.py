"""One confirmation step before anything that cannot be taken back in one tap, without JavaScript.

The link or button a person taps leads to a page (GET) that says what will happen, with one button that
sends the form with `confirm=oui`, and a way back. Only that POST acts: a POST without it (an old page,
a forged form) shows the same question again, and a mediator acting for someone has nothing logged as done.
"""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from home.templatetags.french import typo

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "oui"


def confirmed(request):
    """Whether this request is the "yes" sent from a confirmation page."""
    if request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE:
        return True
    # Nothing is done: the log of a resident a mediator acts for must not say otherwise.
    request.acting_refused = True
    return False


def next_or(request, fallback):
    """The page to go back to, from `next` in the form or the address; `fallback` unless it is one of ours.

    `next` now travels in links, so anyone can write one: "/\\elsewhere.example" is another site for a
    browser, and Django's check knows it.
    """
    target = request.POST.get("next") or request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def ask(request, *, question, explanation, yes, no, back, next_url=""):
    """The confirmation page: `question` as its title, `explanation` in lines, `yes`, and `no` leading to `back`."""
    return render(
        request,
        "components/confirm.html",
        {
            "question": typo(question),
            "explanation": [typo(line) for line in explanation],
            "yes": typo(yes),
            "no": typo(no),
            "back": back,
            "next_url": next_url,
            "action": request.path,
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
        },
    )
