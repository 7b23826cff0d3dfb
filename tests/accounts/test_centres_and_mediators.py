"""Joining centres, consents, mediators acting for a resident, accompanied accounts, and other people's ids."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import urls as account_urls
from accounts.models import ActingLog, Consent, User
from accounts.services import create_accompanied_account
from accounts.views import CONSENT_EXPLAINED_ONLINE
from home.templatetags.french import MONTHS, WEEKDAYS
from quartier.models import Membership
from tests.accounts.factories import ConsentFactory, MembershipFactory, mediator_of, resident_of
from tests.accounts.pages import (
    acting_for_id,
    field_errors,
    form_errors,
    input_value,
    messages_of,
    signed_in,
    signed_in_user_id,
    text_of,
    textarea_value,
)
from tests.factories import CentrePageFactory, UserFactory

pytestmark = pytest.mark.django_db

CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
NOT_WHILE_ACTING = "Cette page n'est pas accessible quand vous agissez pour quelqu'un."
CONSENT_ENDED = "Vous n'agissez plus pour cette personne : son accord n'est plus valable."


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social du Pont")


@pytest.fixture
def other_centre(home):
    return CentrePageFactory(parent=home, title="Centre social de la Gare")


def banner(response):
    """The name in the "Vous agissez pour …" banner, or None when the page has no banner."""
    match = re.search(r"<p>Vous agissez pour <strong>(.*?)</strong></p>", text_of(response))
    return match.group(1) if match else None


def start_acting(mediator, resident):
    client = signed_in(mediator)
    response = client.post(reverse("accounts:act_for", args=[resident.pk]))
    assert response.status_code == 302, response
    assert acting_for_id(client) == resident.pk
    return client


# Joining and leaving a centre


def test_anonymous_visitor_is_invited_to_sign_up_with_the_centre_ticked(client, centre):
    html = text_of(client.get(centre.url))

    assert f'<a class="button" href="/compte/inscription/?centre={centre.pk}">Rejoindre ce centre</a>' in html
    assert 'action="/compte/centres/' not in html


def test_signed_in_person_joins_with_a_form(centre):
    client = signed_in(UserFactory())

    html = text_of(client.get(centre.url))

    assert f'<form method="post" action="/compte/centres/{centre.pk}/rejoindre/">' in html
    assert "Rejoindre ce centre</button>" in html
    assert "/compte/inscription/" not in html


def test_member_sees_that_they_belong_instead_of_the_button(centre):
    mediator = mediator_of(centre)

    html = text_of(signed_in(mediator).get(centre.url))

    assert "Vous êtes membre de ce centre (médiateur)." in html
    assert "Rejoindre ce centre" not in html


def test_joining_twice_makes_one_membership_and_says_already_member(centre):
    person = UserFactory()
    client = signed_in(person)
    url = reverse("accounts:join_centre", args=[centre.pk])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    membership = Membership.objects.get(user=person)
    assert membership.centre_id == centre.pk
    assert membership.role == Membership.Role.RESIDENT
    assert first.redirect_chain == [(centre.url, 302)]
    assert ("success", "Bienvenue ! Vous avez rejoint « Centre social du Pont ».") in messages_of(first)
    assert ("info", "Vous êtes déjà membre du centre Centre social du Pont.") in messages_of(second)
    assert "Vous êtes membre de ce centre." in text_of(second)


def test_joining_again_keeps_a_mediator_a_mediator(centre):
    mediator = mediator_of(centre)

    signed_in(mediator).post(reverse("accounts:join_centre", args=[centre.pk]))

    assert Membership.objects.get(user=mediator).role == Membership.Role.MEDIATOR


def test_anonymous_join_goes_to_signup_and_creates_nothing(client, centre):
    response = client.post(reverse("accounts:join_centre", args=[centre.pk]))

    assert response.status_code == 302
    assert response.url == f"/compte/inscription/?centre={centre.pk}"
    assert not Membership.objects.exists()


@pytest.mark.parametrize("which", ["unknown", "unpublished", "not_a_centre"])
def test_joining_a_centre_that_is_not_there_is_404(home, which):
    draft = CentrePageFactory(parent=home, live=False)
    centre_id = {"unknown": draft.pk + 1000, "unpublished": draft.pk, "not_a_centre": home.pk}[which]
    client = signed_in(UserFactory())

    response = client.post(reverse("accounts:join_centre", args=[centre_id]))

    assert response.status_code == 404
    assert not Membership.objects.exists()


def test_joining_needs_a_post(centre):
    response = signed_in(UserFactory()).get(reverse("accounts:join_centre", args=[centre.pk]))

    assert response.status_code == 405
    assert not Membership.objects.exists()


def test_leaving_a_centre_removes_the_membership_and_ends_its_consents_only(centre, other_centre):
    resident = resident_of(centre, consent=True)
    MembershipFactory(user=resident, centre=other_centre)
    ConsentFactory(resident=resident, centre=other_centre)

    response = signed_in(resident).post(
        reverse("accounts:leave_centre", args=[centre.pk]), {"confirm": "oui"}, follow=True
    )

    assert response.redirect_chain == [(reverse("accounts:my_account"), 302)]
    assert ("success", "Vous avez quitté le centre Centre social du Pont.") in messages_of(response)
    assert list(Membership.objects.filter(user=resident).values_list("centre", flat=True)) == [other_centre.pk]
    assert not Consent.objects.active().filter(resident=resident, centre=centre).exists()
    assert Consent.objects.get(resident=resident, centre=centre).withdrawn_at is not None
    assert Consent.objects.active().filter(resident=resident, centre=other_centre).exists()


def test_leaving_a_centre_one_is_not_in_is_404(centre, other_centre):
    resident = resident_of(centre)

    response = signed_in(resident).post(reverse("accounts:leave_centre", args=[other_centre.pk]), {"confirm": "oui"})

    assert response.status_code == 404
    assert Membership.objects.filter(user=resident, centre=centre).exists()


def test_my_account_lists_my_centres_with_a_link_and_my_role(centre, other_centre, home):
    person = resident_of(centre)
    MembershipFactory(user=person, centre=other_centre, mediator=True)
    CentrePageFactory(parent=home, title="Centre social des Oliviers")

    html = text_of(signed_in(person).get(reverse("accounts:my_account")))

    assert f'<a href="{centre.url}">Centre social du Pont</a></span>' in html
    assert f'<a href="{other_centre.url}">Centre social de la Gare</a> — médiateur' in html
    assert "Centre social des Oliviers" not in html
    assert html.index("Centre social de la Gare") < html.index("Centre social du Pont"), "in alphabetical order"
    assert "Les personnes que j'aide" in html


def test_my_account_needs_signing_in(client):
    response = client.get(reverse("accounts:my_account"))

    assert response.status_code == 302
    assert response.url.startswith("/compte/connexion/?next=")


# The profile form


def post_profile(person, **data):
    return signed_in(person).post(reverse("accounts:my_account"), {"display_name": "Fatou", **data})


def test_profile_is_saved(centre):
    person = UserFactory(display_name="Fatou", email="fatou@exemple.test")

    response = post_profile(person, display_name="  Fatou   Diallo ", notify_by="email")

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "Fatou Diallo"
    assert person.notify_by == User.Channel.EMAIL


def test_notify_by_email_is_refused_without_an_email_address():
    person = UserFactory(email="", phone="+33612345678", phone_verified=True)

    response = post_profile(person, notify_by="email")

    assert response.status_code == 200
    assert field_errors(response, "notify_by") == ["Ajoutez d'abord une adresse e-mail à votre compte."]
    assert 'value="email" required aria-invalid="true" id="id_notify_by_1" checked' in response.content.decode()
    person.refresh_from_db()
    assert person.notify_by == User.Channel.SITE


@pytest.mark.parametrize(
    ("phone", "verified"),
    [(None, False), ("+33612345678", False)],
    ids=["no phone", "phone not verified"],
)
def test_notify_by_sms_is_refused_without_a_verified_phone(phone, verified):
    person = UserFactory(email="fatou@exemple.test", phone=phone, phone_verified=verified)

    response = post_profile(person, notify_by="sms")

    assert field_errors(response, "notify_by") == ["Ajoutez d'abord un numéro de portable vérifié à votre compte."]
    person.refresh_from_db()
    assert person.notify_by == User.Channel.SITE


def test_notify_by_sms_is_accepted_with_a_verified_phone():
    person = UserFactory(email="", phone="+33612345678", phone_verified=True)

    post_profile(person, notify_by="sms")

    person.refresh_from_db()
    assert person.notify_by == User.Channel.SMS


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Indiquez un prénom ou un surnom."),
        ("    ", "Indiquez un prénom ou un surnom."),
        ("<script>alert(1)</script>", "Le nom ne peut pas contenir les signes < ou >."),
        ('"><img src=x onerror=alert(1)>', "Le nom ne peut pas contenir les signes < ou >."),
        ("Fatou" * 13, "Ce nom est trop long : 60 signes au plus."),
    ],
    ids=["empty", "blank", "script", "attribute", "too long"],
)
def test_bad_display_name_is_refused_next_to_the_field_and_kept(typed, error):
    person = UserFactory(display_name="Fatou")

    response = post_profile(person, display_name=typed, notify_by="site")

    assert response.status_code == 200
    assert field_errors(response, "display_name") == [error]
    assert (input_value(response, "display_name") or "") == typed
    assert "<script>alert" not in response.content.decode()
    assert "<img src=x" not in response.content.decode()
    person.refresh_from_db()
    assert person.display_name == "Fatou"


# Consent and acting for a resident


def test_resident_allows_the_mediators_of_one_of_their_centres(centre):
    resident = resident_of(centre)
    client = signed_in(resident)
    assert "J'autorise les médiateurs de ce centre à m'aider" in text_of(client.get(reverse("accounts:my_account")))

    response = client.post(reverse("accounts:give_consent"), {"centre": centre.pk}, follow=True)

    consent = Consent.objects.active().get(resident=resident)
    assert consent.centre_id == centre.pk
    assert consent.recorded_by is None
    assert consent.explained == str(CONSENT_EXPLAINED_ONLINE)
    assert consent.given_on == timezone.localdate()
    assert ("success", "Les médiateurs du centre peuvent maintenant vous aider sur le site.") in messages_of(response)
    assert "Les médiateurs de <strong>Centre social du Pont</strong> peuvent agir pour moi" in text_of(response)
    assert "J'autorise les médiateurs de ce centre à m'aider" not in text_of(response), "no centre left to allow"


def test_consent_for_a_centre_one_is_not_in_is_refused(centre, other_centre):
    resident = resident_of(centre)

    response = signed_in(resident).post(reverse("accounts:give_consent"), {"centre": other_centre.pk}, follow=True)

    assert ("error", "Choisissez un de vos centres.") in messages_of(response)
    assert not Consent.objects.exists()


def test_mediator_acts_for_a_resident_who_allowed_it_and_everything_is_logged(centre, other_centre):
    resident = resident_of(centre, consent=True, display_name="Fatou")
    mediator = mediator_of(centre, display_name="Karim")
    client = signed_in(mediator)

    helped = client.get(reverse("accounts:accompaniment"))
    assert f'action="/compte/accompagnement/{resident.pk}/agir/"' in text_of(helped)
    assert "Ces personnes ont donné leur accord pour que l'équipe de leur centre agisse pour elles" in text_of(helped)

    started = client.post(reverse("accounts:act_for", args=[resident.pk]), follow=True)
    assert started.redirect_chain == [("/", 302)]
    assert ("info", "Vous agissez maintenant pour Fatou. Tout ce que vous faites est noté.") in messages_of(started)
    assert banner(started) == "Fatou"
    assert banner(client.get(centre.url)) == "Fatou"
    assert "Vous êtes membre de ce centre." in text_of(client.get(centre.url)), "the site sees the resident"

    joined = client.post(reverse("accounts:join_centre", args=[other_centre.pk]), follow=True)

    assert ("success", "Fatou a rejoint « Centre social de la Gare ».") in messages_of(joined), "names the resident"
    assert banner(joined) == "Fatou"
    assert Membership.objects.filter(user=resident, centre=other_centre).exists()
    assert not Membership.objects.filter(user=mediator, centre=other_centre).exists()
    log = ActingLog.objects.get()
    assert (log.mediator, log.resident) == (mediator, resident)
    assert log.action == "Inscription au centre « Centre social de la Gare »"
    assert log.path == f"/compte/centres/{other_centre.pk}/rejoindre/"
    assert log.succeeded

    seen_by_resident = text_of(signed_in(resident).get(reverse("accounts:my_account")))
    assert "Karim : Inscription au centre « Centre social de la Gare »" in seen_by_resident


def test_reading_pages_while_acting_is_not_logged(centre):
    client = start_acting(mediator_of(centre), resident_of(centre, consent=True))

    client.get("/")
    client.get(centre.url)

    assert not ActingLog.objects.exists()


def test_withdrawn_consent_ends_the_mediators_session_at_their_next_request(centre, other_centre):
    resident = resident_of(centre, consent=True, display_name="Fatou")
    mediator = mediator_of(centre)
    client = start_acting(mediator, resident)
    assert banner(client.get("/")) == "Fatou"

    withdrawn = signed_in(resident).post(
        reverse("accounts:withdraw_consent", args=[resident.consents.get().pk]), follow=True
    )
    assert ("success", "Votre accord est retiré. Plus personne ne peut agir pour vous.") in messages_of(withdrawn)

    response = client.get("/")
    assert banner(response) is None
    assert ("warning", CONSENT_ENDED) in messages_of(response)
    assert acting_for_id(client) is None
    client.post(reverse("accounts:join_centre", args=[other_centre.pk]))
    assert Membership.objects.filter(user=mediator, centre=other_centre).exists(), "the mediator acts as themself"
    assert not Membership.objects.filter(user=resident, centre=other_centre).exists()
    assert not ActingLog.objects.exists()


def test_a_resident_leaving_the_centre_ends_the_mediators_session(centre):
    resident = resident_of(centre, consent=True)
    client = start_acting(mediator_of(centre), resident)

    signed_in(resident).post(reverse("accounts:leave_centre", args=[centre.pk]), {"confirm": "oui"})

    response = client.get("/")
    assert banner(response) is None
    assert ("warning", CONSENT_ENDED) in messages_of(response)


def test_stopping_ends_the_mode(centre):
    resident = resident_of(centre, consent=True)
    mediator = mediator_of(centre)
    client = start_acting(mediator, resident)

    response = client.post(reverse("accounts:stop_acting"), follow=True)

    assert response.redirect_chain == [(reverse("accounts:accompaniment"), 302)]
    assert ("info", "Vous n'agissez plus pour quelqu'un.") in messages_of(response)
    assert acting_for_id(client) is None
    assert banner(client.get("/")) is None
    assert signed_in_user_id(client) == mediator.pk
    assert client.get(reverse("accounts:my_account")).context["user"] == mediator


def test_mediator_of_another_centre_cannot_act(centre, other_centre):
    resident = resident_of(centre, consent=True)
    client = signed_in(mediator_of(other_centre))

    response = client.post(reverse("accounts:act_for", args=[resident.pk]))

    assert response.status_code == 403
    assert acting_for_id(client) is None
    assert resident not in client.get(reverse("accounts:accompaniment")).context["residents"]


def network_admin(centre):
    return resident_of(centre, consent=True, is_staff=True, is_superuser=True)


def centre_editor(centre):
    editor = resident_of(centre, consent=True)
    editor.groups.add(centre.team.editors)
    return editor


def admin_user(centre):
    """Someone who reaches the Wagtail admin through a group that is no centre's team."""
    person = resident_of(centre, consent=True)
    group = Group.objects.create(name="Relecteurs du réseau")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    person.groups.add(group)
    return person


