"""A centre's team composes a campaign through its pages: audience, text, preview, send; French errors next to the
field; every address closed to visitors, residents and other centres' teams; queries counted."""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from demarches import campaign_sending, campaign_views, campaigns
from demarches.models import Campaign
from notifications.models import Delivery
from notifications.sms.parts import measure
from tests.demarches.campaign_data import ContactFactory, draft, follower, team_member, verified_member
from tests.demarches.factories import ProcedureFactory
from tests.notifications.factories import member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_quiet_hours")]


@pytest.fixture
def signed_in(client, staff_login, editor):
    staff_login(client, editor)
    return client


def test_a_team_member_composes_previews_and_sends_a_campaign(signed_in, centre, procedure, sms_outbox):
    follower(procedure, user=verified_member(centre))
    follower(procedure, contact=ContactFactory(centre=centre))

    chosen = signed_in.post(
        reverse("demarches:new_campaign", args=[centre.pk]), {"audience": f"procedure:{procedure.pk}"}
    )
    campaign = Campaign.objects.get()
    assert chosen.url == reverse("demarches:campaign_write", args=[campaign.pk])
    page = signed_in.get(chosen.url).content.decode()
    assert "La page « Actualisation CAF »" in page
    assert "data-sms-counter" in page

    written = signed_in.post(
        chosen.url, {"text": "L'actualisation CAF ouvre demain. On vous aide mardi.", "link": "page", "when": "now"}
    )
    assert written.url == reverse("demarches:campaign_preview", args=[campaign.pk])
    preview = signed_in.get(written.url).content.decode()
    assert "Centre social Belencontre : L&#x27;actualisation CAF ouvre demain. On vous aide mardi. http" in preview
    assert f"/c/{campaign.link_code}\nSTOP : répondez STOP ou http://127.0.0.1:8000/s/" in preview
    assert "2 personnes" in preview
    assert "Envoyer à 2 personnes" in preview

    sent = signed_in.post(reverse("demarches:campaign_confirm", args=[campaign.pk]), follow=True)
    again = signed_in.post(reverse("demarches:campaign_confirm", args=[campaign.pk]), follow=True)

    assert "C&#x27;est parti" in sent.content.decode()
    assert "rien n&#x27;est envoyé deux fois" in again.content.decode()
    campaign.refresh_from_db()
    assert (campaign.status, campaign.link_url) == ("scheduled", procedure.get_absolute_url())
    campaign_sending.send(campaign.pk)
    assert Delivery.objects.filter(campaign_message__campaign=campaign).count() == 2


