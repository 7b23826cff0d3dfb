"""The lexicon's pages: A–Z with its letters, the search box, the printed booklet, a term's page, the site search."""

import re

import pytest
from django.core.exceptions import ValidationError

from lexique.models import TermPage, readability_hints
from search.indexing import index_objects
from tests.factories import ImageFactory, UserFactory
from tests.lexique.factories import TermPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(home):
    return {
        "identifiant": TermPageFactory(
            title="identifiant", variants="login\nnom d'utilisateur", definition="Le nom qui vous reconnaît."
        ),
        "e-mail": TermPageFactory(title="e-mail", variants="mail\ncourriel", definition="Un message par internet."),
        "ecran": TermPageFactory(title="écran tactile", slug="ecran-tactile", definition="On le touche du doigt."),
    }


def test_the_index_lists_terms_a_to_z_under_their_letter_with_letters_without_terms_unlinked(client, terms):
    html = client.get("/lexique/").content.decode()

    assert '<a href="#lettre-E">E</a>' in html and '<a href="#lettre-I">I</a>' in html
    assert '<span class="letters__empty">A<span class="visually-hidden"> (aucun mot)</span></span>' in html
    assert 'href="#lettre-A"' not in html
    # "écran" sits with the E, after "e-mail"; then the I.
    assert re.findall(r'<h3><a href="/lexique/([^/]+)/">', html) == ["e-mail", "ecran-tactile", "identifiant"]


def test_the_search_box_finds_a_term_by_a_variant_without_accents_or_case(client, terms):
    html = client.get("/lexique/", {"q": "COURRIEL"}).content.decode()

    assert re.findall(r'<h3><a href="/lexique/([^/]+)/">', html) == ["e-mail"]
    assert 'value="COURRIEL"' in html


def test_a_search_that_finds_nothing_says_so_and_offers_every_word(client, terms):
    html = client.get("/lexique/", {"q": "<script>alert(1)</script>"}).content.decode()

    assert "Ce mot n'est pas encore dans le lexique." in html
    assert "<script>alert(1)" not in html
    assert '<a href="/lexique/">Tous les mots</a>' in html


def test_drafts_are_not_listed(client, terms):
    terms["e-mail"].unpublish()

    html = client.get("/lexique/").content.decode()

    assert "/lexique/e-mail/" not in html


@pytest.mark.parametrize(("asked", "size"), [("a5", "a5"), ("a4", "a4"), ("", "a5"), ("lettre", "a5")])
def test_the_booklet_prints_every_term_in_a5_or_a4(client, terms, asked, size):
    picture = ImageFactory()
    terms["identifiant"].photo, terms["identifiant"].photo_alt = picture, "Une carte avec un nom"
    terms["identifiant"].save_revision().publish()

    response = client.get("/lexique/livret/", {"format": asked})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'class="booklet booklet--{size}"' in html
    assert html.count('class="booklet__term"') == 3
    assert 'alt="Une carte avec un nom"' in html
    assert "css/booklet.css" in html


def test_a_term_page_shows_its_variants_definition_example_and_related_terms(client, terms):
    term = terms["identifiant"]
    term.example = "Tapez votre identifiant."
    term.related_terms.set([terms["e-mail"]])
    term.save_revision().publish()

    html = client.get("/lexique/identifiant/").content.decode()

    assert "<h1>identifiant</h1>" in html
    assert "On dit aussi : login, nom d&#x27;utilisateur." in html
    assert "Le nom qui vous reconnaît." in html and "Tapez votre identifiant." in html
    assert '<li><a href="/lexique/e-mail/">e-mail</a></li>' in html


def test_html_typed_in_any_field_is_shown_as_text(client, home):
    TermPageFactory(
        title="piège",
        variants='"><img src=x onerror=alert(1)>',
        definition="<script>alert(1)</script> Un texte.",
        example="<b>gras</b>",
    )

    for url in ("/lexique/piege/", "/lexique/", "/lexique/livret/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>gras" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/lexique/piege/").content.decode()


def test_terms_are_found_by_the_site_search_with_their_definition(client, terms):
    index_objects(TermPage.objects.all())

    html = client.get("/recherche/", {"q": "courriel"}).content.decode()

    assert 'href="/lexique/e-mail/"' in html
    assert "Un message par internet." in html


def term_form(**changes):
    return TermPage(title="adresse e-mail", slug="adresse-e-mail", definition="Une adresse.", **changes)


@pytest.mark.parametrize(
    ("title", "variants", "field", "named"),
    [
        ("Mail", "", "title", "e-mail"),
        ("adresse e-mail", "Courriel", "variants", "e-mail"),
        ("adresse e-mail", "nom d’UTILISATEUR", "variants", "identifiant"),
        ("adresse e-mail", "ÉCRAN TACTILE", "variants", "écran tactile"),
    ],
)
def test_a_word_or_variant_another_term_has_is_refused_with_that_term_named(terms, title, variants, field, named):
    page = TermPage(title=title, slug="nouveau", definition="Un mot.", variants=variants)

    with pytest.raises(ValidationError) as refused:
        page.clean()

    assert field in refused.value.message_dict
    assert f"de « {named} »" in refused.value.message_dict[field][0]


def test_a_term_may_keep_its_own_variants_and_share_a_longer_one(terms):
    terms["e-mail"].variants = "mail\ncourriel\nE-MAIL"
    terms["e-mail"].clean()
    term_form(variants="adresse mail").clean()


def test_a_picture_needs_its_description(terms):
    page = term_form(photo=ImageFactory())

    with pytest.raises(ValidationError) as refused:
        page.clean()

    assert "photo_alt" in refused.value.message_dict


def test_the_readability_hint_counts_long_sentences_and_long_words_and_stays_quiet_on_easy_french():
    assert readability_hints("C'est un code secret. Vous seul le connaissez.") == []
    hints = readability_hints(
        "Ce mot désigne une information confidentielle que vous devez absolument garder pour vous et ne jamais "
        "communiquer à quiconque. Incompréhensiblement long."
    )
    assert hints[0] == "Une phrase a plus de 15 mots : coupez-la en deux."
    assert "confidentielle" in hints[1] and "incompréhensiblement".capitalize() in hints[1]


def test_the_editor_reads_the_hint_after_saving_a_hard_definition(client, staff_login, terms):
    staff_login(client, UserFactory(network_admin=True))
    term = terms["identifiant"]
    data = {
        "title": "identifiant",
        "slug": "identifiant",
        "variants": "login",
        "definition": "Cette suite de caractères alphanumériques vous identifie de manière univoque auprès du "
        "service que vous souhaitez utiliser pour vos démarches.",
        "example": "",
        "photo": "",
        "photo_alt": "",
        "related_terms": [],
    }

    response = client.post(f"/admin/pages/{term.pk}/edit/", data, follow=True)

    html = response.content.decode()
    assert "Une phrase a plus de 15 mots" in html
    assert "alphanumériques" in html
    term.refresh_from_db()
    assert term.get_latest_revision().content["definition"].startswith("Cette suite")


def test_the_booklet_costs_the_same_queries_with_one_picture_or_five(client, home, django_assert_max_num_queries):
    def queries_with(pictures):
        for number in range(pictures - TermPage.objects.filter(photo__isnull=False).count()):
            TermPageFactory(title=f"image{pictures}x{number}", photo=ImageFactory(), photo_alt="Un dessin")
        client.get("/lexique/livret/")  # the renditions are made by the first visit ever
        with django_assert_max_num_queries(15) as queries:
            assert client.get("/lexique/livret/").status_code == 200
        return len(queries.captured_queries)

    assert queries_with(1) == queries_with(5)
