"""Demo content of the lexicon: the words residents stop at, explained as a mediator would at the front desk.

Written in easy-to-read French: short sentences, one idea each, words of every day. A few terms have a pictogram
drawn here (nothing is downloaded). Idempotent: terms are found again by their address, related terms are set
once all exist.
"""

import io

from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from home.models import HomePage
from lexique.models import LexiconIndexPage, TermPage
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


def lexicon_index(home):
    """The network's lexicon: the one the data migration made, or a new one (after a test flushed the tables)."""
    index = LexiconIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=LexiconIndexPage(
                title="Lexique du numérique",
                slug="lexique",
                introduction="Les mots du numérique, expliqués simplement. Chaque mot a sa fiche, avec un exemple.",
            )
        )
    return index


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
