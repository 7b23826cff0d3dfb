"""Demo content of the lexicon and the tutorials: the words residents stop at, explained as a mediator would at the
front desk, and eight tasks done step by step.

Written in easy-to-read French: short sentences, one idea each, words of every day. A few terms have a pictogram
drawn here (nothing is downloaded). Idempotent: terms and tutorials are found again by their address, related
terms are set once all exist.
"""

import io

from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from home.models import HomePage
from lexique.models import LexiconIndexPage, TermPage, TutorialIndexPage, TutorialPage
from lexique.notices import publishing_quietly
from quartier.models import Membership

# (word, variants, definition, example, related words)
TERMS = [
    (
        "identifiant",
        "identifiants\nlogin\nnom d'utilisateur",
        "C'est le nom qui vous reconnaît sur un site. Ce peut être votre adresse e-mail ou un numéro. "
        "Vous le tapez avec votre mot de passe pour entrer.",
        "Sur le site de la CAF, votre identifiant est votre numéro d'allocataire.",
        ["mot de passe", "compte", "adresse e-mail"],
    ),
    (
        "mot de passe",
        "mots de passe\nmdp\npassword",
        "C'est un code secret pour entrer dans votre compte. Vous seul le connaissez. "
        "Ne le donnez à personne, même pas par téléphone. Notez-le dans un carnet rangé chez vous.",
        "J'ai oublié mon mot de passe : je clique sur « Mot de passe oublié ».",
        ["identifiant", "compte", "code de vérification"],
    ),
    (
        "lien",
        "liens\nlien internet\nhyperlien",
        "C'est un mot ou une image sur lequel on appuie. Il ouvre une autre page. "
        "Souvent, il est écrit en bleu et souligné.",
        "Appuyez sur le lien reçu par SMS pour voir votre rendez-vous.",
        ["navigateur", "site internet"],
    ),
    (
        "pièce jointe",
        "pièces jointes\npiece jointe\nPJ",
        "C'est un fichier envoyé avec un e-mail. Par exemple une photo ou un document PDF. "
        "On la reconnaît à un petit trombone.",
        "La CAF demande votre avis d'impôt en pièce jointe.",
        ["e-mail", "fichier", "PDF"],
    ),
    (
        "France Connect",
        "FranceConnect\nFrance-Connect",
        "C'est un bouton pour entrer sur un site public. Vous utilisez le compte d'un autre site que vous avez déjà. "
        "Par exemple celui des impôts ou de l'Assurance maladie. Vous n'avez pas de nouveau mot de passe à retenir.",
        "Sur le site de la CAF, je choisis France Connect, puis le compte des impôts.",
        ["identifiant", "mot de passe", "compte"],
    ),
    (
        "captcha",
        "captchas\ncaptcha image",
        "C'est un petit test pour savoir si vous êtes une personne. Le site vous demande de recopier des lettres. "
        "Ou de choisir des images. Si c'est raté, le site en propose un autre.",
        "Pour le captcha, je coche toutes les images avec un feu rouge.",
        [],
    ),
    (
        "télécharger",
        "telecharger\ntéléchargement\ntéléchargé\ntéléchargée\ndownload",
        "C'est copier un fichier d'internet vers votre téléphone ou votre ordinateur. "
        "Ensuite, vous pouvez l'ouvrir sans internet.",
        "Je télécharge mon attestation de la CAF pour l'imprimer.",
        ["fichier", "dossier", "PDF"],
    ),
    (
        "e-mail",
        "email\nmail\nmails\ne-mails\ncourriel\ncourriels\nmèl",
        "C'est un message envoyé par internet. On l'écrit sur un téléphone ou un ordinateur. "
        "Il arrive dans une boîte aux lettres sur internet. On dit aussi courriel.",
        "La mairie m'a envoyé un e-mail pour confirmer mon rendez-vous.",
        ["adresse e-mail", "pièce jointe", "arobase"],
    ),
    (
        "adresse e-mail",
        "adresse email\nadresse mail\nadresses e-mail\nadresse électronique\nadresse courriel",
        "C'est l'adresse de votre boîte aux lettres sur internet. Elle a toujours le signe @ au milieu. "
        "Par exemple : prenom.nom@exemple.fr.",
        "Pour créer un compte, le site demande votre adresse e-mail.",
        ["e-mail", "arobase", "identifiant"],
    ),
    (
        "arobase",
        "arobas\narrobe",
        "C'est le signe @. Il est au milieu de chaque adresse e-mail. "
        "Sur un téléphone, il est sur le clavier des lettres, ou sur celui des chiffres.",
        "Je tape mon nom, puis l'arobase, puis le nom de la messagerie.",
        ["adresse e-mail", "e-mail"],
    ),
    (
        "navigateur",
        "navigateurs\nnavigateur internet\nnavigateur web\nbrowser",
        "C'est l'application qui ouvre les sites internet. Par exemple Chrome, Firefox, Safari ou Edge. "
        "On tape l'adresse du site en haut.",
        "J'ouvre le navigateur et je tape caf.fr en haut de l'écran.",
        ["lien", "site internet", "cookie"],
    ),
    (
        "site internet",
        "site\nsites\nsites internet\nsite web\nsite officiel",
        "C'est un ensemble de pages sur internet. Chaque site a une adresse. Par exemple : impots.gouv.fr.",
        "Les démarches se font sur le site officiel, pas sur un autre.",
        ["navigateur", "lien"],
    ),
    (
        "application",
        "applications\nappli\nappli mobile\napplication mobile\napp\napps",
        "C'est un programme sur un téléphone ou un ordinateur. Chaque application sert à une chose. "
        "Par exemple lire ses e-mails, ou voir ses remboursements de santé.",
        "J'installe l'application de la CAF pour suivre mes paiements.",
        ["mise à jour", "télécharger", "écran tactile"],
    ),
    (
        "mise à jour",
        "mises à jour\nmise a jour\nMAJ",
        "C'est une nouvelle version d'une application ou du téléphone. Elle corrige des problèmes. "
        "Elle protège aussi contre les pirates. Faites-la quand le téléphone le propose, avec le wifi.",
        "Le téléphone demande une mise à jour : je le branche et je dis oui.",
        ["application", "wifi"],
    ),
    (
        "code de vérification",
        "codes de vérification\ncode de confirmation\ncode de sécurité\ncode à usage unique",
        "C'est un code de quelques chiffres, envoyé par SMS ou par e-mail. Il prouve que c'est bien vous. "
        "Il ne marche que quelques minutes. Ne le donnez jamais à quelqu'un qui vous appelle.",
        "Je recopie le code de vérification reçu par SMS.",
        ["SMS", "mot de passe"],
    ),
    (
        "SMS",
        "texto\ntextos\nmessage texte",
        "C'est un court message écrit, envoyé d'un téléphone portable à un autre. "
        "On le lit dans l'application Messages.",
        "Le centre m'envoie un SMS la veille de l'atelier.",
        ["code de vérification", "notification"],
    ),
    (
        "wifi",
        "wi-fi\nWiFi\nréseau wifi\nborne wifi",
        "C'est internet sans fil, dans une maison ou un lieu public. "
        "Il faut souvent un mot de passe pour s'y connecter. "
        "Au centre social, le wifi est gratuit.",
        "Je demande à l'accueil le mot de passe du wifi.",
        ["mise à jour", "mot de passe"],
    ),
    (
        "QR code",
        "QR codes\nQR-code\nQRcode\ncode QR",
        "C'est un carré fait de petits carrés noirs et blancs. On le vise avec l'appareil photo du téléphone. "
        "Il ouvre une page internet, sans rien taper.",
        "Je vise le QR code de l'affiche pour voir le programme.",
        ["scanner", "lien"],
    ),
    (
        "espace personnel",
        "espaces personnels\nespace perso\nmon espace\nespace client\nmon compte",
        "C'est votre partie à vous sur un site. Vous y entrez avec votre identifiant et votre mot de passe. "
        "Vous y trouvez vos papiers et vos messages.",
        "Mon attestation est dans mon espace personnel sur ameli.fr.",
        ["compte", "identifiant", "déconnexion"],
    ),
    (
        "compte",
        "comptes\ncompte en ligne\ncréer un compte",
        "C'est votre inscription sur un site. Il garde votre nom et vos informations. "
        "Pour y entrer, il faut votre identifiant et votre mot de passe.",
        "Pour suivre mes remboursements, je crée un compte sur ameli.fr.",
        ["identifiant", "mot de passe", "espace personnel"],
    ),
    (
        "déconnexion",
        "se déconnecter\ndéconnecter\ndeconnexion\nse deconnecter\nlogout",
        "C'est sortir de votre compte. Faites-le toujours à la fin, surtout sur un ordinateur prêté. "
        "Ainsi, personne ne voit vos papiers après vous.",
        "Au centre, j'appuie sur « Se déconnecter » avant de partir.",
        ["compte", "espace personnel"],
    ),
    (
        "scanner",
        "scanners\nscanné\nscannée\nscanner un document\nnumériser\nscan",
        "C'est prendre un papier en photo, bien à plat, pour l'envoyer par internet. "
        "On peut le faire avec un téléphone, ou avec une machine au centre.",
        "Je scanne ma fiche de paie pour l'envoyer à la CAF.",
        ["PDF", "pièce jointe", "QR code"],
    ),
    (
        "PDF",
        "fichier PDF\ndocument PDF\npdf",
        "C'est un type de fichier pour les documents. Il se lit pareil sur tous les appareils. "
        "Les attestations et les factures sont souvent en PDF.",
        "Le site me donne mon avis d'impôt en PDF.",
        ["fichier", "télécharger", "scanner"],
    ),
    (
        "fichier",
        "fichiers\ndocument numérique",
        "C'est un document rangé dans un téléphone ou un ordinateur. Ce peut être une photo, un texte, une musique. "
        "Chaque fichier a un nom.",
        "Je retrouve le fichier dans le dossier « Téléchargements ».",
        ["dossier", "PDF", "télécharger"],
    ),
    (
        "dossier",
        "dossiers\nrépertoire",
        "C'est une boîte pour ranger des fichiers dans un téléphone ou un ordinateur. "
        "Il se dessine comme une chemise jaune.",
        "Mes photos sont dans le dossier « Images ».",
        ["fichier"],
    ),
    (
        "cookie",
        "cookies\ntémoin de connexion\ntraceur",
        "C'est une petite information qu'un site garde sur votre téléphone. Il se souvient ainsi de vous. "
        "Le site vous demande votre accord. Vous pouvez cliquer sur « Refuser ».",
        "Une fenêtre parle de cookies : je clique sur « Tout refuser ».",
        ["navigateur", "site internet"],
    ),
    (
        "notification",
        "notifications\nalerte\nalertes",
        "C'est un petit message qui apparaît en haut de l'écran du téléphone. Il vous prévient d'une nouvelle. "
        "Par exemple un nouveau message ou un rendez-vous.",
        "Une notification me dit que mon inscription est confirmée.",
        ["application", "SMS"],
    ),
    (
        "clé USB",
        "clés USB\ncle USB\nclef USB\nclefs USB",
        "C'est un petit objet pour transporter des fichiers. On le branche sur un ordinateur. "
        "On peut copier dessus des photos ou des papiers.",
        "J'apporte ma clé USB au centre pour imprimer mon CV.",
        ["fichier", "imprimante"],
    ),
    (
        "imprimante",
        "imprimantes\nimprimer\nimpression",
        "C'est la machine qui met sur papier ce qui est sur l'écran. "
        "Au centre social, vous pouvez imprimer vos papiers.",
        "J'envoie mon attestation à l'imprimante de l'accueil.",
        ["clé USB", "PDF"],
    ),
    (
        "écran tactile",
        "écrans tactiles\necran tactile\ntactile",
        "C'est un écran qu'on touche avec le doigt. On appuie pour choisir. "
        "On fait glisser le doigt pour faire défiler la page.",
        "Sur l'écran tactile, j'appuie une fois sur l'icône pour l'ouvrir.",
        ["application"],
    ),
    (
        "allocataire",
        "allocataires\nnuméro d'allocataire\nnuméro allocataire",
        "C'est une personne qui reçoit une aide de la CAF ou de la MSA. "
        "Par exemple les allocations familiales ou le RSA. "
        "Chaque allocataire a un numéro, écrit sur les courriers de la CAF.",
        "Je note mon numéro d'allocataire dans mon carnet.",
        ["identifiant", "justificatif"],
    ),
    (
        "justificatif",
        "justificatifs\npièce justificative\npièces justificatives\njustificatif de domicile",
        "C'est un papier qui prouve ce que vous dites. Par exemple une facture pour prouver votre adresse. "
        "Ou une fiche de paie pour prouver vos revenus.",
        "Pour la cantine, la mairie demande un justificatif de domicile.",
        ["scanner", "pièce jointe"],
    ),
    (
        "numéro fiscal",
        "numero fiscal\nnuméro de déclarant\nnuméro fiscal de référence\nSPI",
        "C'est votre numéro pour les impôts. Il a 13 chiffres. Il est écrit en haut de votre avis d'impôt. "
        "Il sert à entrer sur impots.gouv.fr.",
        "Je retrouve mon numéro fiscal sur mon ancienne déclaration.",
        ["identifiant", "France Connect"],
    ),
    (
        "avis d'impôt",
        "avis d'imposition\navis d'impôts\navis de non-imposition\navis d'impot",
        "C'est le papier des impôts. Il dit combien vous payez, ou que vous ne payez rien. "
        "Il arrive chaque été. On le demande souvent pour le logement ou les aides.",
        "Le bailleur veut mon dernier avis d'impôt.",
        ["numéro fiscal", "justificatif"],
    ),
    (
        "navigation privée",
        "fenêtre privée\nmode privé\nnavigation privee",
        "C'est une façon d'ouvrir le navigateur sans garder de traces. "
        "À la fin, il oublie les sites visités et les comptes ouverts. "
        "C'est utile sur un ordinateur partagé.",
        "Au centre, j'ouvre une fenêtre de navigation privée pour aller sur mon compte.",
        ["navigateur", "déconnexion", "cookie"],
    ),
    (
        "hameçonnage",
        "phishing\nhameconnage\narnaque par e-mail\nfaux message",
        "C'est une arnaque. Un faux message fait croire qu'il vient de la banque ou de l'Assurance maladie. "
        "Il demande vos codes ou votre carte bancaire. Ne répondez pas. Ne cliquez pas sur son lien.",
        "Ce SMS sur ma carte Vitale est un hameçonnage : je le supprime.",
        ["lien", "mot de passe", "code de vérification"],
    ),
    (
        "icône",
        "icônes\nicone\nicones\npictogramme",
        "C'est un petit dessin sur l'écran. On appuie dessus pour ouvrir une application ou faire une action. "
        "Par exemple une enveloppe pour les e-mails.",
        "J'appuie sur l'icône de la loupe pour chercher.",
        ["application", "écran tactile"],
    ),
    (
        "formulaire",
        "formulaires\nformulaire en ligne",
        "C'est une page avec des cases à remplir sur un site. "
        "On écrit dans chaque case, puis on appuie sur « Valider ». "
        "Les cases avec une étoile sont obligatoires.",
        "Je remplis le formulaire de demande de logement social.",
        ["site internet", "pièce jointe"],
    ),
    (
        "valider",
        "validez\nvalidation",
        "C'est appuyer sur le bouton qui envoie ce que vous avez rempli. Après, le site vous dit si c'est bien reçu. "
        "Gardez la page de confirmation.",
        "J'ai vérifié mes réponses : j'appuie sur « Valider ».",
        ["formulaire"],
    ),
    (
        "messagerie",
        "messageries\nboîte mail\nboîte de réception\nboite mail\nboîte aux lettres électronique",
        "C'est l'endroit où arrivent vos e-mails. Par exemple Gmail, Orange ou Outlook. "
        "Regardez aussi le dossier « Courrier indésirable » : un message important peut s'y cacher.",
        "J'ouvre ma messagerie pour lire l'e-mail de la mairie.",
        ["e-mail", "adresse e-mail", "spam"],
    ),
    (
        "spam",
        "spams\ncourrier indésirable\ncourriers indésirables\npourriel\nindésirables",
        "C'est un e-mail que vous n'avez pas demandé, souvent de la publicité. "
        "La messagerie les range à part. Parfois, elle y range un vrai message par erreur.",
        "Le code n'est pas arrivé : je regarde dans les spams.",
        ["messagerie", "hameçonnage"],
    ),
    (
        "copier-coller",
        "copier coller\ncopier\ncoller",
        "C'est reprendre un texte sans le retaper. On le prend à un endroit, on le met ailleurs. "
        "On appuie longtemps sur le texte, on choisit « Copier ». "
        "Puis on appuie dans la case et on choisit « Coller ».",
        "Je copie-colle le code reçu par e-mail dans la case du site.",
        ["code de vérification"],
    ),
    (
        "Bluetooth",
        "bluetooth\nblutooth",
        "C'est une façon de relier deux appareils proches, sans fil. "
        "Par exemple un téléphone et un casque, ou une enceinte.",
        "J'active le Bluetooth pour utiliser mes écouteurs.",
        ["wifi"],
    ),
    (
        "données mobiles",
        "forfait internet\n4G\n5G\ndata",
        "C'est internet par le réseau de votre opérateur, sans wifi. Il est compté dans votre forfait. "
        "Quand il est fini, internet devient très lent.",
        "Je n'ai plus de données mobiles : je me connecte au wifi du centre.",
        ["wifi"],
    ),
    (
        "Ameli",
        "ameli.fr\ncompte Ameli\ncompte ameli",
        "C'est le site de l'Assurance maladie. Vous y voyez vos remboursements de santé. "
        "Vous pouvez aussi télécharger votre attestation de droits.",
        "Je regarde sur Ameli si la pharmacie a été remboursée.",
        ["espace personnel", "France Connect"],
    ),
]

