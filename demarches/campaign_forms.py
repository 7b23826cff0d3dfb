"""The forms of an SMS campaign on a phone: who receives it, then the text, its link and when it leaves."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from demarches import audiences
from notifications.sms.parts import nearest_gsm

NOW, LATER = "now", "later"
NO_LINK, PAGE_LINK, OTHER_LINK = "", "page", "other"


class AudienceForm(forms.Form):
    """One list of every audience the centre offers: the sources, and under each its procedures, activities, dates."""

    audience = forms.ChoiceField(
        label=_("Qui recevra le SMS ?"),
        error_messages={
            "required": _("Choisissez qui recevra le SMS."),
            "invalid_choice": _("Choisissez dans la liste."),
        },
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choisir…"))]
        for source, offered in audiences.options(centre):
            if offered is None:
                choices.append((f"{source.key}:", source.label))
            else:
                choices.append((source.label, [(f"{source.key}:{choice.value}", choice.label) for choice in offered]))
        self.fields["audience"].choices = choices

    def cleaned_audience(self):
        key, _sep, value = self.cleaned_data["audience"].partition(":")
        return key, value


class ComposeForm(forms.Form):
    """The text (counted as it is typed), a link to a page of the site, and the time it leaves."""

    name = forms.CharField(
        label=_("Titre, pour l'équipe"),
        max_length=120,
        required=False,
        help_text=_("Les habitants ne le voient pas. Il sert à retrouver la campagne."),
    )
    text = forms.CharField(
        label=_("Message"),
        max_length=900,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "data-sms-text": ""}),
        help_text=_("Des phrases courtes. Le nom du centre est ajouté au début, la ligne STOP à la fin."),
    )
    plain_letters = forms.BooleanField(
        label=_('Écrire sans les lettres qui doublent le prix (ê devient e, ç devient c, « » devient ")'),
        required=False,
        help_text=_("Le SMS se lit aussi bien, et coûte deux fois moins quand il n'a que ces lettres en trop."),
    )
    link = forms.ChoiceField(label=_("Lien dans le SMS"), widget=forms.RadioSelect, required=False)
    link_other = forms.CharField(
        label=_("Adresse d'une autre page du site"),
        max_length=300,
        required=False,
        help_text=_("Par exemple /demarches/ ou l'adresse copiée d'une page du site."),
    )
    when = forms.ChoiceField(
        label=_("Quand l'envoyer ?"),
        widget=forms.RadioSelect,
        choices=[(NOW, _("Maintenant")), (LATER, _("À une date et une heure"))],
        initial=NOW,
        error_messages={"required": _("Choisissez quand envoyer le SMS.")},
    )
    day = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Indiquez une date, par exemple 15/12/2026.")},
    )
    hour = forms.TimeField(
        label=_("Heure"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Entre 21 h et 8 h, le SMS attend 8 h : pas de SMS la nuit."),
        error_messages={"invalid": _("Indiquez une heure, par exemple 10:30.")},
    )

    def __init__(self, *args, page_url="", page_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.page_url = page_url
        links = [(NO_LINK, _("Pas de lien"))]
        if page_url:
            links.append((PAGE_LINK, _("La page « %(label)s »") % {"label": page_label}))
        links.append((OTHER_LINK, _("Une autre page du site")))
        self.fields["link"].choices = links

    @classmethod
    def for_campaign(cls, campaign, data=None, *, page_url="", page_label=""):
        initial = {"name": campaign.name, "text": campaign.text, "when": NOW}
        if campaign.link_url and campaign.link_url == page_url:
            initial["link"] = PAGE_LINK
        elif campaign.link_url:
            initial.update(link=OTHER_LINK, link_other=campaign.link_url)
        if campaign.send_at:
            local = timezone.localtime(campaign.send_at)
            initial.update(when=LATER, day=local.date(), hour=local.time().replace(second=0, microsecond=0))
        return cls(data, initial=initial, page_url=page_url, page_label=page_label)

    def clean(self):
        data = super().clean()
        if data.get("plain_letters") and data.get("text"):
            data["text"] = nearest_gsm(data["text"])
        if data.get("when") == LATER:
            if not data.get("day") and "day" not in self.errors:
                self.add_error("day", _("Indiquez la date d'envoi."))
            if not data.get("hour") and "hour" not in self.errors:
                self.add_error("hour", _("Indiquez l'heure d'envoi."))
        if data.get("link") == OTHER_LINK and not data.get("link_other", "").strip():
            self.add_error("link_other", _("Indiquez l'adresse de la page, ou choisissez « Pas de lien »."))
        return data

    @property
    def link_url(self):
        choice = self.cleaned_data.get("link")
        if choice == PAGE_LINK:
            return self.page_url
        return self.cleaned_data.get("link_other", "") if choice == OTHER_LINK else ""

    @property
    def at(self):
        if self.cleaned_data.get("when") != LATER:
            return None
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["hour"]))

    # Where a service's refusal goes: the field it is about.
    ERROR_FIELDS = {"text": "text", "link_url": "link_other", "at": "day"}
