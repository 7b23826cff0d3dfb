"""Demo content of the exchange: believable offers and requests in every demo centre.

Each demo centre gets about two thirds of a catalogue of what neighbours of the Lille area give, lend, swap
or do for time: a drill lent, children's clothes given, help with an online form, a bike repaired, an hour
of ironing swapped for an hour of English… posted by the centre's demo residents through
`echanges.offers.post_offer()`, then dated back over the last weeks. Three conversations show the rest of
the path: a done time-bank agreement with its transfer of hours (so "Mon compte d'heures" has a line), an
accepted loan, and a question still waiting for an agreement. Their messages and agreements are written as
rows, not through the services: loading a demo is no event worth a notification.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from echanges.models import OFFER_LIFETIME, Agreement, Category, Conversation, Message, Offer
from echanges.services.ledger import record_agreement_transfer
from echanges.services.offers import post_offer
from quartier.models import Membership

Kind, Nature, Mode = Offer.Kind, Offer.Nature, Offer.Mode

# The network's list of what an exchange is about: (slug, name).
CATEGORIES = [
    ("bricolage", "Bricolage"),
    ("couture-et-tricot", "Couture et tricot"),
    ("numerique", "Numérique"),
    ("enfants-et-famille", "Enfants et famille"),
    ("cuisine", "Cuisine"),
    ("jardin", "Jardin"),
    ("deplacements", "Déplacements"),
    ("langues", "Langues"),
    ("demarches", "Démarches"),
    ("maison-et-linge", "Maison et linge"),
    ("objets-divers", "Objets divers"),
]


@dataclass(frozen=True)
class Idea:
    """One offer or request of the catalogue, as a resident would write it."""

    title: str
    kind: str
    nature: str
    mode: str
    category: str
    tags: tuple
    description: str
    when: str = ""
    where: str = ""

    def offer_fields(self, categories):
        """What an offer of this idea says, for `post_offer()` or a bulk-written `Offer`; `categories` by slug."""
        return {
            "kind": self.kind,
            "nature": self.nature,
            "mode": self.mode,
            "title": self.title,
            "description": self.description,
            "category": categories[self.category],
            "when": self.when,
            "where": self.where,
        }


CATALOGUE = [
    Idea(
        "Je prête ma perceuse",
        Kind.OFFER,
        Nature.GOOD,
        Mode.LOAN,
        "bricolage",
        ("perceuse", "outils"),
        "Une perceuse-visseuse avec ses mèches pour le bois et le béton. Je vous montre comment s'en servir. "
        "À rendre dans la semaine.",
        when="Le soir après 18 h",
    ),
    Idea(
        "Vêtements d'enfant de 2 à 4 ans",
        Kind.OFFER,
        Nature.GOOD,
        Mode.GIFT,
        "enfants-et-famille",
        ("vêtements", "enfants"),
        "Un grand sac de vêtements propres : pantalons, pulls, pyjamas. Ma fille a grandi. "
        "Venez le chercher au centre.",
    ),
    Idea(
        "Aide pour remplir un formulaire en ligne",
        Kind.OFFER,
        Nature.SKILL,
        Mode.TIME,
        "numerique",
        ("formulaire", "internet", "téléphone"),
        "Je vous montre pas à pas comment remplir un formulaire sur internet : CAF, mairie, France Travail. "
        "On le fait ensemble, sur votre téléphone ou sur l'ordinateur du centre.",
        when="Le mardi et le jeudi matin",
    ),
    Idea(
        "Réparer un vélo",
        Kind.OFFER,
        Nature.SERVICE,
        Mode.TIME,
        "bricolage",
        ("vélo", "réparation"),
        "Crevaison, freins, chaîne qui saute : je répare votre vélo, ou je vous apprends à le faire. J'ai les outils.",
        when="Le mercredi après-midi",
        where="Devant le centre, s'il fait beau",
    ),
    Idea(
        "Une heure de repassage contre une heure d'anglais",
        Kind.OFFER,
        Nature.SERVICE,
        Mode.SWAP,
        "maison-et-linge",
        ("repassage", "anglais"),
        "Je repasse votre linge pendant une heure. En échange, j'aimerais une heure de conversation en anglais "
        "pour préparer un voyage.",
    ),
    Idea(
        "Garde de plantes pendant les vacances",
        Kind.REQUEST,
        Nature.SERVICE,
        Mode.GIFT,
        "jardin",
        ("plantes", "vacances"),
        "Je pars deux semaines en août. Je cherche quelqu'un du quartier pour arroser mes plantes deux fois "
        "par semaine. Je laisse la clé au centre.",
        when="Du 1er au 15 août",
    ),
    Idea(
        "Covoiturage vers le marché le dimanche",
        Kind.OFFER,
        Nature.SERVICE,
        Mode.GIFT,
        "deplacements",
        ("covoiturage", "marché", "voiture"),
        "Je vais au marché de Wazemmes chaque dimanche matin en voiture. Il me reste deux places. "
        "Retour vers 11 h avec les courses.",
        when="Le dimanche, départ à 8 h 30",
        where="Départ devant le centre",
    ),
    Idea(
        "Aide pour faire son CV",
        Kind.OFFER,
        Nature.SKILL,
        Mode.TIME,
        "demarches",
        ("cv", "emploi"),
        "J'ai été secrétaire pendant trente ans. Je vous aide à écrire votre CV et une lettre pour une offre "
        "d'emploi. Apportez vos anciens papiers si vous en avez.",
    ),
    Idea(
        "Apprendre à tricoter",
        Kind.OFFER,
        Nature.SKILL,
        Mode.TIME,
        "couture-et-tricot",
        ("tricot", "laine"),
        "Écharpe, bonnet, chaussons : je vous apprends les points de base. La laine et les aiguilles sont "
        "prêtées pour commencer.",
        when="Le lundi après-midi",
    ),
    Idea(
        "Prêt de poussette",
        Kind.OFFER,
        Nature.GOOD,
        Mode.LOAN,
        "enfants-et-famille",
        ("poussette", "bébé"),
        "Une poussette pliable en bon état, pour dépanner quelques semaines : visite de la famille, "
        "poussette en panne…",
    ),
    Idea(
        "Cours de cuisine : couscous et pâtisseries",
        Kind.OFFER,
        Nature.SKILL,
        Mode.TIME,
        "cuisine",
        ("cuisine", "recettes"),
        "Je vous apprends à rouler la semoule et à faire des cornes de gazelle. On cuisine chez moi ou dans "
        "la cuisine du centre, et on partage.",
    ),
    Idea(
        "Aide pour déclarer mes impôts en ligne",
        Kind.REQUEST,
        Nature.SERVICE,
        Mode.TIME,
        "demarches",
        ("impôts", "internet"),
        "Je n'arrive pas à faire ma déclaration sur le site des impôts. Je cherche une personne patiente "
        "pour m'aider, au centre.",
        when="Avant la fin du mois",
    ),
    Idea(
        "Ourlets et petites retouches",
        Kind.OFFER,
        Nature.SERVICE,
        Mode.TIME,
        "couture-et-tricot",
        ("couture", "retouches"),
        "Un pantalon trop long, une fermeture éclair cassée, un bouton à recoudre : j'ai une machine à coudre.",
    ),
    Idea(
        "Je cherche une machine à coudre à emprunter",
        Kind.REQUEST,
        Nature.GOOD,
        Mode.LOAN,
        "couture-et-tricot",
        ("couture", "machine à coudre"),
        "Pour faire des rideaux. Je la rends dans une semaine, promis, et je peux vous offrir un gâteau !",
    ),
    Idea(
        "Conversation en anglais ou en arabe",
        Kind.OFFER,
        Nature.SKILL,
        Mode.SWAP,
        "langues",
        ("anglais", "arabe", "conversation"),
        "Je parle anglais et arabe. On discute autour d'un café, et vous m'aidez en échange à améliorer "
        "mon français écrit.",
    ),
    Idea(
        "Cours d'anglais pour débutants",
        Kind.OFFER,
        Nature.SKILL,
        Mode.TIME,
        "langues",
        ("anglais", "débutants"),
        "Les mots de tous les jours, se présenter, demander son chemin. Sans stress, à votre rythme.",
        when="Le mardi à 14 h",
    ),
    Idea(
        "Je donne des plants de tomates",
        Kind.OFFER,
        Nature.GOOD,
        Mode.GIFT,
        "jardin",
        ("tomates", "potager", "plantes"),
        "J'ai semé trop de tomates ! Une dizaine de plants à donner, cerises et cœurs de bœuf.",
    ),
    Idea(
        "M'accompagner à un rendez-vous à l'hôpital",
        Kind.REQUEST,
        Nature.SERVICE,
        Mode.TIME,
        "deplacements",
        ("accompagnement", "tram"),
        "J'ai un rendez-vous à l'hôpital Huriez et je n'ose pas prendre le tram seule. Je cherche quelqu'un "
        "pour m'accompagner, aller et retour.",
    ),
    Idea(
        "Montage de meubles",
        Kind.OFFER,
        Nature.SERVICE,
        Mode.TIME,
        "bricolage",
        ("meubles", "outils"),
        "Armoire, lit, étagères en kit : je viens avec mes outils et on le monte ensemble.",
    ),
    Idea(
        "Installer WhatsApp et faire un appel vidéo",
        Kind.OFFER,
        Nature.SKILL,
        Mode.TIME,
        "numerique",
        ("téléphone", "whatsapp", "appel vidéo"),
        "Pour voir vos petits-enfants sur le téléphone : j'installe l'application avec vous et on fait un "
        "premier appel ensemble.",
    ),
    Idea(
        "Je donne un lit parapluie",
        Kind.OFFER,
        Nature.GOOD,
        Mode.GIFT,
        "enfants-et-famille",
        ("bébé", "lit"),
        "Lit parapluie complet avec son matelas, très peu servi.",
    ),
    Idea(
        "Je cherche un ordinateur portable, même ancien",
        Kind.REQUEST,
        Nature.GOOD,
        Mode.GIFT,
        "numerique",
        ("ordinateur",),
        "Pour que mon fils fasse ses devoirs. Même lent, du moment qu'il s'allume.",
    ),
    Idea(
        "Lire et comprendre un courrier administratif",
        Kind.OFFER,
        Nature.SERVICE,
        Mode.TIME,
        "demarches",
        ("courrier", "papiers"),
        "Une lettre de la CAF, des impôts ou du bailleur que vous ne comprenez pas ? On la lit ensemble et "
        "on voit quoi répondre.",
    ),
    Idea(
        "Table et quatre chaises à donner",
        Kind.OFFER,
        Nature.GOOD,
        Mode.GIFT,
        "objets-divers",
        ("meubles", "table"),
        "Table en bois et quatre chaises, un peu rayées mais solides. À venir chercher, 2e étage sans ascenseur.",
    ),
    Idea(
        "Je cherche une échelle pour un samedi",
        Kind.REQUEST,
        Nature.GOOD,
        Mode.LOAN,
        "bricolage",
        ("échelle", "outils"),
        "Pour changer une ampoule au plafond et nettoyer les vitres. Je la rends le soir même.",
    ),
    Idea(
        "Confitures maison contre des légumes du jardin",
        Kind.OFFER,
        Nature.GOOD,
        Mode.SWAP,
        "cuisine",
        ("confiture", "légumes"),
        "Fraise, abricot ou rhubarbe : un pot contre un panier de légumes de votre jardin.",
    ),
    Idea(
        "Aide aux devoirs de maths (collège)",
        Kind.OFFER,
        Nature.SKILL,
        Mode.TIME,
        "enfants-et-famille",
        ("devoirs", "maths", "collège"),
        "Ancien professeur, j'aide les collégiens en maths, de la 6e à la 3e.",
        when="Le mercredi à 16 h",
    ),
    Idea(
        "Je cherche des cours de français",
        Kind.REQUEST,
        Nature.SKILL,
        Mode.TIME,
        "langues",
        ("français", "conversation"),
        "Je suis arrivée il y a un an. Je voudrais parler mieux pour les rendez-vous et l'école des enfants.",
    ),
    Idea(
        "Vaisselle et casseroles pour un premier logement",
        Kind.OFFER,
        Nature.GOOD,
        Mode.GIFT,
        "objets-divers",
        ("vaisselle", "cuisine"),
        "Assiettes, verres, deux casseroles et une poêle. Pour un jeune qui s'installe ou une famille qui arrive.",
    ),
]
BY_TITLE = {idea.title: idea for idea in CATALOGUE}


def create_categories():
    """The network's categories (idempotent, matched by name or address); returns them by slug."""
    categories = {}
    for slug, name in CATEGORIES:
        category = Category.objects.filter(name=name).first() or Category.objects.filter(slug=slug).first()
        categories[slug] = category or Category.objects.create(name=name, slug=slug)
    return categories


