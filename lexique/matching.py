"""Marking up the lexicon's words in a text's HTML: the first occurrence of each term becomes its explanation.

Pure functions, no database: `annotate(html, terms)` takes the HTML a page is about to show and the lexicon's terms
and returns the same HTML where the first occurrence of each term in running text is wrapped in a link to the
term's page and its definition, hidden until a script opens it in place (static/js/lexique.js). Without the script
the link leads to the term's page, so the explanation works without JavaScript.

Words are compared folded: without accents, case or typographic apostrophes, each character to one character, so a
match in the folded text is the same span of the original. A term is found only as whole words ("lien" is not in
"enlien", "mail" is not in "e-mail"); the longest form wins where two start at the same place ("mot de passe"
before "mot"). Nothing is touched inside a link, a heading, a form label, a button, a script or a style, nor in
attributes: those are copied as they came. An explanation already in the HTML counts as the first occurrence of
its term, so annotating twice gives the same HTML as once.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from django.utils.translation import gettext

# Where a word is never explained: it is a link or a control already, a title, or not text at all.
UNTOUCHED = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "label", "button", "script", "style", "textarea", "select",
             "option", "title", "summary", "code", "pre", "svg", "math"}  # fmt: skip
# Elements inside a line of text: a word may run on across them ("li<em>en</em>" is one word).
INLINE = {"a", "abbr", "b", "bdi", "bdo", "button", "cite", "code", "data", "dfn", "em", "i", "img", "input", "kbd",
          "label", "mark", "meter", "output", "progress", "q", "s", "samp", "select", "small", "span", "strong", "sub",
          "sup", "textarea", "time", "u", "var", "wbr"}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# The attribute an explanation carries: the term it explains (its slug).
MARK = "data-lexique"
# A letter or digit, or a hyphen that joins two words into one ("e-mail", "peut-être").
WORD_JOINERS = r"\w-"
APOSTROPHES = {"\u2019": "'", "\u02bc": "'", "\u2018": "'"}
HYPHENS = {"\u2010": "-", "\u2011": "-"}


@dataclass(frozen=True)
class Term:
    """A lexicon word as the matcher needs it: its forms (the word and its variants) and what to show."""

    slug: str
    word: str
    url: str
    definition: str
    forms: tuple[str, ...]


def fold_char(char):
    """One character, without its accent and case: always exactly one character back."""
    if char.isspace():
        return " "
    char = APOSTROPHES.get(char) or HYPHENS.get(char) or char
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base[0] if base else char


def fold(text):
    """`text` without accents, case or typographic apostrophes, the same length as `text`."""
    return "".join(fold_char(char) for char in text)


def normal_form(text):
    """How a term's form is compared with other forms: folded, spaces collapsed."""
    return " ".join(fold(text).split())


