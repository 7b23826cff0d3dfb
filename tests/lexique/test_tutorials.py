"""Tutorials: the list by level, a step per screen, all steps to print, "J'ai réussi", "Je bloque ici", the search."""

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from django.test import Client

from accounts.retention import forget_expired
from accounts.services import erase_account
from lexique.models import HelpRequest, TermPage, TutorialCounter, TutorialIndexPage, TutorialPage
from lexique.notices import STUCK_ON_TUTORIAL
from notifications.models import Notification
from search.indexing import index_objects
from tests.accounts.factories import MembershipFactory
from tests.factories import CentrePageFactory, ImageFactory, UserFactory
from tests.lexique.factories import TermPageFactory, TutorialPageFactory, steps_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def tutorial(home):
    return TutorialPageFactory(
        title="Créer une adresse e-mail",
        slug="creer-une-adresse-e-mail",
        summary="Vous aurez votre adresse e-mail.",
        steps=[
            ("step", {"title": "Ouvrir le navigateur", "body": [("text", "Appuyez sur l'icône.")]}),
            (
                "step",
                {
                    "title": "Choisir un mot de passe",
                    "body": [
                        ("text", "Tapez un mot de passe long.\n\nTapez-le deux fois."),
                        ("attention", "Ne le donnez à personne."),
                        ("tip", "Notez-le dans un carnet."),
                    ],
                },
            ),
            ("step", {"title": "Valider", "body": [("text", "Appuyez sur Valider.")]}),
        ],
    )


URL = "/tutoriels/creer-une-adresse-e-mail/"


def test_the_list_shows_each_tutorial_with_its_level_and_duration_and_filters_by_level(client, tutorial):
    TutorialPageFactory(title="Installer une application", level="confirme", duration="un quart d'heure")

    html = client.get("/tutoriels/").content.decode()

    assert re.findall(r'<h2><a href="/tutoriels/([^/]+)/">', html) == [
        "creer-une-adresse-e-mail",
        "installer-une-application",
    ]
    assert "Niveau : débutant · Durée : 10 minutes" in html
    assert "Niveau : confirmé · Durée : un quart d&#x27;heure" in html

    filtered = client.get("/tutoriels/", {"niveau": "confirme"}).content.decode()
    assert "Installer une application" in filtered and "Créer une adresse e-mail" not in filtered
    assert '<a href="/tutoriels/?niveau=confirme" aria-current="page">Confirmé</a>' in filtered
    nothing = client.get("/tutoriels/", {"niveau": "a-l-aise"}).content.decode()
    assert "Pas encore de tutoriel de ce niveau." in nothing
    unknown = client.get("/tutoriels/", {"niveau": "<script>"}).content.decode()
    assert "Installer une application" in unknown and "<script>" not in unknown


def test_drafts_are_not_listed_nor_served(client, tutorial):
    tutorial.unpublish()

    assert URL not in client.get("/tutoriels/").content.decode()
    assert client.get(URL).status_code == 404


def test_the_intro_says_what_you_need_the_level_the_duration_and_starts(client, tutorial):
    term = TermPageFactory(title="navigateur", definition="L'application pour aller sur internet.")
    tutorial.linked_terms.set([term])
    tutorial.save_revision().publish()

    html = client.get(URL).content.decode()

    assert '<p class="lead" data-listen>Vous aurez votre adresse e-mail.</p>' in html
    assert "<li>Un téléphone</li>" in html and "<li>Votre mot de passe</li>" in html
    assert "<dd>Débutant</dd>" in html and "<dd>10 minutes</dd>" in html and "<dd>3</dd>" in html
    assert f'href="{URL}etape/1/">Commencer</a>' in html
    assert f'href="{URL}toutes-les-etapes/">Voir toutes les étapes</a>' in html
    assert '<li><a href="/lexique/navigateur/">navigateur</a></li>' in html


