"""The mandate pages: the team's list, new mandate, a mandate with its log and the few taps that note a procedure,
revoking, the printable version and the signed paper; the resident's "Mes mandats". Each boundary tried."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from freezegun import freeze_time

from accounts.middleware import ACTING_FOR_SESSION_KEY
from demarches import resident_views, team_views
from demarches.models import Domain, Mandate, MandateAction
from notifications.models import Notification
from tests.accounts.factories import ConsentFactory, MembershipFactory, mediator_of, resident_of
from tests.demarches.factories import MandateActionFactory, MandateFactory, ProcedureFactory
from tests.factories import url_names

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)
HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>'


@pytest.fixture(autouse=True)
def sunday_the_6th_of_december():
    with freeze_time("2026-12-06 10:00"):
        yield


@pytest.fixture
def mediator(centre):
    return mediator_of(centre, display_name="Nadia")


@pytest.fixture
def resident(centre):
    return resident_of(centre, display_name="Ginette")


@pytest.fixture
def caf():
    return ProcedureFactory(name="Déclaration trimestrielle CAF", domain=Domain.FAMILY)


@pytest.fixture
def mandate(centre, resident, mediator):
    return MandateFactory(centre=centre, resident=resident, recorded_by=mediator)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# Every mandate address is in one of these lists: a new one missing from them fails below.

TEAM_REQUESTS = {
    "demarches:team_mandate": ("post", {"procedure": "", "done_on": "06/12/2026", "outcome": "fait"}),
    "demarches:revoke_mandate": ("post", {"confirm": "oui"}),
    "demarches:print_mandate": ("get", {}),
    "demarches:consent_scan": ("get", {}),
}
RESIDENT_REQUESTS = {
    "demarches:my_mandate": ("get", {}),
    "demarches:revoke_my_mandate": ("post", {"confirm": "oui"}),
    "demarches:print_my_mandate": ("get", {}),
}
LISTS = {"demarches:team_mandates", "demarches:new_mandate", "demarches:my_mandates"}


def test_every_mandate_address_is_in_the_permission_tests():
    modules = {team_views.__name__, resident_views.__name__}
    assert set(url_names(get_resolver().url_patterns, modules)) == {*TEAM_REQUESTS, *RESIDENT_REQUESTS, *LISTS}


def state():
    return (
        list(Mandate.objects.values_list("pk", "revoked_at")),
        MandateAction.objects.count(),
        Notification.objects.count(),
    )


@pytest.mark.parametrize("name", [*TEAM_REQUESTS, *RESIDENT_REQUESTS, *LISTS])
def test_anonymous_visitors_are_sent_to_sign_in(client, mandate, name):
    url = reverse(name, args=[] if name in LISTS else [mandate.pk])
    before = state()

    response = (
        client.post(url) if name in LISTS else getattr(client, (TEAM_REQUESTS | RESIDENT_REQUESTS)[name][0])(url)
    )

    assert response.status_code == 302
    assert response.url.startswith("/compte/connexion/")
    assert state() == before


@pytest.mark.parametrize("name", list(TEAM_REQUESTS))
def test_another_centres_team_gets_not_found_and_changes_nothing(client, staff_login, name, mandate, other_centre):
    staff_login(client, mediator_of(other_centre))
    method, data = TEAM_REQUESTS[name]
    before = state()

    response = getattr(client, method)(reverse(name, args=[mandate.pk]), data)

    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("name", list(TEAM_REQUESTS))
def test_a_resident_gets_not_found_on_the_team_pages_even_for_their_own_mandate(client, name, mandate, resident):
    client.force_login(resident)

    response = getattr(client, TEAM_REQUESTS[name][0])(reverse(name, args=[mandate.pk]), TEAM_REQUESTS[name][1])

    assert response.status_code == 404


@pytest.mark.parametrize("name", list(RESIDENT_REQUESTS))
def test_a_resident_gets_not_found_for_someone_elses_mandate(client, name, mandate, centre, mediator):
    client.force_login(resident_of(centre))
    method, data = RESIDENT_REQUESTS[name]
    before = state()

    response = getattr(client, method)(reverse(name, args=[mandate.pk]), data)

    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("name", list(RESIDENT_REQUESTS))
def test_the_team_cannot_use_the_residents_own_pages(client, staff_login, name, mandate, mediator):
    staff_login(client, mediator)
    method, data = RESIDENT_REQUESTS[name]

    assert getattr(client, method)(reverse(name, args=[mandate.pk]), data).status_code == 404


def test_a_resident_is_told_the_team_list_is_for_teams(client, resident):
    client.force_login(resident)

    assert client.get(reverse("demarches:team_mandates")).status_code == 403


# The team's pages.


def test_the_team_list_sorts_ending_current_and_past_mandates(client, staff_login, centre, mediator, other_centre):
    staff_login(client, mediator)
    MandateFactory(
        centre=centre, resident=resident_of(centre, display_name="Ahmed"), ends_on=TODAY + dt.timedelta(days=3)
    )
    MandateFactory(centre=centre, resident=resident_of(centre, display_name="Brigitte"))
    MandateFactory(centre=centre, resident=resident_of(centre, display_name="Chantal"), ended=True)
    MandateFactory(centre=centre, resident=resident_of(centre, display_name="Denis"), revoked=True)
    MandateFactory(centre=other_centre, resident=resident_of(other_centre, display_name="Étienne"))

    content = client.get(reverse("demarches:team_mandates")).content.decode()

    ending, rest = content.split('id="en-cours"')
    current, past = rest.split('id="finis"')
    assert "Ahmed" in ending and "jusqu'au dim. 9" not in ending
    assert "Brigitte" in current
    assert "Chantal" in past and "fini le" in past
    assert "Denis" in past and "arrêté le" in past
    assert "Étienne" not in content
    assert content.count("<h1>") == 1


@pytest.mark.parametrize("rows", [1, 30])
def test_the_team_list_reads_a_fixed_number_of_queries(
    client, staff_login, centre, mediator, rows, django_assert_max_num_queries
):
    staff_login(client, mediator)
    for index in range(rows):
        MandateFactory(centre=centre, resident=resident_of(centre), ended=index % 3 == 0)

    with django_assert_max_num_queries(12):
        assert client.get(reverse("demarches:team_mandates")).status_code == 200


# Django links a group of boxes' errors to its fieldset's legend, not to each box.
RADIOS = ("scopes", "duration")


def new_mandate(client, **changes):
    return client.post(reverse("demarches:new_mandate"), changes)


def test_a_mediator_records_a_mandate_the_resident_read_on_screen(client, staff_login, centre, mediator, resident):
    staff_login(client, mediator)
    membership = resident.memberships.get()
    page = client.get(reverse("demarches:new_mandate") + f"?personne={membership.pk}").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f'<option value="{membership.pk}" selected>Ginette</option>' in page
    assert "Argent : impôts, aides, banque" in page
    data = {
        "membership": membership.pk,
        "scopes": [Domain.FAMILY, Domain.HOUSING],
        "duration": "3m",
        "consent_mode": "ecran",
        "consent_given": "on",  # ticked before the person read anything: not enough
    }

    shown = new_mandate(client, **data)

    assert not Mandate.objects.exists()
    content = shown.content.decode()
    assert "Le mandat, à lire avec la personne" in content
    assert "Moi, Ginette, je donne mandat à l&#x27;équipe du centre Centre social Belencontre" in content
    assert (
        'name="consent_given" aria-invalid="true"' in content
        and "checked" not in content.split("consent_given")[1][:120]
    )
    form = shown.context["form"]
    assert form.errors["consent_given"] == [
        "Lisez le mandat ci-dessus avec la personne. Si elle est d'accord, cochez la case."
    ]

    response = new_mandate(client, **data, shown_terms=form.data["shown_terms"])

    mandate = Mandate.objects.get()
    assert response.url == reverse("demarches:team_mandate", args=[mandate.pk])
    assert (mandate.starts_on, mandate.ends_on) == (TODAY, dt.date(2027, 3, 6))
    assert mandate.scopes == [Domain.FAMILY, Domain.HOUSING]
    assert mandate.consent_shown == form.terms
    assert "Logement : loyer, APL, énergie" in mandate.consent_shown
    assert "Du dimanche 6\u00a0décembre 2026 au samedi 6\u00a0mars 2027 inclus." in mandate.consent_shown


def test_changing_the_mandate_after_reading_it_shows_it_again(client, staff_login, centre, mediator, resident):
    staff_login(client, mediator)
    data = {
        "membership": resident.memberships.get().pk,
        "scopes": [Domain.FAMILY],
        "duration": "1m",
        "consent_mode": "ecran",
    }
    read = new_mandate(client, **data).context["form"].data["shown_terms"]

    response = new_mandate(client, **(data | {"duration": "12m"}), shown_terms=read, consent_given="on")

    assert response.status_code == 200
    assert "Lisez le mandat ci-dessus" in response.context["form"].errors["consent_given"][0]
    assert not Mandate.objects.exists()


def test_a_paper_mandate_keeps_the_scan_that_only_the_team_downloads(client, staff_login, centre, mediator, resident):
    staff_login(client, mediator)
    scan = SimpleUploadedFile("papier signé.pdf", b"%PDF-1.4 signe", content_type="application/pdf")

    new_mandate(
        client,
        membership=resident.memberships.get().pk,
        scopes=[Domain.MONEY],
        ends_on="31/12/2026",
        consent_mode="papier",
        consent_scan=scan,
    )

    mandate = Mandate.objects.get()
    assert mandate.ends_on == dt.date(2026, 12, 31)
    assert mandate.consent_shown == ""
    response = client.get(reverse("demarches:consent_scan", args=[mandate.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signe"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert "/media/" not in client.get(reverse("demarches:team_mandate", args=[mandate.pk])).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"scopes": []}, "scopes", "Cochez au moins un domaine."),
        ({"scopes": ["inconnu"]}, "scopes", "Cochez des domaines de la liste."),
        ({"duration": "", "ends_on": ""}, "duration", "Choisissez une durée, ou une date de fin."),
        ({"duration": "99m"}, "duration", "Choisissez une durée de la liste."),
        ({"ends_on": "06/12/2026"}, "ends_on", "Un mandat dure au moins un jour : choisissez une fin plus tard."),
        ({"ends_on": "06/01/2028"}, "ends_on", "Un mandat dure 12 mois au plus"),
        ({"ends_on": HOSTILE}, "ends_on", "Saisissez une date comme 08/12/2026"),
        ({"consent_given": ""}, "consent_given", "Lisez le mandat ci-dessus avec la personne."),
        ({"consent_mode": "papier"}, "consent_scan", "Ajoutez le scan ou la photo du papier signé."),
        ({"membership": HOSTILE}, "membership", "Choisissez la personne."),
    ],
)
def test_bad_input_is_told_next_to_its_field_and_nothing_is_written(
    client, staff_login, centre, mediator, resident, changes, field, message
):
    staff_login(client, mediator)
    data = {
        "membership": resident.memberships.get().pk,
        "scopes": [Domain.FAMILY],
        "duration": "1m",
        "consent_mode": "ecran",
        "consent_given": "on",
    } | changes

    response = new_mandate(client, **data)

    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error', response.content.decode()) or field in RADIOS
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Mandate.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("scan.pdf", b"<html><script>alert(1)</script>"), ("scan.exe", b"%PDF-1.4"), ("scan.svg", b"<svg onload=x>")],
)
def test_a_scan_that_is_no_pdf_jpeg_or_png_is_refused(client, staff_login, centre, mediator, resident, name, content):
    staff_login(client, mediator)

    response = new_mandate(
        client,
        membership=resident.memberships.get().pk,
        scopes=[Domain.FAMILY],
        duration="1m",
        consent_mode="papier",
        consent_scan=SimpleUploadedFile(name, content),
    )

    assert response.context["form"].errors["consent_scan"] == ["Ce fichier n'est pas un PDF, un JPEG ou un PNG."]
    assert not Mandate.objects.exists()


def test_another_centres_member_cannot_be_chosen(client, staff_login, mediator, other_centre):
    staff_login(client, mediator)
    stranger = MembershipFactory(centre=other_centre)

    response = new_mandate(
        client, membership=stranger.pk, scopes=[Domain.FAMILY], duration="1m", consent_mode="ecran", consent_given="on"
    )

    assert response.context["form"].errors["membership"] == ["Choisissez la personne."]
    assert not Mandate.objects.exists()


def note(client, mandate, **changes):
    data = {"done_on": "06/12/2026", "outcome": "fait", "next_step": ""} | changes
    return client.post(reverse("demarches:team_mandate", args=[mandate.pk]), data)


def test_noting_a_procedure_takes_a_few_taps_and_the_resident_reads_it(
    client, staff_login, mandate, mediator, resident, caf
):
    ProcedureFactory(name="Déclaration de revenus", domain=Domain.MONEY)
    staff_login(client, mediator)
    page = client.get(reverse("demarches:team_mandate", args=[mandate.pk])).content.decode()
    assert "Déclaration trimestrielle CAF" in page
    assert "Déclaration de revenus" not in page  # outside the mandate's domains
    assert 'value="06/12/2026"' in page

    response = note(client, mandate, procedure=caf.pk, outcome="en-attente", next_step="Attendre le courrier")

    assert response.url == reverse("demarches:team_mandate", args=[mandate.pk])
    action = MandateAction.objects.get()
    assert (action.procedure, action.outcome, action.next_step) == (caf, "en-attente", "Attendre le courrier")
    client.force_login(resident)
    mine = client.get(reverse("demarches:my_mandate", args=[mandate.pk])).content.decode()
    assert "Déclaration trimestrielle CAF" in mine and "Attendre le courrier" in mine


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"done_on": "07/12/2026"}, "done_on", "Une démarche faite ne peut pas être datée de demain."),
        ({"done_on": "01/12/2026"}, "done_on", "Ce jour-là, le mandat ne valait pas"),
        ({"done_on": HOSTILE}, "done_on", "Saisissez une date"),
        ({"outcome": "gagné"}, "outcome", "Sélectionnez un choix valide"),
        ({"next_step": "x" * 201}, "next_step", "C'est trop long : 200 signes au plus."),
        ({"procedure": "impots"}, "procedure", "Cette démarche n'est pas dans les domaines du mandat."),
    ],
)
def test_a_wrong_note_is_told_next_to_its_field(client, staff_login, mandate, mediator, caf, changes, field, message):
    staff_login(client, mediator)
    impots = ProcedureFactory(name="Déclaration de revenus", domain=Domain.MONEY)
    if changes.get("procedure") == "impots":
        changes["procedure"] = impots.pk

    response = note(client, mandate, **({"procedure": caf.pk} | changes))

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field]), response.context["form"].errors
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not MandateAction.objects.exists()


def test_an_ended_or_revoked_mandate_offers_no_form_and_refuses_a_forged_one(
    client, staff_login, centre, resident, mediator, caf
):
    staff_login(client, mediator)
    for mandate in (
        MandateFactory(centre=centre, resident=resident, ended=True),
        MandateFactory(centre=centre, resident=resident, revoked=True),
    ):
        page = client.get(reverse("demarches:team_mandate", args=[mandate.pk])).content.decode()
        assert "Noter la démarche" not in page

        response = note(client, mandate, procedure=caf.pk, done_on="01/12/2026")

        assert response.status_code == 400
    assert not MandateAction.objects.exists()


def test_the_mandate_page_reads_a_fixed_number_of_queries(
    client, staff_login, mandate, mediator, caf, django_assert_max_num_queries
):
    staff_login(client, mediator)
    MandateActionFactory.create_batch(20, mandate=mandate, procedure=caf, done_by=mediator)

    with django_assert_max_num_queries(14):
        assert client.get(reverse("demarches:team_mandate", args=[mandate.pk])).status_code == 200


def test_the_team_revokes_after_a_confirmation(client, staff_login, mandate, mediator, resident):
    staff_login(client, mediator)
    url = reverse("demarches:revoke_mandate", args=[mandate.pk])

    question = client.get(url)
    assert "Arrêter le mandat de Ginette\u00a0?" in question.content.decode()
    client.post(url)  # without the confirmation's yes
    mandate.refresh_from_db()
    assert mandate.revoked_at is None

    response = client.post(url, {"confirm": "oui"}, follow=True)

    mandate.refresh_from_db()
    assert mandate.revoked_by == mediator
    assert "Le mandat est arrêté." in messages_of(response)
    again = client.post(url, {"confirm": "oui"}, follow=True)
    assert "Ce mandat est déjà révoqué." in messages_of(again)


def test_the_printable_version_has_the_terms_and_the_log(client, staff_login, mandate, mediator, resident, caf):
    MandateActionFactory(mandate=mandate, procedure=caf, done_by=mediator, next_step=HOSTILE)
    staff_login(client, mediator)

    content = client.get(reverse("demarches:print_mandate", args=[mandate.pk])).content.decode()

    assert 'href="/static/css/print.css" media="print"' in content
    assert "Du dimanche 6\u00a0décembre 2026 au samedi 6\u00a0mars 2027 inclus" in content
    assert "Famille : CAF, enfants, école" in content
    assert "Déclaration trimestrielle CAF" in content
    assert "Je donne mandat" in content or "je donne mandat" in content
    assert "<script>alert(1)</script>" not in content


# The resident's pages.


def test_the_resident_finds_their_mandates_from_their_account(client, mandate, resident, centre):
    MandateFactory(centre=centre, resident=resident_of(centre, display_name="Quelqu'un d'autre"))
    MandateFactory(centre=centre, resident=resident, ended=True)
    client.force_login(resident)

    account = client.get(reverse("accounts:my_account")).content.decode()
    assert reverse("demarches:my_mandates") in account
    content = client.get(reverse("demarches:my_mandates")).content.decode()

    current, past = content.split('id="finis"')
    assert reverse("demarches:my_mandate", args=[mandate.pk]) in current
    assert "fini le" in past
    assert Mandate.objects.of_resident(resident).count() == 2


def test_the_resident_revokes_and_reads_the_printable_log(client, mandate, resident, mediator):
    client.force_login(resident)
    url = reverse("demarches:revoke_my_mandate", args=[mandate.pk])
    assert "Arrêter mon mandat pour le centre Centre social Belencontre\u00a0?" in client.get(url).content.decode()

    response = client.post(url, {"confirm": "oui"}, follow=True)

    mandate.refresh_from_db()
    assert mandate.revoked_by == resident
    assert "Votre mandat est arrêté. Le centre est prévenu." in messages_of(response)
    assert Notification.objects.get(kind="mandate_team").recipient == mediator
    printable = client.get(reverse("demarches:print_my_mandate", args=[mandate.pk])).content.decode()
    assert "par la personne" in printable


def test_the_residents_list_reads_a_fixed_number_of_queries(client, centre, resident, django_assert_max_num_queries):
    for _ in range(10):
        MandateFactory(centre=centre, resident=resident)
    client.force_login(resident)

    with django_assert_max_num_queries(10):
        assert client.get(reverse("demarches:my_mandates")).status_code == 200


def test_a_mediator_acting_for_the_resident_cannot_open_their_mandates(client, centre, mandate, mediator, resident):
    ConsentFactory(resident=resident, centre=centre)
    client.force_login(mediator)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = resident.pk
    session.save()

    response = client.get(reverse("demarches:my_mandate", args=[mandate.pk]))

    assert response.status_code in (302, 403)
    assert "Déclaration" not in response.content.decode()