@pytest.mark.parametrize("make_staff", [network_admin, centre_editor, admin_user])
def test_nobody_acts_for_staff_even_with_their_consent(centre, make_staff):
    staff = make_staff(centre)
    client = signed_in(mediator_of(centre))

    response = client.post(reverse("accounts:act_for", args=[staff.pk]))

    assert response.status_code == 403
    assert acting_for_id(client) is None


def test_a_resident_who_joins_a_centre_team_ends_the_mediators_session(centre):
    resident = resident_of(centre, consent=True)
    client = start_acting(mediator_of(centre), resident)

    resident.groups.add(centre.team.editors)

    response = client.get("/")
    assert banner(response) is None
    assert acting_for_id(client) is None


@pytest.mark.parametrize("consent", ["none", "withdrawn", "other centre"])
def test_nobody_acts_without_a_current_consent_to_their_centre(centre, other_centre, consent):
    resident = resident_of(centre)
    MembershipFactory(user=resident, centre=other_centre)
    if consent == "withdrawn":
        ConsentFactory(resident=resident, centre=centre, withdrawn=True)
    elif consent == "other centre":
        ConsentFactory(resident=resident, centre=other_centre)
    client = signed_in(mediator_of(centre))

    response = client.post(reverse("accounts:act_for", args=[resident.pk]))

    assert response.status_code == 403
    assert acting_for_id(client) is None


