"""Procedures in the admin: network admins edit every one, a centre's team its own centres' only; a rule or a
period that gives no date to come is refused in French next to the field, and saving writes the deadlines."""

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from demarches.models import Procedure
from demarches.wagtail_hooks import procedure_policy
from tests.accounts.factories import mediator_of
from tests.agenda.test_staff import editor_of
from tests.demarches.factories import ProcedureFactory
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import member_of

pytestmark = pytest.mark.django_db

D = dt.date
ADD = reverse("wagtailsnippets_demarches_procedure:add")


def edit_url(procedure):
    return reverse("wagtailsnippets_demarches_procedure:edit", args=[procedure.pk])


@pytest.fixture(autouse=True)
def sunday_the_6th_of_december():
    with freeze_time("2026-12-06 10:00"):
        yield


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social de l'Alma")


def posted(centre=None, periods=(), **fields):
    """What the admin form posts for a procedure every month from the 1st to the 15th, with `fields` changed."""
    data = {
        "name": "Inscription au centre de loisirs",
        "slug": "centre-de-loisirs",
        "centre": centre.pk if centre else "",
        "purpose": "Inscrire ses enfants pour l'été.",
        "audiences": "familles",
        "domain": "loisirs",
        "official_url": "https://www.exemple.fr/",
        "to_bring": "Carnet de santé",
        "duration": "15 minutes",
        "rhythm": "monthly",
        "opens_day": "1",
        "opens_month": "",
        "closes_day": "15",
        "closes_month": "",
        "rule_ends_on": "",
        "dated_windows-TOTAL_FORMS": str(len(periods)),
        "dated_windows-INITIAL_FORMS": "0",
        "dated_windows-MIN_NUM_FORMS": "0",
        "dated_windows-MAX_NUM_FORMS": "1000",
    }
    for index, (opens_on, closes_on) in enumerate(periods):
        data |= {
            f"dated_windows-{index}-opens_on": opens_on,
            f"dated_windows-{index}-closes_on": closes_on,
            f"dated_windows-{index}-ORDER": str(index + 1),
            f"dated_windows-{index}-id": "",
            f"dated_windows-{index}-DELETE": "",
        }
    return data | fields


@pytest.fixture
def admin(client, staff_login):
    return staff_login(client, UserFactory(network_admin=True))


def test_a_network_admin_adds_a_network_procedure_and_its_deadlines_are_written(client, admin):
    response = client.post(ADD, posted())

    assert response.status_code == 302
    procedure = Procedure.objects.get()
    assert procedure.centre is None
    assert [tag.name for tag in procedure.audiences.all()] == ["familles"]
    assert procedure.deadlines.current().earliest("opens_on").opens_on == D(2026, 12, 1)


def test_dated_periods_typed_in_the_admin_become_deadlines(client, admin):
    response = client.post(
        ADD, posted(rhythm="dates", opens_day="", closes_day="", periods=[("05/01/2027", "31 mars 2027")])
    )

    assert response.status_code == 302
    assert list(Procedure.objects.get().deadlines.values_list("opens_on", "closes_on")) == [
        (D(2027, 1, 5), D(2027, 3, 31))
    ]


def errors_of(response):
    assert response.status_code == 200
    assert not Procedure.objects.exists()
    return response.context["form"].errors


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"opens_day": ""}, "opens_day", "Indiquez le jour où la démarche ouvre."),
        (
            {"rhythm": "yearly", "opens_month": "2", "opens_day": "30", "closes_month": "3"},
            "opens_day",
            "Le 30\u00a0février n'existe pas.",
        ),
        ({"rule_ends_on": "30/11/2026"}, "rule_ends_on", "Cette date est passée."),
        (
            {"rhythm": "yearly", "opens_month": "4", "closes_month": "6", "rule_ends_on": "01/02/2027"},
            "rule_ends_on",
            "Cette règle ne donne aucune date à venir",
        ),
        ({"rhythm": "dates"}, "rhythm", "Ajoutez au moins une période plus bas, ou choisissez un rythme."),
        ({"opens_day": "32"}, "opens_day", "inférieure ou égale à 31"),
    ],
)
def test_a_rule_that_gives_no_date_is_refused_next_to_the_field_in_french(client, admin, fields, field, message):
    errors = errors_of(client.post(ADD, posted(**fields)))

    assert any(message in error for error in errors[field]), errors


def test_a_period_in_the_past_or_backwards_is_refused_next_to_its_field(client, admin):
    past = client.post(ADD, posted(rhythm="dates", periods=[("01/10/2026", "30/11/2026")]))
    backwards = client.post(ADD, posted(rhythm="dates", periods=[("31/03/2027", "05/01/2027")]))

    for response, message in [(past, "Cette période est déjà passée."), (backwards, "doit venir après son début")]:
        errors_of(response)
        window_errors = response.context["form"].formsets["dated_windows"].forms[0].errors
        assert any(message in error for error in window_errors["closes_on"]), window_errors


def test_a_centre_editor_adds_procedures_for_their_centre_only(client, staff_login, centre, other_centre):
    staff_login(client, editor_of(centre))

    form = client.get(ADD).context["form"]
    refused_other = client.post(ADD, posted(centre=other_centre))
    refused_network = client.post(ADD, posted())
    accepted = client.post(ADD, posted(centre=centre))

    assert list(form.fields["centre"].queryset) == [centre]
    assert "centre" in refused_other.context["form"].errors
    assert "centre" in refused_network.context["form"].errors
    assert accepted.status_code == 302
    assert list(Procedure.objects.values_list("centre", flat=True)) == [centre.pk]


def test_a_centre_editor_cannot_open_another_centres_procedure_nor_the_networks(
    client, staff_login, centre, other_centre
):
    ours = ProcedureFactory(centre=centre, name="La nôtre")
    theirs = ProcedureFactory(centre=other_centre, name="La leur")
    network = ProcedureFactory(name="Celle du réseau")
    staff_login(client, editor_of(centre))

    listing = client.get(reverse("wagtailsnippets_demarches_procedure:list"))

    assert [procedure.name for procedure in listing.context["object_list"]] == ["La nôtre"]
    assert client.get(edit_url(ours)).status_code == 200
    for procedure in (theirs, network):
        assert client.get(edit_url(procedure)).status_code == 404
        assert client.post(edit_url(procedure), posted(centre=centre, slug=procedure.slug)).status_code == 404
        delete = reverse("wagtailsnippets_demarches_procedure:delete", args=[procedure.pk])
        assert client.post(delete).status_code == 404
    assert Procedure.objects.get(pk=theirs.pk).name == "La leur"
    assert Procedure.objects.filter(pk=network.pk).exists()


def test_an_editor_changing_their_rule_rewrites_the_deadlines(client, staff_login, centre):
    procedure = ProcedureFactory(centre=centre, slug="centre-de-loisirs")
    staff_login(client, editor_of(centre))

    response = client.post(edit_url(procedure), posted(centre=centre, closes_day="20"))

    assert response.status_code == 302
    assert procedure.deadlines.current().earliest("opens_on").closes_on == D(2026, 12, 20)


def test_the_procedure_policy_names_the_teams_and_the_network_admins(centre):
    admin, editor, mediator = UserFactory(network_admin=True), editor_of(centre), mediator_of(centre)
    member_of(centre)

    assert set(procedure_policy.users_with_permission("change")) == {admin, editor, mediator}
