"""Reporting an offer, a message or a person, and what a centre's team does about it in the admin: each action
logged, the people concerned told, and no team ever reaching another centre's reports."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from core.errors import NotAllowed, PlacetteError
from echanges import notices
from echanges.models import Category, Message, ModerationAction, Offer, Report, is_suspended
from echanges.services import moderation
from notifications.models import Notification
from tests.accounts.factories import mediator_of
from tests.echanges.factories import ConversationFactory, MessageFactory, OfferFactory
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import PersonFactory, member_of

Action = ModerationAction.Action
THANKS = "Merci. L'équipe du centre va regarder. Nous vous dirons la suite."
REPORT_URLS = ["echanges:report_offer", "echanges:report_message", "echanges:report_person"]


def editor_of(centre, **fields):
    editor = PersonFactory(display_name="Samia (animatrice)", **fields)
    editor.groups.add(centre.team.editors)
    return editor


def notes_of(person, kind):
    return list(Notification.objects.filter(recipient=person, kind=kind.key).values_list("text", flat=True))


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social des Oliviers")


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Canal")


@pytest.fixture
def author(centre):
    return member_of(centre, display_name="Marc")


@pytest.fixture
def reporter(centre):
    return member_of(centre, display_name="Awa")


@pytest.fixture
def offer(centre, author):
    return OfferFactory(centre=centre, author=author, title="Vélo à donner")


@pytest.fixture
def message(offer, reporter, author):
    """Marc (the offer's author) writes to Awa in the conversation she opened."""
    conversation = ConversationFactory(offer=offer, starter=reporter)
    MessageFactory(conversation=conversation, sender=reporter, body="Bonjour, le vélo est-il libre ?")
    return MessageFactory(conversation=conversation, sender=author, body="Envoyez-moi 50 euros d'abord.")


@pytest.fixture
def editor(centre):
    return editor_of(centre)


@pytest.fixture
def report(offer, reporter):
    return moderation.report_offer(reporter, offer.pk, reason=Report.Reason.SPAM, details="Il demande de l'argent.")


def report_in(centre):
    """A report on an offer of `centre`, by one of its residents."""
    offer = OfferFactory(centre=centre, author=member_of(centre), title=f"Annonce de {centre.title}")
    return moderation.report_offer(member_of(centre), offer.pk, reason=Report.Reason.RUDE, details="")


# Filing a report, on the public site.


def test_a_resident_reports_an_offer_and_the_team_is_told(client, centre, offer, reporter, editor):
    mediator = mediator_of(centre)
    client.force_login(reporter)

    page = client.get(reverse("echanges:report_offer", args=[offer.pk]))
    response = client.post(
        reverse("echanges:report_offer", args=[offer.pk]) + "?next=/echanges/annonces/",
        {"reason": Report.Reason.MONEY, "details": "Il veut être payé."},
    )

    assert page.status_code == 200
    assert "Vélo à donner" in page.content.decode()
    assert "On me demande de l&#x27;argent" in page.content.decode()
    assert response.status_code == 302
    assert response.url == "/echanges/annonces/"
    assert flashed(response) == [THANKS]
    report = Report.objects.get()
    assert (report.reporter, report.person, report.offer, report.message, report.centre) == (
        reporter,
        offer.author,
        offer,
        None,
        centre,
    )
    assert (report.reason, report.details, report.status) == ("money", "Il veut être payé.", "open")
    for moderator in (editor, mediator):
        (text,) = notes_of(moderator, notices.REPORT_RECEIVED)
        assert text == (
            "Nouveau signalement au centre Centre social des Oliviers : l'annonce « Vélo à donner ». "
            "Motif : On me demande de l'argent."
        )
    assert Notification.objects.get(recipient=editor).url == reverse("echanges_reports:detail", args=[report.pk])
    assert not Notification.objects.filter(recipient__in=[reporter, offer.author]).exists()


def test_without_next_the_reporter_goes_back_to_the_offer(client, offer, reporter):
    client.force_login(reporter)

    response = client.post(
        reverse("echanges:report_offer", args=[offer.pk]) + "?next=https://ailleurs.example/",
        {"reason": Report.Reason.DANGER},
    )

    assert response.status_code == 302
    assert response.url == offer.get_absolute_url()


def test_a_participant_reports_a_message_of_their_conversation(client, centre, message, reporter, editor):
    client.force_login(reporter)

    page = client.get(reverse("echanges:report_message", args=[message.pk]))
    response = client.post(reverse("echanges:report_message", args=[message.pk]), {"reason": Report.Reason.MONEY})

    assert "Envoyez-moi 50 euros d&#x27;abord." in page.content.decode()
    assert response.status_code == 302
    assert response.url == message.conversation.get_absolute_url()
    report = Report.objects.get()
    assert (report.message, report.offer, report.person, report.centre) == (message, None, message.sender, centre)
    assert len(notes_of(editor, notices.REPORT_RECEIVED)) == 1


def test_a_message_of_someone_elses_conversation_is_not_found(client, centre, message):
    outsider = member_of(centre)
    client.force_login(outsider)
    url = reverse("echanges:report_message", args=[message.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": Report.Reason.RUDE}).status_code == 404
    with pytest.raises(Message.DoesNotExist):
        moderation.report_message(outsider, message.pk, reason=Report.Reason.RUDE)
    assert not Report.objects.exists()


def test_a_person_is_reported_to_the_centre_where_they_talked(client, centre, other_centre, message, reporter, author):
    # Both also belong to another centre; their conversation happened at the Oliviers.
    for person in (reporter, author):
        person.memberships.create(centre=other_centre, joined_at=timezone.now() - dt.timedelta(days=400))
    client.force_login(reporter)

    response = client.post(reverse("echanges:report_person", args=[author.pk]), {"reason": Report.Reason.RUDE})

    assert response.status_code == 302
    assert response.url == reverse("echanges:listing")
    report = Report.objects.get()
    assert (report.person, report.offer, report.message, report.centre) == (author, None, None, centre)


def test_a_person_report_goes_to_a_shared_centre_else_the_reporters(centre, other_centre):
    # The reporter joined the Canal first, then the Oliviers, which is the one centre they share.
    reporter, shared, stranger = member_of(other_centre), member_of(centre), PersonFactory()
    reporter.memberships.create(centre=centre)

    assert moderation.person_report_centre(reporter, shared) == centre
    assert moderation.person_report_centre(reporter, stranger) == other_centre
    assert moderation.person_report_centre(stranger, shared) == centre
    with pytest.raises(NotAllowed):
        moderation.person_report_centre(stranger, PersonFactory(), other_centre)
    with pytest.raises(PlacetteError, match="rejoignez d'abord votre centre social"):
        moderation.person_report_centre(stranger, PersonFactory())


def test_a_person_report_may_name_the_centre_of_the_page_it_came_from(client, centre, other_centre, reporter):
    person = member_of(other_centre)
    client.force_login(reporter)

    client.post(
        reverse("echanges:report_person", args=[person.pk]) + f"?centre={other_centre.pk}",
        {"reason": Report.Reason.OTHER, "details": "Il insiste."},
    )

    assert Report.objects.get().centre == other_centre


def test_reporting_twice_keeps_one_report(client, offer, reporter, editor):
    client.force_login(reporter)
    url = reverse("echanges:report_offer", args=[offer.pk])
    assert flashed(client.post(url, {"reason": Report.Reason.SPAM})) == [THANKS]

    response = client.post(url, {"reason": Report.Reason.RUDE, "details": "Encore"})

    assert response.status_code == 302
    assert flashed(response)[-1:] == [
        "Vous avez déjà signalé l'annonce « Vélo à donner ». L'équipe du centre va regarder."
    ]
    assert Report.objects.count() == 1
    assert Report.objects.get().reason == "spam"
    assert len(notes_of(editor, notices.REPORT_RECEIVED)) == 1


def test_once_closed_the_same_thing_may_be_reported_again(report, reporter, offer, editor):
    moderation.close_report(report.pk, editor, outcome=Report.Outcome.NOTHING)

    again = moderation.report_offer(reporter, offer.pk, reason=Report.Reason.SPAM)

    assert again.pk != report.pk
    assert Report.objects.open().get() == again


@pytest.mark.parametrize("name", REPORT_URLS)
def test_nobody_reports_themselves(client, name, message, author):
    """The author of the offer and of the message, and the person themselves: refused, nothing written."""
    target = {"echanges:report_offer": message.conversation.offer, "echanges:report_message": message}.get(
        name, author
    )
    client.force_login(author)
    url = reverse(name, args=[target.pk])

    page = client.get(url)
    response = client.post(url, {"reason": Report.Reason.RUDE})

    assert page.status_code == 403
    assert response.status_code == 403
    assert "vous ne pouvez pas" in response.content.decode().lower()
    assert "<form" not in response.content.decode().split("<main", 1)[1]
    assert not Report.objects.exists()


def test_the_services_refuse_reporting_oneself(message, author):
    for report in (
        lambda: moderation.report_offer(author, message.conversation.offer.pk, reason="rude"),
        lambda: moderation.report_message(author, message.pk, reason="rude"),
        lambda: moderation.report_person(author, author.pk, reason="rude"),
    ):
        with pytest.raises(NotAllowed):
            report()
    assert not Report.objects.exists()


@pytest.mark.parametrize("name", REPORT_URLS)
def test_visitors_are_sent_to_sign_in(client, name, message):
    target_id = {"echanges:report_message": message.pk}.get(name, message.conversation.offer_id)

    response = client.post(reverse(name, args=[target_id]), {"reason": Report.Reason.RUDE})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_request_login_code"))
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"details": "Rien"}, "Choisissez ce qui ne va pas."),
        ({"reason": "hacked", "details": "Rien"}, "Sélectionnez un choix valide"),
        ({"reason": "spam", "details": "x" * 1001}, "au plus 1000 caractères"),
    ],
)
def test_bad_answers_are_shown_next_to_the_field_and_nothing_is_written(client, offer, reporter, data, error):
    client.force_login(reporter)

    response = client.post(reverse("echanges:report_offer", args=[offer.pk]), data)

    content = response.content.decode()
    assert response.status_code == 400
    assert error in content
    assert 'aria-invalid="true"' in content
    assert data["details"][:50] in content
    assert not Report.objects.exists()


