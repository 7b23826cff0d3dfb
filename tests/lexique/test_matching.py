"""The matcher: the first occurrence of each term in running text, explained; nothing else of the HTML changes."""

import re
from html import unescape
from html.parser import HTMLParser

from hypothesis import example, given, settings
from hypothesis import strategies as st

from lexique.matching import UNTOUCHED, Lexicon, Term, annotate, fold

TERMS = [
    Term("lien", "lien", "/lexique/lien/", "Un mot sur lequel on appuie.", ("lien", "liens")),
    Term("e-mail", "e-mail", "/lexique/e-mail/", "Un message par internet.", ("e-mail", "mail", "courriel")),
    Term("mot-de-passe", "mot de passe", "/lexique/mot-de-passe/", "Un code secret.", ("mot de passe", "mdp")),
    Term("mot", "mot", "/lexique/mot/", "Des lettres.", ("mot",)),
    Term("telecharger", "télécharger", "/lexique/telecharger/", "Copier.", ("télécharger", "téléchargement")),
    # Regular expressions' special characters are letters of a term like any other.
    Term("c-plus-plus", "C++", "/lexique/c-plus-plus/", "Un langage.", ("C++", "a.b", "(x)")),
    Term("piege", "<script>", "/lexique/piege/", '<img src=x onerror="alert(1)">', ("piège",)),
]
LEXICON = Lexicon(TERMS)
BLOCK = ["p", "h2", "h3", "li", "div"]
FORBIDDEN = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "label", "button", "script", "style"}


