"""Personal data: what "Mes données" shows and exports, and erasure, after which no trace of the person is left."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from wagtail.log_actions import log

from accounts.models import ActingLog, Consent, User
from quartier.models import Membership
from tests.accounts.factories import ActingLogFactory, ConsentFactory, MembershipFactory, mediator_of, resident_of
from tests.accounts.pages import field_errors, messages_of, signed_in, signed_in_user_id, text_of
from tests.factories import CentrePageFactory, UserFactory

pytestmark = pytest.mark.django_db

CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
# Mon compte and Mes données read a fixed number of tables, whatever the number of centres and logs
# (the agenda's section adds two: registrations and the calendar address; the exchange's six: offers,
# messages, the hours account and its transfers, blocks and reports; the procedures' three: follows, mandates
# and their log; the map's one: proposals of places; the mediation records' three: bands, sessions, and the bands
# one may erase).
ACCOUNT_PAGE_MAX_QUERIES = 27


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Pont")


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social de la Gare")


@pytest.fixture
def fatou(centre, other_centre):
    """Fatou: an e-mail, a phone, two centres, two consents, and what a mediator did for her."""
    fatou = UserFactory(
        display_name="Fatou Diallo",
        email="fatou.diallo@exemple.test",
        phone="+33612345678",
        phone_verified=True,
    )
    EmailAddress.objects.create(user=fatou, email=fatou.email, primary=True, verified=True)
    MembershipFactory(user=fatou, centre=centre, mediator=True)
    MembershipFactory(user=fatou, centre=other_centre)
    karim = mediator_of(other_centre, display_name="Karim")
    ConsentFactory(
        resident=fatou,
        centre=other_centre,
        recorded_by=karim,
        explained="Expliqué à l'accueil avec la charte.",
        paper_form_kept=True,
    )
    ActingLogFactory(mediator=karim, resident=fatou, action="Inscription à l'atelier couture")
    return fatou


@pytest.fixture
def someone_else(home):
    """Bérénice, whose data must never show in Fatou's."""
    centre = CentrePageFactory(parent=home, title="Centre social des Oliviers")
    berenice = resident_of(
        centre, consent=True, display_name="Bérénice", email="berenice.autre@exemple.test", phone="+33687654321"
    )
    ActingLogFactory(mediator=mediator_of(centre, display_name="Hugo"), resident=berenice, action="Don de livres")
    return berenice


SOMEONE_ELSES = [
    "Bérénice",
    "berenice.autre@exemple.test",
    "06 87 65 43 21",
    "+33687654321",
    "Centre social des Oliviers",
    "Hugo",
    "Don de livres",
]


# What Placette holds about me


def test_my_data_page_shows_everything_about_me_and_nothing_about_others(fatou, someone_else):
    response = signed_in(fatou).get(reverse("accounts:my_data"))

    assert response.status_code == 200
    html = text_of(response)
    for expected in (
        "<dt>Nom affiché</dt><dd>Fatou Diallo</dd>",
        "<dt>Adresse e-mail</dt><dd>fatou.diallo@exemple.test</dd>",
        "<dt>Téléphone</dt><dd>06 12 34 56 78</dd>",
        "<dt>Téléphone vérifié</dt><dd>oui</dd>",
        "<dt>Adresse</dt><dd>fatou.diallo@exemple.test</dd><dt>Vérifiée</dt><dd>oui</dd>",
        "<dt>Centre</dt><dd>Centre social du Pont</dd><dt>Rôle</dt><dd>médiateur</dd>",
        "<dt>Centre</dt><dd>Centre social de la Gare</dd><dt>Rôle</dt><dd>habitant</dd>",
        "<dt>Enregistré par</dt><dd>Karim</dd>"
        "<dt>Ce qui a été expliqué</dt><dd>Expliqué à l'accueil avec la charte.</dd>"
        "<dt>Formulaire papier</dt><dd>oui</dd>",
        "<dt>Médiateur</dt><dd>Karim</dd><dt>Action</dt><dd>Inscription à l'atelier couture</dd>",
    ):
        assert expected in html
    for foreign in SOMEONE_ELSES:
        assert foreign not in html


