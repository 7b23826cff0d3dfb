"""The agenda's audiences of a campaign (agenda/campaign_audiences.py): people registered to an activity's coming
dates or to one date, the waitlist too, never a cancelled registration, a landline or another centre's activity."""

import pytest

from agenda.models import Registration
from demarches import audiences
from tests.agenda.factories import EventPageFactory, RegistrationFactory, first_date
from tests.demarches.campaign_data import verified_member
from tests.notifications.factories import member_of

pytestmark = pytest.mark.django_db

Status = Registration.Status


@pytest.fixture
def workshop(centre):
    return EventPageFactory(parent=centre, title="Atelier tablette", weekly=True)


def phones(audience):
    return sorted(recipient.phone for recipient in audience.recipients)


def test_an_activitys_coming_dates_reach_the_registered_and_the_waitlist(centre, workshop):
    first, second = workshop.occurrences.order_by("start")[:2]
    confirmed = verified_member(centre)
    RegistrationFactory(occurrence=first, person=confirmed)
    RegistrationFactory(occurrence=second, person=verified_member(centre), status=Status.WAITLISTED)
    RegistrationFactory(occurrence=second, person=confirmed)  # the same person twice: one SMS
    RegistrationFactory(occurrence=first, person=verified_member(centre), status=Status.CANCELLED)
    RegistrationFactory(occurrence=first, person=member_of(centre))  # a mobile never verified
    RegistrationFactory(occurrence=first, name="Mme Diallo", phone="+33612345678")
    RegistrationFactory(occurrence=first, name="M. Petit", phone="+33320000000")  # a landline

    audience = audiences.audience(centre, "activity", workshop.pk)

    assert len(audience.recipients) == 3
    assert "+33612345678" in phones(audience)
    assert "+33320000000" not in phones(audience)
    assert "Mme Diallo" in [recipient.name for recipient in audience.recipients]


def test_one_date_reaches_only_those_registered_to_it(centre, workshop):
    first, second = workshop.occurrences.order_by("start")[:2]
    RegistrationFactory(occurrence=first, name="Mme Diallo", phone="+33612345678")
    RegistrationFactory(occurrence=second, name="M. Sow", phone="+33612345679")

    audience = audiences.audience(centre, "date", first.pk)

    assert phones(audience) == ["+33612345678"]
    assert audience.choice.label.startswith("Atelier tablette — ")


def test_the_choices_offer_the_centres_coming_activities_and_dates_with_their_page(centre, workshop):
    offered = dict(audiences.options(centre))
    activity, date = (audiences.source("activity"), audiences.source("date"))

    assert [(choice.label, choice.url) for choice in offered[activity]] == [("Atelier tablette", workshop.url)]
    assert len(offered[date]) == workshop.occurrences.count()


def test_another_centres_activity_or_date_is_refused(centre, home):
    from tests.factories import CentrePageFactory

    theirs = EventPageFactory(parent=CentrePageFactory(parent=home))

    with pytest.raises(audiences.UnknownAudience):
        audiences.audience(centre, "activity", theirs.pk)
    with pytest.raises(audiences.UnknownAudience):
        audiences.audience(centre, "date", first_date(theirs).pk)