class Reading(HTMLParser):
    """What a reader of the output finds: the explanations (with the elements around them) and the visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.explanations = []  # (slug, enclosing tags, text before it, written word)
        self.text = []
        self.hidden_depth = 0
        self.current = None
        self.tags = []
        self.flow = []  # the text as words run: blocks end them

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in BLOCK:
            self.flow.append("\n")
        if "data-lexique" in attributes:
            self.current = [attributes["data-lexique"], list(self.stack), "".join(self.flow), ""]
            self.explanations.append(self.current)
        elif self.current is None and tag not in ("br", "img"):
            self.tags.append(tag)
        if tag in ("br", "img"):
            return
        self.stack.append((tag, attributes))
        if self.hidden_depth or "hidden" in attributes:
            self.hidden_depth += 1

    def handle_endtag(self, tag):
        if tag in BLOCK:
            self.flow.append("\n")
        name, attributes = self.stack.pop()
        assert name == tag, f"</{tag}> closes <{name}>"
        if self.hidden_depth:
            self.hidden_depth -= 1
        if "data-lexique" in attributes:
            self.current = None
        elif self.current is None:
            self.tags.append(f"/{tag}")

    def handle_data(self, data):
        if not self.hidden_depth:
            self.text.append(data)
            self.flow.append(data)
            if self.current is not None:
                self.current[3] += data


def read(html):
    reading = Reading()
    reading.feed(html)
    reading.close()
    assert not reading.stack, "every element is closed"
    return reading


def explained(html):
    return annotate(html, LEXICON)


def test_the_first_occurrence_of_a_word_is_a_link_to_its_page_with_its_definition():
    html = explained("<p>Cliquez sur le lien. Un autre lien.</p>")

    assert html.count('data-lexique="lien"') == 1
    assert html.startswith(
        '<p>Cliquez sur le <span class="term" data-lexique="lien"><a class="term__word" href="/lexique/lien/"'
    )
    assert "Un mot sur lequel on appuie." in html
    assert html.endswith("Un autre lien.</p>")


def test_words_match_without_accents_or_case_and_keep_how_they_were_written():
    reading = read(explained("<p>TELECHARGEMENT du formulaire, puis Mot De Passe et COURRIEL.</p>"))

    assert [(slug, word) for slug, _, _, word in reading.explanations] == [
        ("telecharger", "TELECHARGEMENT"),
        ("mot-de-passe", "Mot De Passe"),
        ("e-mail", "COURRIEL"),
    ]


def test_whole_words_only():
    html = explained("<p>enlien, liens-x, emails, lienx, motdepasse, e-mailing</p>")

    assert "data-lexique" not in html


def test_the_longest_form_wins_and_hyphenated_words_are_one_word():
    reading = read(explained("<p>Votre mot de passe et votre e-mail, puis un mot et un mail.</p>"))

    assert [(slug, word) for slug, _, _, word in reading.explanations] == [
        ("mot-de-passe", "mot de passe"),
        ("e-mail", "e-mail"),
        ("mot", "mot"),
    ]


def test_a_term_spread_over_spaces_and_a_line_break_still_matches():
    reading = read(explained("<p>Votre mot  de\npasse.</p>"))

    assert [word for _, _, _, word in reading.explanations] == ["mot  de\npasse"]


def test_regular_expression_characters_are_plain_letters():
    reading = read(explained("<p>Le C++ et a.b puis (x), mais ni aXb ni C+.</p>"))

    assert [word for *_, word in reading.explanations] == ["C++"]
    assert "aXb" in explained("<p>aXb</p>") and "data-lexique" not in explained("<p>aXb C+</p>")


def test_links_headings_labels_buttons_scripts_and_attributes_are_left_alone():
    source = (
        '<h2>Le lien</h2><p><a href="/lien">un lien</a></p><label for="x">Mot de passe</label>'
        '<button>Lien</button><script>var lien = "<p>lien</p>";</script><style>.lien{}</style>'
        '<p title="lien"><img alt="lien" src="lien.png"></p>'
    )

    assert explained(source) == source


def test_what_the_terms_say_is_written_as_text_never_as_html():
    html = explained("<p>Un piège.</p>")

    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert '&lt;img src=x onerror="alert(1)"&gt;' in html


def test_text_that_looks_like_html_stays_escaped():
    source = "<p>1 &lt; 2 &amp; le lien &lt;script&gt;</p>"

    html = explained(source)

    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "1 &lt; 2 &amp; le" in html


def test_annotating_twice_is_annotating_once():
    once = explained("<p>Un lien, un mail.</p><p>Un autre lien et un mot de passe.</p>")

    assert explained(once) == once


def test_an_empty_lexicon_or_text_changes_nothing():
    assert annotate("<p>lien</p>", Lexicon([])) == "<p>lien</p>"
    assert explained("") == ""


def test_fold_keeps_the_length_so_matches_map_back():
    text = "Œuvre ÉCRAN’s İstanbul ß\u00a0ﬁn"

    assert len(fold(text)) == len(text)
    assert fold("Téléchargé").startswith("telecharge")


# Any text in any nesting of the elements a body text holds.
VOCABULARY = ["lien", "Lien", "LIENS", "enlien", "liens-", "mail", "e-mail", "Courriel", "mot", "de", "passe",
              "mot de passe", "télécharger", "TELECHARGER", "C++", "a.b", "&", "<", ">", "l'", " ", "\n", ",",
              "."]  # fmt: skip
words = st.lists(st.sampled_from(VOCABULARY), max_size=8).map(" ".join)
INLINE = ["em", "strong", "span", "a", "button", "label"]


def element(children, tag):
    attributes = ' href="/x"' if tag == "a" else ""
    return f"<{tag}{attributes}>{children}</{tag}>"


def escaped(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


inline = st.recursive(
    words.map(escaped),
    lambda children: st.builds(element, st.lists(children, max_size=3).map("".join), st.sampled_from(INLINE)),
    max_leaves=8,
)
documents = st.lists(
    st.builds(element, st.lists(inline, max_size=4).map("".join), st.sampled_from(BLOCK)), max_size=5
).map("".join)


def forbidden_around(stack):
    return any(tag in FORBIDDEN for tag, _ in stack)


@settings(max_examples=300, deadline=None)
@given(documents)
@example("<p>lien<em>\n</em>mail</p>")
def test_any_text_keeps_its_elements_and_words_and_explains_each_word_once_where_it_may(source):
    html = explained(source)
    reading, original = read(html), read(source)

    # The same elements and the same text a reader sees, explanations aside.
    assert reading.tags == original.tags
    assert "".join(reading.text) == "".join(original.text) == unescape(re.sub(r"<[^>]+>", "", source))
    slugs = [slug for slug, *_ in reading.explanations]
    assert len(slugs) == len(set(slugs))
    for slug, stack, before, word in reading.explanations:
        assert not forbidden_around(stack), f"{slug} explained inside {stack}"
        term = next(term for term in TERMS if term.slug == slug)
        assert " ".join(fold(word).split()) in {" ".join(fold(form).split()) for form in term.forms}
        # Whole words: the text around the explanation does not continue the word.
        after = "".join(reading.flow)[len(before) + len(word) :]
        # \Z, not $: "$" also matches before a final newline ("lien\n" then "mail" is two words).
        assert not re.search(r"[\w-]\Z", before) and not re.match(r"[\w-]", after)
    assert explained(html) == html


def form_pattern(form):
    return r"(?<![\w-])" + r"\s+".join(map(re.escape, fold(form).split())) + r"(?![\w-])"


@settings(max_examples=200, deadline=None)
@given(st.lists(words, min_size=1, max_size=6))
def test_in_plain_paragraphs_the_explained_occurrence_is_the_first(paragraphs):
    source = "".join(f"<p>{escaped(text)}</p>" for text in paragraphs)
    reading = read(explained(source))

    for slug, _, before, _ in reading.explanations:
        term = next(term for term in TERMS if term.slug == slug)
        folded = fold(before)
        for form in term.forms:
            for match in re.finditer(form_pattern(form), folded):
                # An earlier occurrence is allowed only inside a longer form of another term (the longest wins).
                assert any(
                    (longer := re.match(form_pattern(other), folded[match.start() :]))
                    and longer.end() > len(match.group())
                    for other_term in TERMS
                    if other_term.slug != slug
                    for other in other_term.forms
                ), f"{slug} explained after an earlier {match.group()!r} in {source!r}"


def test_untouched_elements_cover_the_forbidden_ones():
    assert FORBIDDEN <= UNTOUCHED
