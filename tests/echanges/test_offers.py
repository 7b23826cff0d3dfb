"""Offers and requests: posting, the listing and its filters, an offer's page, the author's actions, expiry."""

import datetime as dt
import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from PIL import Image as PILImage
from wagtail.images import get_image_model

from accounts.middleware import ACTING_FOR_SESSION_KEY
from core.errors import NotAllowed
from echanges import notices
from echanges.models import OFFER_LIFETIME, Offer, Suspension
from echanges.services import offers
from echanges.tasks import expire_and_remind_offers
from notifications.models import Notification
from search.indexing import index_objects
from tests.accounts.factories import ConsentFactory, mediator_of, resident_of
from tests.accounts.pages import field_errors, input_value, messages_of, signed_in, textarea_value
from tests.echanges.factories import CategoryFactory, OfferFactory
from tests.factories import CentrePageFactory, ImageFactory
from tests.notifications.factories import PersonFactory, member_of

pytestmark = pytest.mark.django_db

PUBLIC_PAGE_MAX_QUERIES = 15
Image = get_image_model()


@pytest.fixture
def centre(home):
    return CentrePageFactory(parent=home, title="Centre social Belencontre", slug="belencontre")


@pytest.fixture
def category():
    return CategoryFactory(name="Bricolage", slug="bricolage")


@pytest.fixture
def author(centre):
    return member_of(centre, display_name="Awa")


def jpeg(size=(400, 300)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (20, 120, 90)).save(buffer, format="JPEG")
    buffer.seek(0)
    buffer.name = "perceuse.jpg"
    return buffer


def form_data(centre, category, /, **changes):
    return {
        "kind": "offer",
        "nature": "good",
        "mode": "loan",
        "title": "Je prête une perceuse",
        "description": "Une perceuse avec ses mèches.",
        "category": category.pk,
        "tags": "outil, bricolage",
        "centre": centre.pk,
        "when": "Le samedi matin",
        "where": "",
        "photo_alt": "",
        **changes,
    }


def offer_titles(response):
    return [
        unescape(title)
        for title in re.findall(r'class="offer-item__title"><a href="[^"]*">([^<]*)</a>', response.content.decode())
    ]


def post(author, centre, category, /, **changes):
    values = {
        "centre": centre,
        "kind": Offer.Kind.OFFER,
        "nature": Offer.Nature.GOOD,
        "mode": Offer.Mode.GIFT,
        "title": "Je donne un vélo d'enfant",
        "description": "Un petit vélo rouge.",
        "category": category,
        "tags": ["vélo"],
        "when": "",
        "where": "",
        **changes,
    }
    return offers.post_offer(author, **values)


# Services.


def test_posting_publishes_an_open_offer_for_60_days_with_its_tags(author, centre, category):
    with freeze_time("2026-03-10 10:00:00+01:00"):
        offer = post(author, centre, category, title="  Je donne un vélo  ", tags=["Vélo", " enfant ", "vélo", ""])

    offer.refresh_from_db()
    assert (offer.author, offer.centre, offer.status, offer.title) == (
        author,
        centre,
        Offer.Status.OPEN,
        "Je donne un vélo",
    )
    assert offer.expires_at - offer.published_at == OFFER_LIFETIME == dt.timedelta(days=60)
    assert sorted(tag.name for tag in offer.tags.all()) == ["enfant", "vélo"]
    assert offer.photo is None


def test_a_suspended_person_cannot_post(author, centre, category):
    Suspension.objects.create(person=author, until=timezone.now() + dt.timedelta(days=3), reason="Insultes")

    with pytest.raises(NotAllowed, match="suspendu votre compte"):
        post(author, centre, category)

    assert not Offer.objects.exists()


