"""The national identifiers open data asks of a centre: its SIRET or RNA number, its commune's INSEE code.

The digital-mediation standard (carte/standards/) requires a `pivot`, the SIRET of the place's organisation or,
for an association without one, its RNA number; the INSEE code places the centre in its commune.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# La Poste's establishments share one SIREN and are numbered past what the Luhn key allows: INSEE checks
# their SIRET by the sum of its digits instead (its head office, 356 000 000 00048, keeps the Luhn key).
LA_POSTE_SIREN = "356000000"


def luhn_valid(digits):
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def siret_valid(siret):
    if not re.fullmatch(r"[0-9]{14}", siret):
        return False
    if siret.startswith(LA_POSTE_SIREN) and sum(int(digit) for digit in siret) % 5 == 0:
        return True
    return luhn_valid(siret)


def validate_pivot(value):
    """A SIRET (14 digits, checked) or an RNA number (W and 9 digits)."""
    if re.fullmatch(r"W[0-9]{9}", value):
        return
    if re.fullmatch(r"[0-9]{14}", value):
        if not siret_valid(value):
            raise ValidationError(
                _("Ce numéro SIRET contient une erreur : vérifiez ses 14 chiffres sur l'avis de situation Insee."),
                code="siret_key",
            )
        return
    raise ValidationError(
        _(
            "Écrivez le SIRET du centre (14 chiffres, sans espace) ou, pour une association sans SIRET, "
            "son numéro RNA (W suivi de 9 chiffres)."
        ),
        code="pivot",
    )


# The digital-mediation standard's own pattern for `code_insee`: no department 20 any more, Corsica as 2A/2B.
INSEE_PATTERN = r"^([013-9][0-9]|2[AB1-9])[0-9]{3}$"

validate_insee_code = RegexValidator(
    INSEE_PATTERN,
    _(
        "Un code INSEE de commune a 5 caractères : 5 chiffres (59512 pour Roubaix), "
        "ou 2A ou 2B puis 3 chiffres en Corse. Ce n'est pas le code postal."
    ),
    code="insee_code",
)
