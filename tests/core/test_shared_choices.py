"""The listings' drop-down lists: Django's markup, their choices read once per change of the site, never stale."""

import pytest
from django import forms
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext

from agenda.filters import OccurrenceFilter
from agenda.models import Occurrence
from core import forms as core_forms
from echanges.filters import OfferFilter
from echanges.models import Offer
from tests.agenda.factories import EventPageFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of


@pytest.mark.parametrize(
    ("filterset", "queryset", "data"),
    [
        (OccurrenceFilter, Occurrence.objects.all(), None),
        (OccurrenceFilter, Occurrence.objects.all(), {"period": "week", "category": "pas-une-categorie"}),
        (OfferFilter, Offer.objects.all(), {"kind": "offer", "mode": "gift"}),
    ],
)
def test_a_drop_down_says_what_djangos_would(home, monkeypatch, filterset, queryset, data):
    EventPageFactory(parent=CentrePageFactory(parent=home, title="Centre social L'Escale"))
    form = filterset(data, queryset=queryset).form
    form.is_valid()
    selects = [field for field in form if isinstance(field.field.widget, core_forms.SharedChoicesSelect)]
    assert len(selects) >= 3
    ours = [str(field) for field in selects]
    monkeypatch.setattr(core_forms.SharedChoicesSelect, "render", forms.Select.render)
    for field, written in zip(selects, ours, strict=True):
        assert parse_html(written) == parse_html(str(field)), field.name


def test_the_choices_are_read_once_until_the_site_changes(client, home, django_capture_on_commit_callbacks):
    centre = CentrePageFactory(parent=home)
    EventPageFactory(parent=centre)
    client.force_login(member_of(centre))
    client.get("/agenda/")  # what a first page does once (the site's settings)

    core_forms._written_options.clear()
    with CaptureQueriesContext(connection) as first:
        client.get("/agenda/")
    with CaptureQueriesContext(connection) as again:
        client.get("/agenda/")
    # The centres, the categories and the audiences: read the first time only.
    assert len(first) - len(again) == 3

    with django_capture_on_commit_callbacks(execute=True):
        CentrePageFactory(parent=home, title="Centre social Les Hauts Champs")

    content = client.get("/agenda/").content.decode()
    assert ">Centre social Les Hauts Champs</option>" in content
