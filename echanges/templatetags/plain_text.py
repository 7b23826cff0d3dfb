"""Text people write, shown as they wrote it: escaped, its line breaks kept, its web addresses made links."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import urlize
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(is_safe=True)
def plain_text(value):
    """Escape `value`; links open without telling the site where they came from and pass no ranking."""
    # urlize escapes everything it does not turn into a link; a typed `rel="nofollow"` is escaped too.
    html = urlize(str(value or ""), nofollow=True, autoescape=True).replace(
        'rel="nofollow"', 'rel="nofollow noopener"'
    )
    return mark_safe(linebreaksbr(html, autoescape=False))
