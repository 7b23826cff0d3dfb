"""Demo content of the `home` app: the network's information pages and the footer that links them."""

from wagtail.models import Site
from wagtail.rich_text import RichText

from home.models import ContentPage, FooterLinks, HomePage

PAGES = {
    "accessibilite": (
        "Accessibilité",
        "Placette veut être facile à utiliser pour tout le monde.",
        [
            ("heading", "Notre engagement"),
            (
                "paragraph",
                "<p>Placette suit le Référentiel général d'amélioration de l'accessibilité (RGAA). "
                "Le site se lit sur un petit téléphone, au clavier, avec un lecteur d'écran, "
                "et fonctionne sans JavaScript.</p>",
            ),
            ("heading", "État de conformité"),
            (
                "paragraph",
                "<p>Le site est <strong>partiellement conforme</strong> : il n'a pas encore été audité par un "
                "organisme indépendant. Chaque page est vérifiée automatiquement à chaque modification.</p>",
            ),
            ("heading", "Vous n'arrivez pas à utiliser une page ?"),
            (
                "paragraph",
                "<p>Dites-le à l'accueil de votre centre social ou écrivez-nous. "
                "Nous vous donnerons l'information autrement et nous corrigerons la page.</p>",
            ),
        ],
    ),
    "mentions-legales": (
        "Mentions légales",
        "Qui publie ce site et qui l'héberge.",
        [
            ("heading", "Éditeur"),
            (
                "paragraph",
                "<p>Fédération des centres sociaux connectés (association fictive de démonstration), "
                "1 place de la République, 59000 Lille.</p>",
            ),
            ("heading", "Hébergement"),
            ("paragraph", "<p>Le site est hébergé en France. Ces informations sont un exemple de démonstration.</p>"),
        ],
    ),
    "donnees-personnelles": (
        "Données personnelles",
        "Ce que Placette garde sur vous, pourquoi, et comment le supprimer.",
        [
            ("heading", "Ce que nous gardons"),
            (
                "paragraph",
                "<p>Pour lire le site, vous n'avez pas besoin de compte. Nous ne suivons pas vos visites "
                "et nous n'utilisons pas de publicité.</p>"
                "<p>Si vous créez un compte, nous gardons votre prénom ou surnom, votre adresse e-mail ou "
                "votre numéro de portable, et les centres que vous fréquentez. Tout est expliqué sur la page "
                '<a href="/compte/vie-privee/">Vos données sur Placette</a>.</p>',
            ),
            ("heading", "Vos droits"),
            (
                "paragraph",
                "<p>Vous pouvez voir, télécharger, corriger ou effacer vos données vous-même, dans "
                "« Mon compte ». Un médiateur de votre centre social peut vous aider.</p>",
            ),
        ],
    ),
}


def create_information_pages(home: HomePage) -> int:
    """The accessibility, legal and privacy pages, linked from every page's footer; returns how many were new."""
    created = 0
    pages = {}
    for slug, (title, summary, blocks) in PAGES.items():
        page = ContentPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            body = [(kind, RichText(value) if kind == "paragraph" else value) for kind, value in blocks]
            page = home.add_child(instance=ContentPage(title=title, slug=slug, summary=summary, body=body))
            created += 1
        pages[slug] = page

    links = FooterLinks.for_site(Site.objects.get(root_page=home))
    links.accessibility_page = pages["accessibilite"]
    links.legal_page = pages["mentions-legales"]
    links.privacy_page = pages["donnees-personnelles"]
    links.save()
    return created