def test_an_ended_suspension_no_longer_stops_anyone(author, centre, category):
    Suspension.objects.create(person=author, until=timezone.now() - dt.timedelta(minutes=1), reason="Insultes")

    assert post(author, centre, category).pk


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "x" * 101}, "100 signes au plus"),
        ({"title": " ?! "}, "avec des lettres"),
        ({"description": "x" * 2001}, "2000 signes au plus"),
        ({"tags": ["un", "deux", "trois", "quatre", "cinq", "six"]}, "5 mots-clés au plus"),
        ({"tags": ["x" * 31]}, "trop long"),
        ({"photo": jpeg(), "photo_alt": " "}, "ce que montre la photo"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(author, centre, category, changes, message):
    with pytest.raises(offers.OfferRefused, match=message):
        post(author, centre, category, **changes)

    assert not Offer.objects.exists()
    assert not Image.objects.exists()


def test_a_centre_not_published_is_refused(author, home, category):
    draft = CentrePageFactory(parent=home, slug="brouillon", live=False)

    with pytest.raises(offers.OfferRefused, match="Ce centre n'existe pas"):
        post(author, draft, category)


def test_a_mediator_posts_for_a_resident_only_with_their_consent(centre, category):
    mediator = mediator_of(centre)
    resident = resident_of(centre)

    with pytest.raises(NotAllowed, match="accord"):
        post(resident, centre, category, by=mediator)
    ConsentFactory(resident=resident, centre=centre)
    offer = post(resident, centre, category, by=mediator)

    assert offer.author == resident


def test_someone_elses_offer_cannot_be_changed_withdrawn_or_renewed(author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category, title="À moi", expired=True)
    stranger = PersonFactory()

    with pytest.raises(Offer.DoesNotExist):
        offers.update_offer(offer.pk, stranger, title="Volé")
    with pytest.raises(Offer.DoesNotExist):
        offers.withdraw_offer(offer.pk, stranger)
    with pytest.raises(Offer.DoesNotExist):
        offers.renew_offer(offer.pk, stranger)

    offer.refresh_from_db()
    assert (offer.title, offer.status) == ("À moi", Offer.Status.EXPIRED)


def test_renewing_opens_an_expired_offer_for_60_more_days_and_reminds_again(author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category, expired=True)
    Offer.objects.filter(pk=offer.pk).update(expiry_reminded_at=timezone.now() - dt.timedelta(days=8))

    with freeze_time("2026-05-01 12:00:00+02:00"):
        offers.renew_offer(offer.pk, author)
        now = timezone.now()

    offer.refresh_from_db()
    assert (offer.status, offer.expires_at, offer.expiry_reminded_at) == (
        Offer.Status.OPEN,
        now + OFFER_LIFETIME,
        None,
    )


def test_a_withdrawn_offer_cannot_be_renewed_or_withdrawn_again(author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category, withdrawn=True)

    with pytest.raises(offers.OfferRefused, match="retirée"):
        offers.renew_offer(offer.pk, author)
    with pytest.raises(offers.OfferRefused, match="déjà retirée"):
        offers.withdraw_offer(offer.pk, author)


def test_a_suspended_author_may_still_withdraw_their_offer(author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category)
    Suspension.objects.create(person=author, until=timezone.now() + dt.timedelta(days=3), reason="Arnaque")

    with pytest.raises(NotAllowed):
        offers.update_offer(offer.pk, author, title="Nouveau titre")
    offers.withdraw_offer(offer.pk, author)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN


# Expiry and the week's reminder, at night.


def expiry_notifications(person):
    return Notification.objects.filter(recipient=person, kind=notices.OFFER_EXPIRY.key)


def test_an_offer_expires_after_60_days_and_its_author_is_told_once(author, centre, category):
    with freeze_time("2026-01-01 10:00:00+01:00"):
        offer = post(author, centre, category)
    other = OfferFactory(centre=centre, category=category)

    with freeze_time("2026-03-02 09:59:00+01:00"):
        assert offers.expire_offers() == 0
    with freeze_time("2026-03-02 10:00:00+01:00"):
        assert offers.expire_offers() == 1
        assert offers.expire_offers() == 0

    offer.refresh_from_db()
    other.refresh_from_db()
    assert (offer.status, other.status) == (Offer.Status.EXPIRED, Offer.Status.OPEN)
    [notification] = expiry_notifications(author)
    assert "est arrivée au bout de ses 60 jours" in notification.text
    assert notification.url == f"/echanges/annonces/{offer.pk}/#renouveler"


def test_the_author_is_reminded_once_a_week_before_the_end_even_when_run_twice(author, centre, category):
    with freeze_time("2026-01-01 10:00:00+01:00"):
        offer = post(author, centre, category, title="Vélo rouge")

    with freeze_time("2026-02-22 10:00:00+01:00"):  # 8 days before the end
        assert offers.remind_expiring_offers() == 0
    with freeze_time("2026-02-23 10:00:00+01:00"):  # 7 days before
        assert offers.remind_expiring_offers() == 1
        assert offers.remind_expiring_offers() == 0
    with freeze_time("2026-02-25 10:00:00+01:00"):
        assert offers.remind_expiring_offers() == 0

    [notification] = expiry_notifications(author)
    assert notification.text == (
        "Votre annonce « Vélo rouge » s'arrête le lundi 2\u00a0mars. Pour la garder, renouvelez-la."
    )
    offer.refresh_from_db()
    assert offer.expiry_reminded_at is not None


def test_hidden_withdrawn_and_far_offers_are_not_reminded(centre, category):
    for traits in ({"hidden": True}, {"withdrawn": True}, {}):
        OfferFactory(centre=centre, category=category, expires_at=timezone.now() + dt.timedelta(days=3), **traits)
    OfferFactory(centre=centre, category=category)

    assert offers.remind_expiring_offers() == 1


def test_the_nightly_task_expires_then_reminds(centre, category):
    OfferFactory(centre=centre, category=category, expires_at=timezone.now() - dt.timedelta(minutes=1))
    OfferFactory(centre=centre, category=category, expiring=True)

    assert expire_and_remind_offers.call() == {"expired": 1, "reminded": 1}
    assert expire_and_remind_offers.call() == {"expired": 0, "reminded": 0}
    assert Notification.objects.filter(kind=notices.OFFER_EXPIRY.key).count() == 2


# Posting through the form.


def test_posting_needs_a_signed_in_person(client):
    response = client.get(reverse("echanges:post"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_request_login_code')}?next=/echanges/proposer/"


def test_the_form_puts_my_centre_first_and_chooses_it(home, author, centre, category):
    CentrePageFactory(parent=home, title="Aaa premier par ordre alphabétique", slug="aaa")

    response = signed_in(author).get(reverse("echanges:post"))

    html = response.content.decode()
    options = re.findall(r'<option value="(\d+)"( selected)?>', html.split('name="centre"')[1].split("</select>")[0])
    assert options[0] == (str(centre.pk), " selected")
    assert len(options) == 2
    assert 'placeholder="Au centre social par défaut"' in html
    assert "Rencontrez-vous au centre social ou dans un lieu public." in html


def test_posting_with_the_form_publishes_and_shows_the_offer(author, centre, category):
    client = signed_in(author)

    response = client.post(reverse("echanges:post"), form_data(centre, category, tags="Outil, perceuse, outil"))

    offer = Offer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == offer.get_absolute_url()
    assert (offer.author, offer.kind, offer.nature, offer.mode) == (author, "offer", "good", "loan")
    assert sorted(tag.name for tag in offer.tags.all()) == ["outil", "perceuse"]
    page = client.get(response["Location"])
    assert ("success", "Votre annonce est en ligne pour 60 jours. Merci !") in messages_of(page)


def test_a_10000_sign_title_is_refused_next_to_the_field_and_what_was_typed_is_kept(author, centre, category):
    response = signed_in(author).post(
        reverse("echanges:post"), form_data(centre, category, title="A" * 10_000, description="Mes mèches aussi")
    )

    assert response.status_code == 400
    [error] = field_errors(response, "title")
    assert error.startswith("100 signes au plus")
    assert "10000" in error
    assert input_value(response, "title") == "A" * 10_000
    assert textarea_value(response, "description") == "Mes mèches aussi"
    assert 'aria-describedby="id_title_helptext id_title_error"' in response.content.decode()
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"category": ""}, "category", "Choisissez une catégorie."),
        ({"category": "999999"}, "category", "Choisissez une catégorie dans la liste."),
        ({"title": ""}, "title", "Donnez un titre à votre annonce."),
        ({"kind": "sell"}, "kind", None),
        ({"mode": ""}, "mode", "Choisissez ce qui est attendu en échange."),
        ({"centre": "abc"}, "centre", "Choisissez un centre dans la liste."),
        ({"tags": "a, b, c, d, e, f"}, "tags", "5 mots-clés au plus."),
        ({"description": "x" * 2001}, "description", None),
    ],
)
def test_bad_input_gets_a_french_message_next_to_its_field(author, centre, category, changes, field, message):
    response = signed_in(author).post(reverse("echanges:post"), form_data(centre, category, **changes))

    assert response.status_code == 400
    errors = field_errors(response, field)
    assert errors
    if message:
        assert errors == [message]
    assert not Offer.objects.exists()