def test_hidden_or_withdrawn_offers_cannot_be_reported(client, centre, reporter):
    client.force_login(reporter)
    for offer in (OfferFactory(centre=centre, hidden=True), OfferFactory(centre=centre, withdrawn=True)):
        assert client.get(reverse("echanges:report_offer", args=[offer.pk])).status_code == 404


def test_html_in_details_stays_text(client, offer, reporter, editor, staff_login):
    client.force_login(reporter)
    payload = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
    client.post(reverse("echanges:report_offer", args=[offer.pk]), {"reason": "spam", "details": payload})
    report = Report.objects.get()
    assert report.details == payload

    staff_login(client, editor)
    page = client.get(reverse("echanges_reports:detail", args=[report.pk])).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_report_link_shows_only_with_an_address_and_comes_back_here(rf):
    request = rf.get("/echanges/annonces/3/?page=2")

    assert render_to_string("echanges/_report_link.html", {"report_url": ""}, request=request).strip() == ""
    offer_link = render_to_string(
        "echanges/_report_link.html", {"report_url": "/echanges/annonces/3/signaler/"}, request=request
    )
    person_link = render_to_string(
        "echanges/_report_link.html", {"report_url": "/echanges/personnes/8/signaler/?centre=4"}, request=request
    )

    assert 'href="/echanges/annonces/3/signaler/?next=/echanges/annonces/3/%3Fpage%3D2"' in offer_link
    assert ">Signaler</a>" in offer_link
    assert 'href="/echanges/personnes/8/signaler/?centre=4&amp;next=/echanges/annonces/3/%3Fpage%3D2"' in person_link


