"""A mediator acting for a resident: what the header offers, the resident's own pages, and messages that name them."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda import services as agenda_services
from agenda.models import CalendarToken, EventPage, Registration
from echanges.models import Agreement, Block, Offer
from notifications.models import Notification
from tests.accounts.factories import mediator_of, resident_of
from tests.accounts.pages import acting_for_id, messages_of, signed_in, text_of
from tests.agenda.factories import CategoryFactory as AgendaCategoryFactory
from tests.agenda.factories import EventPageFactory, first_date
from tests.echanges.factories import AgreementFactory, CategoryFactory, ConversationFactory, OfferFactory
from tests.factories import CentrePageFactory
from tests.notifications.factories import NotificationFactory, member_of

pytestmark = pytest.mark.django_db

NOT_WHILE_ACTING = "Cette page n'est pas accessible quand vous agissez pour quelqu'un."
LINK = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', re.S)


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Pont")


@pytest.fixture
def marcelle(centre):
    return resident_of(centre, consent=True, display_name="Marcelle")


@pytest.fixture
def mediator(centre):
    return mediator_of(centre, display_name="Karim")


@pytest.fixture
def acting(mediator, marcelle):
    """The mediator's browser, acting for Marcelle."""
    client = signed_in(mediator)
    client.post(reverse("accounts:act_for", args=[marcelle.pk]))
    assert acting_for_id(client) == marcelle.pk
    return client


def links(html):
    """The links in `html` that stay on the site, as {name: address}."""
    found = {}
    for href, inner in LINK.findall(html):
        href = unescape(href)
        if href.startswith("/") and not href.startswith("//"):
            found[" ".join(unescape(re.sub(r"<[^>]+>", " ", inner)).split())] = href
    return found


def top_of(response):
    """The header and the banner above the page's content."""
    return response.content.decode().split('<main id="contenu"', 1)[0]


def content_of(response):
    return response.content.decode().split('<main id="contenu"', 1)[1].split("</main>", 1)[0]


def buttons(html):
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", inner)).split())
        for inner in re.findall(r"<button\b[^>]*>(.*?)</button>", html, re.S)
    ]


def assert_not_refused(client, name, href):
    followed = client.get(href, follow=True)
    assert followed.status_code == 200, (name, href, followed.status_code)
    assert ("error", NOT_WHILE_ACTING) not in messages_of(followed), (name, href)
    assert acting_for_id(client) is not None, (name, href)


def some_of_marcelles_life(centre, marcelle):
    """A registration, an offer, a conversation and a notification, so her pages have links to follow."""
    agenda_services.register(first_date(EventPageFactory(parent=centre, title="Atelier tablette")).pk, marcelle)
    OfferFactory(author=marcelle, centre=centre, title="Je prête un escabeau")
    ConversationFactory(offer=OfferFactory(centre=centre, title="Cours de couture"), starter=marcelle)
    NotificationFactory(recipient=marcelle, text="Votre place est confirmée.", url="/agenda/mes-inscriptions/")


# What the header offers


def test_while_acting_the_header_offers_the_residents_pages_and_a_way_to_stop(acting):
    top = top_of(acting.get("/"))

    offered = links(top)
    assert offered["Ses inscriptions"] == reverse("agenda:my_registrations")
    assert offered["Ses échanges"] == reverse("echanges:mine")
    assert offered["Ses notifications"] == reverse("notifications:inbox")
    assert "Mon compte" not in offered, "the account pages are closed while acting"
    assert "Arrêter d'agir pour Marcelle" in buttons(top)
    assert f'action="{reverse("accounts:stop_acting")}"' in top


def test_signed_in_as_themself_the_mediator_has_their_own_menu(mediator):
    top = top_of(signed_in(mediator).get("/"))

    offered = links(top)
    assert offered["Mon compte"] == reverse("accounts:my_account")
    assert "Ses inscriptions" not in offered
    assert not any(button.startswith("Arrêter d'agir") for button in buttons(top))


