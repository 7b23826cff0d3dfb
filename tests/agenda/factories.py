"""Factories for the agenda: categories, places, activities (materialised when published) and registrations."""

import datetime as dt

import factory
import wagtail_factories
from django.utils import timezone

from agenda import services
from agenda.models import Category, EventPage, Place, Registration


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Salle {n}")
    street_address = "14 rue des Tisserands"
    postcode = "59200"
    town = "Tourcoing"
    wheelchair_accessible = True
    accessibility = "Rez-de-chaussée, sans marche."


class EventPageFactory(wagtail_factories.PageFactory):
    """A published activity under `parent` (a centre), tomorrow 14 h – 16 h, 10 seats, its dates written.

    Traits: `weekly` (every Tuesday, 8 times), `open_door` (no registration), `draft` (not published).
    """

    class Meta:
        model = EventPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Atelier numérique n°{n}")
    summary = "Apprendre à se servir de son téléphone, à son rythme."
    category = factory.SubFactory(CategoryFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=1))
    start_time = dt.time(14)
    end_time = dt.time(16)
    registration_required = True
    capacity = 10
    price = 0

    class Params:
        weekly = factory.Trait(recurrence="FREQ=WEEKLY;BYDAY=TU;COUNT=8")
        open_door = factory.Trait(registration_required=False, capacity=None)
        draft = factory.Trait(live=False)

    @factory.post_generation
    def dates(event, create, extracted, **kwargs):
        """Publishing writes the dates (Wagtail's page_published); a factory's page is saved live directly."""
        if create and event.live:
            services.materialise(event)


def first_date(event):
    return event.occurrences.order_by("start").first()


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A row written directly, for reading tests; registrations that take seats go through services.register."""

    class Meta:
        model = Registration

    status = Registration.Status.CONFIRMED


def admin_form_data(**changes):
    """What the admin's "Ajouter une activité" form posts: one activity tomorrow, with `changes`.

    A None value leaves the field out, as a browser does with a field it was not shown.
    """
    data = {
        "title": "Premiers pas sur le téléphone",
        "slug": "premiers-pas",
        "summary": "Apprendre à se servir de son téléphone.",
        "start_date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "repeat": "once",
        "interval": "1",
        "price": "0",
        "registration_required": "on",
        "capacity": "10",
        "reminder_days_before": "1",
        "reminder_time": "18:00",
        "body-count": "0",
        "audiences": "",
        "needs": "",
        "photo_alt": "",
    }
    for prefix in ("extra_dates", "exceptions", "comments"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    if "category" not in changes:
        data["category"] = str(CategoryFactory().pk)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
