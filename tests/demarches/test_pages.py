"""The procedures' public pages: this month's and the coming deadlines, a procedure in plain words, the calendar
files, the block on each centre's page, all in a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time
from icalendar import Calendar

from agenda.procedure_help import procedure_help_sessions
from demarches import help
from tests.agenda.factories import CategoryFactory, EventPageFactory
from tests.demarches.factories import ProcedureFactory
from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sunday_the_6th_of_december():
    with freeze_time("2026-12-06 10:00"):
        yield


D = dt.date


@pytest.fixture
def actualisation():
    return ProcedureFactory(
        name="Actualisation France Travail",
        slug="actualisation-france-travail",
        opens_day=28,
        closes_day=15,
        audiences=["personnes en recherche d'emploi"],
        purpose="Chaque mois, vous dites que vous cherchez un emploi.\nSans cela, les allocations s'arrêtent.",
        to_bring="Identifiant France Travail\n- Mot de passe\n\n",
        duration="5 minutes",
        official_url="https://www.francetravail.fr/",
    )


@pytest.fixture
def impots():
    return ProcedureFactory(name="Déclaration de revenus", slug="impots", yearly=True, audiences=["tous les foyers"])


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_calendar_shows_this_months_deadlines_then_the_next_months(client, actualisation, impots):
    content = page(client, reverse("demarches:calendar"))

    this_month, coming = content.split('id="a-venir"')
    assert content.count("<h1>") == 1
    assert "Ce mois-ci, jusqu'à fin décembre" in this_month
    assert "Actualisation France Travail" in this_month
    assert "À faire maintenant, jusqu&#x27;au mardi 15\u00a0décembre (encore 9\u00a0jours)." in this_month
    assert "Du lundi 28\u00a0décembre au vendredi 15\u00a0janvier 2027." in this_month
    assert "Déclaration de revenus" not in content  # opens in April: beyond the next three months
    assert coming.count("Actualisation France Travail") == 3
    assert '<link rel="alternate" type="text/calendar"' in content


def test_the_calendar_filters_by_audience_and_centre_with_a_plain_get_form(client, actualisation, impots, home):
    roubaix, lille = CentrePageFactory(parent=home, title="Roubaix"), CentrePageFactory(parent=home, title="Lille")
    ProcedureFactory(name="Accueil de loisirs de Roubaix", centre=roubaix, audiences=["familles"])
    ProcedureFactory(name="Accueil de loisirs de Lille", centre=lille, audiences=["familles"])

    families = page(client, reverse("demarches:calendar") + "?audience=familles")
    in_roubaix = page(client, reverse("demarches:calendar") + f"?centre={roubaix.pk}")
    nonsense = page(client, reverse("demarches:calendar") + "?audience=inconnu")

    assert 'method="get"' in families and '<label for="id_audience">Pour qui</label>' in families
    assert "Accueil de loisirs de Roubaix" in families and "Accueil de loisirs de Lille" in families
    assert "Actualisation France Travail" not in families
    assert "Accueil de loisirs de Roubaix" in in_roubaix and "Actualisation France Travail" in in_roubaix
    assert "Accueil de loisirs de Lille" not in in_roubaix
    assert "Démarche de Roubaix" in in_roubaix
    assert "Actualisation France Travail" not in nonsense
    assert "Sélectionnez un choix valide" in nonsense


def test_a_procedure_page_says_when_why_what_to_bring_and_where(client, actualisation):
    content = page(client, actualisation.get_absolute_url())

    assert content.count("<h1>") == 1 and "<h1>Actualisation France Travail</h1>" in content
    assert "À faire maintenant, jusqu&#x27;au mardi 15\u00a0décembre (encore 9\u00a0jours)." in content
    assert "Chaque mois, du 28\u00a0au 15\u00a0du mois suivant." in content
    assert "<p>Chaque mois, vous dites que vous cherchez un emploi.<br>Sans cela" in content
    assert "<li>Identifiant France Travail</li><li>Mot de passe</li>" in content
    assert "5\u00a0minutes" in content
    assert '<a href="https://www.francetravail.fr/" rel="noopener">Le site officiel' in content
    assert "personnes en recherche d&#x27;emploi" in content
    assert "Pas de permanence prévue pour le moment." in content


def test_a_procedures_text_is_escaped(client):
    procedure = ProcedureFactory(
        purpose='<script>alert(1)</script>"><img src=x onerror=alert(1)>', to_bring="<b>x</b>"
    )

    content = page(client, procedure.get_absolute_url())

    assert "<script>alert" not in content and "<img src=x" not in content and "<b>x</b>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_an_unknown_procedure_is_not_found(client):
    assert client.get(reverse("demarches:procedure", args=["inconnue"])).status_code == 404
    assert client.get(reverse("demarches:procedure_feed", args=["inconnue"])).status_code == 404


def test_a_procedure_page_offers_the_centres_permanences_with_one_tap_registration(client, home, actualisation):
    centre = CentrePageFactory(parent=home, title="Centre social Belencontre")
    help_category = CategoryFactory(slug="demarches", name="Démarches en ligne")
    permanence = EventPageFactory(parent=centre, title="Permanence démarches", category=help_category)
    EventPageFactory(parent=centre, title="Atelier tricot")
    own = ProcedureFactory(name="Accueil de loisirs", centre=CentrePageFactory(parent=home))

    content = page(client, actualisation.get_absolute_url())
    elsewhere = page(client, own.get_absolute_url())

    occurrence = permanence.occurrences.get()
    assert "Permanence démarches" in content and "Centre social Belencontre" in content
    assert reverse("agenda:confirm_registration", args=[occurrence.pk]) in content
    assert "Atelier tricot" not in content
    # A centre's own procedure offers that centre's permanences only.
    assert "Permanence démarches" not in elsewhere


def test_the_agenda_fills_the_help_registry_that_demarches_offers():
    assert procedure_help_sessions in help._providers


def test_each_centre_page_lists_the_next_deadlines_of_the_network_and_its_own(client, home, actualisation, impots):
    centre, other = CentrePageFactory(parent=home), CentrePageFactory(parent=home)
    ProcedureFactory(name="Loisirs du centre", centre=centre, opens_day=20, closes_day=31)
    ProcedureFactory(name="Loisirs de l'autre centre", centre=other, opens_day=7, closes_day=8)

    content = page(client, centre.url)

    section = content.split('id="demarches-titre"')[1].split("</section>")[0]
    assert "Actualisation France Travail" in section and "Loisirs du centre" in section
    assert "Loisirs de l&#x27;autre centre" not in section
    assert section.index("Actualisation France Travail") < section.index("Loisirs du centre")  # closes sooner
    assert f"{reverse('demarches:calendar')}?centre={centre.pk}" in section


def test_the_calendar_file_has_one_whole_day_entry_per_window_with_a_stable_uid(client, actualisation, impots):
    response = client.get(reverse("demarches:feed"))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    entries = calendar.walk("VEVENT")
    first = min(entries, key=lambda entry: entry.decoded("dtstart"))
    assert (first.decoded("dtstart"), first.decoded("dtend")) == (D(2026, 11, 28), D(2026, 12, 16))
    assert str(first["summary"]) == "Actualisation France Travail"
    assert "https://www.francetravail.fr/" in str(first["description"])
    deadline = actualisation.deadlines.get(opens_on=D(2026, 11, 28))
    assert str(first["uid"]) == f"echeance-{deadline.pk}@testserver"
    assert len(entries) == actualisation.deadlines.count() + impots.deadlines.count()


def test_the_calendar_file_follows_the_listings_filters_and_each_procedure_has_its_own(client, actualisation, impots):
    families = Calendar.from_ical(client.get(reverse("demarches:feed") + "?audience=tous-les-foyers").content)
    one = Calendar.from_ical(client.get(reverse("demarches:procedure_feed", args=["impots"])).content)

    assert {str(entry["summary"]) for entry in families.walk("VEVENT")} == {"Déclaration de revenus"}
    assert {str(entry["summary"]) for entry in one.walk("VEVENT")} == {"Déclaration de revenus"}


def many(home, count):
    centre = CentrePageFactory(parent=home)
    for number in range(count):
        ProcedureFactory(centre=centre if number % 2 else None, audiences=["familles", f"public {number % 3}"])
    return centre


@pytest.mark.parametrize(
    ("url", "queries"),
    [("calendar", 3), ("calendar?audience=familles", 4), ("procedure", 5), ("feed", 2), ("centre", 7)],
)
def test_each_page_costs_the_same_queries_for_2_or_20_procedures(
    client, home, django_assert_num_queries, url, queries
):
    def visit(count):
        centre = many(home, count)
        target = {
            "calendar": reverse("demarches:calendar"),
            "calendar?audience=familles": reverse("demarches:calendar") + "?audience=familles",
            "procedure": ProcedureFactory(audiences=["familles"]).get_absolute_url(),
            "feed": reverse("demarches:feed"),
            "centre": centre.url,
        }[url]
        client.get(target)  # the site's root paths and shared choices are read once per process
        with django_assert_num_queries(queries):
            assert client.get(target).status_code == 200

    visit(2)
    visit(20)
