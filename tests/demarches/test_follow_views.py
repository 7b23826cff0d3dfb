"""Following a procedure from its page, "Mes démarches suivies", and the front desk's contacts without an account.

A visitor is sent to the sign-in by code and back; a mediator follows for a resident; a centre's team records,
changes and erases its own contacts only, with the person's consent, and a landline or a hostile name never
gets through as such.
"""

import re
from html import unescape

import pytest
from django.urls import reverse
from freezegun import freeze_time

from accounts.middleware import ACTING_FOR_SESSION_KEY
from accounts.models import ActingLog
from accounts.services import erase_account
from demarches.models import Contact, Follow
from notifications import sms_numbers
from notifications.models import SmsNumber
from tests.accounts.factories import mediator_of, resident_of
from tests.demarches.factories import ContactFactory, FollowFactory, ProcedureFactory
from tests.factories import CentrePageFactory, UserFactory
from tests.notifications.factories import member_of

pytestmark = pytest.mark.django_db

HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>'


@pytest.fixture(autouse=True)
def sunday_the_6th_of_december():
    with freeze_time("2026-12-06 10:00"):
        yield


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Lille-Sud")


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Canal")


@pytest.fixture
def actualisation():
    return ProcedureFactory(name="Actualisation France Travail", slug="actualisation-france-travail")