def test_an_html_title_is_kept_as_text_and_shown_escaped(author, centre, category, client):
    payload = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
    signed_in(author).post(
        reverse("echanges:post"),
        form_data(centre, category, title=payload, description=f"{payload}\nVoir https://exemple.test/notice"),
    )

    offer = Offer.objects.get()
    assert offer.title == payload
    html = client.get(offer.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="https://exemple.test/notice" rel="nofollow noopener">https://exemple.test/notice</a>' in html
    assert "<br>Voir" in html
    assert offer_titles(client.get(reverse("echanges:listing"))) == [payload]


def test_a_photo_without_its_description_is_refused_and_nothing_is_stored(author, centre, category):
    response = signed_in(author).post(reverse("echanges:post"), {**form_data(centre, category), "photo": jpeg()})

    assert response.status_code == 400
    assert field_errors(response, "photo_alt") == ["Dites en quelques mots ce que montre la photo."]
    assert not Offer.objects.exists()
    assert not Image.objects.exists()


def huge_png():
    """A 20 000 × 20 000 image, small on disk: a one-bit PNG of one colour."""
    buffer = io.BytesIO()
    PILImage.new("1", (20_000, 20_000)).save(buffer, format="PNG")
    return SimpleUploadedFile("enorme.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("photo.jpg", b"pas une image", content_type="image/jpeg"), "pas une photo"),
        (
            lambda: SimpleUploadedFile(
                "photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
            ),
            "pas une photo",
        ),
        (huge_png, "trop grande"),
        (lambda: SimpleUploadedFile("lourde.jpg", b"\xff\xd8" + b"0" * (30 * 1024 * 1024)), "trop lourde"),
    ],
    ids=["not-an-image", "svg-with-script", "20000x20000", "30-mb"],
)
def test_a_bad_photo_is_refused_next_to_its_field_and_nothing_is_written(author, centre, category, upload, message):
    data = {**form_data(centre, category, title="Prêt de perceuse", photo_alt="Une perceuse"), "photo": upload()}
    response = signed_in(author).post(reverse("echanges:post"), data)

    assert response.status_code == 400
    [error] = field_errors(response, "photo")
    assert message in error
    assert input_value(response, "title") == "Prêt de perceuse"
    assert not Offer.objects.exists()
    assert not Image.objects.exists()


