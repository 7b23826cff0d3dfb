"""Composing a campaign: who it reaches (scoped to the centre, one SMS a number, never to STOP), what it costs,
what is refused (empty, over six SMS, over the month's budget, a past time), and confirming it once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from core.errors import NotAllowed
from demarches import audiences, campaign_sending, campaigns
from demarches.models import Campaign
from notifications import sms_numbers
from notifications.models import Delivery, SmsNumber
from notifications.services import Text, queue_texts, sms_parts
from tests.demarches.campaign_data import ContactFactory, draft, follower, team_member, verified_member
from tests.demarches.factories import ProcedureFactory
from tests.notifications.factories import PersonFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_quiet_hours")]

PARIS = ZoneInfo("Europe/Paris")


# Audiences.


def test_followers_of_a_procedure_are_the_centres_verified_members_and_its_contacts(centre, other_centre, procedure):
    awa = follower(procedure, user=verified_member(centre, display_name="Awa"))
    follower(procedure, user=member_of(centre))  # phone never verified
    follower(procedure, user=verified_member(other_centre))  # someone else's member
    contact = follower(procedure, contact=ContactFactory(centre=centre, accepts_campaigns=False))
    ContactFactory(centre=centre)  # agreed to campaigns, follows nothing

    audience = audiences.audience(centre, "procedure", procedure.pk)

    assert {recipient.phone for recipient in audience.recipients} == {awa.phone.as_e164, contact.phone}


def test_another_centres_procedure_is_refused(centre, other_centre):
    theirs = ProcedureFactory(centre=other_centre)

    with pytest.raises(audiences.UnknownAudience):
        audiences.audience(centre, "procedure", theirs.pk)


def test_a_network_procedure_reaches_only_this_centres_followers(centre, other_centre):
    network = ProcedureFactory(centre=None)
    ours = follower(network, contact=ContactFactory(centre=centre))
    follower(network, contact=ContactFactory(centre=other_centre))

    audience = audiences.audience(centre, "procedure", network.pk)

    assert [recipient.phone for recipient in audience.recipients] == [ours.phone]


def test_members_are_those_with_a_verified_mobile(centre, other_centre):
    verified = verified_member(centre)
    member_of(centre)
    verified_member(centre, is_active=False)
    verified_member(other_centre)

    audience = audiences.audience(centre, "members", "")

    assert [recipient.user_id for recipient in audience.recipients] == [verified.pk]


def test_one_sms_a_number_and_none_to_a_number_that_said_stop(centre):
    same = "+33611111111"
    verified_member(centre, phone=same)
    ContactFactory(centre=centre, phone=same)
    stopped = ContactFactory(centre=centre)
    sms_numbers.stop(stopped.phone, how=SmsNumber.How.SMS)
    ContactFactory(centre=centre, accepts_campaigns=False)

    audience = audiences.audience(centre, "contacts", "")
    members_and_contacts = audiences.audience(centre, "members", "").recipients + audience.recipients

    assert [recipient.phone for recipient in audience.recipients] == [same]
    assert audience.stopped == 1
    assert len({recipient.phone for recipient in members_and_contacts}) == 1


def test_an_unknown_audience_is_refused(centre):
    with pytest.raises(audiences.UnknownAudience):
        audiences.audience(centre, "everybody", "")


# Text, cost, budget.


def test_the_message_leaves_with_the_centres_name_and_its_cost_counts_the_stop_line(centre, editor):
    ContactFactory(centre=centre)
    campaign = draft(centre, editor, text="Atelier CAF mardi a 14h.")

    seen = campaigns.preview(campaign)

    assert seen.example.startswith("Centre social Belencontre : Atelier CAF mardi a 14h.\nSTOP : répondez STOP ou ")
    assert seen.example == sms_numbers.with_stop(campaigns.message_text(centre, campaign.text), seen.example_to)
    assert seen.length.parts == sms_parts(campaigns.message_text(centre, campaign.text)) == 1
    assert not seen.length.unicode


def test_an_accent_outside_gsm_is_named_and_doubles_the_cost(centre, editor):
    ContactFactory.create_batch(3, centre=centre)
    plain = draft(centre, editor, text="La fete du centre, mardi a 14h : venez !")
    accented = draft(centre, editor, text="La fête du centre, mardi à 14h : venez ! ç")

    cheap, dear = campaigns.preview(plain), campaigns.preview(accented)

    assert (cheap.length.parts, dear.length.parts) == (1, 2)
    assert (cheap.cost, dear.cost) == (3, 6)
    assert dear.length.unicode_in_words() == (
        "« ê » et « ç » font passer le SMS en Unicode : 70 caractères par SMS au lieu de 160."
    )


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_text_is_refused(centre, editor, text):
    with pytest.raises(campaigns.CampaignError) as refused:
        draft(centre, editor, text=text)

    assert refused.value.field == "text"
    assert str(refused.value) == "Écrivez le message."


def test_more_than_six_sms_is_refused_and_six_is_allowed(centre, editor):
    room = 6 * 153 - len(campaigns.prefix(centre)) - sms_numbers.stop_line_length()

    draft(centre, editor, text="a" * room)
    with pytest.raises(campaigns.CampaignError) as refused:
        draft(centre, editor, text="a" * (room + 1))

    assert refused.value.field == "text"
    assert "7 SMS par personne ; 6 au plus" in str(refused.value)


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "demarches/", "http://127.0.0.1:9/"]
)
def test_a_link_must_be_a_page_of_the_site(centre, editor, url):
    with pytest.raises(campaigns.CampaignError) as refused:
        draft(centre, editor, link_url=url)

    assert refused.value.field == "link_url"


@pytest.mark.parametrize("url", ["/demarches/", "http://127.0.0.1:8000/demarches/actualisation-caf/"])
def test_a_link_to_a_page_of_the_site_is_kept_and_counted(centre, editor, url):
    campaign = draft(centre, editor, link_url=url)

    assert campaign.link_url == url
    assert campaigns.preview(campaign).example.count(f"/c/{campaign.link_code}") == 1


def test_a_campaign_over_whats_left_of_the_budget_is_refused_with_the_figures(centre, editor):
    centre.sms_monthly_budget = 10
    centre.save(update_fields=["sms_monthly_budget"])
    queue_texts([Text(to="+33699999999", text="Déjà envoyé ce mois-ci.", key="before")], centre=centre)
    ContactFactory.create_batch(12, centre=centre)
    campaign = draft(centre, editor)

    seen = campaigns.preview(campaign)
    with pytest.raises(campaigns.CampaignError) as refused:
        campaigns.confirm(campaign, by=editor)

    assert (seen.cost, seen.spent, seen.left) == (12, 1, 9)
    assert "Cette campagne coûte 12 SMS ; il en reste 9 ce mois-ci." in str(refused.value)
    campaign.refresh_from_db()
    assert campaign.status == "draft"
    assert not Delivery.objects.filter(idempotency_key__startswith="campaign-").exists()


def test_a_programmed_campaign_reserves_its_cost_for_the_next_one(centre, editor):
    centre.sms_monthly_budget = 10
    centre.save(update_fields=["sms_monthly_budget"])
    ContactFactory.create_batch(6, centre=centre)
    with freeze_time(datetime(2026, 12, 7, 10, tzinfo=PARIS)):
        later = datetime(2026, 12, 9, 10, tzinfo=PARIS)
        campaigns.confirm(draft(centre, editor, at=later), by=editor)
        second = draft(centre, editor, at=later)

        with pytest.raises(campaigns.CampaignError) as refused:
            campaigns.confirm(second, by=editor)

    assert "coûte 6 SMS ; il en reste 4" in str(refused.value)


# When it leaves.


def test_a_time_in_the_quiet_hours_moves_to_eight_and_says_so(centre, editor, settings):
    settings.SMS_QUIET_HOURS = ("21:00", "08:00")
    ContactFactory(centre=centre)
    with freeze_time(datetime(2026, 12, 7, 15, tzinfo=PARIS)):
        campaign = draft(centre, editor, at=datetime(2026, 12, 7, 22, 30, tzinfo=PARIS))
        seen = campaigns.preview(campaign)
        campaigns.confirm(campaign, by=editor)

    assert seen.moved
    assert seen.send_at == datetime(2026, 12, 8, 8, tzinfo=PARIS)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.send_at) == ("scheduled", datetime(2026, 12, 8, 8, tzinfo=PARIS))


def test_now_at_night_waits_for_the_morning(centre, editor, settings):
    settings.SMS_QUIET_HOURS = ("21:00", "08:00")
    ContactFactory(centre=centre)
    with freeze_time(datetime(2026, 12, 7, 23, tzinfo=PARIS)):
        seen = campaigns.preview(draft(centre, editor))

    assert seen.moved
    assert seen.send_at == datetime(2026, 12, 8, 8, tzinfo=PARIS)


def test_a_past_time_is_refused(centre, editor):
    with freeze_time(datetime(2026, 12, 7, 15, tzinfo=PARIS)), pytest.raises(campaigns.CampaignError) as refused:
        draft(centre, editor, at=datetime(2026, 12, 7, 14, tzinfo=PARIS))

    assert refused.value.field == "at"
    assert "Cette heure est passée" in str(refused.value)


# Confirming.


def test_confirming_twice_programs_the_campaign_once(centre, editor, django_capture_on_commit_callbacks):
    ContactFactory.create_batch(2, centre=centre)
    campaign = draft(centre, editor)

    with django_capture_on_commit_callbacks() as queued:
        seen = campaigns.confirm(campaign, by=editor)
    with pytest.raises(campaigns.AlreadyConfirmed):
        campaigns.confirm(campaign, by=editor)

    campaign.refresh_from_db()
    assert (campaign.status, campaign.recipients_count, campaign.cost_parts) == ("scheduled", 2, seen.cost)
    assert campaign.confirmed_by == editor
    assert len(queued) == 1


def test_a_confirmed_campaign_is_no_longer_written(centre, editor):
    ContactFactory(centre=centre)
    campaign = draft(centre, editor)
    campaigns.confirm(campaign, by=editor)

    with pytest.raises(campaigns.AlreadyConfirmed):
        campaigns.write_draft(campaign, by=editor, name="", text="Autre chose", link_url="", at=None)


def test_a_campaign_to_nobody_is_refused(centre, editor):
    campaign = draft(centre, editor)

    with pytest.raises(campaigns.CampaignError, match="Personne ne recevrait ce SMS"):
        campaigns.confirm(campaign, by=editor)


def test_another_centres_team_cannot_write_or_confirm(centre, other_centre, editor):
    ContactFactory(centre=centre)
    campaign = draft(centre, editor)
    stranger = team_member(other_centre)

    with pytest.raises(NotAllowed):
        campaigns.start_draft(centre, "contacts", "", by=stranger)
    with pytest.raises(NotAllowed):
        campaigns.confirm(campaign, by=stranger)
    with pytest.raises(NotAllowed):
        campaigns.start_draft(centre, "contacts", "", by=PersonFactory())

    assert Campaign.objects.get().status == "draft"


def test_cancelling_a_programmed_campaign_sends_nothing(centre, editor):
    ContactFactory(centre=centre)
    campaign = draft(centre, editor, at=datetime.now(PARIS) + timedelta(days=1))
    campaigns.confirm(campaign, by=editor)

    assert campaigns.cancel(campaign, by=editor)
    assert campaign_sending.send_due(now=datetime.now(PARIS) + timedelta(days=2)) == []
    assert not Delivery.objects.exists()
