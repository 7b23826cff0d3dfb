"""`manage.py demo`'s mediation records: a believable year in each demo centre, and `--records N` for volume."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from quartier.models import CentrePage
from suivi import lists
from suivi.models import MediationRecord, Participant, Person, RecordTheme

pytestmark = pytest.mark.django_db


def run_demo(**options):
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO(), **options)


def test_each_demo_centre_gets_a_year_of_records_again_and_again_the_same(home):
    run_demo()
    first = list(MediationRecord.objects.order_by("pk").values_list("centre_id", "date", "duration_minutes"))
    run_demo()

    assert MediationRecord.objects.count() == len(first)
    for centre in CentrePage.objects.all():
        records = MediationRecord.objects.filter(centre=centre)
        assert 200 <= records.count() <= 400
        dates = records.values_list("date", flat=True)
        assert (max(dates) - min(dates)).days > 300
        assert records.filter(mediators__isnull=False).count() == records.count()
    women = Person.objects.filter(gender=lists.Gender.WOMAN).count()
    with_gender = Person.objects.exclude(gender="").count()
    assert 0.5 < women / with_gender < 0.67
    # No band without consent, in the demo either.
    assert not Person.objects.filter(consent_given_at__isnull=True).exclude(gender="").exists()
    top = RecordTheme.objects.values("theme").annotate(n=Count("pk")).order_by("-n")[:3]
    assert {row["theme"] for row in top} & {"materiel", "email", "famille", "social_sante"}
    assert Participant.objects.filter(first_visit=True).count() <= Person.objects.filter(first_visit=True).count()


def test_records_n_adds_generated_records_up_to_n(home):
    run_demo()
    made = MediationRecord.objects.count()

    run_demo(records=made + 101)
    assert MediationRecord.objects.count() == made + 101
    run_demo(records=made + 101)
    assert MediationRecord.objects.count() == made + 101
