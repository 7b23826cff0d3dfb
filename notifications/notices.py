"""The notifications this app sends itself: staff notices about the centre's e-mails and SMS."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds

SMS_BUDGET_SPENT = kinds.register("sms_budget_spent", _("le centre a envoyé tous ses SMS du mois"), for_staff=True)
DELIVERY_FAILED = kinds.register("delivery_failed", _("un e-mail ou un SMS n'a pas pu partir"), for_staff=True)
