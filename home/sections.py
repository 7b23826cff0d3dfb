"""Sections that the apps above `home` add to the network's home page.

An app registers a function with Wagtail's hooks under the name "home_sections"; it receives the
request and the home page and returns a `Section`, or None to show nothing. Sections appear in
hook order (`@hooks.register("home_sections", order=...)`).
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail import hooks

from core import freshness


@dataclass(frozen=True)
class Section:
    """One block of the home page: the template that draws it and what that template needs."""

    template_name: str
    context: dict = field(default_factory=dict)


def sections_for(request, page, hook_name="home_sections"):
    """The sections to draw on this page, in order: the home page's, or another page's own hook ("centre_sections")."""
    sections = (hook(request, page) for hook in hooks.get_hooks(hook_name))
    return [section for section in sections if section is not None]


def written_sections(request, page, hook_name, scopes):
    """The sections of `page`, written. They are the same for every reader (the person's own buttons are the
    page's, around them), so they are kept until a write touches `scopes` (core/freshness.py)."""

    def write():
        sections = sections_for(request, page, hook_name)
        return mark_safe(
            "".join(
                render_to_string(section.template_name, {"section": section.context}, request) for section in sections
            )
        )

    return freshness.kept(hook_name, scopes, request.get_host() + request.get_full_path(), write)
