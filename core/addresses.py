"""Addresses that are never shared between visitors: the URL config marks them, the page cache reads the marks.

Someone's own pages (their account, registrations, exchanges, notifications), a centre team's pages and the
admin are private even for a visitor without cookies: a personal calendar's secret address, a page that
redirects to sign in. Marking the `path()` or `include()` that serves them, where the address is written,
keeps the list in step with the URLs.
"""

import functools

from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# What ends the literal start of a regular expression; a quantifier also takes back the character before it.
REGEX_SPECIAL = frozenset(".^$*+?{}[]\\|()")
QUANTIFIERS = frozenset("*?{")


def private(entry):
    """Mark a `path()` or `re_path()` entry, or one that includes others, as private: no page under it is shared."""
    entry.private = True
    return entry


@functools.cache
def private_prefixes(urlconf=None):
    """The literal start of every private address, "/compte/" or "/agenda/equipe/", none inside another."""
    prefixes = []
    for start in sorted({start for start, is_private in routes(urlconf) if is_private}):
        if not prefixes or not start.startswith(prefixes[-1]):
            prefixes.append(start)
    return tuple(prefixes)


def routes(urlconf=None):
    """(literal start, private) for every address of the URL config: its routes, and its private includes whole."""
    yield from _walk(get_resolver(urlconf).url_patterns, "/", exact=True)


def _walk(entries, start, *, exact):
    for entry in entries:
        literal, whole = literal_start(entry.pattern)
        # Under a converter, what follows it is no longer a fixed start: the include's own start is what is known.
        here = start + literal if exact else start
        if getattr(entry, "private", False) or not isinstance(entry, URLResolver):
            yield here, getattr(entry, "private", False)
        else:
            yield from _walk(entry.url_patterns, here, exact=exact and whole)


def literal_start(pattern):
    """What every address matching `pattern` starts with, and whether that is the whole pattern."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        literal = route.split("<", 1)[0]
        return literal, literal == route
    if isinstance(pattern, RegexPattern):
        regex = str(pattern).removeprefix("^")
        for index, char in enumerate(regex):
            if char in REGEX_SPECIAL:
                end = max(index - 1, 0) if char in QUANTIFIERS else index
                return regex[:end], regex[index:] == "$"
        return regex, True
    return "", False
