"""Factories for the suite's data: users, centres with their opening hours, images."""

import datetime as dt
import functools

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.urls import URLResolver

from home.models import ContentPage
from quartier.models import CentrePage, OpeningHours


@functools.cache
def test_password_hash():
    return make_password("mot-de-passe-de-test")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"personne{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda user: f"{user.username}@exemple.test")
    # Hashed once for the whole run: hashing is deliberately slow (over a second here) and every test makes people.
    password = factory.LazyFunction(test_password_hash)

    class Params:
        network_admin = factory.Trait(is_staff=True, is_superuser=True)


class ImageFactory(wagtail_factories.ImageFactory):
    file = factory.django.ImageField(width=640, height=360, color="teal", format="PNG")


class CentrePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CentrePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Centre social n°{n}")
    town = "Roubaix"
    street_address = factory.Sequence(lambda n: f"{n} rue de la Paix")
    postcode = "59100"
    latitude = "50.690000"
    longitude = "3.180000"
    phone = "+33353010101"
    email = factory.Sequence(lambda n: f"centre{n}@exemple.test")
    introduction = "Un lieu pour se rencontrer et s'entraider."
    presentation = "<p>Ateliers, démarches et sorties.</p>"

    class Params:
        with_photo = factory.Trait(
            photo=factory.SubFactory(ImageFactory),
            photo_alt="Façade du centre",
        )

    @factory.post_generation
    def hours(centre, create, extracted, **kwargs):
        """Weekday mornings and afternoons unless a list of (weekday, opens, closes) is given."""
        if not create:
            return
        slots = (
            extracted
            if extracted is not None
            else [(day, dt.time(start), dt.time(end)) for day in range(5) for start, end in ((9, 12), (14, 18))]
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(centre=centre, weekday=day, opens=opens, closes=closes, sort_order=index)
            for index, (day, opens, closes) in enumerate(slots)
        )


class ContentPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ContentPage

    title = factory.Sequence(lambda n: f"Page d'aide {n}")
    summary = "Une page d'information."
    body = factory.LazyFunction(lambda: [("heading", "Pour commencer")])


def url_names(patterns, modules, namespace=""):
    """The names of the addresses whose views live in `modules`: a permission test lists each, or fails."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, modules, inner)
        elif pattern.callback.__module__ in modules:
            yield namespace + pattern.name
