"""The exchange's place on other pages: the latest offers on the home page, each centre's on its page."""

from wagtail import hooks

from echanges.models import Offer
from home.sections import Section

HOME_OFFERS = 5
CENTRE_OFFERS = 5


@hooks.register("home_sections", order=30)
def latest_offers(request, home_page):
    return Section("echanges/home_echanges.html", {"offers": Offer.objects.open().for_listing()[:HOME_OFFERS]})


@hooks.register("centre_sections", order=20)
def centre_offers(request, centre):
    offers = Offer.objects.open().for_listing().filter(centre=centre)[:CENTRE_OFFERS]
    return Section("echanges/centre_echanges.html", {"centre": centre, "offers": offers})