def test_a_photo_is_stored_and_shown_with_its_description(author, centre, category, client):
    signed_in(author).post(
        reverse("echanges:post"),
        {**form_data(centre, category, photo_alt="Une perceuse verte"), "photo": jpeg()},
    )

    offer = Offer.objects.select_related("photo").get()
    assert offer.photo is not None
    assert offer.photo_alt == "Une perceuse verte"
    html = client.get(offer.get_absolute_url()).content.decode()
    assert re.search(
        r'<img [^>]*alt="Une perceuse verte"[^>]*loading="lazy"|<img [^>]*loading="lazy"[^>]*alt="Une perceuse verte"',
        html,
    )
    assert ".webp" in html


def test_a_suspended_person_is_told_before_typing_and_refused_on_sending(author, centre, category):
    Suspension.objects.create(person=author, until=timezone.now() + dt.timedelta(days=3), reason="Insultes")
    client = signed_in(author)

    page = client.get(reverse("echanges:post"))
    sent = client.post(reverse("echanges:post"), form_data(centre, category))

    assert page.status_code == sent.status_code == 403
    assert "La modération a suspendu votre compte" in unescape(page.content.decode())
    assert not Offer.objects.exists()


def test_a_mediator_acting_for_a_resident_posts_in_the_residents_name(centre, category):
    mediator = mediator_of(centre)
    resident = resident_of(centre, consent=True)
    client = signed_in(mediator)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = resident.pk
    session.save()

    response = client.post(reverse("echanges:post"), form_data(centre, category))

    assert response.status_code == 302
    assert Offer.objects.get().author == resident


