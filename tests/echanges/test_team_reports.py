"""Mediators handle reports on the team's pages, outside the admin (docs/adr/0008): what they are sent, they open."""

import pytest
from django.urls import reverse

from echanges import notices
from echanges.models import ModerationAction, Report
from echanges.services import moderation
from notifications.models import Notification
from tests.accounts.factories import mediator_of
from tests.echanges.factories import OfferFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import member_of

Action = ModerationAction.Action


@pytest.fixture
def mediator(centre):
    return mediator_of(centre)


@pytest.fixture
def offer(centre):
    return OfferFactory(centre=centre, author=member_of(centre, display_name="Marc"), title="Vélo à donner")


@pytest.fixture
def reporter(centre):
    return member_of(centre, display_name="Awa")


@pytest.fixture
def report(offer, reporter):
    return moderation.report_offer(reporter, offer.pk, reason=Report.Reason.MONEY, details="Il veut 50 euros.")


def test_a_mediator_follows_the_notifications_link_and_acts_on_the_report(
    client, staff_login, mediator, report, offer, reporter
):
    (notification,) = Notification.objects.filter(recipient=mediator, kind=notices.REPORT_RECEIVED.key)
    assert notification.url == reverse("echanges:team_report", args=[report.pk])
    staff_login(client, mediator)

    page = client.get(notification.url)
    hidden = client.post(notification.url, {"action": "hide", "hide-note": "Arnaque"})
    closed = client.post(notification.url, {"action": "close", "close-outcome": "hidden", "close-note": "Vu"})

    assert page.status_code == 200
    content = page.content.decode()
    assert "Vélo à donner" in content
    assert "Il veut 50 euros." in content
    assert 'value="hide"' in content
    for response in (hidden, closed):
        assert response.status_code == 302
        assert response.url == notification.url
    offer.refresh_from_db()
    report.refresh_from_db()
    assert offer.hidden
    assert (report.status, report.outcome, report.closed_by) == ("closed", "hidden", mediator)
    assert list(report.actions.order_by("pk").values_list("action", "moderator")) == [
        (Action.HIDE, mediator.pk),
        (Action.CLOSE, mediator.pk),
    ]
    assert Notification.objects.filter(recipient=reporter, kind=notices.MODERATION.key).exists()
    listing = client.get(reverse("echanges:team_reports")).content.decode()
    assert reverse("echanges:team_report", args=[report.pk]) in listing


def test_the_team_page_answers_a_refusal_and_bad_input_beside_the_form(client, staff_login, mediator, report):
    staff_login(client, mediator)
    url = reverse("echanges:team_report", args=[report.pk])

    refused = client.post(url, {"action": "close", "close-outcome": "hidden"})
    empty = client.post(url, {"action": "warn", "warn-note": ""})

    assert refused.status_code == 400
    assert "ne correspond pas à ce qui a été fait" in refused.content.decode()
    assert empty.status_code == 400
    assert "Champ requis." in empty.content.decode()
    assert client.post(url, {"action": "delete"}).status_code == 404
    assert not ModerationAction.objects.exists()


def test_another_centres_report_is_not_found_on_the_team_page(client, staff_login, home, report):
    other = mediator_of(CentrePageFactory(parent=home, title="Centre social du Canal"))
    staff_login(client, other)
    url = reverse("echanges:team_report", args=[report.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "hide", "hide-note": ""}).status_code == 404
    assert (
        reverse("echanges:team_report", args=[report.pk])
        not in client.get(reverse("echanges:team_reports")).content.decode()
    )
    assert not ModerationAction.objects.exists()


def test_residents_and_a_missing_second_factor_do_not_reach_the_reports(client, centre, mediator, report, reporter):
    client.force_login(reporter)
    assert client.get(reverse("echanges:team_reports")).status_code == 403
    assert client.get(reverse("echanges:team_report", args=[report.pk])).status_code == 404

    client.force_login(mediator)
    response = client.get(reverse("echanges:team_report", args=[report.pk]))
    assert response.status_code == 302
    assert response.url.startswith("/compte/2fa/")


def test_staff_with_admin_access_are_still_sent_to_the_admin(centre, report):
    editor = member_of(centre, display_name="Samia")
    editor.groups.add(centre.team.editors)

    assert moderation.report_url_for(editor, report) == reverse("echanges_reports:detail", args=[report.pk])
