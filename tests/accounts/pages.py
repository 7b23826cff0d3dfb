"""Reading account pages as a person does: the text, the messages, and the error next to a field."""

import re
from html import unescape

from django.test import Client

from accounts.middleware import ACTING_FOR_SESSION_KEY

MESSAGE = re.compile(r'<p class="message message--(\w+)">(.*?)</p>', re.S)


def text_of(response):
    return unescape(response.content.decode())


def messages_of(response):
    """The messages shown on the page, as (level, text)."""
    return [(level, unescape(text)) for level, text in MESSAGE.findall(response.content.decode())]


def field_errors(response, name):
    """The French sentences shown next to one field (the list its input points to with aria-describedby)."""
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html, re.S)
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)] if match else []


def form_errors(response):
    """The errors about the whole form, shown above its fields."""
    html = response.content.decode()
    match = re.search(r'<ul class="errorlist nonfield">(.*?)</ul>', html, re.S)
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)] if match else []


def input_value(response, name):
    """What an <input> shows, as the person typed it (None when the field has no value)."""
    tag = re.search(rf'<input[^>]* name="{name}"[^>]*>', response.content.decode())
    assert tag, f"no input named {name}"
    value = re.search(r' value="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else None


def textarea_value(response, name):
    match = re.search(rf'<textarea[^>]* name="{name}"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    assert match, f"no textarea named {name}"
    return unescape(match.group(1)).strip("\n")


def signed_in(user):
    """A new browser session, signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def signed_in_user_id(client):
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def acting_for_id(client):
    return client.session.get(ACTING_FOR_SESSION_KEY)