def _residents(centre):
    """The centre's demo people who post offers: (mediator, relay, resident, accompanied people)."""
    memberships = Membership.objects.filter(centre=centre).select_related("user").order_by("pk")
    mediator = relay = resident = None
    accompanied = []
    for membership in memberships:
        user = membership.user
        if user.accompanied:
            accompanied.append(user)
        elif membership.role == Membership.Role.MEDIATOR:
            mediator = mediator or user
        elif membership.role == Membership.Role.RELAY:
            relay = relay or user
        elif membership.role == Membership.Role.RESIDENT:
            resident = resident or user
    return mediator, relay, resident, accompanied


def _offer(centre, author, idea, categories, *, days_ago, by=None):
    """The centre's offer with the idea's title, posted unless it is there; returns (offer, new)."""
    offer = Offer.objects.filter(centre=centre, title=idea.title).first()
    if offer is not None:
        return offer, False
    offer = post_offer(author, centre=centre, tags=idea.tags, by=by, **idea.offer_fields(categories))
    # Posted over the last weeks rather than all at once, so that the listing has an order to show.
    offer.published_at = timezone.now() - dt.timedelta(days=days_ago, hours=days_ago % 7 * 2)
    offer.expires_at = offer.published_at + OFFER_LIFETIME
    Offer.objects.filter(pk=offer.pk).update(published_at=offer.published_at, expires_at=offer.expires_at)
    return offer, True


