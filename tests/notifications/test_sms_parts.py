"""How many SMS a text costs (notifications.sms.parts.measure): 160 GSM characters, or 70 once one character
is outside the GSM alphabet ("ê", "ç", an emoji); several parts hold 153 or 67 each; "€" and friends count two."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifications.services import sms_parts
from notifications.sms.parts import GSM_BASIC, GSM_EXTENDED, measure
from notifications.sms_numbers import stop_line_length

GSM_TEXT = st.text(alphabet=st.sampled_from(sorted(GSM_BASIC)), max_size=700)


@pytest.mark.parametrize(
    ("length", "parts"), [(0, 0), (1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)]
)
def test_gsm_text_fits_160_then_153_a_part(length, parts):
    text = "a" * length

    measured = measure(text)

    assert (measured.characters, measured.parts, measured.unicode, measured.outside_gsm) == (length, parts, False, ())


@pytest.mark.parametrize(("length", "parts"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_one_e_circumflex_makes_the_whole_text_unicode_70_then_67_a_part(length, parts):
    text = "ê" + "a" * (length - 1)

    measured = measure(text)

    assert (measured.characters, measured.parts, measured.unicode) == (length, parts, True)
    assert measured.outside_gsm == ("ê",)


@pytest.mark.parametrize("character", ["ç", "ê", "â", "î", "ô", "û", "œ", "’", "\N{NO-BREAK SPACE}"])
def test_french_characters_outside_gsm_are_named(character):
    assert measure(f"Rendez-vous {character} bientôt").unicode


@pytest.mark.parametrize("character", ["é", "è", "à", "ù", "Ç", "É", "ä", "ö", "ü", "ñ"])
def test_french_characters_inside_gsm_keep_the_cheap_alphabet(character):
    measured = measure(f"Réunion {character} 14 h")

    assert not measured.unicode
    assert measured.outside_gsm == ()


def test_the_characters_outside_gsm_are_named_once_in_order_of_appearance():
    assert measure("ça ê ç ê 😀").outside_gsm == ("ç", "ê", "😀")


@pytest.mark.parametrize(("euros", "parts"), [(80, 1), (81, 2)])
def test_extended_gsm_characters_count_two(euros, parts):
    measured = measure("€" * euros)

    assert (measured.characters, measured.parts, measured.unicode) == (2 * euros, parts, False)


@pytest.mark.parametrize("character", sorted(GSM_EXTENDED))
def test_every_extended_character_counts_two(character):
    assert measure(character).characters == 2


@pytest.mark.parametrize(("emojis", "parts"), [(35, 1), (36, 2)])
def test_an_emoji_takes_two_unicode_characters(emojis, parts):
    measured = measure("😀" * emojis)

    assert (measured.characters, measured.parts, measured.unicode) == (2 * emojis, parts, True)


@pytest.mark.parametrize(
    ("text", "left"), [("a" * 150, 10), ("a" * 161, 2 * 153 - 161), ("ê" * 10, 60), ("ê" * 71, 2 * 67 - 71)]
)
def test_what_is_left_in_the_last_part(text, left):
    assert measure(text).left_in_part == left


@given(GSM_TEXT)
def test_any_gsm_text_costs_what_the_operators_bill(text):
    measured = measure(text)

    length = len(text) + sum(character in GSM_EXTENDED for character in text)
    expected = 0 if not text else 1 if length <= 160 else math.ceil(length / 153)
    assert (measured.characters, measured.parts, measured.unicode) == (length, expected, False)
    assert measured.left_in_part >= 0


@given(GSM_TEXT, st.characters(blacklist_characters=sorted(GSM_BASIC | GSM_EXTENDED)))
def test_any_character_outside_gsm_makes_it_unicode_and_never_cheaper(text, stranger):
    gsm, unicode = measure(text), measure(text + stranger)

    assert unicode.unicode
    assert stranger in unicode.outside_gsm
    assert unicode.parts >= gsm.parts


@given(GSM_TEXT, GSM_TEXT)
def test_a_longer_text_never_costs_less(start, more):
    assert measure(start + more).parts >= measure(start).parts


def test_a_text_is_paid_with_its_stop_line():
    room = 160 - stop_line_length()

    assert sms_parts("a" * room) == 1
    assert sms_parts("a" * (room + 1)) == 2
    assert sms_parts("ê" * (70 - stop_line_length())) == 1
    assert sms_parts("ê" * (70 - stop_line_length() + 1)) == 2