PICTOGRAMS = {"QR code", "wifi", "clé USB", "arobase", "mot de passe"}


def draw_pictogram(word, size=240):
    """A plain black-on-white pictogram for a few words: what the printed booklet keeps as an image."""
    picture = PillowImage.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(picture)
    ink = "#1b1b1f"
    if word == "QR code":
        for row in range(7):
            for column in range(7):
                if (row * 3 + column * 5 + row * column) % 3 == 0 or (row in (0, 6) and column in (0, 6)):
                    draw.rectangle([30 + column * 26, 30 + row * 26, 54 + column * 26, 54 + row * 26], fill=ink)
    elif word == "wifi":
        for radius in (40, 80, 120):
            draw.arc([120 - radius, 180 - radius, 120 + radius, 180 + radius], 225, 315, fill=ink, width=18)
        draw.ellipse([108, 168, 132, 192], fill=ink)
    elif word == "clé USB":
        draw.rounded_rectangle([40, 90, 170, 150], radius=12, fill=ink)
        draw.rectangle([170, 100, 215, 140], outline=ink, width=8)
    elif word == "arobase":
        draw.ellipse([40, 40, 200, 200], outline=ink, width=18)
        draw.ellipse([88, 88, 152, 152], outline=ink, width=18)
        draw.rectangle([150, 110, 200, 130], fill="white")
    else:  # a padlock for the password
        draw.arc([70, 30, 170, 130], 180, 360, fill=ink, width=18)
        draw.rectangle([60, 80, 79, 120], fill=ink)
        draw.rectangle([161, 80, 180, 120], fill=ink)
        draw.rounded_rectangle([50, 110, 190, 210], radius=14, fill=ink)
        draw.ellipse([108, 140, 132, 164], fill="white")
    data = io.BytesIO()
    picture.save(data, format="PNG")
    return data.getvalue()


