"""The offer form tells the truth about which answers are required."""

import pytest
from django.urls import reverse

from echanges.forms import OfferForm
from tests.accounts.pages import signed_in, text_of
from tests.echanges.factories import CategoryFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of

pytestmark = pytest.mark.django_db

OPTIONAL = "Tout est obligatoire, sauf la description, les mots-clés, « Quand ? », « Où ? » et la photo."


def test_the_form_names_the_optional_answers_and_only_them(home):
    centre = CentrePageFactory(parent=home, title="Centre social Belencontre")
    CategoryFactory()

    html = text_of(signed_in(member_of(centre)).get(reverse("echanges:post")))

    assert OPTIONAL in html
    assert "Le reste est libre" not in html
    optional = {name for name, field in OfferForm.base_fields.items() if not field.required}
    # The photo's description is asked only with a photo, which the sentence after says.
    assert optional == {"description", "tags", "when", "where", "photo", "photo_alt"}