# What moderators do.


def test_hiding_an_offer_takes_it_out_of_listings_and_tells_its_author(client, report, offer, editor):
    action = moderation.hide_content(report.pk, editor, note="Arnaque connue")

    offer.refresh_from_db()
    assert offer.hidden
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert not Offer.objects.open().filter(pk=offer.pk).exists()
    assert not Offer.objects.shown().filter(pk=offer.pk).exists()
    assert (action.action, action.moderator, action.person, action.report, action.centre, action.note) == (
        Action.HIDE,
        editor,
        offer.author,
        report,
        report.centre,
        "Arnaque connue",
    )
    (text,) = notes_of(offer.author, notices.MODERATION)
    assert "a masqué votre annonce « Vélo à donner »" in text
    assert "Arnaque" not in text


def test_hiding_a_message(message, reporter, editor):
    report = moderation.report_message(reporter, message.pk, reason=Report.Reason.MONEY)

    moderation.hide_content(report.pk, editor)

    message.refresh_from_db()
    assert message.hidden
    assert ModerationAction.objects.get().action == Action.HIDE
    assert "a masqué un de vos messages" in notes_of(message.sender, notices.MODERATION)[0]


def test_a_person_report_has_no_content_to_hide(reporter, author, editor):
    report = moderation.report_person(reporter, author.pk, reason=Report.Reason.RUDE)

    with pytest.raises(PlacetteError, match="pas de contenu à masquer"):
        moderation.hide_content(report.pk, editor)
    assert not ModerationAction.objects.exists()