def test_no_link_of_the_header_or_of_the_residents_pages_leads_to_a_refusal(acting, centre, marcelle):
    some_of_marcelles_life(centre, marcelle)
    header = links(top_of(acting.get("/")))
    for name, href in header.items():
        assert_not_refused(acting, name, href)

    assert any(re.fullmatch(r"Ses notifications \d+ non lues", name) for name in header), "hers are counted"
    for page in ("Ses inscriptions", "Ses échanges", "Ses notifications"):
        address = next(href for name, href in header.items() if name.startswith(page))
        for name, href in links(content_of(acting.get(address))).items():
            assert_not_refused(acting, f"{page} → {name}", href)


# The resident's own pages: which are open, which stay closed


def test_the_residents_registrations_are_reachable_and_are_theirs(acting, centre, marcelle, mediator):
    agenda_services.register(first_date(EventPageFactory(parent=centre, title="Atelier tablette")).pk, marcelle)
    agenda_services.register(first_date(EventPageFactory(parent=centre, title="Sortie au musée")).pk, mediator)

    page = acting.get(links(top_of(acting.get("/")))["Ses inscriptions"])

    html = text_of(page)
    assert "<h1>Marcelle : ses inscriptions</h1>" in html
    assert "Atelier tablette" in html
    assert "Sortie au musée" not in html, "the mediator's own registrations are not shown"
    assert reverse("agenda:renew_calendar") not in html, "the secret calendar address stays hers"


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("agenda:my_registrations", "Marcelle : ses inscriptions"),
        ("echanges:mine", "Marcelle : ses échanges"),
        ("echanges:conversations", "Marcelle : ses conversations"),
        ("echanges:statement", "Marcelle : son relevé d'heures"),
        ("notifications:inbox", "Marcelle : ses notifications"),
    ],
)
def test_the_residents_pages_are_open_and_say_whose_they_are(acting, url_name, heading):
    response = acting.get(reverse(url_name))

    assert response.status_code == 200
    assert re.search(rf"<h1>{re.escape(heading)}</h1>", text_of(response))


@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", "accounts:my_account"),
        ("get", "accounts:my_data"),
        ("get", "accounts:delete_account"),
        ("get", "account_email"),
        ("get", "account_change_phone"),
        ("get", "notifications:preferences"),
        ("post", "agenda:renew_calendar"),
        ("post", "agenda:forget_calendar"),
    ],
)
def test_personal_data_security_and_the_calendar_address_stay_closed(acting, marcelle, method, url_name):
    CalendarToken.objects.create(person=marcelle)
    token = CalendarToken.objects.get().token

    response = getattr(acting, method)(reverse(url_name), follow=True)

    assert ("error", NOT_WHILE_ACTING) in messages_of(response)
    assert list(CalendarToken.objects.values_list("token", flat=True)) == [token], "nothing was done"


def test_the_calendar_address_stays_open_to_the_resident(marcelle):
    response = signed_in(marcelle).post(reverse("agenda:renew_calendar"), follow=True)

    assert CalendarToken.objects.filter(person=marcelle).exists()
    assert "<h1>Mes inscriptions</h1>" in text_of(response)


# Pages that speak of the resident


def test_the_activitys_page_registers_and_speaks_of_the_resident(acting, centre, marcelle):
    event = EventPageFactory(parent=centre, title="Atelier tablette")

    before = acting.get(event.url)
    assert [button for button in buttons(content_of(before)) if button.startswith("Inscrire Marcelle le ")]
    assert "Je m'inscris" not in text_of(before)

    agenda_services.register(first_date(event).pk, marcelle)
    after = acting.get(event.url)
    assert "Marcelle a une place." in text_of(after)
    assert [name for name in links(content_of(after)) if name.startswith("Annuler l'inscription du ")]
    assert "mon inscription" not in text_of(after)


def plain(response):
    """The page's text with French unbreakable spaces as plain ones."""
    return text_of(response).replace("\u00a0", " ").replace("\u202f", " ")


