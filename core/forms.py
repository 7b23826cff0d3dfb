"""One way to write a form a resident fills: labels without Django's colon, text that must say something."""

from django import forms


class PlainForm(forms.Form):
    """A form whose labels show as written, without the colon Django adds after each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


def written_with_letters(text, refusal):
    """`text` when it has at least one letter or digit; else the form's error `refusal` (punctuation says nothing)."""
    if not any(character.isalnum() for character in text):
        raise forms.ValidationError(refusal)
    return text
