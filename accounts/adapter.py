"""How allauth fits Placette: phones on User, SMS through notifications.sms, centres joined after the code."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import passthrough_next_redirect_url
from django.contrib import messages
from django.utils.translation import gettext as _

from accounts.fields import MobilePhoneField
from accounts.forms import SIGNUP_CENTRES_SESSION_KEY
from accounts.models import User, random_username
from accounts.services import join_centre
from notifications.sms import SmsError, send_sms
from quartier.models import CentrePage

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": _("Ce code n'est pas le bon. Vérifiez les 6 chiffres et réessayez."),
        "too_many_login_attempts": _("Trop d'essais. Attendez quelques minutes avant de redemander un code."),
        "select_only_one": _("Indiquez une adresse e-mail ou un numéro de téléphone, pas les deux."),
        "rate_limited": _("Vous avez demandé beaucoup de codes d'un coup. Attendez une minute, puis réessayez."),
    }

    def is_login_by_code_required(self, login):
        # No password at signup: the code sent by e-mail or SMS is what proves the address or the number.
        if login.signup:
            return True
        return super().is_login_by_code_required(login)

    def post_login(self, request, user, **kwargs):
        # Reached only once every stage is passed: for a sign-up, once the code sent to it has been typed.
        centre_ids = request.session.pop(SIGNUP_CENTRES_SESSION_KEY, [])
        if kwargs["signup"]:
            for centre in CentrePage.objects.live().public().filter(pk__in=centre_ids).order_by("title"):
                join_centre(user, centre)
        return super().post_login(request, user, **kwargs)

    def send_mail(self, template_prefix, email, context):
        if template_prefix == "account/email/unknown_account" and self.request is not None:
            # Someone who thought they had an account, maybe on their way to register to a date: the link to
            # sign up takes them back there (allauth keeps `next` only if it stays on this site).
            context = {
                **context,
                "signup_url": passthrough_next_redirect_url(self.request, context["signup_url"], "next"),
            }
        super().send_mail(template_prefix, email, context)

    def populate_username(self, request, user):
        # The username never shows and must not carry an e-mail address into places erasure forgets.
        if not user.username:
            user.username = random_username()

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        phone = form.cleaned_data.get("phone")
        if phone:
            user.phone = phone
            user.notify_by = User.Channel.SMS
        elif user.email:
            user.notify_by = User.Channel.EMAIL
        if commit:
            user.save()
        return user

    def phone_form_field(self, **kwargs):
        return MobilePhoneField(**kwargs)

    def set_phone(self, user, phone, verified):
        user.phone = phone
        user.phone_verified = verified
        # allauth's save_user() calls this before the new user has a row; save_user() then saves it whole.
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone.as_e164, user.phone_verified

    def set_phone_verified(self, user, phone):
        # After "changer" in Mon compte, `phone` is the new number the code proved, not yet the user's one.
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone):
        return User.objects.filter(phone=phone, is_active=True).order_by("pk").first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        self._send_sms(phone, _("Placette : votre code est %(code)s. Ne le donnez à personne.") % {"code": code})

    def send_unknown_account_sms(self, phone, **kwargs):
        self._send_sms(
            phone,
            _("Placette : quelqu'un a demandé un code pour ce numéro, mais il n'a pas de compte. Rien à faire."),
        )

    def send_account_already_exists_sms(self, phone):
        self._send_sms(
            phone,
            _("Placette : ce numéro a déjà un compte. Pour vous connecter, demandez un code sur le site."),
        )

    def _send_sms(self, phone, body):
        # A failed SMS must not reveal whether an account exists, nor break the page: log and tell gently.
        try:
            send_sms(phone, body)
        except SmsError:
            logger.exception("SMS could not be sent")
            if self.request is not None:
                messages.error(
                    self.request, _("Le SMS n'a pas pu partir. Réessayez dans quelques minutes ou passez au centre.")
                )