def test_a_step_per_screen_with_its_number_and_large_previous_and_next_buttons(client, tutorial):
    html = client.get(f"{URL}etape/2/").content.decode()

    assert "Étape 2 sur 3" in html
    assert re.search(r'<h1 id="etape-2-titre"[^>]*><span[^>]*>Étape 2 sur 3</span> Choisir un mot de passe</h1>', html)
    assert "<p>Tapez un mot de passe long.</p>" in html and "<p>Tapez-le deux fois.</p>" in html
    assert '<p class="callout__label">Attention</p><p>Ne le donnez à personne.</p>' in html
    assert '<p class="callout__label">Astuce</p><p>Notez-le dans un carnet.</p>' in html
    assert f'<a class="button button--secondary button--large" href="{URL}etape/1/" rel="prev">Précédent</a>' in html
    assert f'<a class="button button--large" href="{URL}etape/3/" rel="next">Suivant</a>' in html
    assert f'href="{URL}aide/?etape=2">Je bloque à cette étape</a>' in html
    assert re.search(r'<section class="tutorial-step"[^>]*data-listen="l\'étape 2">', html)
    assert '<script type="module" src="/static/js/listen.js"></script>' in html

    first = client.get(f"{URL}etape/1/").content.decode()
    assert f'href="{URL}" rel="prev">Retour au début</a>' in first
    last = client.get(f"{URL}etape/3/").content.decode()
    assert f'href="{URL}fin/" rel="next">J\'ai fini</a>' in last


@pytest.mark.parametrize("number", ["0", "4", "99"])
def test_a_step_out_of_range_is_not_found(client, tutorial, number):
    assert client.get(f"{URL}etape/{number}/").status_code == 404


def test_lexicon_words_are_explained_in_a_step_text_but_never_in_its_title(client, home):
    TermPageFactory(title="mot de passe", definition="Un code secret.")
    TutorialPageFactory(
        slug="mdp",
        steps=[("step", {"title": "Le mot de passe", "body": [("text", "Tapez votre mot de passe.")]})],
    )

    html = client.get("/tutoriels/mdp/etape/1/").content.decode()

    assert "Le mot de passe</h1>" in html
    assert re.search(
        r'Tapez votre <span class="term" data-lexique="mot-de-passe"><a [^>]*href="/lexique/mot-de-passe/"', html
    )