# The listing.


def test_the_listing_shows_open_offers_only_newest_first_without_cookies(client, centre, category):
    now = timezone.now()
    OfferFactory(centre=centre, category=category, title="Ancienne", published_at=now - dt.timedelta(days=2))
    OfferFactory(centre=centre, category=category, title="Récente", published_at=now)
    for trait in ("withdrawn", "hidden", "expired"):
        OfferFactory(centre=centre, category=category, title=trait, **{trait: True})

    response = client.get(reverse("echanges:listing"))

    assert response.status_code == 200
    assert offer_titles(response) == ["Récente", "Ancienne"]
    assert "2 annonces." in response.content.decode()
    assert not response.cookies
    assert "Connectez-vous pour répondre ou proposer" in unescape(response.content.decode())
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_a_signed_in_person_gets_the_way_to_post(author):
    html = unescape(signed_in(author).get(reverse("echanges:listing")).content.decode())

    assert f'href="{reverse("echanges:post")}">Proposer ou demander quelque chose' in html
    assert "Connectez-vous pour répondre" not in html


@pytest.fixture
def variety(home, centre, category):
    other_centre = CentrePageFactory(parent=home, title="Centre social du Blanc-Seau", slug="blanc-seau")
    OfferFactory(centre=centre, category=category, title="Perceuse à prêter", nature="good", mode="loan")
    OfferFactory(centre=centre, category=CategoryFactory(slug="couture"), title="Cours de couture", nature="skill")
    OfferFactory(centre=other_centre, category=category, title="Cherche poussette", request=True, nature="good")
    OfferFactory(centre=centre, category=category, title="Aide aux devoirs", time_bank=True, description="Maths")
    # Words are looked up in the search index, which the worker fills after each save.
    index_objects(Offer.objects.all())
    return other_centre


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "request"}, ["Cherche poussette"]),
        ({"nature": "skill"}, ["Cours de couture"]),
        ({"mode": "time"}, ["Aide aux devoirs"]),
        ({"category": "couture"}, ["Cours de couture"]),
        ({"q": "PERCEUSE"}, ["Perceuse à prêter"]),
        ({"q": "maths"}, ["Aide aux devoirs"]),
        ({"kind": "offer", "nature": "good"}, ["Perceuse à prêter"]),
    ],
)
def test_each_filter_narrows_the_listing(client, variety, query, expected):
    response = client.get(reverse("echanges:listing"), query)

    assert response.status_code == 200
    assert sorted(offer_titles(response)) == sorted(expected)
    assert "avec ces choix" in response.content.decode()


def test_the_centre_filter(client, variety):
    response = client.get(reverse("echanges:listing"), {"centre": variety.pk})

    assert offer_titles(response) == ["Cherche poussette"]


@pytest.mark.parametrize("query", [{"q": "trottinette"}, {"category": "inconnue"}, {"centre": "abc"}])
def test_no_match_says_so_and_offers_to_clear_the_choices(client, variety, query):
    response = client.get(reverse("echanges:listing"), query)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert offer_titles(response) == []
    assert "Aucune annonce ne correspond à ces choix." in html
    assert "Tout effacer" in html


def test_an_empty_exchange_invites_the_first_offer(client, home):
    html = unescape(client.get(reverse("echanges:listing")).content.decode())

    assert "Aucune annonce pour le moment." in html


def test_the_listing_is_paginated_by_20_and_keeps_the_filters(client, centre, category):
    OfferFactory.create_batch(25, centre=centre, category=category, request=True)

    first = client.get(reverse("echanges:listing"), {"kind": "request"})
    second = client.get(reverse("echanges:listing"), {"kind": "request", "page": 2})

    assert len(offer_titles(first)) == 20
    assert len(offer_titles(second)) == 5
    assert 'href="?kind=request&amp;page=2"' in first.content.decode()