def text_of(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def follow_url(procedure):
    return reverse("demarches:follow", args=[procedure.slug])


# A resident follows from the procedure's page.


def test_a_visitor_is_sent_to_the_sign_in_by_code_and_back_to_one_button_with_the_chosen_day(client, actualisation):
    page = client.get(actualisation.get_absolute_url()).content.decode()
    assert 'method="get" action="/demarches/actualisation-france-travail/suivre/"' in page
    assert "csrfmiddlewaretoken" not in page  # a page shared between visitors carries no token

    response = client.get(follow_url(actualisation), {"days_before": 3})

    assert response.status_code == 302
    assert response.url == "/compte/connexion/?next=/demarches/actualisation-france-travail/suivre/%3Fdays_before%3D3"
    assert "connexion/mot-de-passe" not in response.url
    assert not Follow.objects.exists()

    resident = UserFactory()
    client.force_login(resident)
    back = client.get(response.url.split("next=")[1].replace("%3F", "?").replace("%3D", "="))
    assert back.status_code == 200
    assert re.search(r'<input type="radio" name="days_before" value="3"[^>]*checked', back.content.decode())

    done = client.post(follow_url(actualisation), {"days_before": 3})

    assert done.status_code == 302 and done.url == "/demarches/actualisation-france-travail/#prevenir"
    followed = Follow.objects.get()
    assert (followed.user, followed.days_before, followed.created_by) == (resident, 3, None)


def test_a_visitors_post_changes_nothing_and_leads_to_the_sign_in(client, actualisation):
    response = client.post(follow_url(actualisation), {"days_before": 7})

    assert response.status_code == 302 and response.url.startswith("/compte/connexion/?next=")
    assert not Follow.objects.exists()


def test_one_tap_follows_following_again_changes_when_and_ne_plus_suivre_stops(client, centre, actualisation):
    resident = member_of(centre, by_sms=True)
    client.force_login(resident)

    page = client.get(actualisation.get_absolute_url())
    assert "Le rappel arrivera par SMS." in text_of(page)
    assert re.search(r'value="7"[^>]*checked', page.content.decode())  # a week before, unless chosen otherwise

    client.post(follow_url(actualisation), {"days_before": 7})
    response = client.post(follow_url(actualisation), {"days_before": 14}, follow=True)

    assert Follow.objects.get(user=resident).days_before == 14
    assert "C'est noté : nous vous prévenons deux semaines avant chaque date limite" in messages_of(response)[-1]
    assert "Vous suivez cette démarche : vous êtes prévenu deux semaines avant chaque date limite." in text_of(
        response
    )

    response = client.post(reverse("demarches:unfollow", args=[actualisation.slug]), follow=True)

    assert not Follow.objects.exists()
    assert "Vous ne serez plus prévenu pour « Actualisation France Travail »." in messages_of(response)


@pytest.mark.parametrize(
    ("traits", "told"),
    [
        ({"site_only": True}, "le rappel restera dans vos notifications, sur Placette"),
        ({}, "Le rappel arrivera par e-mail."),
        ({"by_sms": True, "no_phone": True}, "Le rappel arrivera par e-mail."),
    ],
)
def test_the_page_says_how_the_reminder_will_come_with_a_link_to_change_it(
    client, centre, actualisation, traits, told
):
    client.force_login(member_of(centre, **traits))

    response = client.get(actualisation.get_absolute_url())

    assert told in text_of(response)
    assert f'href="{reverse("notifications:preferences")}"' in response.content.decode()


@pytest.mark.parametrize("days", ["5", "", "0", HOSTILE, "7" * 50])
def test_a_choice_not_offered_follows_nothing_and_says_so_in_french(client, actualisation, days):
    client.force_login(UserFactory())

    response = client.post(follow_url(actualisation), {"days_before": days}, follow=True)

    assert not Follow.objects.exists()
    assert messages_of(response) == ["Choisissez quand être prévenu."]
    assert "<img src=x" not in response.content.decode()


def test_an_unknown_procedure_is_not_found(client):
    client.force_login(UserFactory())

    assert client.post("/demarches/inconnue/suivre/", {"days_before": 7}).status_code == 404
    assert client.post("/demarches/inconnue/ne-plus-suivre/").status_code == 404


def test_a_mediator_acting_for_a_resident_follows_for_them_and_it_is_logged(client, centre, actualisation):
    mediator = mediator_of(centre)
    resident = resident_of(centre, consent=True, display_name="Madame Bernard")
    client.force_login(mediator)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = resident.pk
    session.save()

    page = client.get(actualisation.get_absolute_url())
    assert "Changer comment je suis prévenu" not in text_of(page)  # the resident's own choice
    response = client.post(follow_url(actualisation), {"days_before": 1}, follow=True)

    followed = Follow.objects.get()
    assert (followed.user, followed.created_by, followed.days_before) == (resident, mediator, 1)
    assert "Madame Bernard sera prévenu la veille chaque date limite" in messages_of(response)[-1]
    log = ActingLog.objects.get(resident=resident)
    assert log.action == "Démarche suivie : « Actualisation France Travail »"
    assert log.succeeded

    mine = client.get(reverse("demarches:my_follows"))
    assert mine.status_code == 200
    assert "Les démarches suivies par Madame Bernard" in text_of(mine)


def test_my_follows_lists_them_with_their_next_date_and_changes_or_stops_each(client, centre, actualisation):
    resident = member_of(centre)
    other = ProcedureFactory(name="Chèque énergie", yearly=True)
    FollowFactory(procedure=actualisation, user=resident)
    FollowFactory(procedure=other, user=resident, days_before=14)
    FollowFactory(procedure=other, user=member_of(centre))  # someone else's
    client.force_login(resident)

    response = client.get(reverse("demarches:my_follows"))

    text = text_of(response)
    assert text.count("Ne plus suivre") == 2
    assert "À faire maintenant, jusqu'au mardi 15 décembre (encore 9 jours)." in text
    assert text.index("Actualisation France Travail") < text.index("Chèque énergie")
    response = client.post(reverse("demarches:unfollow", args=[other.slug]), {"next": reverse("demarches:my_follows")})
    assert response.url == reverse("demarches:my_follows")
    assert list(Follow.objects.filter(user=resident).values_list("procedure", flat=True)) == [actualisation.pk]


def test_my_follows_asks_to_sign_in_and_is_in_the_account_menu(client, centre):
    assert client.get(reverse("demarches:my_follows")).url.startswith("/compte/connexion/")
    client.force_login(member_of(centre))

    assert reverse("demarches:my_follows") in client.get(reverse("accounts:my_account")).content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_my_follows_reads_the_same_number_of_queries_however_many(
    client, centre, count, django_assert_max_num_queries
):
    resident = member_of(centre)
    for _ in range(count):
        FollowFactory(procedure=ProcedureFactory(), user=resident)
    client.force_login(resident)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("demarches:my_follows"))

    assert text_of(response).count("Ne plus suivre") == count


