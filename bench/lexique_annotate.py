"""Explaining the lexicon's words in the largest demo text, against 500 terms: per revision, and once kept.

    .venv/bin/python bench/lexique_annotate.py [--terms 500] [--rounds 200]

The texts are the demo's own (the information pages, the centres' presentations, the activities' descriptions,
the procedures' purposes, each tutorial step), written as the pages write them; the largest is matched. The
lexicon is the demo's terms and as many made-up ones as needed to reach `--terms` (words of French syllables,
with two variants each), in memory: no database is read. Three figures, median of `--rounds`:

- compiling the lexicon's pattern (once per lexicon change in each process);
- matching the text (once per revision of the text and per lexicon change: lexique.matching.annotate);
- the text as a page reads it once kept (lexique.explaining.explain_words: the lexicon's token and one cache read),
  with the settings' cache (local memory without REDIS_URL, Redis with it).
"""

import os
import sys
from pathlib import Path

# Run as a script, Django is set up before the apps' models are imported.
if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placette.settings")
    import django

    django.setup()

import argparse
import itertools
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import escape

from agenda.demo import PROGRAMME
from demarches.demo import PROCEDURES
from home.demo import PAGES
from lexique import explaining
from lexique.demo import TERMS, TUTORIALS
from lexique.matching import Lexicon, Term, annotate
from quartier.demo import CENTRES

SYLLABLES = ["ta", "lo", "mi", "ré", "su", "pan", "cor", "dé", "vi", "nu", "bri", "fo", "gé", "qua", "zo", "lin"]


def demo_texts():
    """(name, HTML) of each demo text, as its page writes it (headings included)."""
    for slug, (_title, _summary, blocks) in PAGES.items():
        yield f"page {slug}", "".join(f"<h2>{escape(v)}</h2>" if k == "heading" else v for k, v in blocks)
    for centre in CENTRES:
        yield f"centre {centre['title']}", centre["presentation"]
    for activity in PROGRAMME:
        yield f"activité {activity.title}", activity.body
    for procedure in PROCEDURES:
        yield f"démarche {procedure.slug}", linebreaks_filter(procedure.purpose, autoescape=True)
    for tutorial in TUTORIALS:  # a step is explained as one text (lexique/templates/lexique/tutorials/_step.html)
        for number, (_title, blocks) in enumerate(tutorial["steps"], start=1):
            body = "".join(linebreaks_filter(value, autoescape=True) for _kind, value in blocks)
            yield f"tutoriel {tutorial['title']}, étape {number}", body


def lexicon_terms(count):
    terms = [
        Term(word.replace(" ", "-"), word, f"/lexique/{word}/", definition, (word, *variants.splitlines()))
        for word, variants, definition, _example, _related in TERMS
    ]
    made_up = ("".join(parts) for size in (3, 4) for parts in itertools.permutations(SYLLABLES, size))
    for word in itertools.islice(made_up, max(0, count - len(terms))):
        terms.append(
            Term(word, word, f"/lexique/{word}/", "Un mot inventé pour la mesure.", (word, f"{word}s", f"{word}e"))
        )
    return terms[:count]


def median_ms(function, rounds):
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=200)
    options = parser.parse_args()

    texts = list(demo_texts())
    name, html = max(texts, key=lambda text: len(text[1]))
    # The demo's texts are short; every one of them in one page is what a long help page would be.
    everything = "".join(text for _, text in texts)
    terms = lexicon_terms(options.terms)
    lexicon = Lexicon(terms)
    print(f"Lexique : {len(terms)} mots, {len(lexicon.by_form)} formes.")
    compile_ms = median_ms(lambda: Lexicon(terms), max(5, options.rounds // 20))
    print(f"Compiler le lexique (une fois par changement du lexique, dans chaque processus) : {compile_ms:.2f} ms")
    for label, text in (
        (f"la plus grande page de la démo ({name})", html),
        ("tous les textes de la démo", everything),
    ):
        explained = annotate(text, lexicon)
        match_ms = median_ms(lambda text=text: annotate(text, lexicon), options.rounds)
        print(
            f"Expliquer {label}, {len(text)} caractères, {explained.count('data-lexique=')} mots expliqués "
            f"(une fois par révision) : {match_ms:.3f} ms"
        )

    cache.clear()
    token = explaining.lexicon_token()
    cache.set(f"lexique:terms:{token}", terms)  # as the first page after a change leaves it
    explaining.explain_words(html)
    kept_ms = median_ms(lambda: explaining.explain_words(html), options.rounds)

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"La plus grande page déjà expliquée, lue dans le cache ({backend}) : {kept_ms:.3f} ms")


if __name__ == "__main__":
    main()
