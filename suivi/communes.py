"""The communes a person helped may live in: the Métropole européenne de Lille's, around the demo centres.

A home commune is kept as its INSEE code (COG), never an address. The list is vendored small on purpose: the
network's centres are in the metropolis today; a centre elsewhere needs its communes added here (INSEE's
"code officiel géographique", https://www.insee.fr/fr/information/2560452). Each code and name was checked on
2026-12-06 against the COG as the Coop de la médiation numérique ships it (apps/web/private-static/communes.csv,
commit 46aa33b); check a new one the same way.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# INSEE code: name. Lille's associated communes (Hellemmes, Lomme) share Lille's code.
COMMUNES = {
    "59009": "Villeneuve-d'Ascq",
    "59017": "Armentières",
    "59163": "Croix",
    "59220": "Faches-Thumesnil",
    "59279": "Halluin",
    "59286": "Haubourdin",
    "59299": "Hem",
    "59328": "Lambersart",
    "59332": "Lannoy",
    "59339": "Leers",
    "59350": "Lille",
    "59360": "Loos",
    "59367": "Lys-lez-Lannoy",
    "59368": "La Madeleine",
    "59378": "Marcq-en-Barœul",
    "59410": "Mons-en-Barœul",
    "59421": "Mouvaux",
    "59507": "Ronchin",
    "59508": "Roncq",
    "59512": "Roubaix",
    "59527": "Saint-André-lez-Lille",
    "59560": "Seclin",
    "59598": "Toufflers",
    "59599": "Tourcoing",
    "59636": "Wambrechies",
    "59646": "Wasquehal",
    "59648": "Wattignies",
    "59650": "Wattrelos",
}

# Sorted by name, as a person says it, for the list the team picks from.
COMMUNE_CHOICES = sorted(COMMUNES.items(), key=lambda item: item[1])


def validate_commune(code):
    """An INSEE code from the list: anything else (a postcode, a typo) is refused in words."""
    if code not in COMMUNES:
        raise ValidationError(
            _("Choisissez la commune dans la liste (le code INSEE %(code)s n'y est pas)."),
            code="commune",
            params={"code": code},
        )
