"""The lexicon's words explained where they are read: the "explain_words" hook, computed once per text and lexicon.

The apps above do not import the lexicon: their templates show a text through `home`'s `explained` filters, which
pass its HTML to every "explain_words" hook (lexique/wagtail_hooks.py registers `explain_words` below). The
matching (lexique/matching.py) is kept in the cache under a digest of the HTML and the lexicon's token: a text's
new revision is new HTML, so it is matched once; a term published, changed or withdrawn replaces the token
(lexique/signals.py), so every text is matched again against the new list. The list of terms itself is kept under
the same token, so a page showing an explained text reads no row of the lexicon.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.templatetags.static import static
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from core import freshness
from lexique.matching import Lexicon, Term, annotate
from lexique.models import TermPage

# The scope of core/freshness.py whose token changes when the lexicon does.
LEXICON = "lexique"
# A text read often stays matched; one nobody reads any more leaves the cache on its own.
KEPT_SECONDS = 7 * 24 * 3600


def published_terms():
    """Every published, public term as the matcher needs it: one query (and the site's root paths, cached)."""
    # Wagtail's `public()` reads every view restriction in a query of its own: here they are a subquery.
    restrictions_above = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    found = (
        TermPage.objects.live()
        .exclude(Exists(restrictions_above))
        .only("title", "slug", "url_path", "variants", "definition")
    )
    terms = []
    for term in found:
        url = term.get_url()
        if url:  # a term outside every site has no address to link to
            terms.append(Term(term.slug, term.title, url, term.definition, tuple(term.forms())))
    return terms


def lexicon_token():
    known = freshness.tokens(LEXICON)
    return known[LEXICON] if known else None


def current_lexicon(token):
    """The compiled lexicon for `token`: its terms from the cache, read from the database once per token."""
    if token is None:
        return Lexicon(published_terms())
    key = f"lexique:terms:{token}"
    terms = cache.get(key)
    if terms is None:
        terms = published_terms()
        cache.set(key, terms, timeout=KEPT_SECONDS)
    return _compiled(token, terms)


_compiled_lexicons = {}


def _compiled(token, terms):
    """Compiling the pattern of hundreds of forms costs milliseconds: once per token in each process."""
    if token not in _compiled_lexicons:
        _compiled_lexicons.clear()
        _compiled_lexicons[token] = Lexicon(terms)
    return _compiled_lexicons[token]


def explain_words(html):
    """`html` (escaped, safe) with the lexicon's words explained: from the cache when this text was matched before."""
    token = lexicon_token()
    if token is None:  # the cache cannot be trusted: match, keep nothing
        return with_script(html, annotate(html, current_lexicon(None)))
    # The script's address changes with each deployment (hashed static files): so does the key.
    key = "lexique:html:" + hashlib.sha256(f"{token}\n{script_url()}\n{html}".encode()).hexdigest()
    explained = cache.get(key)
    if explained is None:
        explained = with_script(html, annotate(html, current_lexicon(token)))
        cache.set(key, explained, timeout=KEPT_SECONDS)
    return explained


def script_url():
    return static("js/lexique.js")


def with_script(html, explained):
    """The explained text, and the module that opens its words in place when it explains some.

    Only pages with an explained word load it; a module is run once however many texts of the page add it.
    """
    if explained == html:
        return html
    return f'{explained}<script type="module" src="{escape(script_url())}"></script>'


def lexicon_changed():
    """Every explained text and the list of terms are stale from now on."""
    freshness.bump(LEXICON)