def test_the_short_link_of_an_sms_leads_to_the_procedures_page(client, actualisation):
    response = client.get(reverse("demarches:short", args=[actualisation.pk]))

    assert response.status_code == 302 and response.url == actualisation.get_absolute_url()
    assert client.get(reverse("demarches:short", args=[actualisation.pk + 1000])).status_code == 404


# The front desk: people without an account.


@pytest.fixture
def team(centre, client, staff_login):
    mediator = mediator_of(centre, display_name="Nadia (accueil)")
    staff_login(client, mediator)
    return mediator


def contact_data(chosen, **values):
    return {
        "name": "Fatima Zahra",
        "phone": "06 12 34 56 78",
        "procedures": [procedure.pk for procedure in chosen],
        "days_before": 3,
        "consent": "on",
        **values,
    }


def test_the_front_desk_records_someone_with_consent_and_the_list_shows_it(client, centre, team, actualisation):
    own = ProcedureFactory(name="Inscription à l'accueil de loisirs", centre=centre)

    response = client.post(
        reverse("demarches:new_contact", args=[centre.pk]),
        contact_data([actualisation, own], accepts_campaigns="on"),
        follow=True,
    )

    contact = Contact.objects.get()
    assert (contact.centre, contact.phone, contact.consent_taken_by, str(contact.consent_on)) == (
        centre,
        "+33612345678",
        team,
        "2026-12-06",
    )
    assert contact.accepts_campaigns
    assert sorted(contact.follows.values_list("days_before", "created_by")) == [(3, team.pk), (3, team.pk)]
    text = text_of(response)
    assert "Fatima Zahra est enregistré" in text
    assert "06 12 34 56 78" in text
    assert "Accord donné le 6 décembre 2026, recueilli par Nadia (accueil)." in text
    assert "Actualisation France Travail, Inscription à l'accueil de loisirs — 3 jours avant" in text


