"""The exchange's forms: an offer, a message and an agreement, a report, and the team's moderation and corrections.

Few fields in plain words, checked before anything is written; the services check again.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.forms import PlainForm, written_with_letters
from echanges.models import MAX_MINUTES, QUARTER, Category, Offer, Report, Suspension
from echanges.services import moderation
from echanges.services.conversations import MESSAGE_MAX, WHAT_MAX
from echanges.services.offers import (
    DESCRIPTION_MAX,
    PHOTO_ALT_MAX,
    TAG_MAX,
    TAGS_MAX,
    TITLE_MAX,
    WHEN_MAX,
    WHERE_MAX,
    OfferRefused,
    clean_tags,
)
from echanges.services.photos import ACCEPT, check_photo
from home.french_dates import DATE_HELP, FrenchDateField
from quartier.models import CentrePage, Membership

# The exchange modes in words a neighbour understands at first reading.
MODE_IN_WORDS = {
    Offer.Mode.GIFT: _("Un don : c'est gratuit"),
    Offer.Mode.LOAN: _("Un prêt : on le rend après"),
    Offer.Mode.SWAP: _("Un troc : on échange une chose contre une autre"),
    Offer.Mode.TIME: _("La banque de temps : on compte les heures données et reçues"),
}
NO_PHOTO_ALT = _("Dites en quelques mots ce que montre la photo.")


def radio_choice(label, choices, *, required):
    """A question answered by ticking one of a few radio buttons; `required` says what to do when none is ticked."""
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, error_messages={"required": required}
    )


def too_long(limit):
    return _("%(limit)s signes au plus : raccourcissez votre texte (il en a %%(show_value)s).") % {"limit": limit}


def optional_text(label, limit, help_text, **options):
    """A text one may leave empty, of `limit` signs at most, refused in plain words when longer."""
    return forms.CharField(
        label=label,
        max_length=limit,
        required=False,
        help_text=help_text,
        error_messages={"max_length": too_long(limit)},
        **options,
    )


class PhotoField(forms.FileField):
    """An optional photo upload; `clean()` returns the uploaded file unchanged once `check_photo` accepts it.

    Its input accepts only JPEG, PNG and WebP, so that an iPhone sends a JPEG instead of its HEIC original.
    """

    def __init__(self, *, required=False, **kwargs):
        kwargs.setdefault("help_text", _("Une photo JPEG, PNG ou WebP, 10 Mo au plus."))
        super().__init__(required=required, **kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is not None:
            check_photo(upload)
        return upload

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT
        return attrs


class CentreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, centre):
        return centre.title


class OfferForm(PlainForm):
    kind = radio_choice(
        _("Vous proposez ou vous cherchez ?"),
        Offer.Kind.choices,
        required=_("Dites si vous proposez ou si vous cherchez quelque chose."),
    )
    nature = radio_choice(
        _("Qu'est-ce que c'est ?"),
        Offer.Nature.choices,
        required=_("Dites si c'est un objet, un coup de main ou un savoir."),
    )
    mode = radio_choice(
        _("En échange de quoi ?"),
        list(MODE_IN_WORDS.items()),
        required=_("Choisissez ce qui est attendu en échange."),
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=TITLE_MAX,
        help_text=_("Par exemple : je prête une perceuse, je cherche une poussette. %(max)s signes au plus.")
        % {"max": TITLE_MAX},
        error_messages={"required": _("Donnez un titre à votre annonce."), "max_length": too_long(TITLE_MAX)},
    )
    description = optional_text(
        _("Description"),
        DESCRIPTION_MAX,
        _("Ce qu'il faut savoir. %(max)s signes au plus.") % {"max": DESCRIPTION_MAX},
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    category = forms.ModelChoiceField(
        label=_("Catégorie"),
        queryset=Category.objects.all(),
        empty_label=_("Choisissez dans la liste"),
        error_messages={
            "required": _("Choisissez une catégorie."),
            "invalid_choice": _("Choisissez une catégorie dans la liste."),
        },
    )
    tags = forms.CharField(
        label=_("Mots-clés"),
        required=False,
        help_text=_("Des mots pour trouver votre annonce, séparés par des virgules. Par exemple : vélo, réparation.")
        + " "
        + _("%(count)s mots au plus.") % {"count": TAGS_MAX},
    )
    centre = CentreChoiceField(
        label=_("Centre social"),
        queryset=CentrePage.objects.none(),
        empty_label=_("Choisissez un centre"),
        help_text=_("Le centre près de chez vous, où l'on peut se retrouver."),
        error_messages={
            "required": _("Choisissez un centre."),
            "invalid_choice": _("Choisissez un centre dans la liste."),
        },
    )
    when = optional_text(_("Quand ?"), WHEN_MAX, _("Par exemple : le samedi matin, en semaine après 17 h."))
    where = optional_text(
        _("Où ?"),
        WHERE_MAX,
        _("Un lieu public. Sans réponse : au centre social."),
        widget=forms.TextInput(attrs={"placeholder": _("Au centre social par défaut")}),
    )
    photo = PhotoField(label=_("Photo"), required=False)
    photo_alt = optional_text(
        _("Ce que montre la photo"),
        PHOTO_ALT_MAX,
        _("Pour les personnes qui ne voient pas l'image. Par exemple : une perceuse bleue."),
    )

    def __init__(self, *args, user, offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        mine = Membership.objects.filter(user=user, centre=OuterRef("pk"))
        # The person's own centres come first; any public centre may be chosen.
        self.fields["centre"].queryset = (
            CentrePage.objects.live().public().annotate(mine=Exists(mine)).order_by("-mine", "title")
        )
        self.fields["tags"].widget.attrs["maxlength"] = TAGS_MAX * (TAG_MAX + 2)
        if offer is not None:
            self.initial.update(
                {
                    name: getattr(offer, name)
                    for name in ("kind", "nature", "mode", "title", "description", "when", "where", "photo_alt")
                }
            )
            self.initial.update(
                category=offer.category_id,
                centre=offer.centre_id,
                tags=", ".join(tag.name for tag in offer.tags.all()),
            )
            if offer.photo_id:
                self.fields["photo"].label = _("Changer la photo")
                self.fields["remove_photo"] = forms.BooleanField(label=_("Retirer la photo"), required=False)
        elif "centre" not in self.initial:
            first = Membership.objects.filter(user=user).order_by("joined_at", "pk").values_list("centre", flat=True)
            self.initial["centre"] = first.first()

    def clean_title(self):
        return written_with_letters(self.cleaned_data["title"], _("Écrivez le titre avec des lettres."))

    def clean_tags(self):
        try:
            return clean_tags(self.cleaned_data["tags"].split(","))
        except OfferRefused as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        keeps_photo = (
            self.offer is not None and self.offer.photo_id is not None and not data.get("remove_photo", False)
        )
        if (data.get("photo") or keeps_photo) and not data.get("photo_alt") and "photo_alt" not in self.errors:
            self.add_error("photo_alt", NO_PHOTO_ALT)
        return data

    def values(self):
        """The cleaned values, named as `echanges.services.offers.post_offer` and `update_offer` take them."""
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "centre",
                "kind",
                "nature",
                "mode",
                "title",
                "description",
                "category",
                "tags",
                "when",
                "where",
                "photo",
                "photo_alt",
            )
        }
        if self.offer is not None:
            values["remove_photo"] = data.get("remove_photo", False)
            if values["photo"] is None:
                del values["photo"]
        return values


# Talking and agreeing.


class MessageForm(PlainForm):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ne donnez votre téléphone ou votre adresse que si vous le souhaitez."),
        error_messages={
            "required": _("Écrivez votre message avant de l'envoyer."),
            "max_length": _("Votre message est trop long : %(limit_value)d signes au plus."),
        },
    )


class AgreementForm(PlainForm):
    who = radio_choice(
        _("Qui donne ou rend service ?"),
        [("me", _("Moi")), ("other", _("L'autre personne"))],
        required=_("Dites qui donne ou rend service."),
    )
    what = forms.CharField(
        label=_("Ce qui est prévu"),
        max_length=WHAT_MAX,
        help_text=_("Par exemple : une heure de repassage samedi matin."),
        error_messages={
            "required": _("Dites en quelques mots ce qui est prévu."),
            "max_length": _("%(limit_value)d signes au plus."),
        },
    )
    on = FrenchDateField(label=_("Le (facultatif)"), required=False, help_text=DATE_HELP)

    def __init__(self, *args, time_bank=False, me=None, **kwargs):
        """`me` names the person when a mediator fills the form for them, where "Moi" would mean the mediator."""
        super().__init__(*args, **kwargs)
        if me:
            self.fields["who"].choices = [("me", me), ("other", _("L'autre personne"))]
        if time_bank:
            self.fields["hours"] = forms.CharField(
                label=_("Combien d'heures ?"),
                help_text=_(
                    "Par quart d'heure : 0,25 pour un quart d'heure, 1,5 pour une heure et demie. 10 heures au plus."
                ),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
                error_messages={"required": _("Indiquez le nombre d'heures.")},
            )

    def clean_hours(self):
        text = self.cleaned_data["hours"].strip().replace(",", ".").replace("h", "").strip()
        try:
            hours = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("Écrivez un nombre d'heures, par exemple 1,5.")) from None
        if not hours.is_finite() or hours <= 0:
            raise forms.ValidationError(_("Le nombre d'heures doit être plus grand que zéro."))
        minutes = hours * 60
        if minutes > MAX_MINUTES:
            raise forms.ValidationError(_("%(max)s heures au plus pour un échange.") % {"max": MAX_MINUTES // 60})
        if minutes != minutes.to_integral_value() or int(minutes) % QUARTER:
            raise forms.ValidationError(_("Comptez par quart d'heure : 0,25 ; 0,5 ; 0,75 ; 1 ; 1,25…"))
        return int(minutes)


# Reporting to a centre's team.


class ReportForm(forms.Form):
    reason = radio_choice(
        _("Qu'est-ce qui ne va pas ?"), Report.Reason.choices, required=_("Choisissez ce qui ne va pas.")
    )
    details = forms.CharField(
        label=_("Racontez en quelques mots (si vous voulez)"),
        required=False,
        max_length=moderation.DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("%(max)s signes au plus.") % {"max": moderation.DETAILS_MAX},
    )


# What the team does about a report: one form per action, the same in the admin and on the team's pages.

WARNING_MAX = 200


class HideForm(forms.Form):
    note = forms.CharField(
        label=_("Pourquoi (pour l'équipe)"),
        required=False,
        max_length=moderation.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WarnForm(forms.Form):
    note = forms.CharField(
        label=_("Message d'avertissement"),
        max_length=WARNING_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("La personne le lira tel quel. Des mots simples, sans reproche inutile."),
    )


class SuspendForm(forms.Form):
    days = forms.IntegerField(
        label=_("Nombre de jours"), min_value=1, max_value=moderation.SUSPENSION_DAYS_MAX, initial=7
    )
    note = forms.CharField(
        label=_("Motif"),
        max_length=Suspension._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("La personne le lira."),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Décision"),
        choices=Report.Outcome.choices,
        widget=forms.RadioSelect,
        help_text=_("La personne qui a signalé reçoit seulement la décision, pas votre note."),
    )
    note = forms.CharField(
        label=_("Note (pour l'équipe)"),
        required=False,
        max_length=Report._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# Correcting hours by hand.


class CorrectionForm(PlainForm):
    payer = forms.ModelChoiceField(
        label=_("Prendre des heures à"), queryset=get_user_model().objects.none(), empty_label=None
    )
    payee = forms.ModelChoiceField(
        label=_("Donner les heures à"), queryset=get_user_model().objects.none(), empty_label=None
    )
    note = forms.CharField(
        label=_("Pourquoi ?"),
        max_length=200,
        help_text=_("Par exemple : échange du 3 mars oublié. Les deux personnes le liront."),
        error_messages={"required": _("Dites pourquoi vous corrigez les heures.")},
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            get_user_model()
            .objects.filter(memberships__centre=centre, erased_at__isnull=True)
            .order_by("display_name", "pk")
        )
        self.fields["payer"].queryset = people
        self.fields["payee"].queryset = people
        self.fields["hours"] = AgreementForm(time_bank=True).fields["hours"]

    clean_hours = AgreementForm.clean_hours

    def clean(self):
        data = super().clean()
        if data.get("payer") and data.get("payer") == data.get("payee"):
            self.add_error("payee", _("Choisissez deux personnes différentes."))
        return data
