"""Information pages, the footer every page carries, and the error pages, in French."""

from html import unescape

import pytest
from django.template.loader import render_to_string
from wagtail.models import Site

from home.models import FooterLinks
from tests.factories import ContentPageFactory

pytestmark = pytest.mark.django_db


def test_content_page_renders_its_headings_and_paragraphs(client, home):
    page = ContentPageFactory(
        parent=home, slug="aide", title="Comment venir", body=[("heading", "En bus"), ("heading", "À pied")]
    )
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Comment venir</h1>" in html
    assert "<h2>En bus</h2>" in html and "<h2>À pied</h2>" in html


def test_every_page_links_the_legal_pages_in_its_footer(client, home):
    links = FooterLinks.for_site(Site.objects.get())
    links.accessibility_page = ContentPageFactory(parent=home, slug="accessibilite", title="Accessibilité")
    links.legal_page = ContentPageFactory(parent=home, slug="mentions-legales", title="Mentions légales")
    links.privacy_page = ContentPageFactory(parent=home, slug="donnees-personnelles", title="Données personnelles")
    links.save()

    html = client.get("/").content.decode()

    assert '<a href="/accessibilite/">Accessibilité</a>' in html
    assert '<a href="/mentions-legales/">Mentions légales</a>' in html
    assert '<a href="/donnees-personnelles/">Données personnelles</a>' in html


def test_footer_leaves_out_a_page_that_is_not_published(client, home):
    links = FooterLinks.for_site(Site.objects.get())
    links.legal_page = ContentPageFactory(parent=home, slug="mentions-legales", live=False)
    links.save()
    assert "/mentions-legales/" not in client.get("/").content.decode()


def test_base_template_has_landmarks_skip_link_and_french(client, home):
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert '<a class="skip-link" href="#contenu">Aller au contenu</a>' in html
    assert '<main id="contenu"' in html
    assert '<nav class="site-nav" aria-label="Menu principal">' in html
    assert html.count("<h1>") == 1


def test_unknown_address_answers_a_french_404_page(client, home):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    text = unescape(response.content.decode())
    assert "Cette page n'existe pas" in text
    assert 'href="/"' in text


def test_server_error_page_renders_without_any_context():
    # Django renders 500.html with an empty context: it must not need the request or the database.
    html = render_to_string("500.html")
    assert "Le site a un problème" in html
    assert "/static/css/placette.css" in html