# An offer's page.


def test_a_visitor_reads_an_offer_in_words_without_the_authors_contact(client, author, centre, category):
    author.email, author.phone = "awa@exemple.test", "+33612345678"
    author.save()
    offer = OfferFactory(
        author=author,
        centre=centre,
        category=category,
        title="Je prête une perceuse",
        kind="offer",
        nature="good",
        mode="loan",
        when="Le samedi matin",
        tags=["outil", "perceuse"],
    )

    response = client.get(offer.get_absolute_url())

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert not response.cookies
    for words in (
        "<h1>Je prête une perceuse</h1>",
        "Je propose un objet",
        "Un prêt : on le rend après",
        "Bricolage",
        '<li><a href="/echanges/?tag=outil">outil</a></li>',
        '<li><a href="/echanges/?tag=perceuse">perceuse</a></li>',
        "Le samedi matin",
        "Centre social Belencontre, à l'accueil",
        "<dd>Awa</dd>",
        "Ne payez jamais à l'avance.",
        "Ne donnez pas vos papiers ni vos codes.",
        "En cas de doute, parlez-en à un médiateur.",
        f'href="{reverse("echanges:report_offer", args=[offer.pk])}',
    ):
        assert words in html
    assert "awa@exemple.test" not in html
    assert "612345678" not in html
    assert "Modifier" not in html
    assert "csrfmiddlewaretoken" not in html


def test_the_author_gets_their_buttons_and_others_do_not(author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category)

    mine = signed_in(author).get(offer.get_absolute_url()).content.decode()
    theirs = signed_in(PersonFactory()).get(offer.get_absolute_url()).content.decode()

    for url_name in ("echanges:edit", "echanges:withdraw", "echanges:renew"):
        assert f'"{reverse(url_name, args=[offer.pk])}"' in mine
        assert f'"{reverse(url_name, args=[offer.pk])}"' not in theirs


@pytest.mark.parametrize(
    ("trait", "note"),
    [
        ("withdrawn", "Vous avez retiré cette annonce\N{NO-BREAK SPACE}: personne d'autre ne la voit."),
        ("hidden", "La modération a masqué cette annonce\N{NO-BREAK SPACE}: personne d'autre ne la voit."),
    ],
)
def test_a_withdrawn_or_hidden_offer_is_gone_except_for_its_author(client, author, centre, category, trait, note):
    offer = OfferFactory(author=author, centre=centre, category=category, **{trait: True})

    assert client.get(offer.get_absolute_url()).status_code == 404
    assert signed_in(PersonFactory()).get(offer.get_absolute_url()).status_code == 404
    response = signed_in(author).get(offer.get_absolute_url())
    assert response.status_code == 200
    assert note in unescape(response.content.decode())


def test_an_expired_offer_is_still_readable_and_says_so(client, centre, category):
    offer = OfferFactory(centre=centre, category=category, expired=True)

    response = client.get(offer.get_absolute_url())

    assert response.status_code == 200
    assert "Cette annonce a expiré le" in unescape(response.content.decode())


def test_an_unknown_offer_is_a_404(client, home):
    assert client.get(reverse("echanges:offer", args=[999999])).status_code == 404


# The author's actions, and nobody else's.

OWNER_VIEWS = [
    ("echanges:edit", "get"),
    ("echanges:edit", "post"),
    ("echanges:withdraw", "post"),
    ("echanges:restore", "post"),
    ("echanges:renew", "post"),
]


@pytest.mark.parametrize(("url_name", "method"), OWNER_VIEWS)
def test_someone_elses_offer_by_id_is_a_404_and_nothing_changes(author, centre, category, url_name, method):
    offer = OfferFactory(author=author, centre=centre, category=category, title="À moi", expired=True)
    before = Offer.objects.values().get(pk=offer.pk)

    response = getattr(signed_in(PersonFactory()), method)(
        reverse(url_name, args=[offer.pk]), form_data(centre, category, title="Volé")
    )

    assert response.status_code == 404
    assert Offer.objects.values().get(pk=offer.pk) == before


