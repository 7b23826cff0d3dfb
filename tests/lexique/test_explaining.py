"""Words explained where they are read: on every kind of public page, matched once per text, and never a query more."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import hooks
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from lexique import explaining, matching
from lexique.models import TermPage
from tests.agenda.factories import EventPageFactory
from tests.demarches.factories import ProcedureFactory
from tests.echanges.factories import OfferFactory
from tests.factories import CentrePageFactory, ContentPageFactory
from tests.lexique.factories import TermPageFactory

pytestmark = pytest.mark.django_db

EXPLAINED = 'data-lexique="identifiant"'


@pytest.fixture
def identifiant(home):
    return TermPageFactory(title="identifiant", variants="identifiants", definition="Le nom qui vous reconnaît.")


def body(*paragraphs):
    return [("heading", "Votre identifiant")] + [("paragraph", RichText(text)) for text in paragraphs]


def pages(home):
    """Each kind of public page, its text saying "identifiant" (its heading too, where it has one)."""
    centre = CentrePageFactory(parent=home, presentation="<h2>Identifiant</h2><p>Apportez votre identifiant.</p>")
    return {
        "centre": centre.url,
        "activity": EventPageFactory(
            parent=centre, body=body("<p>Venez avec votre <strong>identifiant</strong>.</p>")
        ).url,
        "content": ContentPageFactory(parent=home, body=body("<p>Notez votre identifiant dans un carnet.</p>")).url,
        "offer": OfferFactory(
            centre=centre, description="Je vous aide à trouver votre identifiant."
        ).get_absolute_url(),
        "procedure": ProcedureFactory(purpose="Il faut votre identifiant.").get_absolute_url(),
        "procedure list": ProcedureFactory(to_bring="Identifiant CAF\nMot de passe").get_absolute_url(),
    }


@pytest.mark.parametrize("kind", ["centre", "activity", "content", "offer", "procedure", "procedure list"])
def test_the_first_occurrence_in_the_text_of_each_kind_of_page_is_explained_never_its_heading(
    client, identifiant, kind
):
    url = pages(identifiant.get_parent().get_parent())[kind]

    html = client.get(url).content.decode()

    assert html.count(EXPLAINED) == 1
    assert 'href="/lexique/identifiant/"' in html
    assert "Le nom qui vous reconnaît." in html
    if kind in ("activity", "content"):
        assert ">Votre identifiant</h" in html


def test_a_page_without_any_term_is_unchanged(client, home):
    url = pages(home)["activity"]

    html = client.get(url).content.decode()

    assert "data-lexique" not in html
    assert "Venez avec votre <strong>identifiant</strong>." in html


def test_a_term_is_explained_from_its_publication_and_no_longer_once_withdrawn(
    client, home, django_capture_on_commit_callbacks
):
    url = pages(home)["content"]
    assert EXPLAINED not in client.get(url).content.decode()  # the text matched against an empty lexicon, kept

    with django_capture_on_commit_callbacks(execute=True):
        term = TermPageFactory(title="identifiant", live=False)
        term.save_revision().publish()
    assert EXPLAINED in client.get(url).content.decode()

    term.refresh_from_db()  # published from its revision, another instance
    with django_capture_on_commit_callbacks(execute=True):
        term.unpublish()
    assert EXPLAINED not in client.get(url).content.decode()


def test_a_draft_of_a_term_changes_nothing_readers_see(client, identifiant, django_capture_on_commit_callbacks):
    token = explaining.lexicon_token()
    with django_capture_on_commit_callbacks(execute=True):
        identifiant.definition = "Un brouillon."
        identifiant.save_revision()

    assert explaining.lexicon_token() == token


def test_a_text_is_matched_once_then_read_from_the_cache(client, identifiant, monkeypatch):
    url = pages(identifiant.get_parent().get_parent())["content"]
    calls = []
    real = explaining.annotate
    monkeypatch.setattr(explaining, "annotate", lambda html, lexicon: calls.append(html) or real(html, lexicon))

    first = client.get(url).content.decode()
    second = client.get(url).content.decode()

    assert len(calls) == 1
    assert first == second
    assert EXPLAINED in second


def test_a_new_revision_of_the_text_is_matched_again(client, identifiant, monkeypatch):
    home = identifiant.get_parent().get_parent()
    page = ContentPageFactory(parent=home, body=body("<p>Votre identifiant.</p>"))
    client.get(page.url)
    page.body = body("<p>Un mot de plus : votre identifiant.</p>")
    page.save_revision().publish()

    html = client.get(page.url).content.decode()

    assert "Un mot de plus" in html and EXPLAINED in html


def test_the_list_of_terms_is_read_once_for_every_text(client, identifiant, django_assert_num_queries):
    home = identifiant.get_parent().get_parent()
    first, second = (ContentPageFactory(parent=home, body=body(f"<p>Texte {n} : identifiant.</p>")) for n in (1, 2))
    client.get(first.url)

    with CaptureQueriesContext(connection) as reading:
        html = client.get(second.url).content.decode()

    assert EXPLAINED in html
    assert not [query for query in reading.captured_queries if "lexique_termpage" in query["sql"]]


def test_without_a_trusted_cache_texts_are_still_explained(client, identifiant, monkeypatch):
    monkeypatch.setattr(explaining.freshness, "tokens", lambda *scopes: None)

    html = client.get(pages(identifiant.get_parent().get_parent())["offer"]).content.decode()

    assert EXPLAINED in html


def test_the_hook_is_registered_once():
    assert hooks.get_hooks("explain_words") == [explaining.explain_words]


@pytest.mark.parametrize("kind", ["centre", "activity", "content", "offer", "procedure"])
def test_a_page_costs_the_same_queries_with_10_or_40_terms_and_none_once_the_lexicon_is_kept(client, home, kind):
    def queries_of(url):
        with CaptureQueriesContext(connection) as queries:
            assert EXPLAINED in client.get(url).content.decode()
        return len(queries.captured_queries)

    def visit(count):
        for number in range(count - TermPage.objects.count()):
            TermPageFactory(title=f"motdulexique{number}x{count}", definition="Un mot.")
        client.get(url)  # the site's root paths and shared choices are read once per process
        explaining.lexicon_changed()  # as publishing a term does
        first = queries_of(url)
        return first, queries_of(url)

    TermPageFactory(title="identifiant")
    url = pages(home)[kind]

    (cold, kept), (cold_40, kept_40) = visit(10), visit(40)
    assert (cold, kept) == (cold_40, kept_40)
    assert cold == kept + 1  # the list of terms, read once in one query, whatever its length


def test_the_matcher_module_keeps_no_state_between_lexicons():
    one = matching.Lexicon([matching.Term("a", "lien", "/l/", "d", ("lien",))])
    assert matching.annotate("<p>lien</p>", one) != "<p>lien</p>"
    assert matching.annotate("<p>lien</p>", matching.Lexicon([])) == "<p>lien</p>"


def test_a_term_behind_a_view_restriction_is_never_explained(client, identifiant):
    PageViewRestriction.objects.create(page=identifiant, restriction_type="password", password="secret")
    explaining.lexicon_changed()

    html = client.get(pages(identifiant.get_parent().get_parent())["content"]).content.decode()

    assert "data-lexique" not in html
