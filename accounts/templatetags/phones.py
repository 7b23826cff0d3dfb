"""A phone number in a template as people write it: {{ phone|phone_as_written }} gives "06 12 34 56 78"."""

from django import template

from accounts.fields import phone_as_written

register = template.Library()
register.filter("phone_as_written", phone_as_written)