def test_my_data_file_is_a_json_attachment_with_the_same_data(fatou, someone_else):
    response = signed_in(fatou).get(reverse("accounts:my_data_json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees-placette.json"'
    data = json.loads(response.content)["donnees"]
    (profile,) = data["Mon compte"]
    assert profile["Nom affiché"] == "Fatou Diallo"
    assert profile["Adresse e-mail"] == "fatou.diallo@exemple.test"
    assert profile["Téléphone"] == "06 12 34 56 78"
    assert [address["Adresse"] for address in data["Adresses e-mail"]] == ["fatou.diallo@exemple.test"]
    assert {(m["Centre"], m["Rôle"]) for m in data["Mes centres"]} == {
        ("Centre social du Pont", "médiateur"),
        ("Centre social de la Gare", "habitant"),
    }
    (consent,) = data["Mes accords pour être aidé"]
    assert consent["Centre"] == "Centre social de la Gare"
    assert consent["Enregistré par"] == "Karim"
    assert consent["Ce qui a été expliqué"] == "Expliqué à l'accueil avec la charte."
    (log,) = data["Ce que les médiateurs ont fait pour moi"]
    assert (log["Médiateur"], log["Action"]) == ("Karim", "Inscription à l'atelier couture")
    raw = response.content.decode()
    for foreign in SOMEONE_ELSES:
        assert foreign not in raw


@pytest.mark.parametrize("url_name", ["accounts:my_data", "accounts:my_data_json", "accounts:delete_account"])
def test_personal_data_pages_need_signing_in(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url.startswith("/compte/connexion/?next=")


def person_with(home, count):
    """Someone with a mobile, and `count` centres, consents and logs written by `count` different mediators."""
    person = UserFactory(display_name="Fatou", email="fatou@exemple.test", phone=f"+336123456{count:02d}")
    for index in range(count):
        centre = CentrePageFactory(parent=home)
        MembershipFactory(user=person, centre=centre, mediator=index == 0)
        mediator = mediator_of(centre, display_name=f"Médiateur {index}")
        ConsentFactory(resident=person, centre=centre, recorded_by=mediator)
        ActingLogFactory(mediator=mediator, resident=person)
    CentrePageFactory(parent=home)  # one centre left to allow
    return person


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["accounts:my_account", "accounts:my_data", "accounts:my_data_json"])
def test_account_pages_read_as_many_tables_with_one_centre_or_ten(home, django_assert_max_num_queries, url_name):
    url = reverse(url_name)
    one = signed_in(person_with(home, 1))
    one.get(url)  # the first request notes the day of the visit
    ten = signed_in(person_with(home, 10))
    ten.get(url)
    assert text_of(ten.get(reverse("accounts:my_data"))).count("Médiateur 9") == 2, "ten consents and ten logs shown"

    with django_assert_max_num_queries(ACCOUNT_PAGE_MAX_QUERIES):
        ten.get(url)
    assert queries_for(ten, url) == queries_for(one, url)


# Erasure


def test_erasure_needs_the_box_ticked(fatou):
    client = Client(enforce_csrf_checks=True)
    client.force_login(fatou)
    page = client.get(reverse("accounts:delete_account"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)

    response = client.post(reverse("accounts:delete_account"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert field_errors(response, "confirm") == ["Cochez la case pour confirmer."]
    fatou.refresh_from_db()
    assert fatou.erased_at is None and fatou.is_active and fatou.email == "fatou.diallo@exemple.test"
    assert Membership.objects.filter(user=fatou).count() == 2
    assert signed_in_user_id(client) == fatou.pk


def test_erasure_signs_out_and_keeps_a_nameless_row(fatou):
    client = signed_in(fatou)

    response = client.post(reverse("accounts:delete_account"), {"confirm": "on"}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert (
        "success",
        "Votre compte et vos données sont effacés. Merci d'avoir utilisé Placette.",
    ) in messages_of(response)
    assert signed_in_user_id(client) is None
    assert client.get(reverse("accounts:my_account")).status_code == 302
    erased = User.objects.get(pk=fatou.pk)
    assert erased.erased_at is not None
    assert str(erased) == "Ancien membre"
    assert not erased.is_active
    assert not erased.has_usable_password()
    assert (erased.email, erased.phone, erased.display_name) == ("", None, "")
    assert not Membership.objects.filter(user=erased).exists()
    assert not Consent.objects.filter(resident=erased).exists()
    assert not ActingLog.objects.filter(resident=erased).exists()
    assert not EmailAddress.objects.filter(user=erased).exists()


def test_an_erased_person_can_no_longer_sign_in(fatou, sms_outbox):
    signed_in(fatou).post(reverse("accounts:delete_account"), {"confirm": "on"})
    mail.outbox.clear()

    by_email = Client()
    by_email.post("/compte/connexion/", {"email": "fatou.diallo@exemple.test"})
    by_email.post("/compte/connexion/code/", {"code": "123456"})
    by_phone = Client()
    by_phone.post("/compte/connexion/", {"phone": "06 12 34 56 78"})
    by_phone.post("/compte/connexion/code/", {"code": "123456"})
    by_password = Client()
    by_password.post(
        "/compte/connexion/mot-de-passe/", {"login": "fatou.diallo@exemple.test", "password": "mot-de-passe-de-test"}
    )

    for client in (by_email, by_phone, by_password):
        assert signed_in_user_id(client) is None
        assert client.get(reverse("accounts:my_account")).status_code == 302
    assert mail.outbox, "allauth answers as for an unknown address"
    for message in mail.outbox:
        assert message.to == ["fatou.diallo@exemple.test"]
        assert "n'a pas de compte" in message.body
        assert not CODE.search(message.body)
    assert [sms.to for sms in sms_outbox] == ["+33612345678"]
    assert "n'a pas de compte" in sms_outbox[0].body
    assert not CODE.search(sms_outbox[0].body)


def test_what_a_former_mediator_did_stays_in_the_residents_log_signed_ancien_membre(centre):
    mediator = mediator_of(centre, display_name="Karim Benali")
    resident = resident_of(centre, consent=False, display_name="Rose")
    ConsentFactory(resident=resident, centre=centre, recorded_by=mediator)
    log = ActingLogFactory(mediator=mediator, resident=resident, action="Inscription à l'atelier couture")

    signed_in(mediator).post(reverse("accounts:delete_account"), {"confirm": "on"})

    log.refresh_from_db()
    assert log.mediator_id == mediator.pk
    assert str(log.mediator) == "Ancien membre"
    rose = signed_in(resident)
    account = text_of(rose.get(reverse("accounts:my_account")))
    assert "Ancien membre : Inscription à l'atelier couture" in account
    assert "accord noté par Ancien membre" in account
    data = json.loads(rose.get(reverse("accounts:my_data_json")).content)["donnees"]
    assert data["Ce que les médiateurs ont fait pour moi"][0]["Médiateur"] == "Ancien membre"
    assert data["Mes accords pour être aidé"][0]["Enregistré par"] == "Ancien membre"
    assert "Karim" not in account


# The search: after erasure, no table holds the person's name, e-mail or phone

NAME = "Zéphyrine Quillebeuf"
EMAIL = "zephyrine.quillebeuf@exemple.test"
PHONE = "+33698765432"
TRACES = ["Zéphyrine", "Quillebeuf", "zephyrine", "zquillebeuf", EMAIL, PHONE, "06 98 76 54 32", "0698765432"]
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def traces_in_database():
    """Every (model.field, trace) where a text, e-mail, phone or JSON column holds one of TRACES."""
    found = set()
    for model in apps.get_models():
        fields = [field.attname for field in model._meta.concrete_fields if isinstance(field, TEXT_FIELDS)]
        if not fields:
            continue
        for row in model._base_manager.values_list("pk", *fields):
            for name, value in zip(fields, row[1:], strict=True):
                text = json.dumps(value, ensure_ascii=False, default=str) if value is not None else ""
                found.update(
                    (f"{model._meta.label}.{name}", trace) for trace in TRACES if trace.lower() in text.lower()
                )
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded(), ensure_ascii=False, default=str)
        found.update(("session", trace) for trace in TRACES if trace.lower() in decoded.lower())
    return found


def sign_in_by_code(email):
    client = Client()
    client.post("/compte/connexion/", {"email": email})
    (code,) = CODE.findall(mail.outbox[-1].body)
    client.post("/compte/connexion/code/", {"code": code})
    return client


def test_after_erasure_no_table_holds_the_persons_name_email_or_phone(centre, other_centre, home):
    zephyrine = UserFactory(
        username="zquillebeuf",
        first_name="Zéphyrine",
        last_name="Quillebeuf",
        display_name=NAME,
        email=EMAIL,
        phone=PHONE,
        phone_verified=True,
        notify_by=User.Channel.SMS,
    )
    EmailAddress.objects.create(user=zephyrine, email=EMAIL, primary=True, verified=True)
    MembershipFactory(user=zephyrine, centre=centre, mediator=True)
    MembershipFactory(user=zephyrine, centre=other_centre)
    third_centre = CentrePageFactory(parent=home, title="Centre social des Oliviers")
    # Someone she helps as a mediator, and a mediator who helps her.
    rose = resident_of(centre, consent=True, display_name="Rose")
    karim = mediator_of(other_centre, display_name="Karim")
    # She signs in by code on two devices, and does things on the site.
    phone_session = sign_in_by_code(EMAIL)
    computer = sign_in_by_code(EMAIL)
    assert signed_in_user_id(phone_session) == signed_in_user_id(computer) == zephyrine.pk
    computer.post(reverse("accounts:give_consent"), {"centre": other_centre.pk})
    computer.post(
        reverse("accounts:create_accompanied"),
        {
            "display_name": "Mme Lune",
            "centre": centre.pk,
            "given_on": timezone.localdate().isoformat(),
            "explained": "Expliqué au centre.",
        },
    )
    computer.post(reverse("accounts:act_for", args=[rose.pk]))
    computer.post(reverse("accounts:join_centre", args=[third_centre.pk]))
    computer.post(reverse("accounts:stop_acting"))
    helper = signed_in(karim)
    helper.post(reverse("accounts:act_for", args=[zephyrine.pk]))
    helper.post(reverse("accounts:join_centre", args=[third_centre.pk]))
    helper.post(reverse("accounts:stop_acting"))
    assert ActingLog.objects.filter(mediator=zephyrine, resident=rose).exists()
    assert ActingLog.objects.filter(mediator=karim, resident=zephyrine).exists()
    assert Consent.objects.filter(recorded_by=zephyrine, resident__display_name="Mme Lune").exists()
    # A network admin edited her account in the admin, whose history names the account.
    log(zephyrine, "wagtail.edit", user=UserFactory(network_admin=True))
    before = traces_in_database()
    assert {trace for _where, trace in before} >= {"Zéphyrine", "Quillebeuf", "zquillebeuf", EMAIL, PHONE}, (
        "the search finds the person before erasure"
    )

    computer.post(reverse("accounts:delete_account"), {"confirm": "on"})

    assert traces_in_database() == set()
    assert User.objects.get(pk=zephyrine.pk).erased_at is not None
    roses_log = ActingLog.objects.get(resident=rose, path=reverse("accounts:join_centre", args=[third_centre.pk]))
    assert roses_log.mediator_id == zephyrine.pk
    assert str(roses_log.mediator) == "Ancien membre"
    assert "Ancien membre : Inscription au centre « Centre social des Oliviers »" in text_of(
        signed_in(rose).get(reverse("accounts:my_account"))
    )


def just_now(person):
    """Fatou's account and what was done for her dated now, the frozen time: fixtures run before it is frozen."""
    User.objects.filter(pk=person.pk).update(date_joined=timezone.now())
    ActingLog.objects.filter(resident=person).update(created_at=timezone.now())


@freeze_time("2026-12-04 14:38:00.681089")
def test_my_data_page_writes_dates_in_words_at_local_time(fatou):
    just_now(fatou)

    html = text_of(signed_in(fatou).get(reverse("accounts:my_data"))).replace("\u00a0", " ")

    assert "<dt>Compte créé le</dt><dd>vendredi 4 décembre 2026 à 15 h 38</dd>" in html
    assert "<dt>Le</dt><dd>vendredi 4 décembre 2026 à 15 h 38</dd>" in html
    assert not re.search(r"\d{4}-\d{2}-\d{2}", html)


@freeze_time("2026-12-04 14:38:00.681089")
def test_my_data_file_keeps_iso_dates_at_the_local_offset(fatou):
    just_now(fatou)
    data = json.loads(signed_in(fatou).get(reverse("accounts:my_data_json")).content)

    assert data["exporte_le"] == "2026-12-04T15:38:00+01:00"
    assert data["donnees"]["Mon compte"][0]["Compte créé le"] == "2026-12-04T15:38:00+01:00"
    assert data["donnees"]["Ce que les médiateurs ont fait pour moi"][0]["Le"] == "2026-12-04T15:38:00+01:00"