PICTOGRAM_DESCRIPTIONS = {
    "QR code": "Pictogramme : un carré de petits carrés noirs et blancs.",
    "wifi": "Pictogramme : un point et trois arcs, le signe du wifi.",
    "clé USB": "Pictogramme : une clé USB vue de côté.",
    "arobase": "Pictogramme : le signe arobase, @.",
    "mot de passe": "Pictogramme : un cadenas fermé.",
}


def demo_pictogram(word):
    Image = get_image_model()
    title = f"Lexique — {word}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title)
        image.file = ImageFile(io.BytesIO(draw_pictogram(word)), name=f"lexique-{slugify(word)}.png")
        image.save()
    return image


def network_index(home, model, **fields):
    """The network's one `model` page: the one its data migration made, or a new one (after a test flushed the
    tables)."""
    return model.objects.first() or home.add_child(instance=model(**fields))


def lexicon_index(home):
    return network_index(
        home,
        LexiconIndexPage,
        title="Lexique du numérique",
        slug="lexique",
        introduction="Les mots du numérique, expliqués simplement. Chaque mot a sa fiche, avec un exemple.",
    )


def demo_writers():
    """The demo's relays and contributors, each with their centre, in a fixed order: the terms are shared out."""
    return list(Membership.objects.contributors().select_related("user", "centre").order_by("centre__title", "pk"))