def test_every_text_is_shown_as_text_never_as_html(client, home):
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    TutorialPageFactory(
        slug="piege",
        title=payload,
        summary=payload,
        needs=payload,
        duration="<b>5</b>",
        steps=[
            (
                "step",
                {
                    "title": payload,
                    "body": [("text", payload), ("attention", payload), ("tip", payload)],
                },
            )
        ],
    )

    for url in (
        "/tutoriels/",
        "/tutoriels/piege/",
        "/tutoriels/piege/etape/1/",
        "/tutoriels/piege/toutes-les-etapes/",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>5" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_all_steps_on_one_page_to_print_with_screenshots_kept(client, tutorial):
    steps = list(tutorial.steps.raw_data)
    steps[0]["value"]["body"].append(
        {"type": "screenshot", "value": {"image": ImageFactory().pk, "description": "Le bouton bleu Chrome"}}
    )
    tutorial.steps = steps
    tutorial.save_revision().publish()

    html = client.get(f"{URL}toutes-les-etapes/").content.decode()

    assert html.count('<section class="tutorial-step"') == 3
    assert [f"Étape {n} sur 3" for n in (1, 2, 3)] == re.findall(r"Étape \d sur 3", html)
    assert 'alt="Le bouton bleu Chrome"' in html
    assert "css/print.css" in html and "js/print.js" in html
    assert '<button class="button" type="button" data-print hidden>Imprimer</button>' in html
    assert "Imprimer ce tutoriel" in client.get(URL).content.decode()


def test_print_css_keeps_a_step_on_one_page():
    css = (Path(__file__).resolve().parents[2] / "static/css/print.css").read_text()
    assert re.search(r"\.tutorial-step \{[^}]*page-break-inside: avoid", css)


def test_i_succeeded_is_a_post_that_counts_and_thanks(client, tutorial):
    end = client.get(f"{URL}fin/").content.decode()
    assert f'<form method="post" action="{URL}reussi/"' in end and "csrfmiddlewaretoken" in end
    assert f'<form method="get" action="{URL}aide/"' in end

    response = client.post(f"{URL}reussi/")
    client.post(f"{URL}reussi/")

    assert response.status_code == 302 and response["Location"] == f"{URL}bravo/"
    assert "Bravo, vous avez réussi !" in client.get(response["Location"]).content.decode()
    assert TutorialCounter.objects.get(tutorial=tutorial).succeeded == 2
    assert client.get(f"{URL}reussi/").status_code == 302  # a GET counts nothing
    assert TutorialCounter.objects.get(tutorial=tutorial).succeeded == 2


def test_i_succeeded_needs_the_csrf_token(tutorial):
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(f"{URL}reussi/").status_code == 403
    assert not TutorialCounter.objects.exists()


@pytest.fixture
def centres(home):
    here = CentrePageFactory(parent=home, title="Centre social Belencontre")
    other = CentrePageFactory(parent=home, title="Centre social Boilly")
    people = {
        "relay": MembershipFactory(centre=here, relay=True).user,
        "mediator": MembershipFactory(centre=here, mediator=True).user,
        "resident": MembershipFactory(centre=here).user,
        "other_relay": MembershipFactory(centre=other, relay=True).user,
        "other_mediator": MembershipFactory(centre=other, mediator=True).user,
    }
    return here, other, people


def help_form(client, step=None):
    html = client.get(f"{URL}aide/", {"etape": step} if step else {}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    return html, token


def test_i_am_stuck_asks_the_centre_relays_and_mediators_only(client, tutorial, centres):
    here, _other, people = centres
    html, token = help_form(client, step=2)

    assert '<option value="2" selected>Étape 2 : Choisir un mot de passe</option>' in html
    assert "Seulement pour que le centre vous rappelle" in html
    response = client.post(
        f"{URL}aide/",
        {
            "step": 2,
            "centre": here.pk,
            "message": "Le code n'arrive pas.",
            "call_back_on": "06 12 34 56 78",
            "token": token,
        },
    )

    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}aide/envoyee/{help_request.token}/"
    told = Notification.objects.filter(kind=STUCK_ON_TUTORIAL.key)
    assert {n.recipient for n in told} == {people["relay"], people["mediator"]}
    text = told.first().text
    assert "« Créer une adresse e-mail », à l'étape 2 sur 3 (Choisir un mot de passe)" in text
    assert "06\N{NO-BREAK SPACE}12\N{NO-BREAK SPACE}34\N{NO-BREAK SPACE}56\N{NO-BREAK SPACE}78" in text
    assert "Le code n'arrive pas." in text
    assert told.first().url == f"{URL}etape/2/"
    sent = client.get(response["Location"]).content.decode()
    assert "Votre demande est partie" in sent and "Centre social Belencontre" in sent
    assert "Quand le centre est ouvert" in sent and "Lundi" in sent


def test_sending_the_same_form_twice_tells_the_team_once(client, tutorial, centres):
    here, _other, _people = centres
    _html, token = help_form(client)
    data = {"step": 3, "centre": here.pk, "message": "", "call_back_on": "", "token": token}

    first = client.post(f"{URL}aide/", data)
    second = client.post(f"{URL}aide/", data)

    assert HelpRequest.objects.count() == 1
    assert Notification.objects.filter(kind=STUCK_ON_TUTORIAL.key).count() == 2  # the relay and the mediator
    assert first["Location"] == second["Location"]


def test_the_same_person_asking_again_within_minutes_tells_the_team_once(client, tutorial, centres):
    here, _other, people = centres
    client.force_login(people["resident"])
    for _ in range(2):
        _html, token = help_form(client)
        client.post(f"{URL}aide/", {"step": 1, "centre": here.pk, "message": "Je bloque.", "token": token})

    assert HelpRequest.objects.count() == 1
    assert Notification.objects.filter(kind=STUCK_ON_TUTORIAL.key).count() == 2


def test_a_member_asks_their_own_centre_and_leaves_no_number(client, tutorial, centres):
    here, _other, people = centres
    client.force_login(people["resident"])

    html, token = help_form(client)

    assert "Centre social Belencontre" in html and "Centre social Boilly" not in html
    assert 'name="call_back_on"' not in html
    client.post(f"{URL}aide/", {"step": 3, "centre": here.pk, "token": token})
    help_request = HelpRequest.objects.get()
    assert help_request.person == people["resident"] and help_request.centre == here
    told = Notification.objects.filter(kind=STUCK_ON_TUTORIAL.key, actor=people["resident"])
    assert told.count() == 2
    # Named as they chose to be, never by the account's random username.
    assert all(n.text.startswith(f"{people['resident']} bloque sur le tutoriel") for n in told)
    assert people["resident"].username not in told.first().text


def test_a_visitor_chooses_among_every_open_centre(client, tutorial, centres):
    html, _token = help_form(client)

    assert "Centre social Belencontre" in html and "Centre social Boilly" in html


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"step": 9}, "step", "Choisissez une étape de la liste."),
        ({"step": "deux"}, "step", "Choisissez une étape de la liste."),
        ({"centre": 999999}, "centre", "Choisissez un centre de la liste."),
        ({"message": "x" * 301}, "message", "300 caractères"),
        ({"message": "?!?!"}, "message", "Écrivez votre message avec des mots"),
        ({"call_back_on": "pas un numéro"}, "call_back_on", "Écrivez un numéro de téléphone"),
        ({"call_back_on": "01 23"}, "call_back_on", "Écrivez un numéro de téléphone"),
        ({"call_back_on": "moi@"}, "call_back_on", "Écrivez un numéro de téléphone"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_sent(client, tutorial, centres, changes, field, error):
    here, _other, _people = centres
    _html, token = help_form(client)
    data = {"step": 2, "centre": here.pk, "message": "Bonjour", "call_back_on": "", "token": token, **changes}

    response = client.post(f"{URL}aide/", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'id="id_{field}_error"[^>]*>.*?{re.escape(error)}', html, re.S), html
    assert not HelpRequest.objects.exists() and not Notification.objects.exists()


def test_a_message_with_html_reaches_the_team_as_text(client, tutorial, centres):
    here, _other, people = centres
    _html, token = help_form(client)

    client.post(f"{URL}aide/", {"step": 1, "centre": here.pk, "message": "<script>alert(1)</script>", "token": token})

    client.force_login(people["relay"])
    inbox = client.get("/notifications/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in inbox and "<script>alert(1)" not in inbox


def test_a_tutorial_and_a_term_are_found_by_the_site_search(client, tutorial):
    TermPageFactory(title="courriel", definition="Un message par internet.")
    index_objects(TutorialPage.objects.all())
    index_objects(TermPage.objects.all())

    by_step_text = client.get("/recherche/", {"q": "carnet"}).content.decode()
    assert f'href="{URL}"' in by_step_text
    assert "Vous aurez votre adresse e-mail." in by_step_text
    term = client.get("/recherche/", {"q": "courriel"}).content.decode()
    assert 'href="/lexique/courriel/"' in term


def test_a_term_links_to_the_published_tutorials_that_use_it(client, tutorial):
    term = TermPageFactory(title="navigateur", definition="L'application pour aller sur internet.")
    draft = TutorialPageFactory(title="Un brouillon", slug="brouillon")
    for page in (tutorial, draft):
        page.linked_terms.set([term])
        page.save_revision().publish()
    draft.unpublish()

    html = client.get("/lexique/navigateur/").content.decode()

    assert "Voir le tutoriel" in html
    assert f'<li><a href="{URL}">Créer une adresse e-mail</a></li>' in html
    assert "Un brouillon" not in html


def queries_of(client, url, django_assert_max_num_queries):
    client.get(url)  # the site's root paths, the lexicon's list: read once, then cached
    with django_assert_max_num_queries(15) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def with_screenshots(steps, count):
    """The first `count` steps each end with a screenshot of a picture of its own."""
    for _name, step in steps[:count]:
        step["body"].append(("screenshot", {"image": ImageFactory(), "description": "Un écran de téléphone"}))
    return steps


def test_the_pages_cost_the_same_queries_with_more_tutorials_steps_screenshots_and_terms(
    client, home, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    tutorial = TutorialPageFactory(slug="mesure", steps=with_screenshots(steps_data(2), 1))
    tutorial.linked_terms.set([TermPageFactory()])
    tutorial.save_revision().publish()
    urls = ["/tutoriels/", "/tutoriels/mesure/", "/tutoriels/mesure/etape/2/", "/tutoriels/mesure/toutes-les-etapes/"]
    before = [queries_of(client, url, django_assert_max_num_queries) for url in urls]

    for _ in range(5):
        TutorialPageFactory(steps=steps_data(8))
    tutorial.steps = with_screenshots(steps_data(12), 6)
    tutorial.linked_terms.set([TermPageFactory() for _ in range(5)])
    tutorial.save_revision().publish()

    assert [queries_of(client, url, django_assert_max_num_queries) for url in urls] == before


def test_the_form_token_is_new_at_each_visit(client, tutorial, centres):
    _html, first = help_form(client)
    _html, second = help_form(client)

    assert first != second and uuid.UUID(first)


def test_an_editor_writes_a_tutorial_in_the_admin_with_its_steps(client, staff_login, home):
    staff_login(client, UserFactory(network_admin=True))
    index = TutorialIndexPage.objects.get()

    response = client.get(f"/admin/pages/add/lexique/tutorialpage/{index.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="needs"' in html and 'name="linked_terms"' in html
    assert "capture d" in html and "astuce" in html


def test_two_visitors_at_the_same_computer_leaving_their_own_numbers_are_two_requests(client, tutorial, centres):
    here, _other, _people = centres
    for number in ("06 12 34 56 78", "07 98 76 54 32"):
        _html, token = help_form(client)
        client.post(f"{URL}aide/", {"step": 1, "centre": here.pk, "call_back_on": number, "token": token})

    assert HelpRequest.objects.count() == 2
    assert Notification.objects.filter(kind=STUCK_ON_TUTORIAL.key).count() == 4


def test_an_empty_post_shows_the_errors_and_sends_nothing(client, tutorial, centres):
    response = client.post(f"{URL}aide/")

    assert response.status_code == 200
    assert 'id="id_step_error"' in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_help_requests_go_with_the_account_and_three_months_after_they_were_sent(client, tutorial, centres):
    here, _other, people = centres
    client.force_login(people["resident"])
    _html, token = help_form(client)
    client.post(f"{URL}aide/", {"step": 1, "centre": here.pk, "token": token})
    visitor = HelpRequest.objects.create(
        tutorial=tutorial, step=2, centre=here, call_back_on="06 12 34 56 78", token=uuid.uuid4(), sender_key="x"
    )

    assert forget_expired(now=visitor.created_at + dt.timedelta(days=89))["tutorial_help_requests"] == 0
    assert forget_expired(now=visitor.created_at + dt.timedelta(days=91))["tutorial_help_requests"] == 2
    assert not HelpRequest.objects.exists()


def test_erasing_an_account_erases_its_help_requests(client, tutorial, centres):
    here, _other, people = centres
    client.force_login(people["resident"])
    _html, token = help_form(client)
    client.post(f"{URL}aide/", {"step": 1, "centre": here.pk, "token": token})

    erase_account(people["resident"])

    assert not HelpRequest.objects.exists()
