"""'Je bloque ici': someone stuck on a tutorial's step asks a centre for help, and its relays and mediators are told.

One request per form sent: the form carries a token, unique in the table, so a second tap, a reload or the back
button resending it changes nothing. The same person asking again about the same tutorial within
`SAME_PERSON_WINDOW` is the same request too: the team is told once.
"""

from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lexique.notices import STUCK_ON_TUTORIAL
from notifications.services import notify
from quartier.models import CentrePage, Membership

SAME_PERSON_WINDOW = timedelta(minutes=10)
MESSAGE_MAX_LENGTH = 300


class HelpRequest(models.Model):
    """Someone stuck on a tutorial's step asked a centre for help; the centre's relays and mediators were told."""

    tutorial = models.ForeignKey(
        "lexique.TutorialPage", verbose_name=gettext_lazy("tutoriel"), on_delete=models.CASCADE, related_name="+"
    )
    step = models.PositiveSmallIntegerField(gettext_lazy("étape"))
    centre = models.ForeignKey(
        CentrePage, verbose_name=gettext_lazy("centre"), on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("personne"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    message = models.TextField(gettext_lazy("message"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    call_back_on = models.CharField(gettext_lazy("téléphone ou e-mail pour rappeler"), max_length=120, blank=True)
    token = models.UUIDField(gettext_lazy("formulaire"), unique=True)
    # Who sent it, to hold back the same request sent again: the account, else a keyed digest of the address
    # (never the address itself).
    sender_key = models.CharField(max_length=80, editable=False)
    created_at = models.DateTimeField(gettext_lazy("demandé le"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("demande d'aide sur un tutoriel")
        verbose_name_plural = gettext_lazy("demandes d'aide sur un tutoriel")
        indexes = [models.Index(fields=["sender_key", "tutorial", "created_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(step__gte=1), name="help_request_step_from_one")]

    def __str__(self):
        return f"{self.tutorial_id} — {self.step}"


def sender_key(request, call_back_on=""):
    """Who asks: the account, else the address with the way to call back (a centre's public computer is many
    people's address, each leaving their own number)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    address = get_adapter().get_client_ip(request)
    return "address:" + salted_hmac("lexique.help_requests", f"{address}\n{call_back_on}").hexdigest()[:64]


def helpers_of(centre):
    """The centre's digital relays and mediators, each once, accounts still open."""
    roles = [Membership.Role.RELAY, Membership.Role.MEDIATOR]
    return (
        get_user_model()
        .objects.filter(memberships__centre=centre, memberships__role__in=roles, is_active=True)
        .distinct()
    )


def ask_for_help(tutorial, *, step, centre, token, sender_key, person=None, message="", call_back_on=""):
    """Record the request and tell the centre's relays and mediators, once; returns the request (an earlier one if
    this form was already sent, or the same person asked about this tutorial a few minutes ago)."""
    earlier = HelpRequest.objects.filter(
        models.Q(token=token)
        | models.Q(sender_key=sender_key, tutorial=tutorial, created_at__gte=timezone.now() - SAME_PERSON_WINDOW)
    ).first()
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            help_request = HelpRequest.objects.create(
                tutorial=tutorial,
                step=step,
                centre=centre,
                person=person,
                message=message,
                call_back_on=call_back_on,
                token=token,
                sender_key=sender_key,
            )
            text = notice_text(help_request)
            url = tutorial.step_url(step)
            for helper in helpers_of(centre).exclude(pk=getattr(person, "pk", None)):
                notify(helper, STUCK_ON_TUTORIAL.key, text, url=url, actor=person, centre=centre)
    except IntegrityError:  # the same form, sent twice at once: the other one told the team
        return HelpRequest.objects.get(token=token)
    return help_request


def notice_text(help_request):
    """Who, which tutorial, which step, how to call back; the message last, since a notification keeps 300 letters."""
    tutorial, person = help_request.tutorial, help_request.person
    title, total = tutorial.step(help_request.step)[0]["title"], len(tutorial.steps)
    parts = [
        _("%(who)s bloque sur le tutoriel « %(tutorial)s », à l'étape %(step)d sur %(total)d (%(title)s).")
        % {
            # The name the person chose (a minor's first name only), never the account's random username.
            "who": str(person) if person else _("Une personne sans compte"),
            "tutorial": tutorial.title,
            "step": help_request.step,
            "total": total,
            "title": title,
        }
    ]
    if help_request.call_back_on:
        parts.append(_("À rappeler : %(contact)s.") % {"contact": help_request.call_back_on})
    elif person is None:
        parts.append(_("Elle n'a pas laissé de moyen de la rappeler : elle passera peut-être au centre."))
    if help_request.message:
        parts.append(_("Son message : « %(message)s »") % {"message": help_request.message})
    return " ".join(parts)
