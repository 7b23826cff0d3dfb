"""`manage.py demo --centres … --offers …`: the budget's volume on top of the demo, spread over the centres, once."""

import io

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time
from wagtail.search.backends import get_search_backend

from agenda.models import EventPage, Occurrence, Place, Registration
from echanges.models import Account, Agreement, Category, Conversation, Message, Offer, OfferTag, Transfer
from placette import volume
from quartier.models import CentrePage

pytestmark = pytest.mark.django_db

# A Monday morning: nothing the demo writes for today has ended yet, so "upcoming" counts stay put.
MONDAY_MORNING = "2026-11-23 07:30:00"
AGENDA_MODELS = (CentrePage, EventPage, Occurrence, Registration, Place)
EXCHANGE_MODELS = (Category, Offer, OfferTag, Conversation, Message, Agreement, Account, Transfer)


def run_volume(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def counts(models):
    return {model.__name__: model.objects.count() for model in models}


def found(words, queryset):
    return {offer.pk for offer in get_search_backend().search(words, queryset)}


@freeze_time(MONDAY_MORNING)
def test_scale_options_load_that_many_centres_and_dates_and_a_second_run_adds_nothing(home):
    out, err = run_volume(centres=7, occurrences=800)

    assert CentrePage.objects.live().count() == 7
    assert CentrePage.objects.filter(title="Centre social n°7 — Lys-lez-Lannoy").exists()
    assert Occurrence.objects.listed().upcoming().count() == 800
    # Every centre got a share of the load, and some generated dates are full or waitlisted.
    assert Occurrence.objects.upcoming().values("centre").distinct().count() == 7
    assert Registration.objects.filter(status=Registration.Status.WAITLISTED, person=None).count() > 1
    # The progress shows a line per tenth when it is not a terminal, ending at the total.
    assert err.splitlines()[-1] == "Activités : [##############################] 100 % (800 / 800)"
    assert "Dates à venir :" in out

    # Running it again (the believable agenda as well as the load) doubles nothing.
    before = counts(AGENDA_MODELS)
    run_volume(centres=7, occurrences=800)
    assert counts(AGENDA_MODELS) == before
    assert before["EventPage"] > 50


def test_scale_refuses_fewer_centres_than_the_demo_has(home):
    with pytest.raises(CommandError, match="au moins 5"):
        run_volume(centres=3)
    assert not CentrePage.objects.exists()


def test_the_load_spreads_offers_over_the_centres_and_makes_them_searchable(home):
    out, err = run_volume(centres=6, offers=200)

    generated = volume.generated_offers()
    assert generated.count() == 200
    spread = {centre.pk: generated.filter(centre=centre).count() for centre in CentrePage.objects.live()}
    assert len(spread) == 6 and set(spread.values()) <= {33, 34}
    # Besides the demo's own offers, which the load does not count.
    assert Offer.objects.count() > 200 + 90
    assert generated.filter(tags__isnull=True).count() == 0
    assert generated.open().count() > 150
    assert "Annonces générées : 200 ajoutée(s)" in out
    assert err.splitlines()[-1] == "Annonces : [##############################] 100 % (200 / 200)"
    # Bulk-written, then indexed: a word of the title or a tag finds the generated offers.
    bikes = set(generated.open().filter(title="Réparer un vélo").values_list("pk", flat=True))
    assert bikes and bikes <= found("vélo", Offer.objects.open())
    drills = set(generated.open().filter(tags__name="perceuse").values_list("pk", flat=True))
    assert drills and drills <= found("perceuse", Offer.objects.open())

    before = counts(EXCHANGE_MODELS)
    run_volume(centres=6, offers=200)
    assert counts(EXCHANGE_MODELS) == before