def _alternatives(node):
    """The pattern of a trie of forms: shared beginnings written once, so a word is read once, not once per form.

    Siblings start with different letters, so at most one can go on; where a form ends and a longer one goes on,
    the longer is tried first (a greedy `?`), and the shorter is kept if the longer does not end a word.
    """
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _alternatives(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body


class Lexicon:
    """The terms compiled once into one pattern, longest forms first."""

    def __init__(self, terms):
        self.by_form = {}
        for term in terms:
            for form in term.forms:
                key = normal_form(form)
                if key:
                    self.by_form.setdefault(key, term)
        trie = {}
        for form in self.by_form:
            node = trie
            for char in form:
                node = node.setdefault(char, {})
            node[""] = {}
        self.pattern = re.compile(rf"(?<![{WORD_JOINERS}]){_alternatives(trie)}(?![{WORD_JOINERS}])") if trie else None
        self.slugs = {term.slug for term in terms}

    def __bool__(self):
        return self.pattern is not None


def explanation(term, written, element_id):
    """The markup of one explained word: a link to the term's page, and the definition the script can open."""
    return (
        f'<span class="term" {MARK}="{escape(term.slug)}">'
        f'<a class="term__word" href="{escape(term.url)}" data-lexique-word aria-describedby="{element_id}">'
        f"{escape(written, quote=False)}</a>"
        f'<span class="term__definition" id="{element_id}" hidden>'
        f'<span class="term__name">{escape(term.word, quote=False)}</span> : '
        f"{escape(term.definition, quote=False)} "
        f'<a class="term__more" href="{escape(term.url)}">{escape(gettext("Voir la fiche du mot"))}</a>'
        "</span></span>"
    )


class _Reader(HTMLParser):
    """The HTML as a list of pieces: markup copied as it came, and texts with whether a word may be explained."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces = []  # markup: (text, None, breaks a word); running text: (text, explainable, raw)
        self.open = []  # (tag, untouched) of the elements open around the current text
        self.untouched = 0
        self.raw_text = 0  # inside <script> or <style>: their text is copied, never escaped
        self.done = set()  # terms explained already (a second pass)

    def markup(self, text, tag):
        self.pieces.append((text, None, tag not in INLINE))

    def handle_starttag(self, tag, attrs):
        self.markup(self.get_starttag_text(), tag)
        if tag in VOID:
            return
        attributes = dict(attrs)
        if MARK in attributes:
            self.done.add(attributes[MARK])
        untouched = tag in UNTOUCHED or MARK in attributes
        self.open.append((tag, untouched))
        self.untouched += untouched
        self.raw_text += tag in ("script", "style")

    def handle_startendtag(self, tag, attrs):
        self.markup(self.get_starttag_text(), tag)

    def handle_endtag(self, tag):
        self.markup(f"</{tag}>", tag)
        if not any(name == tag for name, _ in self.open):
            return
        while self.open:
            name, untouched = self.open.pop()
            self.untouched -= untouched
            self.raw_text -= name in ("script", "style")
            if name == tag:
                break

    def handle_data(self, data):
        self.pieces.append((data, not self.untouched and not self.raw_text, bool(self.raw_text)))

    def handle_comment(self, data):
        self.markup(f"<!--{data}-->", "")

    def handle_decl(self, decl):
        self.markup(f"<!{decl}>", "")

    def handle_pi(self, data):
        self.markup(f"<?{data}>", "")

    def unknown_decl(self, data):
        self.markup(f"<![{data}]>", "")


def _neighbours(pieces):
    """For each piece of text, the letter just before it and just after it, across inline elements ("li<em>en")."""
    before, after = {}, {}
    last = " "
    for number, (text, explainable, breaks) in enumerate(pieces):
        if explainable is None:
            last = " " if breaks else last
        elif text:
            before[number], last = last, text[-1]
    last = " "
    for number in reversed(range(len(pieces))):
        text, explainable, breaks = pieces[number]
        if explainable is None:
            last = " " if breaks else last
        elif text:
            after[number], last = last, text[0]
    return before, after


def _explained_text(text, lexicon, done, before, after, id_prefix):
    """`text`, escaped, with the first occurrence of each term not yet `done` explained."""
    folded = fold(before + text + after)
    pieces, start = [], 0
    for match in lexicon.pattern.finditer(folded, 1):
        if match.end() > len(text) + 1:  # goes on into the next element: not this text's word
            break
        term = lexicon.by_form[" ".join(match.group().split())]
        if term.slug in done:
            continue
        done.add(term.slug)
        begin, end = match.start() - 1, match.end() - 1
        pieces.append(escape(text[start:begin], quote=False))
        pieces.append(explanation(term, text[begin:end], f"{id_prefix}-{term.slug}"))
        start = end
    pieces.append(escape(text[start:], quote=False))
    return "".join(pieces)


def annotate(html, lexicon):
    """`html` with the first occurrence of each of the lexicon's terms explained (see the module's docstring)."""
    if not lexicon or not html:
        return html
    # Ids unique on a page showing several texts, and the same for the same text (so a second pass changes nothing).
    id_prefix = "mot-" + hashlib.sha256(html.encode()).hexdigest()[:6]
    reader = _Reader()
    reader.feed(html)
    reader.close()
    done = set(reader.done)
    before, after = _neighbours(reader.pieces)
    out = []
    for number, (text, explainable, raw) in enumerate(reader.pieces):
        if explainable is None or (raw and not explainable):
            out.append(text)
        elif explainable and not lexicon.slugs <= done:
            out.append(_explained_text(text, lexicon, done, before[number], after[number], id_prefix))
        else:
            out.append(escape(text, quote=False))
    return "".join(out)
