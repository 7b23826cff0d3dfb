"""A mobile phone number typed the French way ("06 12 34 56 78"), stored in E.164 ("+33612345678")."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


class MobilePhoneField(PhoneNumberField):
    default_error_messages = {
        "invalid": _("Ce numéro de téléphone n'est pas valide. Exemple : 06 12 34 56 78."),
        "not_mobile": _("Indiquez un numéro de portable (06 ou 07), pour recevoir les SMS."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Numéro de portable"))
        kwargs.setdefault("region", "FR")
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def to_python(self, value):
        number = super().to_python(value)
        if number in self.empty_values:
            return ""
        # PhoneNumberField validates only after to_python(): a malformed number must not read as a landline.
        if not number.is_valid():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if phonenumbers.number_type(number) not in MOBILE_TYPES:
            raise ValidationError(self.error_messages["not_mobile"], code="not_mobile")
        # allauth handles phones as strings.
        return number.as_e164


def phone_as_written(e164):
    """A number as people write it, in one piece: "06 12 34 56 78" in France, "+32 470 12 34 56" from abroad."""
    try:
        number = phonenumbers.parse(e164, "FR")
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == "FR":
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    else:
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return written.replace(" ", "\N{NO-BREAK SPACE}")