def test_a_warning_reaches_the_person_in_the_teams_words(report, offer, editor):
    moderation.warn_person(report.pk, editor, note="Les échanges sont gratuits. Merci de ne pas demander d'argent.")

    (text,) = notes_of(offer.author, notices.MODERATION)
    assert text == (
        "Avertissement de l'équipe du centre Centre social des Oliviers : "
        "« Les échanges sont gratuits. Merci de ne pas demander d'argent. »"
    )
    assert ModerationAction.objects.get().action == Action.WARN
    with pytest.raises(PlacetteError):
        moderation.warn_person(report.pk, editor, note="   ")


def test_a_suspension_lasts_until_its_date(report, offer, editor):
    with freeze_time("2026-03-02 10:00:00+01:00"):
        moderation.suspend_person(report.pk, editor, days=7, note="Demandes d'argent répétées")
        assert is_suspended(offer.author)
        (text,) = notes_of(offer.author, notices.MODERATION)
    assert "jusqu'au lundi 9\u00a0mars à 10\u00a0h." in text
    assert "Demandes d'argent répétées" in text
    assert ModerationAction.objects.get().action == Action.SUSPEND
    suspension = offer.author.suspensions.get()
    assert (suspension.decided_by, suspension.reason) == (editor, "Demandes d'argent répétées")
    with freeze_time("2026-03-09 09:59:00+01:00"):
        assert is_suspended(offer.author)
    with freeze_time("2026-03-09 10:00:01+01:00"):
        assert not is_suspended(offer.author)


@pytest.mark.parametrize("days", [0, -1, 366])
def test_a_suspension_has_a_sensible_length(report, editor, days):
    with pytest.raises(PlacetteError, match="entre 1 et 365 jours"):
        moderation.suspend_person(report.pk, editor, days=days, note="Motif")
    assert not ModerationAction.objects.exists()


def test_closing_tells_the_reporter_the_outcome_but_not_the_note(report, reporter, editor):
    moderation.hide_content(report.pk, editor)

    action = moderation.close_report(
        report.pk, editor, outcome=Report.Outcome.HIDDEN, note="Troisième fois, voir Marc"
    )

    report.refresh_from_db()
    assert (report.status, report.outcome, report.closed_by, report.note) == (
        "closed",
        "hidden",
        editor,
        "Troisième fois, voir Marc",
    )
    assert report.closed_at is not None
    assert action.action == Action.CLOSE
    (text,) = notes_of(reporter, notices.MODERATION)
    assert "L'équipe du centre Centre social des Oliviers l'a regardé. Décision : contenu masqué." in text
    assert "Marc" not in text
    assert list(report.actions.order_by("pk").values_list("action", flat=True)) == [Action.HIDE, Action.CLOSE]


