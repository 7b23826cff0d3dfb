"""One way to write a form a resident fills: labels without Django's colon, text that must say something, and
lists of choices written fast."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from core import freshness


class PlainForm(forms.Form):
    """A form whose labels show as written, without the colon Django adds after each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


def written_with_letters(text, refusal):
    """`text` when it has at least one letter or digit; else the form's error `refusal` (punctuation says nothing)."""
    if not any(character.isalnum() for character in text):
        raise forms.ValidationError(refusal)
    return text


# Per process: {shared_as: (the site's token, the options written)}.
_written_options = {}


class SharedChoicesSelect(forms.Select):
    """A drop-down list written in Python, its options kept while the site's token holds if `shared_as` names them.

    Django writes each option through a template, and reads a model's choices with a query at each request: the
    agenda's hundred centres cost about half of its listing's rendering. Here the options are written once per
    change of the site (core/freshness.py: centres, categories and tags are site-wide writes) in each process,
    and a request only marks the chosen one. The markup is Django's own; grouped choices are not supported.
    """

    def __init__(self, attrs=None, choices=(), *, shared_as=None):
        super().__init__(attrs, choices)
        self.shared_as = shared_as

    def options(self):
        """Each choice as (value, value written, label written)."""
        if self.shared_as is None:
            return self.write_options()
        known = freshness.tokens(freshness.SITE)  # read before the choices: a newer list is never kept as older
        token = known and known[freshness.SITE]
        kept = _written_options.get(self.shared_as)
        if token is not None and kept is not None and kept[0] == token:
            return kept[1]
        options = self.write_options()
        if token is not None:
            _written_options[self.shared_as] = (token, options)
        return options

    def write_options(self):
        options = []
        for value, label in self.choices:
            if isinstance(label, (list, tuple)):
                raise TypeError(f"{type(self).__name__} does not write grouped choices ({value}).")
            value = "" if value is None else str(value)
            options.append((value, escape(value), conditional_escape(label)))
        return options

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        lines = [f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']
        marked = False
        for option, written_value, written_label in self.options():
            selected = not marked and option in chosen
            marked |= selected
            lines.append(
                f'  <option value="{written_value}"{" selected" if selected else ""}>{written_label}</option>'
            )
        lines.append("</select>")
        return mark_safe("\n".join(lines))
