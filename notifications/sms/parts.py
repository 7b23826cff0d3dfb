"""How many SMS a text costs: a text in the GSM alphabet fits 160 characters, one with any other character 70.

An SMS in several parts spends a few characters of each part joining them again (153 or 67 left), and each
part is paid for. One "ê" or "ç" outside the GSM alphabet switches the whole text to Unicode, doubling the cost
of an ordinary message: the campaign composer names those characters.
"""

import math
import re
import unicodedata
from dataclasses import dataclass

# GSM 03.38's basic alphabet; "ç" is not in it (only "Ç"), nor are "ê", "â", "î", "ô", "û", "œ", "’".
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Through an escape: two characters each.
GSM_EXTENDED = set("^{}\\[~]|€\f")

GSM_SINGLE, GSM_PART = 160, 153
UNICODE_SINGLE, UNICODE_PART = 70, 67


@dataclass(frozen=True)
class SmsLength:
    characters: int  # as the network counts them: an extended GSM character counts 2, an emoji 2 in Unicode
    parts: int
    unicode: bool
    # The characters that made it Unicode, in the order they first appear.
    outside_gsm: tuple[str, ...] = ()

    @property
    def left_in_part(self):
        single, part = (UNICODE_SINGLE, UNICODE_PART) if self.unicode else (GSM_SINGLE, GSM_PART)
        room = single if self.parts <= 1 else part * self.parts
        return room - self.characters


def outside_gsm(text):
    seen = {}
    for character in text:
        if character not in GSM_BASIC and character not in GSM_EXTENDED:
            seen.setdefault(character, None)
    return tuple(seen)


def measure(text):
    """The length of `text` as an SMS: characters, parts, and whether it needs Unicode (and why)."""
    strangers = outside_gsm(text)
    if strangers:
        characters = len(text.encode("utf-16-le", "surrogatepass")) // 2
        single, part = UNICODE_SINGLE, UNICODE_PART
    else:
        characters = sum(2 if character in GSM_EXTENDED else 1 for character in text)
        single, part = GSM_SINGLE, GSM_PART
    parts = 0 if not text else 1 if characters <= single else math.ceil(characters / part)
    return SmsLength(characters=characters, parts=parts, unicode=bool(strangers), outside_gsm=strangers)


# What French texts hold outside the GSM alphabet, written with its nearest GSM letters: an SMS without accents
# reads naturally in French, and costs half as much as one in Unicode.
NEAREST_GSM = str.maketrans(
    {
        "â": "a", "ê": "e", "î": "i", "ô": "o", "û": "u", "ë": "e", "ï": "i", "ÿ": "y", "ç": "c", "á": "a",
        "í": "i", "ó": "o", "ú": "u", "ã": "a", "õ": "o",
        "À": "A", "Â": "A", "È": "E", "Ê": "E", "Ë": "E", "Î": "I", "Ï": "I", "Ô": "O", "Û": "U", "Ù": "U",
        "œ": "oe", "Œ": "OE", "æ": "ae",
        "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "’": "'", "‘": "'", "‚": "'",
        "…": "...", "–": "-", "—": "-", "‑": "-",
        "\N{NO-BREAK SPACE}": " ", "\N{NARROW NO-BREAK SPACE}": " ", "\N{THIN SPACE}": " ",
    }
)  # fmt: skip


FRENCH_QUOTES = re.compile(r"«\s*(.*?)\s*»")


def nearest_gsm(text):
    """`text` with the French letters and signs outside the GSM alphabet replaced: "fête" → "fete", « a » → "a"."""
    return FRENCH_QUOTES.sub(lambda match: f'"{match[1]}"', text).translate(NEAREST_GSM)


def gsm_only(text):
    """`text` in the GSM alphabet alone, for words Placette writes itself: the nearest letters, then any other
    accented letter without its accent ("ő" → "o"); what has no GSM form at all (an emoji) goes."""
    kept = []
    for character in nearest_gsm(text):
        if character not in GSM_BASIC and character not in GSM_EXTENDED:
            character = unicodedata.normalize("NFKD", character)[0]
        if character in GSM_BASIC or character in GSM_EXTENDED:
            kept.append(character)
    return "".join(kept)