@pytest.mark.parametrize(("url_name", "method"), [*OWNER_VIEWS, ("echanges:post", "get"), ("echanges:mine", "get")])
def test_anonymous_visitors_are_sent_to_sign_in(client, author, centre, category, url_name, method):
    offer = OfferFactory(author=author, centre=centre, category=category, title="À moi", expired=True)
    before = Offer.objects.values().get(pk=offer.pk)
    args = [] if url_name in ("echanges:post", "echanges:mine") else [offer.pk]

    response = getattr(client, method)(reverse(url_name, args=args))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('account_request_login_code')}?next=")
    assert Offer.objects.values().get(pk=offer.pk) == before


def test_the_author_edits_their_offer_keeping_what_they_do_not_change(author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category, title="Vélo", tags=["vélo"])
    client = signed_in(author)

    page = client.get(reverse("echanges:edit", args=[offer.pk]))
    assert input_value(page, "title") == "Vélo"
    assert input_value(page, "tags") == "vélo"
    response = client.post(
        reverse("echanges:edit", args=[offer.pk]),
        form_data(centre, category, title="Vélo d'enfant", tags="vélo, enfant"),
    )

    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Vélo d'enfant"
    assert sorted(tag.name for tag in offer.tags.all()) == ["enfant", "vélo"]


def test_editing_with_a_bad_title_changes_nothing(author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category, title="Vélo")

    response = signed_in(author).post(
        reverse("echanges:edit", args=[offer.pk]), form_data(centre, category, title="B" * 10_000)
    )

    assert response.status_code == 400
    assert field_errors(response, "title")[0].startswith("100 signes au plus")
    offer.refresh_from_db()
    assert offer.title == "Vélo"


def test_removing_the_photo_deletes_it(author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category)
    client = signed_in(author)
    client.post(
        reverse("echanges:edit", args=[offer.pk]),
        {**form_data(centre, category, photo_alt="Un vélo"), "photo": jpeg()},
    )
    offer.refresh_from_db()
    photo_id = offer.photo_id
    assert photo_id

    response = client.post(
        reverse("echanges:edit", args=[offer.pk]), form_data(centre, category, photo_alt="Un vélo", remove_photo="on")
    )

    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.photo_id, offer.photo_alt) == (None, "")
    assert not Image.objects.filter(pk=photo_id).exists()


def test_keeping_a_photo_needs_its_description(author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category, photo=ImageFactory(), photo_alt="Un vélo")

    response = signed_in(author).post(
        reverse("echanges:edit", args=[offer.pk]), form_data(centre, category, photo_alt="")
    )

    assert response.status_code == 400
    assert field_errors(response, "photo_alt") == ["Dites en quelques mots ce que montre la photo."]


def test_withdrawing_takes_the_offer_down(client, author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category)

    response = signed_in(author).post(reverse("echanges:withdraw", args=[offer.pk]), follow=True)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN
    assert response.redirect_chain == [(offer.get_absolute_url(), 302)]
    assert (
        "success",
        "Votre annonce est retirée. Plus personne ne la voit. Vous pouvez la remettre en ligne.",
    ) in messages_of(response)
    assert f'action="{reverse("echanges:restore", args=[offer.pk])}"' in response.content.decode()
    assert client.get(offer.get_absolute_url()).status_code == 404


def test_renewing_from_the_page(author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category, expired=True)

    response = signed_in(author).post(reverse("echanges:renew", args=[offer.pk]), follow=True)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN
    [(level, text)] = messages_of(response)
    assert (level, text[:45]) == ("success", "Votre annonce est renouvelée : elle reste en ")


def test_withdraw_and_renew_answer_only_post(author, centre, category):
    offer = OfferFactory(author=author, centre=centre, category=category)
    client = signed_in(author)

    for url_name in ("echanges:withdraw", "echanges:renew"):
        assert client.get(reverse(url_name, args=[offer.pk])).status_code == 405


