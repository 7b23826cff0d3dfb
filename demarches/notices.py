"""The notifications the procedures' app sends, and their words: the reminder of a followed procedure; staff told
that someone answered an SMS and waits for a call; a mandate's (recorded, revoked, ending soon) to both sides.

A resident's reminder is a notification, told by the channel they chose. A front-desk contact's is a plain SMS,
written here to fit one SMS in the GSM alphabet: a single "ê" or "ç" would make it Unicode and halve its room.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.templatetags.french import day, plain, short_day
from notifications import kinds
from notifications.deliveries import absolute_url
from notifications.sms.parts import gsm_only, measure
from notifications.sms_numbers import stop_line_length

REMINDER = kinds.register("procedure_reminder", _("une démarche que je suis approche de sa date limite (rappel)"))
SMS_REPLY = kinds.register(
    "sms_reply_to_call_back", _("quelqu'un répond à un SMS du centre et attend un appel"), for_staff=True
)
MANDATE = kinds.register("mandate", _("mon mandat pour mes démarches est donné, arrêté ou va finir"))
MANDATE_TEAM = kinds.register(
    "mandate_team", _("un mandat que j'ai noté va finir ou est arrêté par la personne"), for_staff=True
)


def reminder_text(deadline, today):
    """ "Rappel : « Actualisation France Travail », à faire avant le mardi 15 décembre.", with its opening if later."""
    values = {"name": deadline.procedure.name, "closes": day(deadline.closes_on), "opens": day(deadline.opens_on)}
    if deadline.closes_on == today:
        return gettext("Rappel : « %(name)s », dernier jour aujourd'hui (%(closes)s).") % values
    if deadline.opens_on > today:
        return gettext("Rappel : « %(name)s », à faire du %(opens)s au %(closes)s.") % values
    return gettext("Rappel : « %(name)s », à faire avant le %(closes)s.") % values


def contact_sms(deadline, centre, link, today):
    """The SMS a front-desk contact gets: the procedure, its dates, where to get help; one part when it can be.

    The longest wording that fits one SMS (stop line included) is sent: the centre's name goes first, then
    "à faire", then the word "Aide" (the link leads to the centre's help anyway). A long name takes two parts.
    """
    values = {
        "name": deadline.procedure.name,
        "closes": short_day(deadline.closes_on),
        "opens": short_day(deadline.opens_on),
        "centre": centre.title,
        "link": absolute_url(link),
    }
    if deadline.closes_on == today:
        long = short = gettext("dernier jour aujourd'hui")
    elif deadline.opens_on > today:
        long, short = gettext("à faire du %(opens)s au %(closes)s"), gettext("du %(opens)s au %(closes)s")
    else:
        long, short = gettext("à faire avant le %(closes)s"), gettext("avant le %(closes)s")
    wordings = [
        gettext("Rappel : %(name)s, %(when)s. Aide au %(centre)s : %(link)s"),
        gettext("Rappel : %(name)s, %(when)s. Aide : %(link)s"),
    ]
    candidates = [wording.replace("%(when)s", when) for when in (long, short) for wording in wordings]
    candidates.append(gettext("Rappel : %(name)s, %(when)s. %(link)s").replace("%(when)s", short))
    texts = [gsm_only(plain(candidate % values)) for candidate in candidates]
    return next((text for text in texts if measure(text + "x" * stop_line_length()).parts <= 1), texts[-1])