def test_acting_needs_a_post(centre):
    resident = resident_of(centre, consent=True)
    client = signed_in(mediator_of(centre))

    response = client.get(reverse("accounts:act_for", args=[resident.pk]))

    assert response.status_code == 405
    assert acting_for_id(client) is None


@pytest.mark.parametrize(
    ("method", "url_name", "with_id"),
    [
        ("get", "accounts:accompaniment", False),
        ("get", "accounts:create_accompanied", False),
        ("post", "accounts:create_accompanied", False),
        ("get", "accounts:take_over", True),
        ("post", "accounts:take_over", True),
        ("post", "accounts:act_for", True),
    ],
)
@pytest.mark.parametrize("role", [Membership.Role.RESIDENT, Membership.Role.RELAY])
def test_a_member_who_is_not_a_mediator_is_refused_the_mediators_pages(centre, method, url_name, with_id, role):
    accompanied = accompanied_of(centre, mediator_of(centre), display_name="Rose")
    member = MembershipFactory(centre=centre, role=role).user
    client = signed_in(member)
    users_before = User.objects.count()
    url = reverse(url_name, args=[accompanied.pk] if with_id else [])
    data = {"display_name": "Intrus", "centre": centre.pk, "given_on": "2026-01-05", "explained": "x"}

    response = getattr(client, method)(url, {**data, "email": "intrus@exemple.test"} if method == "post" else None)

    assert response.status_code == 403
    assert User.objects.count() == users_before
    accompanied.refresh_from_db()
    assert accompanied.accompanied and not accompanied.email
    assert acting_for_id(client) is None


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("post", "/compte/supprimer/", {"confirm": "on"}),
        ("get", "/compte/supprimer/", None),
        ("get", "/compte/mes-donnees/", None),
        ("get", "/compte/mes-donnees.json", None),
        ("get", "/compte/connexion/mot-de-passe/", None),
        ("post", "/compte/connexion/mot-de-passe/", {"login": "fatou@exemple.test", "password": "x"}),
        ("get", "/compte/", None),
        ("post", "/compte/", {"display_name": "Changé", "notify_by": "site"}),
        ("post", "/compte/accords/", {"centre": "0"}),
        ("get", "/compte/accompagnement/", None),
        ("get", "/admin/", None),
        ("get", "/admin/pages/", None),
    ],
)
def test_private_pages_are_closed_while_acting_and_nothing_is_done(centre, method, url, data):
    resident = resident_of(centre, consent=True, display_name="Fatou", email="fatou@exemple.test")
    mediator = mediator_of(centre)
    client = start_acting(mediator, resident)

    response = getattr(client, method)(url, data, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert ("error", NOT_WHILE_ACTING) in messages_of(response)
    assert banner(response) == "Fatou", "still acting"
    assert response["Content-Type"].startswith("text/html")
    for person in (resident, mediator):
        person.refresh_from_db()
        assert person.erased_at is None and person.is_active
    assert resident.display_name == "Fatou"
    assert Consent.objects.active().filter(resident=resident).count() == 1
    if method == "post":
        log = ActingLog.objects.get()
        assert log.path == url
        assert not log.succeeded, "the resident's log says the attempt did not go through"
    else:
        assert not ActingLog.objects.exists()


# Accompanied accounts


def accompanied_form(centre, **overrides):
    return {
        "display_name": "Mme Rose",
        "centre": centre.pk,
        "given_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "explained": "Placette garde son prénom et ses centres. Elle peut arrêter quand elle veut.",
        "paper_form_kept": "on",
        **overrides,
    }


@pytest.mark.parametrize("paper_form_kept", [True, False])
def test_mediator_creates_an_accompanied_account(centre, paper_form_kept):
    mediator = mediator_of(centre)
    client = signed_in(mediator)
    assert client.get(reverse("accounts:create_accompanied")).status_code == 200
    data = accompanied_form(centre)
    if not paper_form_kept:
        del data["paper_form_kept"]

    response = client.post(reverse("accounts:create_accompanied"), data, follow=True)

    assert response.redirect_chain == [(reverse("accounts:accompaniment"), 302)]
    resident = User.objects.get(display_name="Mme Rose")
    assert ("success", "Le compte de Mme Rose est créé. Vous pouvez agir pour cette personne.") in messages_of(
        response
    )
    assert "Mme Rose (compte accompagné)" in text_of(response)
    assert resident.accompanied
    assert resident.email == "" and resident.phone is None
    assert not resident.has_usable_password()
    assert not EmailAddress.objects.filter(user=resident).exists()
    assert list(resident.memberships.values_list("centre", "role")) == [(centre.pk, Membership.Role.RESIDENT)]
    consent = Consent.objects.active().get(resident=resident)
    assert consent.centre_id == centre.pk
    assert consent.recorded_by == mediator
    assert consent.given_on == timezone.localdate() - dt.timedelta(days=2)
    assert consent.explained == data["explained"]
    assert consent.paper_form_kept is paper_form_kept
    started = client.post(reverse("accounts:act_for", args=[resident.pk]), follow=True)
    assert banner(started) == "Mme Rose"


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("display_name", "", "Indiquez un prénom ou un surnom."),
        ("display_name", "<script>alert('x')</script>", "Le nom ne peut pas contenir les signes < ou >."),
        ("display_name", '"><img src=x onerror=alert(1)>', "Le nom ne peut pas contenir les signes < ou >."),
        ("given_on", "tomorrow", "L'accord ne peut pas être daté de demain ou plus tard."),
        ("given_on", "pas une date", "Saisissez une date comme 08/12/2026 ou 8\u00a0décembre 2026."),
        ("explained", "", "Champ requis."),
        (
            "explained",
            "x" * 1001,
            "Assurez-vous que cette valeur comporte au plus 1000 caractères (actuellement 1001).",
        ),
        ("centre", "other", "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."),
    ],
    ids=[
        "empty name",
        "script name",
        "attribute name",
        "future date",
        "not a date",
        "nothing explained",
        "explained too long",
        "centre not theirs",
    ],
)
def test_bad_accompanied_account_is_refused_next_to_the_field_keeping_what_was_typed(
    centre, other_centre, field, typed, error
):
    mediator = mediator_of(centre)
    if typed == "tomorrow":
        typed = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    if typed == "other":
        typed = other_centre.pk
    data = {**accompanied_form(centre), field: typed}
    before = (User.objects.count(), Membership.objects.count(), Consent.objects.count())

    response = signed_in(mediator).post(reverse("accounts:create_accompanied"), data)

    assert response.status_code == 200
    assert field_errors(response, field) == [error]
    assert (User.objects.count(), Membership.objects.count(), Consent.objects.count()) == before
    if field != "display_name":
        assert input_value(response, "display_name") == "Mme Rose"
    if field != "explained":
        assert textarea_value(response, "explained") == data["explained"]
    if field not in {"given_on", "centre"}:
        assert input_value(response, "given_on") == data["given_on"]
    if field == "display_name" and typed:
        assert input_value(response, "display_name") == typed
        assert "<script>alert" not in response.content.decode()
        assert "<img src=x" not in response.content.decode()
    assert 'name="paper_form_kept" id="id_paper_form_kept" checked' in response.content.decode()


