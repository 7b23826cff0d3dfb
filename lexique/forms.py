"""The "Je bloque ici" form: the step reached, the centre that helps, a message; a visitor's way to be called back."""

import uuid

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from accounts.fields import phone_as_written
from core.forms import PlainForm, written_with_letters
from lexique.help_requests import MESSAGE_MAX_LENGTH
from quartier.models import CentrePage

WRONG_CONTACT = _("Écrivez un numéro de téléphone (par exemple 06 12 34 56 78) ou une adresse e-mail.")


class HelpForm(PlainForm):
    step = forms.TypedChoiceField(
        label=_("À quelle étape bloquez-vous ?"),
        coerce=int,
        error_messages={"invalid_choice": _("Choisissez une étape de la liste.")},
    )
    centre = forms.ModelChoiceField(
        queryset=None,  # set per person: their own centres, else every open one
        label=_("Quel centre social peut vous aider ?"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choisissez un centre de la liste.")},
    )
    message = forms.CharField(
        label=_("Votre message (si vous voulez)"),
        help_text=_("Ce qui ne marche pas, en quelques mots. %(max)d caractères au plus.")
        % {"max": MESSAGE_MAX_LENGTH},
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    call_back_on = forms.CharField(
        label=_("Votre téléphone ou votre e-mail (si vous voulez)"),
        help_text=_(
            "Seulement pour que le centre vous rappelle à propos de ce tutoriel. "
            "Il ne sert à rien d'autre et il est effacé après trois mois."
        ),
        required=False,
        max_length=120,
    )
    # Sending this form twice (a second tap, the back button) is one request: lexique/help_requests.py.
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, tutorial, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        total = len(tutorial.steps)
        self.fields["step"].choices = [
            (number, _("Étape %(number)d : %(title)s") % {"number": number, "title": step["title"]})
            for number, step in tutorial.numbered_steps()
        ]
        if not self.is_bound:
            try:
                asked = int(self.initial.get("step") or total)
            except ValueError:
                asked = total
            self.initial["step"] = min(max(asked, 1), total)
        centres = CentrePage.objects.live().filter(view_restricted=False).order_by("title")
        own = centres.filter(memberships__user=person).distinct() if person is not None else None
        self.fields["centre"].queryset = own if own is not None and own.exists() else centres
        if person is not None:  # the centre knows how to reach its members
            del self.fields["call_back_on"]

    def clean_message(self):
        message = " ".join(self.cleaned_data["message"].split())
        if message:
            written_with_letters(message, _("Écrivez votre message avec des mots, ou laissez la case vide."))
        return message

    def clean_call_back_on(self):
        contact = self.cleaned_data["call_back_on"].strip()
        if not contact:
            return ""
        if "@" in contact:
            try:
                validate_email(contact)
            except ValidationError:
                raise ValidationError(WRONG_CONTACT) from None
            return contact
        try:
            number = phonenumbers.parse(contact, "FR")
        except phonenumbers.NumberParseException:
            raise ValidationError(WRONG_CONTACT) from None
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(WRONG_CONTACT)
        return phone_as_written(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