def test_cancelling_for_the_resident_asks_in_their_name(acting, centre, marcelle):
    registration = agenda_services.register(first_date(EventPageFactory(parent=centre)).pk, marcelle)

    page = plain(acting.get(reverse("agenda:cancel", args=[registration.pk])))

    assert re.search(r"<h1>Marcelle : annuler l'inscription du [^<]+ \?</h1>", page)
    assert "Sa place sera libre pour quelqu'un d'autre." in page
    assert "Non, Marcelle garde sa place" in page
    assert "Votre" not in page.split('<main id="contenu"')[1]


def test_taking_the_resident_off_the_waitlist_asks_in_their_name(acting, centre, marcelle):
    occurrence = first_date(EventPageFactory(parent=centre, capacity=1))
    agenda_services.register(occurrence.pk, member_of(centre))
    registration = agenda_services.register(occurrence.pk, marcelle)
    assert registration.status == Registration.Status.WAITLISTED

    page = plain(acting.get(reverse("agenda:cancel", args=[registration.pk])))

    assert re.search(r"<h1>Marcelle : quitter la liste d'attente du [^<]+ \?</h1>", page)
    assert "Nous ne préviendrons plus Marcelle si une place se libère." in page
    assert "Oui, retirer Marcelle de la liste" in page
    assert "Non, Marcelle reste sur la liste" in page


def test_with_no_registration_the_page_says_the_resident_has_none(acting):
    page = text_of(acting.get(reverse("agenda:my_registrations")))

    assert "Marcelle n'a aucune inscription pour le moment." in page
    assert "Vous n'avez aucune inscription" not in page


@pytest.mark.parametrize(
    ("url_name", "empty"),
    [
        ("agenda:my_registrations", "Marcelle n'a aucune inscription pour le moment."),
        ("echanges:mine", "Marcelle n'a pas encore d'annonce."),
        ("echanges:conversations", "Pas encore de conversation."),
        ("echanges:statement", "Pas encore d'heures échangées."),
        ("notifications:inbox", "Marcelle n'a pas encore de notification."),
    ],
)
def test_the_residents_pages_never_say_my_for_theirs(acting, url_name, empty):
    html = content_of(acting.get(reverse(url_name)))

    assert empty in unescape(html)
    visible = unescape(re.sub(r"<[^>]+>", " ", html))
    assert not re.findall(r"\b(?:[Mm]on|[Mm]es|[Mm]a)\b", visible), "the person is Marcelle, not the mediator"


def her_offer(centre, marcelle):
    return OfferFactory(author=marcelle, centre=centre).get_absolute_url()


def her_withdrawn_offer(centre, marcelle):
    return OfferFactory(author=marcelle, centre=centre, withdrawn=True).get_absolute_url()


def someone_elses_offer(centre, marcelle):
    return OfferFactory(centre=centre).get_absolute_url()


def agreement_she_confirmed(centre, marcelle):
    offer = OfferFactory(author=marcelle, centre=centre)
    agreement = AgreementFactory(conversation=ConversationFactory(offer=offer), accepted=True)
    agreement.giver_confirmed_at = agreement.accepted_at
    agreement.save()
    return agreement.conversation.get_absolute_url()


def conversation_she_blocked(centre, marcelle):
    conversation = ConversationFactory(offer=OfferFactory(author=marcelle, centre=centre))
    Block.objects.create(blocker=marcelle, blocked=conversation.starter)
    return conversation.get_absolute_url()


