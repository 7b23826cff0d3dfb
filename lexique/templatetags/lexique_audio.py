"""The `<source type>` of a recording in a template, where a StreamField value has no method to ask."""

from django import template

from lexique.audio import mime_type

register = template.Library()


@register.filter
def audio_type(document):
    return mime_type(document)
