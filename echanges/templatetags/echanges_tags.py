"""What people wrote, shown as they wrote it, hours said the way people say them ("1 h 30"), an offer's lifetime."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from echanges.models import OFFER_LIFETIME
from home.templatetags.french import NBSP

register = template.Library()


@register.filter(is_safe=True)
def plain_text(value):
    """Escape `value`; links open without telling the site where they came from and pass no ranking."""
    # urlize escapes everything it does not turn into a link; a typed `rel="nofollow"` is escaped too.
    html = urlize(str(value or ""), nofollow=True, autoescape=True).replace(
        'rel="nofollow"', 'rel="nofollow noopener"'
    )
    return mark_safe(linebreaksbr(html, autoescape=False))


@register.simple_tag
def offer_lifetime_days():
    """How many days an offer stays online (`OFFER_LIFETIME`), for the pages that say it."""
    return OFFER_LIFETIME.days


@register.filter
def duration(minutes):
    """90 → "1 h 30", 45 → "45 min", -120 → "− 2 h"; signs only when negative; spaces that do not break."""
    if minutes in (None, ""):
        return ""
    sign = f"−{NBSP}" if minutes < 0 else ""
    hours, rest = divmod(abs(int(minutes)), 60)
    if not hours:
        return f"{sign}{rest}{NBSP}min"
    return f"{sign}{hours}{NBSP}h{NBSP}{rest:02d}" if rest else f"{sign}{hours}{NBSP}h"