def test_an_empty_text_is_refused_next_to_the_field_and_nothing_saved(signed_in, centre, editor):
    campaign = draft(centre, editor, text="Le texte d'avant.")

    response = signed_in.post(
        reverse("demarches:campaign_write", args=[campaign.pk]), {"text": "  ", "link": "", "when": "now"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Écrivez le message." in page
    assert 'aria-invalid="true"' in page
    campaign.refresh_from_db()
    assert campaign.text == "Le texte d'avant."


def test_a_text_over_six_sms_is_refused_with_its_count_and_kept(signed_in, centre, editor):
    campaign = draft(centre, editor)
    long_text = "ê" * 400

    response = signed_in.post(
        reverse("demarches:campaign_write", args=[campaign.pk]), {"text": long_text, "link": "", "when": "now"}
    )

    page = response.content.decode()
    assert "6 au plus. Raccourcissez-le." in page
    assert long_text in page
    assert "« ê » fait passer le SMS en Unicode" in page


def test_the_letters_that_double_the_price_are_replaced_when_asked(signed_in, centre, editor):
    campaign = draft(centre, editor)

    response = signed_in.post(
        reverse("demarches:campaign_write", args=[campaign.pk]),
        {"text": "La fête du quartier, leçon « ouverte » à 14 h.", "plain_letters": "on", "link": "", "when": "now"},
    )

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.text == 'La fete du quartier, lecon "ouverte" à 14 h.'
    assert not measure(campaign.text).unicode


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"when": "later", "day": "", "hour": "10:00"}, "day", "Indiquez la date d&#x27;envoi."),
        ({"when": "later", "day": "2020-01-01", "hour": "10:00"}, "day", "Cette heure est passée."),
        ({"link": "other", "link_other": ""}, "link_other", "Indiquez l&#x27;adresse de la page"),
        ({"link": "other", "link_other": '"><img src=x onerror=alert(1)>'}, "link_other", "une page de ce site"),
        ({"link": "other", "link_other": "https://evil.example/"}, "link_other", "une page de ce site"),
    ],
)
def test_bad_times_and_links_are_refused_in_french(signed_in, centre, editor, data, field, error):
    campaign = draft(centre, editor)

    response = signed_in.post(
        reverse("demarches:campaign_write", args=[campaign.pk]),
        {"text": "Bonjour", "link": "", "when": "now", **data},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert error in page
    assert f'id="id_{field}_error"' in page
    assert "<img src=x" not in page


def test_another_centres_procedure_is_refused_next_to_the_field(signed_in, centre, other_centre):
    theirs = ProcedureFactory(centre=other_centre)

    response = signed_in.post(
        reverse("demarches:new_campaign", args=[centre.pk]), {"audience": f"procedure:{theirs.pk}"}
    )

    assert response.status_code == 200
    assert "Choisissez dans la liste." in response.content.decode()
    assert not Campaign.objects.exists()


def test_over_budget_the_preview_says_the_figures_and_offers_no_send_button(signed_in, centre, editor):
    centre.sms_monthly_budget = 2
    centre.save(update_fields=["sms_monthly_budget"])
    ContactFactory.create_batch(3, centre=centre)
    campaign = draft(centre, editor)

    page = signed_in.get(reverse("demarches:campaign_preview", args=[campaign.pk])).content.decode()
    refused = signed_in.post(reverse("demarches:campaign_confirm", args=[campaign.pk]), follow=True)

    assert "Cette campagne coûte 3 SMS ; il en reste 2 ce mois-ci." in page
    assert "Envoyer à" not in page
    assert "Cette campagne coûte 3 SMS ; il en reste 2 ce mois-ci." in refused.content.decode()
    assert Campaign.objects.get().status == "draft"


def test_the_preview_counts_the_numbers_that_said_stop(signed_in, centre, editor):
    from notifications import sms_numbers
    from notifications.models import SmsNumber

    for contact in ContactFactory.create_batch(4, centre=centre)[:3]:
        sms_numbers.stop(contact.phone, how=SmsNumber.How.SMS)
    campaign = draft(centre, editor)

    page = signed_in.get(reverse("demarches:campaign_preview", args=[campaign.pk])).content.decode()

    assert "3 personnes ont demandé STOP : elles ne recevront rien." in page
    assert "Envoyer à 1 personne" in page


# Who may open what.

CAMPAIGN_REQUESTS = {
    "demarches:campaign": ("get", {}),
    "demarches:campaign_write": ("post", {"text": "Intrus", "link": "", "when": "now"}),
    "demarches:campaign_preview": ("get", {}),
    "demarches:campaign_confirm": ("post", {}),
    "demarches:campaign_cancel": ("post", {}),
}


def campaign_url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from campaign_url_names(pattern.url_patterns, inner)
        elif pattern.callback.__module__ == campaign_views.__name__ and pattern.name != "campaign_link":
            yield namespace + pattern.name


def test_every_campaign_address_is_in_the_permission_tests():
    assert set(campaign_url_names(get_resolver().url_patterns)) == {
        *CAMPAIGN_REQUESTS,
        "demarches:campaigns",
        "demarches:new_campaign",
    }


@pytest.fixture
def campaign(centre, editor):
    ContactFactory(centre=centre)
    return draft(centre, editor, text="Le texte de l'équipe.")


def state():
    return list(Campaign.objects.values_list("pk", "status", "text")), Delivery.objects.count()


@pytest.mark.parametrize("name", list(CAMPAIGN_REQUESTS))
def test_another_centres_team_gets_not_found_and_changes_nothing(client, staff_login, other_centre, campaign, name):
    staff_login(client, team_member(other_centre))
    before = state()
    method, data = CAMPAIGN_REQUESTS[name]

    response = getattr(client, method)(reverse(name, args=[campaign.pk]), data)

    assert response.status_code == 404
    assert state() == before


def test_another_centres_team_cannot_start_a_campaign_for_this_centre(client, staff_login, centre, other_centre):
    staff_login(client, team_member(other_centre))

    response = client.post(reverse("demarches:new_campaign", args=[centre.pk]), {"audience": "contacts:"})

    assert response.status_code == 404
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("name", list(CAMPAIGN_REQUESTS))
def test_a_resident_gets_not_found_and_changes_nothing(client, centre, campaign, name):
    client.force_login(member_of(centre))
    before = state()
    method, data = CAMPAIGN_REQUESTS[name]

    response = getattr(client, method)(reverse(name, args=[campaign.pk]), data)

    assert response.status_code == 404
    assert state() == before


def test_a_resident_is_told_the_list_is_for_the_teams(client, centre, campaign):
    client.force_login(member_of(centre))

    response = client.get(reverse("demarches:campaigns"))

    assert response.status_code == 403
    assert campaign.name not in response.content.decode()


@pytest.mark.parametrize("name", [*CAMPAIGN_REQUESTS, "demarches:campaigns", "demarches:new_campaign"])
def test_anonymous_visitors_are_sent_to_sign_in(client, centre, campaign, name):
    method, data = CAMPAIGN_REQUESTS.get(name, ("get", {}))
    args = [] if name == "demarches:campaigns" else [centre.pk if name == "demarches:new_campaign" else campaign.pk]
    before = state()

    response = getattr(client, method)(reverse(name, args=args), data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_request_login_code"))
    assert state() == before


# Queries.


@pytest.mark.parametrize("campaigns_count", [1, 30])
def test_the_list_reads_a_fixed_number_of_queries(
    signed_in, centre, editor, campaigns_count, django_assert_max_num_queries
):
    ContactFactory(centre=centre)
    for _ in range(campaigns_count):
        campaigns.confirm(draft(centre, editor), by=editor)

    # Nine of them any signed-in team page reads (session, user, centres run, inbox, site, footer on a first visit).
    with django_assert_max_num_queries(13):
        response = signed_in.get(reverse("demarches:campaigns"))

    assert response.content.decode().count("staff-date__link") == min(campaigns_count, 20)


@pytest.mark.parametrize("recipients", [2, 200])
def test_the_preview_and_the_campaign_page_read_a_fixed_number_of_queries(
    signed_in, centre, editor, recipients, django_assert_max_num_queries, procedure
):
    centre.sms_monthly_budget = 1000
    centre.save(update_fields=["sms_monthly_budget"])
    for contact in ContactFactory.create_batch(recipients, centre=centre):
        follower(procedure, contact=contact)
        follower(procedure, user=verified_member(centre))
    campaign = draft(centre, editor, key="procedure", value=procedure.pk)

    # The audience in 3 queries (procedures offered, accounts, contacts), STOPs, the example's stop link (written the
    # first time: 4), the budget (2), beside the ten of every team page.
    with django_assert_max_num_queries(21):
        assert signed_in.get(reverse("demarches:campaign_preview", args=[campaign.pk])).status_code == 200
    campaigns.confirm(campaign, by=editor)
    campaign_sending.send(campaign.pk)
    with django_assert_max_num_queries(12):
        page = signed_in.get(reverse("demarches:campaign", args=[campaign.pk]))

    assert f"<dd>{2 * recipients}<span" in page.content.decode()