@pytest.mark.parametrize("written", ["{day:%d/%m/%Y}", "{day:%d/%m/%y}", "{words}"])
def test_the_date_of_the_agreement_is_read_as_the_mediator_types_it(centre, written):
    day = timezone.localdate() - dt.timedelta(days=2)
    typed = written.format(day=day, words=f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}")

    response = signed_in(mediator_of(centre)).post(
        reverse("accounts:create_accompanied"), accompanied_form(centre, given_on=typed)
    )

    assert response.status_code == 302
    assert Consent.objects.get().given_on == day


def test_mediator_cannot_use_a_centre_that_is_not_theirs_even_as_the_only_choice(centre, other_centre):
    mediator = mediator_of(centre)
    MembershipFactory(user=mediator, centre=other_centre)  # a resident there, not a mediator

    html = text_of(signed_in(mediator).get(reverse("accounts:create_accompanied")))

    assert f'<option value="{centre.pk}"' in html
    assert f'<option value="{other_centre.pk}"' not in html


def accompanied_of(centre, mediator, **fields):
    return create_accompanied_account(
        mediator,
        display_name=fields.get("display_name", "Mme Rose"),
        centre=centre,
        explained="Expliqué au centre, avec le formulaire papier.",
        given_on=timezone.localdate(),
        paper_form_kept=True,
    )


