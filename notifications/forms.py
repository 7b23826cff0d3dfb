"""How a person wants to be told, kind by kind ("Comment être prévenu")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.models import Channel
from notifications.services import channels_by_kind


class PreferencesForm(forms.Form):
    """One question per kind of notification: only on the site, by e-mail or by SMS (when the person has one)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choices = [(Channel.SITE, Channel.SITE.label)]
        if user.email:
            choices.append((Channel.EMAIL, Channel.EMAIL.label))
        if user.phone:
            choices.append((Channel.SMS, Channel.SMS.label))
        available = {value for value, _label in choices}
        person_kinds = kinds.for_person(user)
        chosen = channels_by_kind(user, [kind.key for kind in person_kinds])
        for kind in person_kinds:
            current = chosen[kind.key]
            self.fields[kind.key] = forms.ChoiceField(
                label=_("Quand %s") % kind.label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=current if current in available else Channel.SITE,
                error_messages={
                    "invalid_choice": _(
                        "Ce choix n'est pas possible : ajoutez d'abord une adresse e-mail ou un portable "
                        "dans Mon compte."
                    )
                },
            )