def create_exchanges(centres):
    """Offers and requests in every centre, a few conversations and agreements; returns how many offers were new.

    An offer already in a centre (by its title) is left as it is, and so are conversations already started,
    so running the demo again adds nothing.
    """
    categories = create_categories()
    created = []
    people = {}
    for index, centre in enumerate(centres):
        mediator, relay, resident, accompanied = _residents(centre)
        people[centre.pk] = (relay, resident)
        authors = [person for person in (relay, resident) if person]
        if not authors:
            continue
        # The same catalogue everywhere, but each centre has its own two thirds of it, posted on other days.
        for number, idea in enumerate(CATALOGUE):
            if (number + index) % 3 == 2:
                continue
            offer, new = _offer(
                centre, authors[number % len(authors)], idea, categories, days_ago=(number * 3 + index * 5) % 50
            )
            if new:
                created.append(offer)
        for person in accompanied:
            # Posted by the mediator for her, as accompanied accounts are.
            offer, new = _offer(
                centre,
                person,
                Idea(
                    "Je donne des pelotes de laine",
                    Kind.OFFER,
                    Nature.GOOD,
                    Mode.GIFT,
                    "couture-et-tricot",
                    ("laine", "tricot"),
                    "Je ne tricote plus : une vingtaine de pelotes de toutes les couleurs. Demandez à l'accueil.",
                ),
                categories,
                days_ago=3,
                by=mediator,
            )
            if new:
                created.append(offer)
    created.extend(_conversations(centres, people, categories))
    return len(created)


