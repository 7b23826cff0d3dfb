"""Hours said the way people say them: "1 h 30", "45 min"."""

from django import template

register = template.Library()


@register.filter
def duration(minutes):
    """90 → "1 h 30", 45 → "45 min", -120 → "− 2 h"; signs only when negative."""
    if minutes in (None, ""):
        return ""
    sign = "− " if minutes < 0 else ""
    hours, rest = divmod(abs(int(minutes)), 60)
    if not hours:
        return f"{sign}{rest} min"
    return f"{sign}{hours} h {rest:02d}" if rest else f"{sign}{hours} h"