def test_the_form_offers_the_networks_and_the_centres_own_procedures_only(
    client, centre, other_centre, team, actualisation
):
    theirs = ProcedureFactory(name="Démarche du Canal", centre=other_centre)
    ProcedureFactory(name="Démarche de Lille-Sud", centre=centre)

    page = text_of(client.get(reverse("demarches:new_contact", args=[centre.pk])))
    assert "Démarche de Lille-Sud" in page and "Actualisation France Travail" in page
    assert "Démarche du Canal" not in page

    response = client.post(reverse("demarches:new_contact", args=[centre.pk]), contact_data([theirs]))
    assert response.status_code == 400
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"phone": "03 20 12 34 56"}, "phone", "Indiquez un numéro de portable (06 ou 07), pour recevoir les SMS."),
        ({"phone": "06 12"}, "phone", "Ce numéro de téléphone n'est pas valide. Exemple : 06 12 34 56 78."),
        ({"phone": HOSTILE}, "phone", "Ce numéro de téléphone n'est pas valide. Exemple : 06 12 34 56 78."),
        ({"consent": ""}, "consent", "Sans l'accord de la personne, aucun SMS ne peut lui être envoyé."),
        ({"procedures": []}, "procedures", "Cochez au moins une démarche."),
        ({"procedures": ["x"]}, "procedures", "Cochez des démarches de la liste."),
        ({"name": "   "}, "name", "Indiquez le nom de la personne."),
        ({"name": "x" * 121}, "name", None),
        ({"days_before": "5"}, "days_before", "Choisissez quand prévenir la personne."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_keeping_what_was_typed(
    client, centre, team, actualisation, values, field, message
):
    response = client.post(reverse("demarches:new_contact", args=[centre.pk]), contact_data([actualisation], **values))

    assert response.status_code == 400
    assert not Contact.objects.exists() and not Follow.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == [field]
    if message:
        assert form.errors[field] == [message]
    content = response.content.decode()
    assert f'aria-describedby="id_{field}_error' in content or f'id="id_{field}_error"' in content
    if field != "name":
        assert 'value="Fatima Zahra"' in content


def test_a_hostile_name_is_kept_as_plain_text(client, centre, team, actualisation):
    client.post(reverse("demarches:new_contact", args=[centre.pk]), contact_data([actualisation], name=HOSTILE))

    content = client.get(reverse("demarches:contacts", args=[centre.pk])).content.decode()

    assert Contact.objects.get().name == HOSTILE
    assert "<script>alert(1)" not in content and "<img src=x" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_the_same_number_again_updates_the_contact_rather_than_making_a_second(client, centre, team, actualisation):
    other = ProcedureFactory(name="Chèque énergie", yearly=True)
    client.post(reverse("demarches:new_contact", args=[centre.pk]), contact_data([actualisation]))

    client.post(
        reverse("demarches:new_contact", args=[centre.pk]),
        contact_data([other], name="Fatima Z.", phone="+33 6 12 34 56 78", days_before=14),
    )

    contact = Contact.objects.get()
    assert contact.name == "Fatima Z."
    assert list(contact.follows.values_list("procedure", "days_before")) == [(other.pk, 14)]


def test_the_front_desk_changes_what_a_contact_follows_and_asks_consent_again(client, centre, team, actualisation):
    contact = ContactFactory(centre=centre, name="Karim", phone="+33611111111")
    FollowFactory(contact=contact, procedure=actualisation)
    other = ProcedureFactory(name="Chèque énergie", yearly=True)
    taken = ContactFactory(centre=centre, phone="+33622222222")
    url = reverse("demarches:edit_contact", args=[contact.pk])

    page = client.get(url).content.decode()
    assert 'value="06 11 11 11 11"' in page or 'value="+33611111111"' in page
    assert re.search(rf'value="{actualisation.pk}"[^>]*checked', page)

    refused = client.post(url, contact_data([other], phone="06 22 22 22 22"))
    assert refused.context["form"].errors["phone"] == ["Un autre contact du centre a déjà ce numéro."]
    no_consent = client.post(url, contact_data([other], phone="06 11 11 11 11", consent=""))
    assert no_consent.status_code == 400

    client.post(url, contact_data([actualisation, other], phone="06 11 11 11 11", days_before=1))

    contact.refresh_from_db()
    assert sorted(contact.follows.values_list("days_before", flat=True)) == [1, 1]
    assert contact.consent_taken_by == team
    assert Contact.objects.filter(pk=taken.pk).exists()


def test_a_number_that_said_stop_is_shown_plainly_and_erasing_the_contact_keeps_its_stop(
    client, centre, team, actualisation
):
    contact = ContactFactory(centre=centre, name="Karim", phone="+33611111111")
    FollowFactory(contact=contact, procedure=actualisation)
    sms_numbers.stop(contact.phone, how=SmsNumber.How.SMS)

    assert "A répondu STOP le 6 décembre : aucun SMS ne lui est envoyé." in text_of(
        client.get(reverse("demarches:contacts", args=[centre.pk]))
    )

    url = reverse("demarches:delete_contact", args=[contact.pk])
    question = client.get(url)
    assert "Supprimer Karim ?" in text_of(question)
    assert Contact.objects.exists()
    client.post(url)  # without the confirmation's yes: nothing
    assert Contact.objects.exists()

    response = client.post(url, {"confirm": "oui"})

    assert response.url == reverse("demarches:contacts", args=[centre.pk])
    assert not Contact.objects.exists() and not Follow.objects.exists()
    assert sms_numbers.is_stopped("+33611111111")


def test_the_team_records_that_a_contact_wants_sms_again_only_once_confirmed(client, centre, team, home):
    contact = ContactFactory(centre=centre, name="Karim", phone="+33611111111")
    sms_numbers.stop(contact.phone, how=SmsNumber.How.SMS)
    url = reverse("demarches:resume_contact_sms", args=[contact.pk])
    assert url in client.get(reverse("demarches:contacts", args=[centre.pk])).content.decode()

    assert "Karim veut de nouveau des SMS ?" in text_of(client.get(url))
    client.post(url)  # without the confirmation's yes: nothing
    assert sms_numbers.is_stopped(contact.phone)

    response = client.post(url, {"confirm": "oui"}, follow=True)

    assert "C'est noté : Karim recevra de nouveau des SMS." in text_of(response)
    assert not sms_numbers.is_stopped(contact.phone)
    change = SmsNumber.objects.get(phone=contact.phone).changes.first()
    assert (change.stopped, change.how, change.by) == (False, SmsNumber.How.TEAM, team)
    elsewhere = ContactFactory(centre=CentrePageFactory(parent=home), phone="+33622222222")
    sms_numbers.stop(elsewhere.phone, how=SmsNumber.How.SMS)
    assert (
        client.post(reverse("demarches:resume_contact_sms", args=[elsewhere.pk]), {"confirm": "oui"}).status_code
        == 404
    )
    assert sms_numbers.is_stopped(elsewhere.phone)


@pytest.mark.parametrize("name", ["edit_contact", "delete_contact"])
def test_another_centres_contact_is_not_found(client, other_centre, team, name):
    theirs = ContactFactory(centre=other_centre)

    assert client.get(reverse(f"demarches:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse(f"demarches:{name}", args=[theirs.pk]), {"confirm": "oui"}).status_code == 404
    assert Contact.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("name", ["contacts", "new_contact"])
def test_another_centres_pages_are_not_found(client, other_centre, team, name):
    assert client.get(reverse(f"demarches:{name}", args=[other_centre.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [("front_desk", []), ("contacts", ["centre"]), ("new_contact", ["centre"]), ("edit_contact", ["contact"])],
)
def test_a_resident_never_reaches_the_front_desk_and_a_visitor_is_asked_to_sign_in(client, centre, name, args):
    contact = ContactFactory(centre=centre)
    ids = {"centre": centre.pk, "contact": contact.pk}
    url = reverse(f"demarches:{name}", args=[ids[arg] for arg in args])

    assert client.get(url).url.startswith("/compte/connexion/")
    client.force_login(member_of(centre))
    assert client.get(url).status_code == (403 if not args else 404)


def test_the_front_desk_of_one_centre_opens_its_contacts_at_once(client, centre, team):
    response = client.get(reverse("demarches:front_desk"))

    assert response.url == reverse("demarches:contacts", args=[centre.pk])


@pytest.mark.parametrize("count", [2, 12])
def test_the_contacts_list_reads_the_same_number_of_queries_however_many(
    client, centre, team, actualisation, count, django_assert_max_num_queries
):
    for index in range(count):
        contact = ContactFactory(centre=centre, consent_taken_by=team)
        FollowFactory(contact=contact, procedure=actualisation)
        if index % 2:
            sms_numbers.stop(contact.phone, how=SmsNumber.How.SMS)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("demarches:contacts", args=[centre.pk]))

    assert text_of(response).count("A répondu STOP") == count // 2


def test_my_data_lists_my_follows_and_erasing_my_account_ends_them(client, centre, actualisation):
    resident = member_of(centre)
    FollowFactory(procedure=actualisation, user=resident)
    client.force_login(resident)

    assert "Actualisation France Travail" in text_of(client.get(reverse("accounts:my_data")))

    erase_account(resident)

    assert not Follow.objects.exists()
