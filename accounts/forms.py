"""Forms of the account pages; every error is a French sentence shown next to its field."""

from allauth.account import forms as allauth_forms
from allauth.account.internal.userkit import filter_users_by_email
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import MobilePhoneField
from accounts.models import Consent, User
from home.french_dates import DATE_HELP, FrenchDateField
from quartier.models import CentrePage

NAME_FORBIDDEN = set("<>")
SIGNUP_CENTRES_SESSION_KEY = "placette_signup_centres"


def clean_display_name(value):
    value = " ".join(value.split())
    if not value:
        raise ValidationError(_("Indiquez un prénom ou un surnom."), code="required")
    if NAME_FORBIDDEN & set(value):
        raise ValidationError(_("Le nom ne peut pas contenir les signes < ou >."), code="html")
    return value


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Votre prénom ou un surnom"))
        kwargs.setdefault("help_text", _("C'est le nom que les autres verront. Pas besoin de votre nom de famille."))
        kwargs.setdefault("max_length", User._meta.get_field("display_name").max_length)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Indiquez un prénom ou un surnom."),
                "max_length": _("Ce nom est trop long : %(limit_value)d signes au plus."),
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "nickname")

    def clean(self, value):
        return clean_display_name(super().clean(value))


class CentreChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        # Filled in by the form: public() reads view restrictions, which must not happen at import.
        kwargs.setdefault("queryset", CentrePage.objects.none())
        kwargs.setdefault("label", _("Les centres que vous fréquentez"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.town})"


class SignupForm(allauth_forms.SignupForm):
    """allauth's signup (e-mail or phone, no password) with a name and the centres to join."""

    display_name = DisplayNameField()
    centres = CentreChoiceField(help_text=_("Vous pourrez en ajouter plus tard."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centres"].queryset = CentrePage.objects.live().public().order_by("title")
        self.fields["email"].label = _("Adresse e-mail")
        self.fields["email"].help_text = _("Ou bien un numéro de portable, juste en dessous.")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["phone"].label = _("Numéro de portable")
        self.fields["phone"].help_text = _("Nous vous enverrons un code par SMS. Exemple : 06 12 34 56 78.")
        self.order_fields(["display_name", "email", "phone", "centres"])

    def validate_unique_email(self, value):
        # With e-mail verification off, allauth refuses an address in use ("déjà utilisée"), which tells
        # anyone who is registered. Flag it instead: SignupView sends that account a code (docs/adr/0004).
        self.account_already_exists = bool(filter_users_by_email(value))
        return value

    def clean(self):
        cleaned = super().clean()
        email, phone = cleaned.get("email"), cleaned.get("phone")
        if not email and not phone and not self.has_error("email") and not self.has_error("phone"):
            raise ValidationError(
                _("Indiquez une adresse e-mail ou un numéro de portable, pour recevoir votre code."), code="contact"
            )
        if email and phone:
            self.add_error("phone", _("Un seul des deux suffit : une adresse e-mail ou un numéro de portable."))
        elif phone and User.objects.filter(phone=phone).exists():
            # allauth only looks among active accounts; a deactivated one still holds its (unique) number.
            self.account_already_exists = True
        return cleaned

    def address_taken(self):
        """Whether the address or number typed already belongs to an account, deactivated ones included."""
        email, phone = self.cleaned_data.get("email"), self.cleaned_data.get("phone")
        if email:
            return bool(filter_users_by_email(email))
        return User.objects.filter(phone=phone).exists()

    def custom_signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
        # Joined (and welcomed) once the code is typed: until then the account may be someone else's address.
        request.session[SIGNUP_CENTRES_SESSION_KEY] = [centre.pk for centre in self.cleaned_data.get("centres") or []]


class ProfileForm(forms.ModelForm):
    display_name = DisplayNameField()

    class Meta:
        model = User
        fields = ["display_name", "notify_by"]
        widgets = {"notify_by": forms.RadioSelect}
        labels = {"notify_by": _("Comment voulez-vous recevoir vos notifications ?")}

    def clean_notify_by(self):
        value = self.cleaned_data["notify_by"]
        if value == User.Channel.EMAIL and not self.instance.email:
            raise ValidationError(_("Ajoutez d'abord une adresse e-mail à votre compte."))
        if value == User.Channel.SMS and not (self.instance.phone and self.instance.phone_verified):
            raise ValidationError(_("Ajoutez d'abord un numéro de portable vérifié à votre compte."))
        return value


class AccompaniedAccountForm(forms.Form):
    """A mediator opens an account, at the centre, for a person with no e-mail and no phone."""

    display_name = DisplayNameField(label=_("Prénom ou surnom de la personne"), help_text="")
    centre = forms.ModelChoiceField(queryset=CentrePage.objects.none(), label=_("Centre"), empty_label=None)
    given_on = FrenchDateField(label=_("Date de l'accord"), help_text=DATE_HELP)
    explained = forms.CharField(
        label=_("Ce que vous avez expliqué à la personne"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Par exemple : ce que Placette garde sur elle, ce que vous ferez pour elle, comment arrêter."),
    )
    paper_form_kept = forms.BooleanField(
        label=_("Un formulaire papier signé est conservé au centre"), label_suffix="", required=False
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise ValidationError(_("L'accord ne peut pas être daté de demain ou plus tard."))
        return value


class TakeOverForm(forms.Form):
    """A resident takes over an accompanied account: an e-mail address or a mobile number to sign in with."""

    email = forms.EmailField(label=_("Adresse e-mail"), required=False)
    phone = MobilePhoneField(required=False)

    def __init__(self, *args, resident, **kwargs):
        self.resident = resident
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.resident.pk).exists():
            raise ValidationError(_("Cette adresse est déjà celle d'un autre compte."))
        return email

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and User.objects.filter(phone=phone).exclude(pk=self.resident.pk).exists():
            raise ValidationError(_("Ce numéro est déjà celui d'un autre compte."))
        return phone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self.errors:
            raise ValidationError(_("Indiquez une adresse e-mail ou un numéro de portable."))
        return cleaned


class ConsentForm(forms.ModelForm):
    """A resident allows the mediators of one of their centres to act for them."""

    class Meta:
        model = Consent
        fields = ["centre"]

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        self.fields["centre"].empty_label = None


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte et mes données seront effacés pour de bon."),
        error_messages={"required": _("Cochez la case pour confirmer.")},
    )


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    """Ask for a sign-in code: the e-mail field and the phone field in plain words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["phone"].help_text = _("Ou bien votre numéro de portable. Exemple : 06 12 34 56 78.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self.errors:
            raise ValidationError(_("Indiquez votre adresse e-mail ou votre numéro de portable."), code="contact")
        return cleaned


class ConfirmLoginCodeForm(allauth_forms.ConfirmLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("Le code à 6 chiffres")
        code.error_messages["required"] = _("Tapez le code à 6 chiffres que vous avez reçu.")
        code.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "12"})
        code.widget.attrs.pop("placeholder", None)


class LoginForm(allauth_forms.LoginForm):
    """Sign-in with a password, for those who added one and for staff.

    allauth drops the password field when sign-up asks for none (ACCOUNT_SIGNUP_FIELDS); Placette's
    sign-up has no password, yet a password can be set later from "Mon compte", so keep the field.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Adresse e-mail, numéro de portable ou identifiant")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].label = _("Mot de passe")
        self.fields["password"].widget.attrs.pop("placeholder", None)

    def _setup_password_field(self):
        pass