@pytest.mark.parametrize("outcome", [Report.Outcome.HIDDEN, Report.Outcome.WARNED, Report.Outcome.SUSPENDED])
def test_the_outcome_must_match_what_was_done(report, reporter, editor, outcome):
    with pytest.raises(PlacetteError, match="ne correspond pas"):
        moderation.close_report(report.pk, editor, outcome=outcome)

    report.refresh_from_db()
    assert report.status == "open"
    assert not notes_of(reporter, notices.MODERATION)


def test_a_closed_report_takes_no_more_action(report, editor):
    moderation.close_report(report.pk, editor, outcome=Report.Outcome.NOTHING)

    for act in (
        lambda: moderation.hide_content(report.pk, editor),
        lambda: moderation.warn_person(report.pk, editor, note="Attention"),
        lambda: moderation.close_report(report.pk, editor, outcome=Report.Outcome.NOTHING),
    ):
        with pytest.raises(PlacetteError, match="déjà traité"):
            act()
    assert ModerationAction.objects.count() == 1


def test_a_moderator_never_handles_a_report_on_themselves(centre, reporter):
    editor = editor_of(centre)
    offer = OfferFactory(centre=centre, author=editor)
    report = moderation.report_offer(reporter, offer.pk, reason=Report.Reason.RUDE)

    with pytest.raises(NotAllowed):
        moderation.close_report(report.pk, editor, outcome=Report.Outcome.NOTHING)
    assert not notes_of(editor, notices.REPORT_RECEIVED)


def test_a_team_acts_only_on_its_own_centres_reports(centre, other_centre, report):
    elsewhere = editor_of(other_centre)
    mediator_elsewhere = mediator_of(other_centre)

    for moderator in (elsewhere, mediator_elsewhere, member_of(centre)):
        for act in (
            lambda m: moderation.hide_content(report.pk, m),
            lambda m: moderation.warn_person(report.pk, m, note="Attention"),
            lambda m: moderation.suspend_person(report.pk, m, days=3, note="Motif"),
            lambda m: moderation.close_report(report.pk, m, outcome=Report.Outcome.NOTHING),
        ):
            with pytest.raises(Report.DoesNotExist):
                act(moderator)
    assert not ModerationAction.objects.exists()
    assert not Offer.objects.get(pk=report.offer_id).hidden
    assert moderation.reports_moderated_by(mediator_of(centre)).get() == report


def test_a_network_admin_acts_on_any_centre(report):
    admin = UserFactory(network_admin=True)

    moderation.warn_person(report.pk, admin, note="Attention")

    assert ModerationAction.objects.get().moderator == admin


# The admin.


def test_the_admin_lists_a_teams_reports_open_first(client, staff_login, centre, other_centre, report, editor):
    closed = report_in(centre)
    moderation.close_report(closed.pk, editor, outcome=Report.Outcome.NOTHING)
    foreign = report_in(other_centre)
    staff_login(client, editor)

    response = client.get(reverse("echanges_reports:index"))

    content = response.content.decode()
    assert response.status_code == 200
    assert reverse("echanges_reports:detail", args=[report.pk]) in content
    assert reverse("echanges_reports:detail", args=[closed.pk]) in content
    assert content.index(f"/signalements/{report.pk}/") < content.index(f"/signalements/{closed.pk}/")
    assert reverse("echanges_reports:detail", args=[foreign.pk]) not in content
    assert "Annonce de Centre social du Canal" not in content


