"""Forms of a conversation: a message, and an agreement proposal with hours in quarter hours."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from echanges.conversations import MESSAGE_MAX, WHAT_MAX
from echanges.models import MAX_MINUTES, QUARTER
from home.french_dates import DATE_HELP, FrenchDateField


class PlainForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


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
    who = forms.ChoiceField(
        label=_("Qui donne ou rend service ?"),
        choices=[("me", _("Moi")), ("other", _("L'autre personne"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites qui donne ou rend service.")},
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
