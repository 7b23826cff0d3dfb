"""The form to post or change an offer or a request: few fields in plain words, checked before anything is written."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from echanges.models import Category, Offer
from echanges.offers import (
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
from echanges.photos import PhotoField
from quartier.models import CentrePage, Membership

# The exchange modes in words a neighbour understands at first reading.
MODE_IN_WORDS = {
    Offer.Mode.GIFT: _("Un don : c'est gratuit"),
    Offer.Mode.LOAN: _("Un prêt : on le rend après"),
    Offer.Mode.SWAP: _("Un troc : on échange une chose contre une autre"),
    Offer.Mode.TIME: _("La banque de temps : on compte les heures données et reçues"),
}
NO_PHOTO_ALT = _("Dites en quelques mots ce que montre la photo.")


def too_long(limit):
    return _("%(limit)s signes au plus : raccourcissez votre texte (il en a %%(show_value)s).") % {"limit": limit}


class CentreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, centre):
        return centre.title


class OfferForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Vous proposez ou vous cherchez ?"),
        choices=Offer.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites si vous proposez ou si vous cherchez quelque chose.")},
    )
    nature = forms.ChoiceField(
        label=_("Qu'est-ce que c'est ?"),
        choices=Offer.Nature.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites si c'est un objet, un coup de main ou un savoir.")},
    )
    mode = forms.ChoiceField(
        label=_("En échange de quoi ?"),
        choices=list(MODE_IN_WORDS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez ce qui est attendu en échange.")},
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=TITLE_MAX,
        help_text=_("Par exemple : je prête une perceuse, je cherche une poussette. %(max)s signes au plus.")
        % {"max": TITLE_MAX},
        error_messages={"required": _("Donnez un titre à votre annonce."), "max_length": too_long(TITLE_MAX)},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce qu'il faut savoir. %(max)s signes au plus.") % {"max": DESCRIPTION_MAX},
        error_messages={"max_length": too_long(DESCRIPTION_MAX)},
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
    when = forms.CharField(
        label=_("Quand ?"),
        max_length=WHEN_MAX,
        required=False,
        help_text=_("Par exemple : le samedi matin, en semaine après 17 h."),
        error_messages={"max_length": too_long(WHEN_MAX)},
    )
    where = forms.CharField(
        label=_("Où ?"),
        max_length=WHERE_MAX,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Au centre social par défaut")}),
        help_text=_("Un lieu public. Sans réponse : au centre social."),
        error_messages={"max_length": too_long(WHERE_MAX)},
    )
    photo = PhotoField(label=_("Photo"), required=False)
    photo_alt = forms.CharField(
        label=_("Ce que montre la photo"),
        max_length=PHOTO_ALT_MAX,
        required=False,
        help_text=_("Pour les personnes qui ne voient pas l'image. Par exemple : une perceuse bleue."),
        error_messages={"max_length": too_long(PHOTO_ALT_MAX)},
    )

    def __init__(self, *args, user, offer=None, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
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
        title = self.cleaned_data["title"]
        if not any(character.isalnum() for character in title):
            raise forms.ValidationError(_("Écrivez le titre avec des lettres."))
        return title

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
        """The cleaned values, named as `echanges.offers.post_offer` and `update_offer` take them."""
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