@pytest.mark.parametrize(
    ("page", "says"),
    [
        (her_offer, "C'est son annonce"),
        (her_withdrawn_offer, "Marcelle a retiré cette annonce"),
        (someone_elses_offer, "Envoyer le message"),
        (agreement_she_confirmed, "C'est Marcelle qui donne ou rend service."),
        (agreement_she_confirmed, "Marcelle a confirmé."),
        (conversation_she_blocked, "Marcelle a bloqué"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_the_exchange_speaks_of_the_resident(acting, centre, marcelle, page, says):
    html = content_of(acting.get(page(centre, marcelle)))

    visible = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")
    assert says in visible
    assert not re.findall(r"\b(?:[Mm]on|[Mm]es|[Mm]a|[Vv]otre annonce|[Vv]ous avez|[Cc]'est vous)\b", visible)


def test_an_agreement_names_the_resident_where_the_form_would_say_me(acting, centre, marcelle):
    conversation = ConversationFactory(offer=OfferFactory(centre=centre), starter=marcelle)

    page = text_of(acting.get(conversation.get_absolute_url()))

    assert re.search(r'<input type="radio" name="who" value="me"[^>]*>\s*Marcelle</label>', page)
    assert ">Moi</label>" not in page
    acting.post(
        reverse("echanges:propose", args=[conversation.pk]), {"who": "me", "what": "Prêter la perceuse", "on": ""}
    )
    assert Agreement.objects.get().giver == marcelle


def test_blocking_for_the_resident_says_whom_it_concerns(acting, centre, marcelle):
    conversation = ConversationFactory(offer=OfferFactory(author=marcelle, centre=centre))

    page = text_of(acting.get(reverse("echanges:block", args=[conversation.starter.pk])))

    assert "Plus aucun message ne passera entre Marcelle et cette personne." in page.replace("\u00a0", " ")
    assert not Block.objects.exists(), "a GET only asks"


# Messages that name the resident


def register(client, centre, marcelle):
    occurrence = first_date(EventPageFactory(parent=centre))
    return client.post(reverse("agenda:register", args=[occurrence.pk]), follow=True)


def register_when_full(client, centre, marcelle):
    occurrence = first_date(EventPageFactory(parent=centre, capacity=1))
    agenda_services.register(occurrence.pk, member_of(centre))
    return client.post(reverse("agenda:register", args=[occurrence.pk]), follow=True)


def cancel(client, centre, marcelle):
    registration = agenda_services.register(first_date(EventPageFactory(parent=centre)).pk, marcelle)
    response = client.post(reverse("agenda:cancel", args=[registration.pk]), {"confirm": "oui"}, follow=True)
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CANCELLED
    return response


def join(client, centre, marcelle):
    other = CentrePageFactory(parent=centre.get_parent(), title="Centre social de la Gare")
    return client.post(reverse("accounts:join_centre", args=[other.pk]), follow=True)


def join_again(client, centre, marcelle):
    return client.post(reverse("accounts:join_centre", args=[centre.pk]), follow=True)


def post_offer(client, centre, marcelle):
    data = {
        "kind": "offer",
        "nature": "good",
        "mode": "loan",
        "title": "Je prête une perceuse",
        "description": "Une perceuse avec ses mèches.",
        "category": CategoryFactory().pk,
        "tags": "",
        "centre": centre.pk,
        "when": "",
        "where": "",
        "photo_alt": "",
    }
    response = client.post(reverse("echanges:post"), data, follow=True)
    assert Offer.objects.get().author == marcelle
    return response


def withdraw(client, centre, marcelle):
    offer = OfferFactory(author=marcelle, centre=centre)
    response = client.post(reverse("echanges:withdraw", args=[offer.pk]), follow=True)
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.WITHDRAWN
    return response


def renew(client, centre, marcelle):
    offer = OfferFactory(author=marcelle, centre=centre, expired=True)
    return client.post(reverse("echanges:renew", args=[offer.pk]), follow=True)


def answer(client, centre, marcelle):
    offer = OfferFactory(centre=centre)
    return client.post(
        reverse("echanges:answer", args=[offer.pk]), {"body": "Bonjour, je suis intéressée."}, follow=True
    )


def write(client, centre, marcelle):
    conversation = ConversationFactory(offer=OfferFactory(centre=centre), starter=marcelle)
    return client.post(conversation.get_absolute_url(), {"body": "À samedi !"}, follow=True)


def propose(client, centre, marcelle):
    conversation = ConversationFactory(offer=OfferFactory(centre=centre), starter=marcelle)
    data = {"who": "other", "what": "Prêter la perceuse", "on": "", "hours": ""}
    return client.post(reverse("echanges:propose", args=[conversation.pk]), data, follow=True)


def accept(client, centre, marcelle):
    offer = OfferFactory(author=marcelle, centre=centre)
    agreement = AgreementFactory(conversation=ConversationFactory(offer=offer))
    response = client.post(reverse("echanges:accept", args=[agreement.pk]), follow=True)
    assert Agreement.objects.get().status == Agreement.Status.ACCEPTED
    return response


def confirm_last(client, centre, marcelle):
    offer = OfferFactory(author=marcelle, centre=centre, time_bank=True)
    agreement = AgreementFactory(conversation=ConversationFactory(offer=offer), accepted=True, time_bank=True)
    agreement.receiver_confirmed_at = agreement.accepted_at
    agreement.save()
    return client.post(reverse("echanges:confirm", args=[agreement.pk]), follow=True)


def block(client, centre, marcelle):
    conversation = ConversationFactory(offer=OfferFactory(author=marcelle, centre=centre))
    response = client.post(reverse("echanges:block", args=[conversation.starter.pk]), {"confirm": "oui"}, follow=True)
    assert Block.objects.filter(blocker=marcelle).exists()
    return response


def report_offer(client, centre, marcelle):
    offer = OfferFactory(centre=centre)
    return client.post(
        reverse("echanges:report_offer", args=[offer.pk]), {"reason": "spam", "details": ""}, follow=True
    )


def mark_all_read(client, centre, marcelle):
    unread = NotificationFactory(recipient=marcelle)
    response = client.post(reverse("notifications:all_read"), follow=True)
    assert Notification.objects.get(pk=unread.pk).read_at is not None
    return response


def propose_activity(client, centre, marcelle):
    data = {
        "title": "Atelier tricot",
        "summary": "On apprend à tricoter une écharpe, ensemble et sans se presser.",
        "date": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "place": "",
        "category": str(AgendaCategoryFactory().pk),
        "capacity": "",
        "needs": "",
    }
    response = client.post(f"{reverse('agenda:propose')}?centre={centre.pk}", data, follow=True)
    assert EventPage.objects.get().proposed_by == marcelle
    return response


MESSAGES = [
    (register, "success", "Marcelle : inscription confirmée. Retrouvez-la dans « Ses inscriptions »."),
    (
        register_when_full,
        "warning",
        "C'est complet : Marcelle est sur la liste d'attente. Nous prévenons Marcelle si une place se libère.",
    ),
    (cancel, "success", "Marcelle : l'inscription est annulée. Merci d'avoir prévenu !"),
    (join, "success", "Marcelle a rejoint « Centre social de la Gare »."),
    (join_again, "info", "Marcelle est déjà membre du centre Centre social du Pont."),
    (post_offer, "success", "Marcelle : l'annonce est en ligne pour 60 jours. Merci !"),
    (withdraw, "success", "Marcelle : l'annonce est retirée. Plus personne ne la voit."),
    (renew, "success", "Marcelle : l'annonce reste en ligne jusqu'au"),
    (answer, "success", "Marcelle : le message est envoyé. La réponse arrivera ici."),
    (write, "success", "Marcelle : le message est envoyé."),
    (propose, "success", "Marcelle : la proposition est envoyée. L'autre personne doit l'accepter."),
    (accept, "success", "Marcelle a accepté l'accord."),
    (confirm_last, "success", "Merci ! L'échange est réalisé. Les heures sont inscrites sur les deux relevés."),
    (
        block,
        "success",
        "Cette personne ne peut plus écrire à Marcelle. Vous pouvez la débloquer quand vous voulez.",
    ),
    (report_offer, "success", "Merci. L'équipe du centre va regarder et dira la suite à Marcelle."),
    (mark_all_read, "success", "Marcelle : toutes ses notifications sont marquées comme lues."),
    (propose_activity, "success", "Merci ! L'équipe du centre va relire la proposition et répondra à Marcelle."),
]


@pytest.mark.parametrize(("action", "level", "text"), MESSAGES, ids=[case[0].__name__ for case in MESSAGES])
def test_while_acting_the_message_names_the_resident(acting, centre, marcelle, action, level, text):
    response = action(acting, centre, marcelle)

    shown = messages_of(response)
    assert any(shown_level == level and shown_text.startswith(text) for shown_level, shown_text in shown), shown
    assert not any("vous êtes" in shown_text.lower() or "votre" in shown_text.lower() for _, shown_text in shown)
