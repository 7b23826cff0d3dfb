"""The kinds of notification, each registered by the app that sends it, with the words people choose by."""

from dataclasses import dataclass

from quartier.models import CentrePage


@dataclass(frozen=True)
class Kind:
    key: str
    # Shown in "Comment recevoir mes notifications", completing "Quand …".
    label: str
    # Only staff receive it; residents never see it in their preferences.
    for_staff: bool = False
    # Whatever the person chose, it goes by e-mail, else by SMS (never held back by the SMS budget nor cut
    # to one SMS): what nobody may miss, such as the warning before an account is erased. Not a preference.
    essential: bool = False
    # The e-mail's subject; without one, the first sentences of the text.
    subject: str = ""
    # The e-mail's templates (.txt and .html), given the notification, its link and the inbox's.
    email_template: str = "notifications/email/notification"


KINDS = {}


class UnknownKind(LookupError):
    pass


def register(key, label, *, for_staff=False, essential=False, subject="", email_template=None):
    if key in KINDS and KINDS[key].label != label:
        raise ValueError(f"Notification kind {key!r} is already registered")
    KINDS[key] = Kind(key, label, for_staff, essential, subject, email_template or Kind.email_template)
    return KINDS[key]


def get(key):
    try:
        return KINDS[key]
    except KeyError:
        raise UnknownKind(key) from None


def for_person(user):
    """The kinds a person can set: all of them for staff and mediators, residents' ones for everybody else.

    Essential kinds are left out: they go by e-mail or SMS whatever the person chose.
    """
    staff = getattr(user, "is_staff_member", False) or CentrePage.objects.run_by(user).exists()
    return [kind for kind in KINDS.values() if not kind.essential and (staff or not kind.for_staff)]