def create_lexicon(home: HomePage) -> int:
    """The demo's terms under the network's lexicon, with their related terms; returns how many were new.

    Each term is credited to one of the demo's relays or contributors, in turn: its owner and its centre. They
    wrote them before the demo began, so publishing tells them nothing (the console would print 45 e-mails).
    """
    with publishing_quietly():
        return _create_lexicon(home)


def _create_lexicon(home):
    index = lexicon_index(home)
    writers = demo_writers()
    created = 0
    pages = {}
    for number, (word, variants, definition, example, _related) in enumerate(TERMS):
        slug = slugify(word)
        writer = writers[number % len(writers)] if writers else None
        term = TermPage.objects.child_of(index).filter(slug=slug).first()
        if term is not None and term.centre_id is None and writer is not None:
            term.owner, term.centre = writer.user, writer.centre
            term.save_revision(user=writer.user).publish()
        if term is None:
            term = TermPage(title=word, slug=slug, variants=variants, definition=definition, example=example)
            if writer is not None:
                term.owner, term.centre = writer.user, writer.centre
            if word in PICTOGRAMS:
                term.photo = demo_pictogram(word)
                term.photo_alt = PICTOGRAM_DESCRIPTIONS[word]
            term.clean()  # the demo obeys the rules an editor meets: no variant shared by two terms
            index.add_child(instance=term)
            created += 1
        pages[word] = term
    for word, _variants, _definition, _example, related in TERMS:
        term = pages[word]
        if related and not term.related_terms.exists():
            term.related_terms.set([pages[other] for other in related])
            term.save_revision().publish()
    return created