def test_taking_over_by_email_lets_the_person_sign_in_with_a_code(centre):
    mediator = mediator_of(centre)
    resident = accompanied_of(centre, mediator)
    client = signed_in(mediator)
    page = client.get(reverse("accounts:take_over", args=[resident.pk]))
    assert "Mme Rose reprend son compte" in text_of(page)

    response = client.post(reverse("accounts:take_over", args=[resident.pk]), {"email": "Rose@Exemple.test"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:accompaniment")
    resident.refresh_from_db()
    assert not resident.accompanied
    assert resident.email == "rose@exemple.test"
    address = EmailAddress.objects.get(user=resident)
    assert (address.email, address.primary, address.verified) == ("rose@exemple.test", True, False)

    rose = Client()
    requested = rose.post("/compte/connexion/", {"email": "rose@exemple.test"})
    assert requested.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["rose@exemple.test"]
    assert message.subject == "[Placette] Votre code de connexion"
    (code,) = CODE.findall(message.body)
    rose.post("/compte/connexion/code/", {"code": code})
    assert signed_in_user_id(rose) == resident.pk


def test_taking_over_by_phone_lets_the_person_sign_in_with_an_sms_code(centre, sms_outbox):
    mediator = mediator_of(centre)
    resident = accompanied_of(centre, mediator)

    signed_in(mediator).post(reverse("accounts:take_over", args=[resident.pk]), {"phone": "06 12 34 56 78"})

    resident.refresh_from_db()
    assert not resident.accompanied
    assert (resident.phone.as_e164, resident.phone_verified) == ("+33612345678", False)
    rose = Client()
    rose.post("/compte/connexion/", {"phone": "06 12 34 56 78"})
    (sms,) = sms_outbox
    assert sms.to == "+33612345678"
    (code,) = CODE.findall(sms.body)
    rose.post("/compte/connexion/code/", {"code": code})
    assert signed_in_user_id(rose) == resident.pk


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"email": "deja@exemple.test"}, "email", "Cette adresse est déjà celle d'un autre compte."),
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse de courriel valide."),
        ({"phone": "+33699999999"}, "phone", "Ce numéro est déjà celui d'un autre compte."),
        ({"phone": "03 20 00 00 00"}, "phone", "Indiquez un numéro de portable (06 ou 07), pour recevoir les SMS."),
        ({"email": "", "phone": ""}, None, "Indiquez une adresse e-mail ou un numéro de portable."),
    ],
    ids=["email taken", "bad email", "phone taken", "landline", "nothing"],
)
def test_bad_take_over_is_refused_in_french_and_changes_nothing(centre, data, field, error):
    UserFactory(email="deja@exemple.test", phone="+33699999999")
    mediator = mediator_of(centre)
    resident = accompanied_of(centre, mediator)

    response = signed_in(mediator).post(reverse("accounts:take_over", args=[resident.pk]), data)

    assert response.status_code == 200
    assert (field_errors(response, field) if field else form_errors(response)) == [error]
    resident.refresh_from_db()
    assert resident.accompanied and resident.email == "" and resident.phone is None
    assert not EmailAddress.objects.filter(user=resident).exists()


