"""The map's forms: a resident's correction or new place, and the centre team's answer."""

import uuid
from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from carte.models import CENTRE_CATEGORY, PlaceCategory, UsefulPlace, WrongField, coordinates_errors
from carte.proposals import DETAILS_MAX_LENGTH, MESSAGE_MAX_LENGTH, centres_open_to_proposals, nearest_centre
from core.forms import PlainForm, written_with_letters
from lexique.forms import WRONG_CONTACT, HelpForm


def contact_field():
    return forms.CharField(
        label=_("Votre téléphone ou votre e-mail (si vous voulez)"),
        help_text=_(
            "Seulement pour que le centre vous rappelle à propos de ce lieu. "
            "Il ne sert à rien d'autre et il est effacé après un an."
        ),
        required=False,
        max_length=120,
        error_messages={"max_length": WRONG_CONTACT},
    )


def centre_field(*, required):
    return forms.ModelChoiceField(
        queryset=centres_open_to_proposals(),
        label=_("Quel centre social vérifie ?"),
        help_text=None if required else _("Sans choix, le centre le plus proche du lieu."),
        required=required,
        empty_label=None if required else _("Le centre le plus proche"),
        error_messages={
            "invalid_choice": _("Choisissez un centre de la liste."),
            "required": _("Choisissez le centre social qui vérifiera."),
        },
    )


class ProposalForm(PlainForm):
    """What both proposals share: the visitor's way to be called back, the centre, the one-time token."""

    # Sending this form twice (a second tap, the back button, a slow network) is one proposal: carte/proposals.py.
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is None:  # the centre knows how to reach its members
            self.fields["call_back_on"] = contact_field()

    # The same check as a tutorial's "Je bloque ici": a French phone number or an e-mail address.
    clean_call_back_on = HelpForm.clean_call_back_on

    def proposer(self):
        """The visitor's way to be called back, as the proposal stores it."""
        return {"contact": self.cleaned_data.get("call_back_on", "")}

    def _clean_text(self, name, refusal):
        text = self.cleaned_data[name].strip()
        if text:
            written_with_letters(text, refusal)
        return text


class CorrectionForm(ProposalForm):
    wrong_fields = forms.MultipleChoiceField(
        label=_("Qu'est-ce qui est faux ?"),
        choices=WrongField.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une case.")},
    )
    details = forms.CharField(
        label=_("Dites-nous ce qui est faux, et la bonne information si vous la connaissez"),
        help_text=_("Par exemple : « Fermé le lundi, ouvert le samedi matin ». %(max)d caractères au plus.")
        % {"max": DETAILS_MAX_LENGTH},
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Écrivez ce qui est faux, en quelques mots.")},
    )
    field_order = ["wrong_fields", "details", "call_back_on", "centre"]

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centre is None:  # nobody looks after the place, and it is nowhere near a centre: the person says which
            self.fields["centre"] = centre_field(required=True)
        self.order_fields(self.field_order)

    def clean_details(self):
        return self._clean_text("details", _("Écrivez ce qui est faux avec des mots."))


class NewPlaceForm(ProposalForm):
    name = forms.CharField(
        label=_("Le nom du lieu"),
        max_length=150,
        error_messages={"required": _("Écrivez le nom du lieu.")},
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Qu'est-ce qu'on y trouve ?"),
        queryset=PlaceCategory.objects.exclude(slug=CENTRE_CATEGORY),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une case.")},
    )
    street_address = forms.CharField(
        label=_("Adresse : numéro et rue"),
        max_length=200,
        error_messages={"required": _("Écrivez l'adresse : le numéro et la rue.")},
    )
    postcode = forms.CharField(
        label=_("Code postal"),
        max_length=5,
        validators=UsefulPlace._meta.get_field("postcode").validators,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        error_messages={"required": _("Écrivez le code postal, par exemple 59100.")},
    )
    town = forms.CharField(label=_("Ville"), max_length=100, error_messages={"required": _("Écrivez la ville.")})
    phone = PhoneNumberField(
        label=_("Téléphone du lieu (si vous le connaissez)"),
        region="FR",
        required=False,
        error_messages={"invalid": _("Ce numéro n'est pas valide. Exemple : 03 20 12 34 56.")},
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    hours_text = forms.CharField(
        label=_("Les jours et les heures d'ouverture (si vous les connaissez)"),
        help_text=_("Par exemple : « du lundi au vendredi, de 9 h à 12 h »."),
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    latitude = forms.DecimalField(
        label=_("Latitude (si vous la connaissez)"),
        help_text=_("Par exemple 50.6903. Vous pouvez laisser vide."),
        required=False,
        max_digits=9,
        decimal_places=6,
        localize=True,
    )
    longitude = forms.DecimalField(
        label=_("Longitude (si vous la connaissez)"),
        help_text=_("Par exemple 3.1812. Vous pouvez laisser vide."),
        required=False,
        max_digits=9,
        decimal_places=6,
        localize=True,
    )
    field_order = [
        "name",
        "categories",
        "street_address",
        "postcode",
        "town",
        "phone",
        "hours_text",
        "latitude",
        "longitude",
        "centre",
        "call_back_on",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"] = centre_field(required=False)
        self.order_fields(self.field_order)

    def clean_name(self):
        return self._clean_text("name", _("Écrivez le nom du lieu avec des lettres."))

    def clean_hours_text(self):
        return self._clean_text("hours_text", _("Écrivez les horaires avec des mots, ou laissez la case vide."))

    def clean(self):
        data = super().clean()
        for field, error in coordinates_errors(data.get("latitude"), data.get("longitude")).items():
            self.add_error(field, error)
        if not self.errors and data.get("centre") is None:
            data["centre"] = nearest_centre(
                latitude=data.get("latitude"),
                longitude=data.get("longitude") if data.get("latitude") is not None else None,
                postcode=data["postcode"],
                town=data["town"],
            )
            if data["centre"] is None:
                self.add_error("centre", _("Nous ne savons pas quel centre est le plus proche : choisissez-en un."))
        return data

    def proposal(self):
        """The proposal's fields, as carte.proposals.propose_place takes them."""
        names = ["centre", "token", "categories", "name", "street_address", "postcode", "town", "phone"]
        names += ["hours_text", "latitude", "longitude"]
        return {**{name: self.cleaned_data[name] for name in names}, **self.proposer()}


class AnswerForm(PlainForm):
    message = forms.CharField(
        label=_("Un mot pour la personne (si vous voulez)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(PlainForm):
    message = forms.CharField(
        label=_("Pourquoi vous refusez, en quelques mots"),
        help_text=_("La personne lira ce message."),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Écrivez pourquoi, en quelques mots : la personne le lira.")},
    )


class PlaceFieldsForm(forms.ModelForm):
    """The place's simple fields, to put right while accepting a proposal (the rest is in the admin)."""

    categories = forms.ModelMultipleChoiceField(
        label=_("Qu'est-ce qu'on y trouve ?"),
        queryset=PlaceCategory.objects.exclude(slug=CENTRE_CATEGORY),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une case.")},
    )

    class Meta:
        model = UsefulPlace
        fields = ["name", "street_address", "postcode", "town", "phone", "website"]
        field_classes = {"website": partial(forms.URLField, assume_scheme="https")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["categories"] = list(self.instance.categories.all())

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