def _conversations(centres, people, categories):
    """A done time-bank agreement with its transfer, an accepted loan and a question still open; returns new offers."""
    now = timezone.now()
    today = timezone.localdate()
    scenes = [
        # (centre, author's role, idea, answered by, messages by the one who answers first, agreement)
        (
            0,
            "resident",
            "Cours d'anglais pour débutants",
            [
                "Bonjour, j'aimerais apprendre quelques phrases en anglais pour parler avec ma petite-fille. "
                "Vous êtes disponible quand ?",
                "Bonjour ! Avec plaisir. Le mardi à 14 h au centre, ça vous va ?",
                "Parfait, à mardi. Merci beaucoup !",
            ],
            "done",
        ),
        (
            1,
            "relay",
            "Je prête ma perceuse",
            [
                "Bonjour, je dois fixer des étagères samedi. Je peux emprunter la perceuse ?",
                "Oui, bien sûr. Je vous la donne vendredi soir au centre, et vous me la rendez lundi ?",
                "D'accord, merci beaucoup !",
            ],
            "accepted",
        ),
        (
            2,
            "relay",
            "Réparer un vélo",
            [
                "Bonjour, la chaîne de mon vélo saute tout le temps. Vous pourriez regarder ?",
                "Bonjour, oui. Passez au centre mercredi vers 15 h avec le vélo.",
            ],
            None,
        ),
    ]
    created = []
    for index, role, title, messages, outcome in scenes:
        if index >= len(centres):
            continue
        centre = centres[index]
        relay, resident = people[centre.pk]
        author, starter = (resident, relay) if role == "resident" else (relay, resident)
        if author is None or starter is None:
            continue
        offer, new = _offer(centre, author, BY_TITLE[title], categories, days_ago=12)
        if new:
            created.append(offer)
        started_at = now - dt.timedelta(days=9 if outcome == "done" else 2)
        conversation, new = Conversation.objects.get_or_create(
            offer=offer, starter=starter, defaults={"created_at": started_at, "last_message_at": started_at}
        )
        if not new:
            continue
        sent_at = started_at
        for number, body in enumerate(messages):
            sent_at = started_at + dt.timedelta(hours=3 * number)
            Message.objects.create(
                conversation=conversation, sender=starter if number % 2 == 0 else author, body=body, sent_at=sent_at
            )
        conversation.last_message_at = sent_at
        conversation.save(update_fields=["last_message_at"])
        if outcome == "done":
            done_on = today - dt.timedelta(days=5)
            agreement = Agreement.objects.create(
                conversation=conversation,
                proposed_by=starter,
                giver=author,
                receiver=starter,
                what="Une heure d'anglais pour débutants",
                on=done_on,
                minutes=60,
                status=Agreement.Status.DONE,
                proposed_at=sent_at,
                accepted_at=sent_at + dt.timedelta(hours=1),
                giver_confirmed_at=now - dt.timedelta(days=5),
                receiver_confirmed_at=now - dt.timedelta(days=4),
                done_at=now - dt.timedelta(days=4),
            )
            record_agreement_transfer(agreement)
        elif outcome == "accepted":
            Agreement.objects.create(
                conversation=conversation,
                proposed_by=author,
                giver=author,
                receiver=starter,
                what="Prêt de la perceuse du vendredi au lundi",
                on=today + dt.timedelta(days=(4 - today.weekday()) % 7 or 7),
                status=Agreement.Status.ACCEPTED,
                proposed_at=sent_at,
                accepted_at=sent_at + dt.timedelta(hours=2),
            )
            offer.status = Offer.Status.IN_PROGRESS
            offer.save(update_fields=["status", "updated_at"])
    return created