def test_the_admin_list_filters_by_status_and_reason(client, staff_login, centre, report, editor):
    rude = report_in(centre)
    staff_login(client, editor)

    by_reason = client.get(reverse("echanges_reports:index"), {"reason": "rude"}).content.decode()
    closed_only = client.get(reverse("echanges_reports:index"), {"status": "closed"}).content.decode()
    # The admin's filters fetch the results alone.
    results = client.get(reverse("echanges_reports:index_results"), {"reason": "rude", "centre": centre.pk})

    assert f"/signalements/{rude.pk}/" in by_reason
    assert f"/signalements/{report.pk}/" not in by_reason
    assert f"/signalements/{rude.pk}/" not in closed_only
    assert results.status_code == 200
    assert f"/signalements/{rude.pk}/" in results.content.decode()
    assert f"/signalements/{report.pk}/" not in results.content.decode()


def test_another_centres_report_is_not_found_in_the_admin(client, staff_login, other_centre, report):
    staff_login(client, editor_of(other_centre))
    url = reverse("echanges_reports:detail", args=[report.pk])

    assert client.get(url).status_code == 404
    response = client.post(url, {"action": "hide", "hide-note": ""})

    assert response.status_code == 404
    report.offer.refresh_from_db()
    assert not report.offer.hidden
    assert not ModerationAction.objects.exists()


