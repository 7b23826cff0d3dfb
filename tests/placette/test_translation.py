"""Every string a person reads goes through gettext, and the French catalog lists them all (ADR 0009).

French is the source language: the msgids are the French text the site shows. The committed catalog,
`locale/fr/LC_MESSAGES/django.po`, is the inventory a translation into another language starts from;
`make messages` rebuilds it, and these tests say when someone forgot to.
"""

import os
import re
import shlex
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOG = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
TEMPLATE_FOLDERS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]

# Words a template may write as they are: the site's name is the same in every language.
PROPER_NOUNS = {"Placette"}
# Attributes a person reads or hears (a screen reader says aria-label, title, alt).
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "aria-placeholder", "content"}
# Template tags whose text is translated, and the tags around text that is never shown.
TRANSLATE_TAGS = {"translate", "trans"}
BLOCK_TRANSLATE = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
UNSHOWN = {"comment": "endcomment"}
HIDDEN_ELEMENTS = {"script", "style"}
# What stands for a template tag or a variable once the template is reduced to its HTML.
HOLE = "\ue000"
LETTERS = re.compile(r"[^\W\d_]+")
TRANSLATED_LITERAL = re.compile(r"""_\((?:"[^"]*"|'[^']*')\)""")
CSS_CLASSES = re.compile(r"^(?=.*[-_])[a-z0-9_-]+( [a-z0-9_-]+)*$")
QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def templates():
    for folder in TEMPLATE_FOLDERS:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".html", ".txt"} and "node_modules" not in path.parts:
                yield path


def _tag_name(token):
    contents = token.split_contents()
    return contents[0] if contents else ""


def html_outside_translation(source):
    """The template as plain HTML, each tag, variable and translated text replaced by HOLE, comments removed."""
    pieces = []
    closing = None
    for token in Lexer(source).tokenize():
        if closing:
            if token.token_type == TokenType.BLOCK and _tag_name(token) == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            pieces.append(token.contents)
        elif token.token_type == TokenType.BLOCK:
            name = _tag_name(token)
            closing = BLOCK_TRANSLATE.get(name) or UNSHOWN.get(name)
            pieces.append(HOLE if name in TRANSLATE_TAGS else _literals(token.contents))
        elif token.token_type == TokenType.VAR:
            pieces.append(_literals(token.contents))
    return "".join(pieces)


def _literals(contents):
    """HOLE, followed by the untranslated sentences quoted in a tag or variable (`with title="…"`, `default:"…"`).

    Translated ones are written `_("…")`. A quoted word with no space and no accent is taken for a name
    (a URL's, a template's, a choice's), not for text.
    """
    contents = TRANSLATED_LITERAL.sub("", contents)
    sentences = [
        text
        for text in (single or double for single, double in QUOTED.findall(contents))
        if LETTERS.search(text)
        and (" " in text or not text.isascii())
        and "/" not in text
        and not CSS_CLASSES.match(text)
    ]
    return HOLE + "".join(f"<p>{text}</p>" for text in sentences)


def _untranslated_words(text):
    return [word for word in LETTERS.findall(text.replace(HOLE, " ")) if word not in PROPER_NOUNS]


class _ReadText(HTMLParser):
    """Collects the text nodes and read attributes that still hold words."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.open = []

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        described = dict(attrs).get("name") == "description" or (dict(attrs).get("property") or "").startswith("og:")
        for name, value in attrs:
            if name == "content" and not described:
                continue
            if name in READ_ATTRIBUTES and value and _untranslated_words(value):
                self.found.append(f'<{tag} {name}="{value.replace(HOLE, "…")}">')

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data):
        if not (self.open and self.open[-1] in HIDDEN_ELEMENTS) and _untranslated_words(data):
            self.found.append(" ".join(data.replace(HOLE, "…").split()))


def untranslated_text(path):
    """The words of `path` a person would read and that no translate tag wraps."""
    skeleton = html_outside_translation(path.read_text())
    if path.suffix == ".txt":
        return [
            " ".join(line.replace(HOLE, "…").split()) for line in skeleton.splitlines() if _untranslated_words(line)
        ]
    reader = _ReadText()
    reader.feed(skeleton)
    reader.close()
    return reader.found


@pytest.mark.parametrize("path", list(templates()), ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_write_no_text_outside_translate_tags(path):
    assert untranslated_text(path) == []


def test_the_check_sees_text_attributes_and_translated_text():
    source = """{% load i18n %}<title>{% translate "Accueil" %} — Placette</title>
    <nav aria-label="Menu principal">{# a comment #}<p>Bonjour {{ name }}</p>
    <p>{% blocktranslate %}Vous agissez pour {{ name }}{% endblocktranslate %}</p><script>let a = 1;</script>"""
    reader = _ReadText()
    reader.feed(html_outside_translation(source))
    assert reader.found == ['<nav aria-label="Menu principal">', "Bonjour …"]


def msgids(path):
    """The (context, msgid) pairs of a .po file, without its header and obsolete entries."""
    entries, key, current = set(), None, None
    for line in [*path.read_text().splitlines(), ""]:
        line = line.strip()
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if match:
            key = match[1]
            current = current or {}
            current[key] = match[2]
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line or line.startswith("#"):
            # A blank line or a comment ends an entry; obsolete entries ("#~ msgid …") are comments here.
            if current and current.get("msgid"):
                entries.add((current.get("msgctxt"), current["msgid"]))
            key = current = None
    return entries


def makemessages_arguments():
    """The options `make messages` passes to makemessages, read from the Makefile so both stay one."""
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith("MAKEMESSAGES :="):
            return shlex.split(line.partition(":=")[2])[1:]
    raise AssertionError("The Makefile has no MAKEMESSAGES line")


def _not_sources(folder, names):
    """What the copy of the sources leaves out: the catalog, hidden and installed folders, files with no strings."""
    return [
        name
        for name in names
        if name.startswith(".")
        or name in {"locale", "node_modules", "media", "staticfiles"}
        or (Path(folder, name).is_file() and Path(name).suffix not in {".py", ".html", ".txt"})
    ]


def test_the_committed_catalog_lists_every_string_makemessages_finds(tmp_path, monkeypatch):
    if not shutil.which("xgettext"):
        if os.environ.get("REQUIRE_GETTEXT") == "1":
            pytest.fail("REQUIRE_GETTEXT=1 but GNU gettext's xgettext is not installed")
        pytest.skip(
            "GNU gettext's xgettext is not installed: the catalog cannot be rebuilt to compare (apt install gettext)"
        )
    assert CATALOG.exists(), "No French catalog: run `make messages` and commit locale/"
    # makemessages writes beside any locale/ folder it walks past: it runs over a copy of the sources
    # without the committed catalog, and writes the fresh one to a folder of its own.
    sources, fresh_locale = tmp_path / "sources", tmp_path / "locale"
    shutil.copytree(ROOT, sources, ignore=_not_sources)
    monkeypatch.chdir(sources)
    with override_settings(LOCALE_PATHS=[fresh_locale]):
        call_command("makemessages", *makemessages_arguments(), verbosity=0)
    fresh, committed = msgids(fresh_locale / "fr" / "LC_MESSAGES" / "django.po"), msgids(CATALOG)
    missing, stale = fresh - committed, committed - fresh
    assert not missing, f"Run `make messages` and commit locale/: the catalog misses {sorted(missing)[:20]}"
    assert not stale, (
        f"Run `make messages` and commit locale/: the catalog keeps strings no longer used {sorted(stale)[:20]}"
    )