def test_another_mediators_accompanied_resident_is_not_found(centre, other_centre):
    resident = accompanied_of(centre, mediator_of(centre))
    client = signed_in(mediator_of(other_centre))

    assert client.get(reverse("accounts:take_over", args=[resident.pk])).status_code == 404
    assert (
        client.post(reverse("accounts:take_over", args=[resident.pk]), {"email": "x@exemple.test"}).status_code == 404
    )
    resident.refresh_from_db()
    assert resident.accompanied and resident.email == ""


def test_a_resident_with_their_own_account_is_not_taken_over(centre):
    resident = resident_of(centre, consent=True, email="fatou@exemple.test")
    client = signed_in(mediator_of(centre))

    response = client.post(
        reverse("accounts:take_over", args=[resident.pk]), {"email": "autre@exemple.test"}, follow=True
    )

    assert response.redirect_chain == [(reverse("accounts:accompaniment"), 302)]
    assert "Vous ne pouvez pas modifier ce compte." in response.content.decode()
    resident.refresh_from_db()
    assert resident.email == "fatou@exemple.test"


# Views that take an id, tried with someone else's ids and anonymously

# Every account URL with an id is here; join_centre takes the id of a public centre, open to all.
ID_VIEWS = {
    "accounts:take_over": ("post", lambda s: [s.resident.pk], {"email": "pirate@exemple.test"}),
    "accounts:act_for": ("post", lambda s: [s.resident.pk], {}),
    "accounts:withdraw_consent": ("post", lambda s: [s.consent.pk], {}),
    "accounts:leave_centre": ("post", lambda s: [s.centre.pk], {"confirm": "oui"}),
}
PUBLIC_ID_VIEWS = {"accounts:join_centre"}


