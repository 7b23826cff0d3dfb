"""The centre team's "call back" list: every SMS reply that is not STOP becomes someone to call back.

notifications hands replies over (notifications.sms.replies.reply_received) with the SMS they answer; the centre
that sent that SMS calls back. A reply to no SMS Placette knows of, or to one that concerned no centre (an
essential notice the network paid for), has nobody to call back: it is logged and dropped (docs/adr/0011).
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.fields import phone_as_written
from accounts.models import display_name
from demarches.models import Callback, Contact
from demarches.notices import SMS_REPLY
from notifications.services import tell_team
from notifications.sms.replies import reply_received

logger = logging.getLogger(__name__)

TEXT_LENGTH = 1000


def name_for(phone, centre):
    """Whom the centre knows this number as: the account that has it, else its front-desk contact; "" if nobody."""
    user = get_user_model().objects.filter(phone=phone).first()
    if user is not None:
        return display_name(user)
    contact = Contact.objects.filter(centre=centre, phone=phone).values_list("name", flat=True).first()
    return contact or ""


@transaction.atomic
def record_reply(*, phone, text, received_at, in_reply_to):
    """Someone to call back, and the centre's team told at once; None when the reply answers no centre's SMS."""
    centre = in_reply_to.centre if in_reply_to is not None else None
    if centre is None:
        logger.warning("SMS reply from %s**** answers no centre's SMS: nobody to call back", phone[:-4])
        return None
    callback = Callback.objects.create(
        centre=centre,
        phone=phone,
        name=name_for(phone, centre),
        text=text[:TEXT_LENGTH],
        received_at=received_at,
        delivery=in_reply_to,
    )
    told = _("%(person)s a répondu à un SMS du centre : « %(text)s ». Rappelez cette personne.") % {
        "person": callback.name or phone_as_written(phone),
        "text": callback.text[:120],
    }
    tell_team(centre, SMS_REPLY.key, told, link=lambda member: reverse("demarches:callbacks"))
    return callback


@receiver(reply_received)
def reply_to_call_back(sender, *, phone, text, received_at, in_reply_to, **kwargs):
    record_reply(phone=phone, text=text, received_at=received_at, in_reply_to=in_reply_to)


def mark_done(user, callback_id):
    """The person was called back, by `user`: recorded once (a second tap changes nothing); returns the callback.

    Another centre's callback is not found (Callback.DoesNotExist), like one that does not exist.
    """
    with transaction.atomic():
        callback = Callback.objects.for_team_of(user).select_for_update().get(pk=callback_id)
        if callback.done_at is None:
            callback.done_at = timezone.now()
            callback.done_by = user
            callback.save(update_fields=["done_at", "done_by"])
    return callback
