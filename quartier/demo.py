"""Demo content of the `quartier` app: five fictional centres of the Lille area, each with its editor.

Phone numbers are in the range ARCEP keeps for fiction (03 53 01 xx xx); e-mail addresses use the
reserved `.example` domain; photos are illustrations drawn here, so nothing is downloaded.
"""

import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from quartier.models import CentrePage, OpeningHours

WEEKDAYS_AND_AFTERNOONS = [(day, dt.time(9), dt.time(12)) for day in range(5)] + [
    (day, dt.time(13, 30), dt.time(18)) for day in range(5)
]

CENTRES = [
    {
        "slug": "centre-social-belencontre",
        "title": "Centre social Belencontre",
        "town": "Tourcoing",
        "postcode": "59200",
        "street_address": "14 rue des Tisserands",
        "latitude": Decimal("50.731900"),
        "longitude": Decimal("3.172400"),
        "phone": "+33353010101",
        "introduction": "Un lieu ouvert à tous les habitants du quartier, pour se rencontrer, apprendre et "
        "faire ses démarches.",
        "presentation": "<p>L'équipe vous accueille pour l'aide aux démarches en ligne, les ateliers "
        "numériques, les sorties en famille et l'accompagnement scolaire.</p>"
        "<p>Vous pouvez venir sans rendez-vous pendant les heures d'ouverture.</p>",
        "hours": [*WEEKDAYS_AND_AFTERNOONS, (5, dt.time(9, 30), dt.time(12))],
        "colours": ("#0b5d4b", "#f2c14e"),
    },
    {
        "slug": "centre-social-lescale",
        "title": "Centre social L'Escale",
        "town": "Roubaix",
        "postcode": "59100",
        "street_address": "3 place du Marché-aux-Toiles",
        "latitude": Decimal("50.689400"),
        "longitude": Decimal("3.178600"),
        "phone": "+33353010202",
        "introduction": "Au cœur du quartier, L'Escale aide chacun à trouver sa place : démarches, "
        "emploi, loisirs et solidarité.",
        "presentation": "<p>Une conseillère numérique tient une permanence tous les matins. "
        "Le mercredi après-midi, la ludothèque est ouverte aux familles.</p>",
        "hours": [(day, dt.time(8, 30), dt.time(12, 30)) for day in range(5)]
        + [(day, dt.time(14), dt.time(17, 30)) for day in (0, 1, 2, 3)],
        "colours": ("#1d4e89", "#f79256"),
    },
    {
        "slug": "maison-des-habitants-le-trait-dunion",
        "title": "Maison des habitants Le Trait d'union",
        "town": "Villeneuve-d'Ascq",
        "postcode": "59650",
        "street_address": "27 allée des Peupliers",
        "latitude": Decimal("50.628800"),
        "longitude": Decimal("3.135700"),
        "phone": "+33353010303",
        "introduction": "La maison des habitants relie les générations : ateliers, repas partagés et "
        "entraide entre voisins.",
        "presentation": "<p>Les bénévoles animent un café des voisins chaque jeudi. "
        "Un atelier « premiers pas sur le téléphone » a lieu le lundi.</p>",
        "hours": [(day, dt.time(9), dt.time(17)) for day in (0, 1, 3, 4)] + [(2, dt.time(13), dt.time(19))],
        "colours": ("#6a3e8c", "#9fd8cb"),
    },
    {
        "slug": "centre-social-la-source",
        "title": "Centre social La Source",
        "town": "Hem",
        "postcode": "59510",
        "street_address": "5 rue Jean-Jaurès",
        "latitude": Decimal("50.656700"),
        "longitude": Decimal("3.188900"),
        "phone": "+33353010404",
        "introduction": "La Source accompagne les familles et les personnes âgées, avec un point d'accès "
        "aux services publics.",
        "presentation": "<p>Un médiateur numérique vous aide à créer votre espace sur les sites des "
        "impôts, de la CAF ou de l'Assurance maladie.</p>",
        "hours": WEEKDAYS_AND_AFTERNOONS,
        "colours": ("#8c2f39", "#fed0bb"),
    },
    {
        "slug": "centre-social-les-tisserands",
        "title": "Centre social Les Tisserands",
        "town": "Wattrelos",
        "postcode": "59150",
        "street_address": "42 rue du Laboureur",
        "latitude": Decimal("50.701800"),
        "longitude": Decimal("3.216600"),
        "phone": "+33353010505",
        "introduction": "Un centre de proximité pour tisser des liens : jardin partagé, atelier couture "
        "et aide au numérique.",
        "presentation": "<p>Le jardin partagé est ouvert à tous le samedi matin. "
        "Prêt d'ordinateurs portables sur place pour vos démarches.</p>",
        "hours": [(day, dt.time(9), dt.time(12)) for day in range(6)]
        + [(day, dt.time(14), dt.time(18)) for day in (1, 3)],
        "colours": ("#2f6f3e", "#f4d35e"),
    },
]


def draw_illustration(sky: str, accent: str) -> bytes:
    """A simple drawing of a building front: the demo's stand-in for a photo of the centre."""
    width, height = 1280, 720
    picture = PillowImage.new("RGB", (width, height), "#e9f1f7")
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, 520, width, height], fill="#c9d6a3")
    draw.rectangle([220, 200, 1060, 560], fill=sky)
    draw.polygon([(180, 210), (640, 60), (1100, 210)], fill=accent)
    for row in range(2):
        for column in range(6):
            x, y = 280 + column * 130, 250 + row * 130
            draw.rectangle([x, y, x + 80, y + 80], fill="#fdfcf7")
    draw.rectangle([580, 420, 700, 560], fill=accent)
    draw.ellipse([1080, 300, 1260, 480], fill="#4f8a4b")
    draw.rectangle([1160, 470, 1180, 560], fill="#6b4f2a")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def demo_photo(centre: CentrePage, colours):
    Image = get_image_model()
    title = f"Illustration — {centre.title}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        data = draw_illustration(*colours)
        image = Image(title=title, collection=centre.team.collection)
        image.file = ImageFile(io.BytesIO(data), name=f"{centre.slug}.png")
        image.save()
    return image


def create_centres(home) -> list[CentrePage]:
    """The five demo centres under the home page, with hours and an illustration; existing ones are kept."""
    centres = []
    for data in CENTRES:
        centre = CentrePage.objects.child_of(home).filter(slug=data["slug"]).first()
        if centre is None:
            fields = {key: value for key, value in data.items() if key not in {"hours", "colours", "presentation"}}
            centre = CentrePage(
                **fields,
                email=f"contact@{data['slug']}.placette.example",
                presentation=RichText(data["presentation"]).source,
                opening_hours=[
                    OpeningHours(weekday=day, opens=opens, closes=closes) for day, opens, closes in data["hours"]
                ],
            )
            home.add_child(instance=centre)
            centre.photo = demo_photo(centre, data["colours"])
            centre.photo_alt = f"Dessin de la façade du {centre.title.lower()}"
            centre.save_revision().publish()
        centres.append(centre)
    return centres


def create_editor(centre: CentrePage, password: str):
    """One editor (animateur) per centre, in the centre's editors group; returns the user."""
    username = "animateur." + centre.slug.removeprefix("centre-social-").removeprefix("maison-des-habitants-")
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": "Animateur", "last_name": centre.title, "email": f"{username}@placette.example"},
    )
    if created:
        user.set_password(password)
        user.save()
    user.groups.add(centre.team.editors)
    return user
