"""`manage.py demo`'s procedures: the eight of the issue with their real rhythm, one centre's own, run twice alike."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from demarches.models import Contact, Domain, Follow, Mandate, Procedure, ProcedureDeadline

pytestmark = pytest.mark.django_db


def run_demo():
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())


@freeze_time("2026-12-06 07:30")
def test_the_demo_loads_the_procedures_with_their_real_rhythm_once(home, client):
    run_demo()
    deadlines = ProcedureDeadline.objects.count()
    run_demo()

    network = Procedure.objects.filter(centre__isnull=True)
    assert network.count() == 8
    assert Procedure.objects.filter(centre__isnull=False).count() == 1
    assert ProcedureDeadline.objects.count() == deadlines
    france_travail = Procedure.objects.get(slug="actualisation-france-travail")
    assert france_travail.rule.describe() == "Chaque mois, du 28 au 15 du mois suivant"
    assert france_travail.deadlines.current().earliest("opens_on").opens_on == dt.date(2026, 11, 28)
    taxes = Procedure.objects.get(slug="declaration-de-revenus").deadlines.current().get()
    assert (taxes.opens_on, taxes.closes_on) == (dt.date(2027, 4, 10), dt.date(2027, 6, 5))
    energy = Procedure.objects.get(slug="cheque-energie").deadlines.current().earliest("opens_on")
    assert energy.closes_on == dt.date(2027, 3, 31)
    school = Procedure.objects.get(slug="inscription-scolaire").deadlines.current().get()
    assert (school.opens_on, school.closes_on) == (dt.date(2027, 1, 5), dt.date(2027, 3, 31))
    # The agenda's demo permanences are offered as help on the procedures' pages.
    assert "Permanence démarches en ligne" in client.get(france_travail.get_absolute_url()).content.decode()
    assert france_travail.domain == Domain.WORK
    assert not Procedure.objects.filter(domain="").exists()
    # The accompanied resident's mandate, made once, with the CAF declaration done under it.
    mandate = Mandate.objects.get()
    assert mandate.resident.accompanied
    assert mandate.scopes == [Domain.FAMILY, Domain.HOUSING]
    assert [action.procedure.slug for action in mandate.actions.all()] == ["declaration-trimestrielle-caf"]
    # The CAF declaration has its tutorial, from the lexicon's demo.
    caf = Procedure.objects.get(slug="declaration-trimestrielle-caf")
    assert (
        "Voir le tutoriel : Faire sa déclaration trimestrielle CAF"
        in client.get(caf.get_absolute_url()).content.decode()
    )


@freeze_time("2026-12-06 07:30")
def test_the_demo_has_residents_and_two_front_desk_contacts_following_procedures_once(home):
    run_demo()
    follows = Follow.objects.count()
    run_demo()

    assert Follow.objects.count() == follows
    contacts = Contact.objects.order_by("name")
    assert [contact.name for contact in contacts] == ["Fatima Benali", "Gérard Lefebvre"]
    assert all(contact.consent_taken_by is not None for contact in contacts)
    assert Follow.objects.filter(contact__isnull=False).count() == 4
    assert Follow.objects.filter(user__username__startswith="habitant.").count() >= 4
    assert Follow.objects.filter(user__accompanied=True, created_by__isnull=False).exists()
