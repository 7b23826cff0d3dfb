"""Links to calendar feeds (the agenda's, the procedures' deadlines), in `home` so that every app can load them."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def webcal(context, path):
    """The feed at `path` as a `webcal://` address on this site's host.

    A phone's calendar subscribes to such an address and keeps it up to date; the same feed over https is
    imported once, as a file.
    """
    return f"webcal://{context['request'].get_host()}{path}"