# Tutorials: (title, summary, level, duration, what you need, lexicon words, steps). Each step: (title, blocks).
TUTORIALS = [
    {
        "title": "Créer une adresse e-mail",
        "summary": "Vous aurez votre propre adresse e-mail. Vous pourrez recevoir des messages et créer vos comptes.",
        "level": "debutant",
        "duration": "20 minutes",
        "needs": "Un téléphone ou un ordinateur\nInternet (wifi ou données mobiles)\nVotre numéro de portable",
        "terms": ["adresse e-mail", "mot de passe", "navigateur", "arobase", "code de vérification"],
        "steps": [
            (
                "Ouvrir le navigateur",
                [
                    ("text", "Appuyez sur l'icône du navigateur. C'est l'application pour aller sur internet."),
                    ("tip", "Sur un téléphone Android, c'est souvent Chrome. Sur un iPhone, c'est Safari."),
                ],
            ),
            (
                "Aller sur un site de messagerie",
                [
                    ("text", "Tapez le nom d'une messagerie gratuite. Par exemple : laposte.net ou gmail.com."),
                    ("text", "Appuyez sur « Créer un compte » ou « Créer une adresse »."),
                ],
            ),
            (
                "Écrire votre nom et votre prénom",
                [
                    ("text", "Tapez votre prénom dans la première case. Tapez votre nom dans la deuxième case."),
                    ("text", "Appuyez sur « Suivant »."),
                ],
            ),
            (
                "Choisir votre adresse",
                [
                    ("text", "Le site propose une adresse. Vous pouvez la garder ou en écrire une autre."),
                    (
                        "tip",
                        "Choisissez une adresse simple : votre prénom et votre nom, avec un point entre les deux.",
                    ),
                    ("attention", "Notez votre adresse sur un papier. Vous en aurez besoin souvent."),
                ],
            ),
            (
                "Choisir un mot de passe",
                [
                    ("text", "Tapez un mot de passe. Tapez-le une deuxième fois pour vérifier."),
                    ("text", "Un bon mot de passe est long. Il mélange des lettres, des chiffres et un signe."),
                    ("attention", "Ne donnez jamais votre mot de passe. Même pas au téléphone."),
                ],
            ),
            (
                "Recevoir le code de vérification",
                [
                    ("text", "Tapez votre numéro de téléphone portable. Le site vous envoie un code par SMS."),
                    ("text", "Ouvrez le SMS. Recopiez le code dans la case, puis appuyez sur « Valider »."),
                ],
            ),
            (
                "Envoyer un premier message",
                [
                    ("text", "Votre adresse est prête. Envoyez un message à un proche pour essayer."),
                    ("tip", "Donnez votre adresse au centre social. On pourra vous envoyer les informations."),
                ],
            ),
        ],
    },
    {
        "title": "Faire sa déclaration trimestrielle CAF",
        "summary": "Vous direz à la CAF ce que vous avez gagné ces trois derniers mois. Sans cela, le RSA ou la prime "
        "d'activité peuvent s'arrêter.",
        "level": "a-l-aise",
        "duration": "15 minutes",
        "needs": "Votre numéro d'allocataire\nVotre mot de passe CAF\nVos fiches de paie des trois derniers mois",
        "terms": ["allocataire", "identifiant", "mot de passe", "espace personnel", "valider", "déconnexion"],
        "steps": [
            (
                "Ouvrir l'application CAF",
                [
                    ("text", "Appuyez sur l'application « Caf - Mon Compte ». Vous pouvez aussi aller sur caf.fr."),
                ],
            ),
            (
                "Entrer dans votre espace",
                [
                    ("text", "Tapez votre numéro d'allocataire. Puis tapez votre mot de passe."),
                    ("tip", "Le numéro d'allocataire est écrit en haut des courriers de la CAF."),
                ],
            ),
            (
                "Trouver la déclaration",
                [
                    (
                        "text",
                        "Appuyez sur « Déclarer ma situation trimestrielle ». Le bouton est sur la page d'accueil.",
                    ),
                    (
                        "attention",
                        "La déclaration se fait chaque trimestre, à une date précise. Ne la faites pas en retard.",
                    ),
                ],
            ),
            (
                "Écrire vos revenus",
                [
                    (
                        "text",
                        "Pour chaque mois, tapez ce que vous avez gagné. Prenez le montant « net à payer » "
                        "de la fiche de paie.",
                    ),
                    ("text", "Vous n'avez rien gagné ce mois-là ? Tapez 0."),
                ],
            ),
            (
                "Vérifier et valider",
                [
                    ("text", "Relisez les montants. Appuyez sur « Valider »."),
                    ("tip", "Faites une capture d'écran de la page de fin. C'est votre preuve."),
                ],
            ),
            (
                "Se déconnecter",
                [
                    (
                        "text",
                        "Appuyez sur « Déconnexion », en haut à droite. C'est important sur un ordinateur partagé.",
                    ),
                ],
            ),
        ],
    },
    {
        "title": "Scanner un document avec son téléphone",
        "summary": "Vous ferez une copie propre d'un papier avec votre téléphone. Vous pourrez l'envoyer en PDF.",
        "level": "debutant",
        "duration": "10 minutes",
        "needs": "Un téléphone avec un appareil photo\nLe papier à scanner\nUne table bien éclairée",
        "terms": ["scanner", "PDF", "fichier", "application"],
        "steps": [
            (
                "Poser le papier à plat",
                [
                    ("text", "Posez le papier sur une table. Choisissez un endroit avec de la lumière."),
                    ("tip", "Une table sombre sous un papier blanc, c'est mieux. Le téléphone voit bien les bords."),
                ],
            ),
            (
                "Ouvrir l'outil pour scanner",
                [
                    (
                        "text",
                        "Sur Android, ouvrez l'application Google Drive. Appuyez sur le « + », puis sur « Scanner ».",
                    ),
                    (
                        "text",
                        "Sur iPhone, ouvrez l'application Notes. Appuyez sur le trombone. "
                        "Puis sur « Scanner des documents ».",
                    ),
                ],
            ),
            (
                "Prendre la photo",
                [
                    ("text", "Tenez le téléphone au-dessus du papier. Tout le papier doit être dans l'écran."),
                    ("text", "Appuyez sur le rond pour prendre la photo."),
                ],
            ),
            (
                "Vérifier la photo",
                [
                    ("text", "Regardez si on lit bien tout le texte. Sinon, appuyez sur « Refaire »."),
                    ("attention", "Un papier flou sera refusé par la CAF ou les impôts. Prenez le temps de vérifier."),
                ],
            ),
            (
                "Enregistrer en PDF",
                [
                    (
                        "text",
                        "Appuyez sur « Enregistrer ». Donnez un nom simple au fichier. Par exemple : avis-impot-2025.",
                    ),
                ],
            ),
        ],
    },
    {
        "title": "Se connecter avec FranceConnect",
        "summary": "Vous entrerez sur un site public avec un compte que vous avez déjà. Vous n'aurez pas de nouveau "
        "mot de passe à retenir.",
        "level": "a-l-aise",
        "duration": "5 minutes",
        "needs": "Un compte des impôts ou d'Ameli\nSon identifiant et son mot de passe",
        "terms": ["France Connect", "identifiant", "mot de passe", "compte", "Ameli"],
        "steps": [
            (
                "Trouver le bouton FranceConnect",
                [
                    (
                        "text",
                        "Sur le site public, cherchez le bouton bleu « S'identifier avec FranceConnect ». "
                        "Appuyez dessus.",
                    ),
                ],
            ),
            (
                "Choisir un compte que vous avez",
                [
                    (
                        "text",
                        "Le site montre plusieurs logos. Appuyez sur celui d'un compte que vous avez déjà. "
                        "Par exemple impots.gouv ou Ameli.",
                    ),
                ],
            ),
            (
                "Taper l'identifiant de ce compte",
                [
                    ("text", "Tapez l'identifiant et le mot de passe de ce compte. Pas ceux du site du début."),
                    ("tip", "Pour les impôts, l'identifiant est votre numéro fiscal. Il est sur votre avis d'impôt."),
                ],
            ),
            (
                "Accepter et continuer",
                [
                    ("text", "Une page vous demande votre accord. Appuyez sur « Continuer »."),
                    ("text", "Vous revenez sur le premier site. Vous êtes connecté."),
                    (
                        "attention",
                        "Vérifiez que l'adresse du site finit par « .gouv.fr » ou « .fr ». "
                        "Un faux site peut copier le bouton.",
                    ),
                ],
            ),
        ],
    },
    {
        "title": "Envoyer une pièce jointe",
        "summary": "Vous enverrez un document avec un e-mail. Par exemple une photo d'un justificatif.",
        "level": "debutant",
        "duration": "10 minutes",
        "needs": "Une adresse e-mail qui marche\nLe document, déjà sur votre téléphone\nL'adresse de la personne",
        "terms": ["pièce jointe", "e-mail", "fichier", "justificatif", "messagerie"],
        "steps": [
            (
                "Ouvrir votre messagerie",
                [("text", "Ouvrez l'application de vos e-mails. Par exemple Gmail ou La Poste.")],
            ),
            (
                "Écrire un nouveau message",
                [
                    ("text", "Appuyez sur « Nouveau message » ou sur le crayon."),
                    ("text", "Dans la case « À », tapez l'adresse de la personne."),
                ],
            ),
            (
                "Écrire l'objet et le message",
                [
                    (
                        "text",
                        "Dans « Objet », écrivez en quelques mots de quoi il s'agit. Par exemple : "
                        "justificatif de domicile.",
                    ),
                    ("text", "Écrivez un petit message. Dites bonjour et ce que vous envoyez."),
                ],
            ),
            (
                "Ajouter la pièce jointe",
                [
                    ("text", "Appuyez sur le trombone. Choisissez le document dans votre téléphone."),
                    ("tip", "Le nom du document apparaît sous le message. C'est le signe qu'il est bien attaché."),
                ],
            ),
            (
                "Envoyer",
                [
                    ("text", "Appuyez sur « Envoyer » ou sur la flèche."),
                    ("attention", "Un document trop gros peut ne pas partir. Envoyez les pages une par une."),
                ],
            ),
        ],
    },
    {
        "title": "Prendre un rendez-vous médical en ligne",
        "summary": "Vous prendrez rendez-vous chez un médecin sur internet. Vous choisirez le jour et l'heure.",
        "level": "a-l-aise",
        "duration": "15 minutes",
        "needs": "Un téléphone\nVotre adresse e-mail\nVotre carte Vitale",
        "terms": ["site internet", "compte", "code de vérification", "notification", "SMS"],
        "steps": [
            (
                "Aller sur le site de rendez-vous",
                [
                    ("text", "Ouvrez le site ou l'application de prise de rendez-vous. Par exemple Doctolib."),
                    ("tip", "Votre médecin vous dit souvent quel site il utilise. Demandez à son secrétariat."),
                ],
            ),
            (
                "Chercher le médecin",
                [
                    ("text", "Tapez le nom du médecin, ou sa spécialité. Par exemple : dentiste."),
                    ("text", "Tapez votre ville. Appuyez sur « Rechercher »."),
                ],
            ),
            (
                "Choisir un horaire",
                [
                    ("text", "Regardez les jours et les heures libres. Appuyez sur celui qui vous va."),
                    ("attention", "Vérifiez l'adresse du cabinet. Un médecin peut avoir plusieurs adresses."),
                ],
            ),
            (
                "Créer votre compte",
                [
                    (
                        "text",
                        "La première fois, le site demande de créer un compte. Tapez votre adresse e-mail "
                        "et choisissez un mot de passe.",
                    ),
                    ("text", "Vous recevez un code par SMS. Tapez-le pour valider."),
                ],
            ),
            (
                "Confirmer le rendez-vous",
                [
                    ("text", "Relisez le jour, l'heure et l'adresse. Appuyez sur « Confirmer »."),
                    ("text", "Vous recevez un e-mail de confirmation."),
                ],
            ),
            (
                "Annuler si vous ne pouvez pas venir",
                [
                    ("text", "Un empêchement ? Ouvrez le site, puis « Mes rendez-vous ». Appuyez sur « Annuler »."),
                    ("tip", "Annulez au moins un jour avant. Le créneau pourra servir à quelqu'un d'autre."),
                ],
            ),
        ],
    },
    {
        "title": "Installer une application sur son téléphone",
        "summary": "Vous ajouterez une application sur votre téléphone. Par exemple celle de la CAF ou d'Ameli.",
        "level": "debutant",
        "duration": "10 minutes",
        "needs": "Un téléphone\nInternet, de préférence en wifi\nLe mot de passe de votre compte Google ou Apple",
        "terms": ["application", "icône", "wifi", "télécharger", "mise à jour"],
        "steps": [
            (
                "Ouvrir le magasin d'applications",
                [
                    ("text", "Sur Android, appuyez sur « Play Store ». Sur iPhone, appuyez sur « App Store »."),
                    ("tip", "Le Play Store a un triangle de couleur. L'App Store a un A bleu."),
                ],
            ),
            (
                "Chercher l'application",
                [("text", "Appuyez sur la loupe. Tapez le nom de l'application. Par exemple : Caf.")],
            ),
            (
                "Vérifier que c'est la bonne",
                [
                    ("text", "Regardez le nom de l'éditeur, sous le nom de l'application."),
                    (
                        "attention",
                        "Pour la CAF, l'éditeur doit être la Caisse nationale des allocations familiales. "
                        "Une autre application peut vous tromper.",
                    ),
                ],
            ),
            (
                "Installer",
                [
                    ("text", "Appuyez sur « Installer ». Attendez la fin du téléchargement."),
                    ("tip", "Une application est parfois lourde. En wifi, vous ne dépensez pas votre forfait."),
                ],
            ),
            (
                "Ouvrir l'application",
                [
                    ("text", "Appuyez sur « Ouvrir ». Vous trouverez aussi son icône sur l'écran d'accueil."),
                ],
            ),
        ],
    },
    {
        "title": "Reconnaître un message d'arnaque",
        "summary": "Vous saurez repérer un faux message. Vous protégerez votre argent et vos comptes.",
        "level": "debutant",
        "duration": "10 minutes",
        "needs": "Votre téléphone\nUn message qui vous semble bizarre",
        "terms": ["hameçonnage", "spam", "lien", "SMS", "mot de passe"],
        "steps": [
            (
                "Lire sans cliquer",
                [
                    (
                        "text",
                        "Vous recevez un message qui parle d'argent, d'un colis ou d'une amende ? "
                        "Lisez-le, mais n'appuyez sur rien.",
                    ),
                ],
            ),
            (
                "Repérer l'urgence",
                [
                    (
                        "text",
                        "Le message dit de faire vite ? « Dernier jour », « compte bloqué » ? "
                        "C'est souvent une arnaque.",
                    ),
                    ("text", "Les vrais services publics ne vous pressent pas comme ça."),
                ],
            ),
            (
                "Regarder l'expéditeur",
                [
                    (
                        "text",
                        "Regardez qui envoie le message. Une adresse bizarre ou un numéro inconnu, c'est suspect.",
                    ),
                    ("tip", "Un vrai message d'Ameli vient d'une adresse qui finit par « ameli.fr »."),
                ],
            ),
            (
                "Ne jamais donner ses codes",
                [
                    (
                        "attention",
                        "Personne ne doit vous demander votre mot de passe. Ni le code de votre carte bancaire. "
                        "Ni la banque, ni la CAF, ni la police.",
                    ),
                ],
            ),
            (
                "Vérifier par un autre moyen",
                [
                    (
                        "text",
                        "Un doute ? Ouvrez vous-même l'application ou le site officiel. Ou appelez le service "
                        "au numéro que vous connaissez.",
                    ),
                ],
            ),
            (
                "Signaler et supprimer",
                [
                    ("text", "Transférez le faux SMS au 33700. C'est gratuit. Puis supprimez le message."),
                    (
                        "tip",
                        "Vous avez cliqué ou donné un code ? Appelez tout de suite votre banque. "
                        "Puis venez en parler au centre social.",
                    ),
                ],
            ),
        ],
    },
]


