"""Sections that the apps above `home` add to the network's home page.

An app registers a function with Wagtail's hooks under the name "home_sections"; it receives the
request and the home page and returns a `Section`, or None to show nothing. Sections appear in
hook order (`@hooks.register("home_sections", order=...)`).
"""

from dataclasses import dataclass, field

from wagtail import hooks


@dataclass(frozen=True)
class Section:
    """One block of the home page: the template that draws it and what that template needs."""

    template_name: str
    context: dict = field(default_factory=dict)


def sections_for(request, home_page):
    """The sections to draw on this home page, in order."""
    sections = (hook(request, home_page) for hook in hooks.get_hooks("home_sections"))
    return [section for section in sections if section is not None]