def test_staff_who_run_no_centre_are_turned_away(client, staff_login, report):
    user = UserFactory()
    group = Group.objects.create(name="Accès à l'administration")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user.groups.add(group)
    staff_login(client, user)

    for url in (
        reverse("echanges_reports:index"),
        reverse("echanges_reports:detail", args=[report.pk]),
        reverse("echanges_moderation_log:index"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("echanges_reports:index") not in home


def test_a_network_admin_sees_every_centre(client, staff_login, centre, other_centre, report):
    foreign = report_in(other_centre)
    staff_login(client, UserFactory(network_admin=True))

    content = client.get(reverse("echanges_reports:index")).content.decode()

    assert f"/signalements/{report.pk}/" in content
    assert f"/signalements/{foreign.pk}/" in content
    assert client.get(reverse("echanges_reports:detail", args=[foreign.pk])).status_code == 200


def test_the_team_reaches_reports_and_the_log_from_the_menu(client, staff_login, editor):
    staff_login(client, editor)

    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("echanges_reports:index") in home
    assert reverse("echanges_moderation_log:index") in home
    # Categories are the network's: a centre's team does not edit them.
    assert client.get(reverse("wagtailsnippets_echanges_category:add")).status_code == 302


def test_a_network_admin_edits_the_categories(client, staff_login, db):
    staff_login(client, UserFactory(network_admin=True))

    response = client.post(
        reverse("wagtailsnippets_echanges_category:add"), {"name": "Jardinage", "slug": "jardinage"}
    )

    assert response.status_code == 302
    assert Category.objects.filter(name="Jardinage", slug="jardinage").exists()


def test_the_detail_page_shows_the_offer_and_the_persons_record(client, staff_login, report, editor, offer):
    moderation.warn_person(report_in(report.centre).pk, editor, note="Attention")
    other = moderation.report_person(member_of(report.centre), offer.author.pk, reason=Report.Reason.RUDE)
    moderation.warn_person(other.pk, editor, note="Déjà prévenu")
    staff_login(client, editor)

    content = client.get(reverse("echanges_reports:detail", args=[report.pk])).content.decode()

    assert "Vélo à donner" in content
    assert "Je peux vous aider une heure le samedi matin." in content
    assert "Signalements reçus en tout : 2" in content
    assert "Actions de modération déjà prises : 1" in content
    for button in ('value="hide"', 'value="warn"', 'value="suspend"', 'value="close"'):
        assert button in content


def test_the_detail_page_shows_only_the_messages_around_the_reported_one(client, staff_login, offer, reporter, editor):
    conversation = ConversationFactory(offer=offer, starter=reporter)
    start = timezone.now() - dt.timedelta(days=1)
    bodies = [f"Message numéro {n:02}" for n in range(10)]
    sent = [
        MessageFactory(
            conversation=conversation,
            sender=reporter if n % 2 else offer.author,
            body=body,
            sent_at=start + dt.timedelta(minutes=n),
        )
        for n, body in enumerate(bodies)
    ]
    report = moderation.report_message(reporter, sent[4].pk, reason=Report.Reason.RUDE)
    staff_login(client, editor)

    content = client.get(reverse("echanges_reports:detail", args=[report.pk])).content.decode()

    shown = [body for body in bodies if body in content]
    assert shown == bodies[2:7]
    assert "message signalé" in content


def test_actions_through_the_admin(client, staff_login, report, reporter, offer, editor):
    staff_login(client, editor)
    url = reverse("echanges_reports:detail", args=[report.pk])

    hidden = client.post(url, {"action": "hide", "hide-note": "Arnaque"})
    warned = client.post(url, {"action": "warn", "warn-note": "Pas d'argent dans les échanges, merci."})
    suspended = client.post(url, {"action": "suspend", "suspend-days": "14", "suspend-note": "Arnaques répétées"})
    page = client.get(url).content.decode()
    closed = client.post(url, {"action": "close", "close-outcome": "suspended", "close-note": "Vu avec la direction"})

    for response in (hidden, warned, suspended, closed):
        assert response.status_code == 302
        assert response.url == url
    # The closing form offers the strongest thing done first.
    assert re.search(r'value="suspended"[^>]*checked', page)
    assert not re.search(r'value="nothing"[^>]*checked', page)
    offer.refresh_from_db()
    report.refresh_from_db()
    assert offer.hidden
    assert is_suspended(offer.author)
    assert (report.status, report.outcome) == ("closed", "suspended")
    assert list(report.actions.order_by("pk").values_list("action", "moderator")) == [
        (Action.HIDE, editor.pk),
        (Action.WARN, editor.pk),
        (Action.SUSPEND, editor.pk),
        (Action.CLOSE, editor.pk),
    ]
    assert len(notes_of(offer.author, notices.MODERATION)) == 3
    assert "Décision : personne suspendue." in notes_of(reporter, notices.MODERATION)[0]
    after = client.get(url).content.decode()
    assert 'value="hide"' not in after
    assert "Vu avec la direction" in after

    log = client.get(reverse("echanges_moderation_log:index")).content.decode()
    assert log.count(f"/signalements/{report.pk}/") == 4


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"action": "suspend", "suspend-days": "0", "suspend-note": "Motif"}, "supérieure ou égale à 1"),
        ({"action": "suspend", "suspend-days": "trois", "suspend-note": "Motif"}, "Saisissez un nombre entier"),
        ({"action": "warn", "warn-note": ""}, "Champ requis."),
        ({"action": "warn", "warn-note": "x" * 201}, "au plus 200 caractères"),
        ({"action": "close", "close-outcome": "banned"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_admin_input_is_answered_in_french(client, staff_login, report, editor, data, error):
    staff_login(client, editor)

    response = client.post(reverse("echanges_reports:detail", args=[report.pk]), data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not ModerationAction.objects.exists()


def test_a_refused_admin_action_says_why(client, staff_login, report, editor):
    staff_login(client, editor)
    url = reverse("echanges_reports:detail", args=[report.pk])

    response = client.post(url, {"action": "close", "close-outcome": "hidden"})

    assert response.status_code == 400
    assert "ne correspond pas à ce qui a été fait" in response.content.decode()
    assert client.post(url, {"action": "delete"}).status_code == 404


def test_the_log_is_scoped_to_the_teams_centres(client, staff_login, centre, other_centre, report, editor):
    foreign = report_in(other_centre)
    moderation.warn_person(foreign.pk, editor_of(other_centre), note="Ailleurs")
    moderation.warn_person(report.pk, editor, note="Ici")
    staff_login(client, editor)

    content = client.get(reverse("echanges_moderation_log:index")).content.decode()

    assert "Ici" in content
    assert "Ailleurs" not in content


def test_the_reports_list_costs_the_same_with_many_rows(
    client, staff_login, centre, editor, django_assert_max_num_queries
):
    staff_login(client, editor)
    report_in(centre)
    client.get(reverse("echanges_reports:index"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("echanges_reports:index"))
    for _ in range(25):
        report_in(centre)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("echanges_reports:index"))