def tutorial_index(home):
    return network_index(
        home,
        TutorialIndexPage,
        title="Tutoriels du numérique",
        slug="tutoriels",
        introduction="Pas à pas, pour faire seul ce qu'on fait sur internet. Une étape par écran.",
    )


def tutorial_steps(steps):
    return [("step", {"title": title, "body": blocks}) for title, blocks in steps]


def create_tutorials(home: HomePage) -> int:
    """The demo's tutorials, each linked to the lexicon's words it uses; returns how many were new.

    Run after `create_lexicon`: a tutorial names its words, found again by their address. Each is credited to one
    of the demo's relays or contributors in turn, like the terms, and publishing them tells nobody.
    """
    with publishing_quietly():
        return _create_tutorials(home)


def _create_tutorials(home):
    index = tutorial_index(home)
    terms = {term.title: term for term in TermPage.objects.all()}
    writers = demo_writers()
    created = 0
    for number, data in enumerate(TUTORIALS):
        slug = slugify(data["title"])
        writer = writers[number % len(writers)] if writers else None
        tutorial = TutorialPage.objects.child_of(index).filter(slug=slug).first()
        if tutorial is not None:
            if tutorial.centre_id is None and writer is not None:
                tutorial.owner, tutorial.centre = writer.user, writer.centre
                tutorial.save_revision(user=writer.user).publish()
            continue
        tutorial = TutorialPage(
            title=data["title"],
            slug=slug,
            summary=data["summary"],
            level=data["level"],
            duration=data["duration"],
            needs=data["needs"],
            steps=tutorial_steps(data["steps"]),
        )
        if writer is not None:
            tutorial.owner, tutorial.centre = writer.user, writer.centre
        index.add_child(instance=tutorial)
        tutorial.linked_terms.set([terms[word] for word in data["terms"]])
        tutorial.save_revision(user=writer.user if writer else None).publish()
        created += 1
    return created
