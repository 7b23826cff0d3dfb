"""Notification SMS are written with GSM letters: one "ê" would make them Unicode, 70 characters a part."""

import pytest

from notifications.sms.parts import measure, nearest_gsm


@pytest.mark.parametrize(
    ("french", "gsm"),
    [
        ("La fête du quartier", "La fete du quartier"),
        ("Leçon de français", "Lecon de francais"),
        ("«\u00a0Couture\u00a0» à 14\u00a0h", '"Couture" à 14 h'),
        ("L’œuvre… – fin", "L'oeuvre... - fin"),
        ("Île, Âge, Être", "Ile, Age, Etre"),
    ],
)
def test_french_letters_outside_gsm_become_their_nearest_gsm_letters(french, gsm):
    assert nearest_gsm(french) == gsm
    assert not measure(nearest_gsm(french)).unicode


def test_the_letters_gsm_has_are_kept():
    text = "Été : é è à ù ì ò É Ç ü ñ"
    assert nearest_gsm(text) == text
    assert not measure(text).unicode