def test_my_exchanges_lists_my_offers_by_what_became_of_them(author, centre, category):
    OfferFactory(author=author, centre=centre, category=category, title="En ligne")
    OfferFactory(author=author, centre=centre, category=category, title="Finie", expired=True)
    OfferFactory(author=author, centre=centre, category=category, title="Retirée", withdrawn=True)
    OfferFactory(centre=centre, category=category, title="Pas à moi")

    response = signed_in(author).get(reverse("echanges:mine"))

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert offer_titles(response) == ["En ligne", "Finie", "Retirée"]
    assert html.index("<h3>En ligne</h3>") < html.index("<h3>Expirées") < html.index("<h3>Retirées</h3>")
    assert f'action="{reverse("echanges:renew", args=[Offer.objects.get(title="Finie").pk])}"' in html


def test_my_exchanges_when_i_have_none(author):
    html = unescape(signed_in(author).get(reverse("echanges:mine")).content.decode())

    assert "Vous n'avez pas encore d'annonce." in html


# The centre's page and the home page.


def test_the_centre_page_shows_its_open_offers_with_a_link_to_all_of_them(client, home, centre, category):
    OfferFactory(centre=centre, category=category, title="Perceuse à prêter")
    OfferFactory(centre=centre, category=category, title="Retirée", withdrawn=True)
    OfferFactory(centre=CentrePageFactory(parent=home, slug="ailleurs"), category=category, title="Ailleurs")

    html = unescape(client.get(centre.url).content.decode())

    assert ">Échanges</h2>" in html
    assert "Perceuse à prêter" in html
    assert "Retirée" not in html and "Ailleurs" not in html
    assert f'href="/echanges/?centre={centre.pk}"' in html
    assert "Bientôt, les habitants pourront s'entraider ici." not in html


def test_the_home_page_shows_the_latest_offers(client, home, centre, category):
    OfferFactory(centre=centre, category=category, title="Perceuse à prêter")

    html = unescape(client.get("/").content.decode())

    assert "Derniers échanges" in html
    assert "Perceuse à prêter" in html


# Queries: the same number with 10 and with 1 000 offers.


def add_offers(centre, category, author, count):
    now = timezone.now()
    Offer.objects.bulk_create(
        Offer(
            author=author,
            centre=centre,
            category=category,
            kind=Offer.Kind.OFFER,
            nature=Offer.Nature.GOOD,
            mode=Offer.Mode.GIFT,
            title=f"Annonce {number}",
            published_at=now - dt.timedelta(minutes=number),
            expires_at=now + dt.timedelta(days=30),
        )
        for number in range(count)
    )


def queries_for(client, url):
    client.get(url)  # the first visit makes the image renditions; the count is for every visit after
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed", [False, True], ids=["visitor", "signed-in"])
def test_listing_and_offer_page_queries_do_not_grow_with_offers(client, author, centre, category, signed):
    if signed:
        client.force_login(PersonFactory())
    shown = OfferFactory(
        author=author, centre=centre, category=category, tags=["outil"], photo=ImageFactory(), photo_alt="Outil"
    )
    OfferFactory(author=author, centre=centre, category=category, photo=ImageFactory(), photo_alt="Autre")
    add_offers(centre, category, author, 8)
    urls = [
        reverse("echanges:listing"),
        f"{reverse('echanges:listing')}?kind=offer&category=bricolage&q=annonce",
        shown.get_absolute_url(),
        centre.url,
    ]
    with_ten = [queries_for(client, url) for url in urls]

    add_offers(centre, category, author, 990)
    with_a_thousand = [queries_for(client, url) for url in urls]

    assert with_ten == with_a_thousand
    # A signed-in person's session, user, inbox and membership cost four more on the centre's page, whose
    # other sections are not the exchange's: the budget holds for visitors there.
    assert max(with_a_thousand if not signed else with_a_thousand[:3]) <= PUBLIC_PAGE_MAX_QUERIES


def test_my_exchanges_queries_do_not_grow_with_my_offers(client, author, centre, category):
    client.force_login(author)
    add_offers(centre, category, author, 3)
    few = queries_for(client, reverse("echanges:mine"))
    add_offers(centre, category, author, 100)

    assert queries_for(client, reverse("echanges:mine")) == few