def test_every_account_view_with_an_id_is_tried_with_others_ids():
    with_ids = {f"accounts:{pattern.name}" for pattern in account_urls.urlpatterns if pattern.pattern.converters}

    assert with_ids == set(ID_VIEWS) | PUBLIC_ID_VIEWS


class Scene:
    """Fatou, an accompanied resident of one centre, with her consent and her mediator."""

    def __init__(self, centre):
        self.centre = centre
        self.mediator = mediator_of(centre)
        self.resident = accompanied_of(centre, self.mediator, display_name="Fatou")
        self.consent = self.resident.consents.get()

    def state(self):
        resident = User.objects.get(pk=self.resident.pk)
        return (
            resident.accompanied,
            resident.email,
            resident.erased_at,
            list(Consent.objects.active().filter(resident=resident).values_list("pk", flat=True)),
            list(resident.memberships.values_list("centre", flat=True)),
            EmailAddress.objects.count(),
            ActingLog.objects.count(),
        )


# People of another centre: a mediator there (who passes the mediators' check) and a resident.
OUTSIDERS = {
    "mediator elsewhere": mediator_of,
    "resident elsewhere": lambda centre: resident_of(centre, consent=True),
}


@pytest.mark.parametrize("url_name", sorted(ID_VIEWS))
@pytest.mark.parametrize("who", ["anonymous", *OUTSIDERS])
def test_someone_elses_id_never_works(centre, other_centre, url_name, who):
    scene = Scene(centre)
    before = scene.state()
    client = Client() if who == "anonymous" else signed_in(OUTSIDERS[who](other_centre))
    method, args, data = ID_VIEWS[url_name]

    response = getattr(client, method)(reverse(url_name, args=args(scene)), data)

    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/compte/connexion/?next=")
    elif url_name == "accounts:withdraw_consent":
        assert response.status_code == 302 and response.url == reverse("accounts:my_account")
        assert messages_of(client.get(response.url)) == [("error", "Cet accord n'existe pas ou a déjà été retiré.")]
    else:
        assert response.status_code in {403, 404}
    assert scene.state() == before
    assert acting_for_id(client) is None
