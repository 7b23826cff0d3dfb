"""Mandates as the services keep them: one day to twelve months, within their domains and days, revocable by the
resident or the centre, told once before they end; the database refuses what the services would."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from accounts.services import erase_account
from core.errors import NotAllowed
from demarches import mandates, tasks
from demarches.mandates import MandateRefused
from demarches.models import Domain, Mandate, MandateAction
from notifications.models import Notification
from tests.accounts.factories import mediator_of, resident_of
from tests.demarches.factories import MandateFactory, ProcedureFactory
from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)
PDF = b"%PDF-1.4 un papier signe"


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
def impots():
    return ProcedureFactory(name="Déclaration de revenus", domain=Domain.MONEY)


def record(mediator, centre, resident, **changes):
    values = {
        "centre": centre,
        "resident": resident,
        "scopes": [Domain.FAMILY],
        "starts_on": TODAY,
        "ends_on": dt.date(2027, 3, 6),
        "consent_mode": Mandate.ConsentMode.SCREEN,
        "consent_shown": "Je donne mandat.",
    } | changes
    return mandates.record_mandate(mediator, **values)


def given(centre, resident, mediator, **fields):
    return MandateFactory(centre=centre, resident=resident, recorded_by=mediator, **fields)


# Recording a mandate.


def test_a_mediator_records_a_mandate_and_the_resident_is_told(mediator, centre, resident):
    mandate = record(mediator, centre, resident, scopes=[Domain.MONEY, Domain.FAMILY, Domain.MONEY])

    assert mandate.scopes == [Domain.MONEY, Domain.FAMILY]  # in the list's order, each once
    assert mandate.recorded_by == mediator
    notice = Notification.objects.get(recipient=resident)
    assert notice.kind == "mandate"
    assert "jusqu'au samedi 6\u00a0mars 2027" in notice.text
    assert notice.url == f"/demarches/mes-mandats/{mandate.pk}/"


@pytest.mark.parametrize(
    ("ends_on", "accepted"),
    [
        (TODAY, False),  # 0 days
        (TODAY - dt.timedelta(days=1), False),
        (TODAY + dt.timedelta(days=1), True),  # one day
        (dt.date(2027, 12, 6), True),  # twelve months to the day
        (dt.date(2027, 12, 7), False),  # twelve months and a day
        (dt.date(2028, 1, 6), False),  # thirteen months
    ],
)
def test_a_mandate_lasts_one_day_to_twelve_months(mediator, centre, resident, ends_on, accepted):
    if accepted:
        assert record(mediator, centre, resident, ends_on=ends_on).ends_on == ends_on
        return
    with pytest.raises(MandateRefused) as refusal:
        record(mediator, centre, resident, ends_on=ends_on)
    assert refusal.value.field == "ends_on"
    assert not Mandate.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("scopes", [[], ["inconnu"], [Domain.FAMILY, "<script>"]])
def test_scopes_come_from_the_list(mediator, centre, resident, scopes):
    with pytest.raises(MandateRefused) as refusal:
        record(mediator, centre, resident, scopes=scopes)
    assert refusal.value.field == "scopes"


def test_a_paper_mandate_keeps_its_scan_in_private_files(mediator, centre, resident, settings):
    scan = SimpleUploadedFile("mandat.pdf", PDF, content_type="application/pdf")

    mandate = record(mediator, centre, resident, consent_mode=Mandate.ConsentMode.PAPER, consent_scan=scan)

    path = mandate.consent_scan.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        mandate.consent_scan.url  # noqa: B018  (no address can be written for it)


@pytest.mark.parametrize(
    ("mode", "field"), [(Mandate.ConsentMode.PAPER, "consent_scan"), (Mandate.ConsentMode.SCREEN, "consent_given")]
)
def test_a_mandate_without_its_consent_is_refused(mediator, centre, resident, mode, field):
    with pytest.raises(MandateRefused) as refusal:
        record(mediator, centre, resident, consent_mode=mode, consent_shown="", consent_scan=None)
    assert refusal.value.field == field


def test_only_the_centres_team_records_a_mandate_for_one_of_its_members(mediator, centre, resident, home):
    other_centre = CentrePageFactory(parent=home)
    stranger = resident_of(other_centre)

    with pytest.raises(NotAllowed):
        record(mediator_of(other_centre), centre, resident)
    with pytest.raises(NotAllowed):
        record(resident_of(centre), centre, resident)
    with pytest.raises(MandateRefused) as refusal:
        record(mediator, centre, stranger)
    assert refusal.value.field == "membership"
    with pytest.raises(MandateRefused):
        record(mediator, centre, mediator)
    assert not Mandate.objects.exists()


def test_an_accompanied_account_without_the_acting_for_consent_may_give_a_mandate(mediator, centre):
    resident = resident_of(centre, accompanied=True, email="")

    mandate = record(mediator, centre, resident)

    assert mandate.resident == resident
    assert not resident.consents.exists()


# The database refuses what the services refuse.


@pytest.mark.parametrize(
    "fields",
    [
        {"ends_on": TODAY},
        {"ends_on": TODAY + dt.timedelta(days=367)},
        {"consent_mode": Mandate.ConsentMode.SCREEN, "consent_shown": ""},
        {"consent_mode": Mandate.ConsentMode.PAPER, "consent_scan": ""},
        {"revoke_reason": "Sans date"},
    ],
)
def test_the_database_refuses_a_mandate_out_of_bounds(mediator, centre, resident, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        given(centre, resident, mediator, starts_on=TODAY, **fields)


# Noting a procedure done.


def test_a_procedure_in_the_mandates_domains_is_noted_and_the_resident_told(mediator, centre, resident, caf):
    mandate = given(centre, resident, mediator)

    action = mandates.record_action(
        mediator, mandate.pk, procedure=caf, done_on=TODAY, outcome="en-attente", next_step="Attendre le courrier"
    )

    assert action.procedure_name == "Déclaration trimestrielle CAF"
    assert action.done_by == mediator
    notice = Notification.objects.get(recipient=resident)
    assert notice.kind == "acted_for"
    assert notice.text == "Nadia a fait pour vous : Déclaration trimestrielle CAF (en attente d'une réponse)."


def refused_action(mediator, mandate, procedure, **changes):
    values = {"procedure": procedure, "done_on": TODAY, "outcome": "fait"} | changes
    with pytest.raises(NotAllowed) as refusal:
        mandates.record_action(mediator, mandate.pk, **values)
    assert not MandateAction.objects.exists()
    assert not Notification.objects.exists()
    return refusal.value


def test_a_procedure_outside_the_mandates_domains_is_refused(mediator, centre, resident, impots):
    refusal = refused_action(mediator, given(centre, resident, mediator), impots)

    assert refusal.field == "procedure"
    assert str(refusal) == "Cette démarche n'est pas dans les domaines du mandat : Famille."


def test_another_centres_own_procedure_is_refused(mediator, centre, resident, home):
    theirs = ProcedureFactory(centre=CentrePageFactory(parent=home), domain=Domain.FAMILY)

    assert refused_action(mediator, given(centre, resident, mediator), theirs).field == "procedure"


def test_an_ended_mandate_refuses_procedures(mediator, centre, resident, caf):
    refusal = refused_action(mediator, given(centre, resident, mediator, ended=True), caf)

    assert (
        str(refusal)
        == "Ce mandat est fini depuis le samedi 5\u00a0décembre 2026. Faites-en un nouveau avec la personne."
    )


def test_a_revoked_mandate_refuses_procedures(mediator, centre, resident, caf):
    mandate = given(centre, resident, mediator)
    mandates.revoke_mandate(resident, mandate.pk)
    Notification.objects.all().delete()

    assert "révoqué" in str(refused_action(mediator, mandate, caf))


def test_a_procedure_dated_tomorrow_or_before_the_mandate_is_refused(mediator, centre, resident, caf):
    mandate = given(centre, resident, mediator, starts_on=TODAY - dt.timedelta(days=2))

    assert refused_action(mediator, mandate, caf, done_on=TODAY + dt.timedelta(days=1)).field == "done_on"
    assert refused_action(mediator, mandate, caf, done_on=TODAY - dt.timedelta(days=3)).field == "done_on"


def test_another_centres_mediator_notes_nothing(mediator, centre, resident, caf, home):
    mandate = given(centre, resident, mediator)

    refusal = refused_action(mediator_of(CentrePageFactory(parent=home)), mandate, caf)

    assert not isinstance(refusal, MandateRefused)


# Revoking.


def test_the_resident_revokes_and_the_mediator_who_recorded_it_is_told(mediator, centre, resident):
    mandate = given(centre, resident, mediator)

    mandates.revoke_mandate(resident, mandate.pk)

    mandate.refresh_from_db()
    assert mandate.revoked_by == resident
    assert mandate.revoked_at is not None
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind) == (mediator, "mandate_team")
    with pytest.raises(MandateRefused):
        mandates.revoke_mandate(resident, mandate.pk)


def test_the_centre_revokes_and_the_resident_is_told(mediator, centre, resident):
    mandate = given(centre, resident, mediator)
    colleague = mediator_of(centre)

    mandates.revoke_mandate(colleague, mandate.pk, reason="  Déménagement  ")

    mandate.refresh_from_db()
    assert (mandate.revoked_by, mandate.revoke_reason) == (colleague, "Déménagement")
    assert Notification.objects.get().recipient == resident


def test_nobody_else_revokes(mediator, centre, resident, home):
    mandate = given(centre, resident, mediator)

    for stranger in (resident_of(centre), mediator_of(CentrePageFactory(parent=home))):
        with pytest.raises(NotAllowed):
            mandates.revoke_mandate(stranger, mandate.pk)
    mandate.refresh_from_db()
    assert mandate.revoked_at is None


# Expiry notices.


def test_the_expiry_notice_goes_once_to_the_mediator_and_the_resident(mediator, centre, resident):
    ending = given(
        centre, resident, mediator, starts_on=TODAY - dt.timedelta(days=60), ends_on=TODAY + dt.timedelta(days=7)
    )
    given(centre, resident, mediator, ends_on=TODAY + dt.timedelta(days=8))  # not yet
    given(centre, resident, mediator, ends_on=TODAY + dt.timedelta(days=1))  # a short one: both know
    given(
        centre,
        resident,
        mediator,
        starts_on=TODAY - dt.timedelta(days=60),
        ends_on=TODAY + dt.timedelta(days=2),
        revoked=True,
    )

    assert tasks.send_mandate_expiry_notices.call() == 1
    assert mandates.send_expiry_notices() == 0

    notices = Notification.objects.order_by("kind")
    assert [(notice.recipient, notice.kind) for notice in notices] == [
        (resident, "mandate"),
        (mediator, "mandate_team"),
    ]
    assert "dimanche 13\u00a0décembre 2026" in notices[0].text
    with freeze_time("2026-12-07 08:30"):
        assert mandates.send_expiry_notices() == 1  # the one ending on the 14th, not the first one again
        assert mandates.send_expiry_notices() == 0
    assert Notification.objects.count() == 4
    ending.refresh_from_db()
    assert ending.expiry_notice_sent_on == TODAY


def test_without_its_mediator_the_expiry_notice_goes_to_the_team(mediator, centre, resident):
    given(centre, resident, None, starts_on=TODAY - dt.timedelta(days=60), ends_on=TODAY + dt.timedelta(days=3))

    mandates.send_expiry_notices()

    assert set(Notification.objects.filter(kind="mandate_team").values_list("recipient", flat=True)) == {mediator.pk}


# Erasure.


def test_erasing_the_account_removes_its_mandates_log_and_scan(
    mediator, centre, resident, caf, django_capture_on_commit_callbacks
):
    scan = SimpleUploadedFile("mandat.pdf", PDF)
    mandate = record(mediator, centre, resident, consent_mode=Mandate.ConsentMode.PAPER, consent_scan=scan)
    mandates.record_action(mediator, mandate.pk, procedure=caf, done_on=TODAY, outcome="fait")
    storage, name = mandate.consent_scan.storage, mandate.consent_scan.name

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(resident)

    assert not Mandate.objects.exists()
    assert not MandateAction.objects.exists()
    assert not storage.exists(name)
