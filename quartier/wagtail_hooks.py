"""The centres' place in the rest of the site: their list on the network's home page."""

from wagtail import hooks

from home.sections import Section
from quartier.models import centres_for_listing


@hooks.register("home_sections", order=10)
def centres_on_home(request, home_page):
    return Section("quartier/home_centres.html", {"centres": centres_for_listing().child_of(home_page)})
