"""Every write of an offer or a request: posting, changing, withdrawing (and undoing it), renewing, expiry at night.

Each write checks who may make it, happens in one transaction and tells people through `notify()`,
which pushes after commit. An offer is changed only through `Offer.objects.owned_by(user)`: when a
mediator acts for a resident, `user` is already the resident (accounts.middleware.ActingForMiddleware),
and the mediator comes as `by`, checked with `accounts.services.check_may_act_for`.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import check_may_act_for
from core.errors import NotAllowed, PlacetteError
from core.scheduling import each_locked
from echanges import notices
from echanges.models import OFFER_LIFETIME, Agreement, Category, Offer, Suspension
from echanges.services.photos import discard_offer_photo, store_offer_photo
from home.templatetags.french import day, short_day
from notifications.services import notify
from quartier.models import CentrePage

TITLE_MAX = Offer._meta.get_field("title").max_length
DESCRIPTION_MAX = Offer._meta.get_field("description").max_length
WHEN_MAX = Offer._meta.get_field("when").max_length
WHERE_MAX = Offer._meta.get_field("where").max_length
PHOTO_ALT_MAX = Offer._meta.get_field("photo_alt").max_length
TAGS_MAX = 5
TAG_MAX = 30
REMIND_BEFORE = timedelta(days=7)
LIFETIME_DAYS = OFFER_LIFETIME.days
EDITABLE = frozenset(
    {"centre", "kind", "nature", "mode", "title", "description", "category", "tags", "when", "where", "photo"}
)
Status = Offer.Status


class OfferRefused(PlacetteError):
    pass


def _check_may_write(user, *, by):
    if not user.is_authenticated:
        raise NotAllowed(_("Connectez-vous pour proposer ou demander quelque chose."))
    check_may_act_for(by, user)
    suspension = Suspension.objects.current().filter(person=user).order_by("-until").first()
    if suspension is not None:
        raise NotAllowed(
            _("La modération a suspendu votre compte jusqu'au %(day)s : vous ne pouvez pas publier d'annonce.")
            % {"day": short_day(suspension.until)}
        )


def _check_may_take_down(user, *, by):
    # Withdrawing is always allowed to the author, suspended or not: taking something down is never refused.
    if not user.is_authenticated:
        raise NotAllowed(_("Connectez-vous pour retirer votre annonce."))
    check_may_act_for(by, user)


def _check_centre(centre):
    if not CentrePage.objects.live().public().filter(pk=centre.pk).exists():
        raise OfferRefused(_("Ce centre n'existe pas sur Placette. Choisissez un centre dans la liste."))


def _plain(value, *, name, limit, required=False):
    """User text stays plain text (escaped when shown); only its length and presence are checked here."""
    value = (value or "").strip()
    if required and not any(character.isalnum() for character in value):
        raise OfferRefused(_("Écrivez %(name)s avec des lettres.") % {"name": name})
    if len(value) > limit:
        raise OfferRefused(
            _("%(name)s : %(limit)s signes au plus (il y en a %(count)s).")
            % {"name": name.capitalize(), "limit": limit, "count": len(value)}
        )
    return value


def clean_tags(tags):
    """At most TAGS_MAX words of at most TAG_MAX signs, in lower case, each once, in the order given."""
    words = []
    for tag in tags or ():
        word = " ".join(str(tag).split()).lower()
        if not word or word in words:
            continue
        if len(word) > TAG_MAX:
            raise OfferRefused(
                _("Le mot-clé « %(word)s » est trop long : %(limit)s signes au plus.")
                % {"word": word[:TAG_MAX] + "…", "limit": TAG_MAX}
            )
        words.append(word)
    if len(words) > TAGS_MAX:
        raise OfferRefused(_("%(limit)s mots-clés au plus.") % {"limit": TAGS_MAX})
    return words


def _checked(fields):
    """The fields of an offer, checked and tidied; refuses an unknown field or a bad value."""
    unknown = set(fields) - EDITABLE - {"photo_alt", "remove_photo"}
    if unknown:
        raise TypeError(f"Unknown offer fields: {', '.join(sorted(unknown))}")
    data = dict(fields)
    for name, choices in (("kind", Offer.Kind), ("nature", Offer.Nature), ("mode", Offer.Mode)):
        if name in data and data[name] not in choices.values:
            raise OfferRefused(_("Choisissez une des réponses proposées."))
    if "title" in data:
        data["title"] = _plain(data["title"], name=_("le titre"), limit=TITLE_MAX, required=True)
    if "description" in data:
        data["description"] = _plain(data["description"], name=_("la description"), limit=DESCRIPTION_MAX)
    if "when" in data:
        data["when"] = _plain(data["when"], name=_("quand"), limit=WHEN_MAX)
    if "where" in data:
        data["where"] = _plain(data["where"], name=_("où"), limit=WHERE_MAX)
    if "photo_alt" in data:
        data["photo_alt"] = _plain(data["photo_alt"], name=_("ce que montre la photo"), limit=PHOTO_ALT_MAX)
    if "category" in data and not isinstance(data["category"], Category):
        raise OfferRefused(_("Choisissez une catégorie dans la liste."))
    if "centre" in data:
        _check_centre(data["centre"])
    if "tags" in data:
        data["tags"] = clean_tags(data["tags"])
    return data


def post_offer(
    author,
    *,
    centre,
    kind,
    nature,
    mode,
    title,
    description,
    category,
    tags=(),
    when="",
    where="",
    photo=None,
    photo_alt="",
    by=None,
):
    """Publish an offer or a request for `OFFER_LIFETIME`; `by` is the mediator acting for `author`, if any.

    `photo` is an upload (checked by `echanges.forms.PhotoField`): it is stored re-encoded, without its metadata.
    """
    _check_may_write(author, by=by)
    data = _checked(
        {
            "centre": centre,
            "kind": kind,
            "nature": nature,
            "mode": mode,
            "title": title,
            "description": description,
            "category": category,
            "tags": tags,
            "when": when,
            "where": where,
            "photo_alt": photo_alt,
        }
    )
    if photo is not None and not data["photo_alt"]:
        raise OfferRefused(_("Dites en quelques mots ce que montre la photo."))
    tags = data.pop("tags")
    with transaction.atomic():
        now = timezone.now()
        offer = Offer(author=author, published_at=now, expires_at=now + OFFER_LIFETIME, **data)
        if photo is None:
            offer.photo_alt = ""
        else:
            offer.photo = store_offer_photo(photo, title=data["title"], uploaded_by=by or author)
        offer.save()
        if tags:
            offer.tags.set(tags)
    return offer


def _locked_offer(offer_id, user):
    """The user's own offer, its row locked; Offer.DoesNotExist for anyone else's (a 404 in views)."""
    return Offer.objects.owned_by(user).select_for_update(of=("self",)).select_related("photo").get(pk=offer_id)


def _locked_shown_offer(offer_id, user):
    """`_locked_offer`, refused while the moderation hides it: only the centre's team can show it again."""
    offer = _locked_offer(offer_id, user)
    if offer.hidden:
        raise OfferRefused(_("La modération a masqué cette annonce. Parlez-en à un médiateur de votre centre."))
    return offer


def update_offer(offer_id, user, *, by=None, **fields):
    """Change the author's own offer; `photo` replaces the picture, `remove_photo=True` takes it away."""
    _check_may_write(user, by=by)
    data = _checked(fields)
    new_photo = data.pop("photo", None)
    remove_photo = data.pop("remove_photo", False)
    tags = data.pop("tags", None)
    with transaction.atomic():
        offer = _locked_shown_offer(offer_id, user)
        if offer.status == Status.WITHDRAWN:
            raise OfferRefused(_("Cette annonce est retirée : elle ne peut plus être modifiée."))
        for name, value in data.items():
            setattr(offer, name, value)
        old_photo = offer.photo
        if new_photo is not None:
            offer.photo = store_offer_photo(new_photo, title=offer.title, uploaded_by=by or user)
        elif remove_photo:
            offer.photo = None
        if offer.photo is None:
            offer.photo_alt = ""
        elif not offer.photo_alt:
            raise OfferRefused(_("Dites en quelques mots ce que montre la photo."))
        offer.save()
        if tags is not None:
            offer.tags.set(tags)
        if old_photo is not None and old_photo != offer.photo:
            discard_offer_photo(old_photo)
    return offer


def withdraw_offer(offer_id, user, *, by=None):
    """The author takes their offer down: nobody else sees it any more."""
    _check_may_take_down(user, by=by)
    with transaction.atomic():
        offer = _locked_offer(offer_id, user)
        if offer.status == Status.WITHDRAWN:
            raise OfferRefused(_("Cette annonce est déjà retirée."))
        offer.status = Status.WITHDRAWN
        offer.save(update_fields=["status", "updated_at"])
        # Those who answered hear it from the site, not from a link that no longer leads anywhere.
        for conversation in offer.conversations.select_related("starter"):
            notify(
                conversation.starter,
                notices.MESSAGE.key,
                _("%(name)s a retiré l'annonce « %(title)s ». Votre conversation reste lisible.")
                % {"name": user, "title": offer.title},
                url=conversation.get_absolute_url(),
                actor=user,
                centre=offer.centre,
            )
    return offer


def may_be_restored(offer, now=None):
    """Whether "Remettre en ligne" can bring this withdrawn offer back: not hidden, its `OFFER_LIFETIME` not over."""
    return offer.status == Status.WITHDRAWN and not offer.hidden and offer.expires_at > (now or timezone.now())


def restore_offer(offer_id, user, *, by=None, now=None):
    """Put a withdrawn offer back online until its end date: the undo of `withdraw_offer`.

    Those who answered it were told it was withdrawn, so they are told it is back, once: the row lock
    and the status check make a second tap (or a second tab) a refusal, not a second notice.
    """
    _check_may_write(user, by=by)
    now = now or timezone.now()
    with transaction.atomic():
        offer = _locked_shown_offer(offer_id, user)
        if offer.status != Status.WITHDRAWN:
            raise OfferRefused(_("Cette annonce n'est pas retirée : elle n'a pas besoin d'être remise en ligne."))
        if not may_be_restored(offer, now):
            raise OfferRefused(
                _("Cette annonce a passé ses %(days)s jours : elle ne peut plus revenir. Publiez-en une nouvelle.")
                % {"days": LIFETIME_DAYS}
            )
        # An agreement accepted before the withdrawal still runs: the offer goes back to where it was.
        running = Agreement.objects.filter(conversation__offer=offer, status=Agreement.Status.ACCEPTED).exists()
        offer.status = Status.IN_PROGRESS if running else Status.OPEN
        offer.save(update_fields=["status", "updated_at"])
        for conversation in offer.conversations.select_related("starter"):
            notify(
                conversation.starter,
                notices.MESSAGE.key,
                _("%(name)s a remis en ligne l'annonce « %(title)s ».") % {"name": user, "title": offer.title},
                url=conversation.get_absolute_url(),
                actor=user,
                centre=offer.centre,
            )
    return offer


def renew_offer(offer_id, user, *, by=None, now=None):
    """Keep an offer `OFFER_LIFETIME` more from now; an expired one is open again."""
    _check_may_write(user, by=by)
    now = now or timezone.now()
    with transaction.atomic():
        offer = _locked_shown_offer(offer_id, user)
        if offer.status not in (Status.OPEN, Status.EXPIRED):
            raise OfferRefused(
                _("Cette annonce est %(status)s : elle ne peut pas être renouvelée.")
                % {"status": offer.get_status_display()}
            )
        offer.status = Status.OPEN
        offer.expires_at = now + OFFER_LIFETIME
        offer.expiry_reminded_at = None
        offer.save(update_fields=["status", "expires_at", "expiry_reminded_at", "updated_at"])
    return offer


def expired_text(offer):
    return _(
        "Votre annonce « %(title)s » est arrivée au bout de ses %(days)s jours. Renouvelez-la si elle tient toujours."
    ) % {"title": offer.title, "days": LIFETIME_DAYS}


def expiry_text(offer):
    return _("Votre annonce « %(title)s » s'arrête le %(day)s. Pour la garder, renouvelez-la.") % {
        "title": offer.title,
        "day": day(offer.expires_at),
    }


def _renew_url(offer):
    return f"{offer.get_absolute_url()}#renouveler"


# What an offer must still be when its row is locked (each_locked): another worker or its author may have closed it.
STILL_OPEN = {"status": Status.OPEN, "hidden": False}
# What telling its author reads.
AUTHOR = ("author", "centre")


def _tell_author(offer, text):
    notify(offer.author, notices.OFFER_EXPIRY.key, text, url=_renew_url(offer), centre=offer.centre)


def expire_offers(now=None):
    """Open offers past their end date become expired; each author is told once. Returns how many."""
    now = now or timezone.now()
    expired = 0
    for offer in each_locked(
        Offer.objects.expiring_before(now).filter(hidden=False), related=AUTHOR, expires_at__lte=now, **STILL_OPEN
    ):
        offer.status = Status.EXPIRED
        offer.save(update_fields=["status", "updated_at"])
        _tell_author(offer, expired_text(offer))
        expired += 1
    return expired


def remind_expiring_offers(now=None):
    """Tell each author, once, that their open offer ends within a week. Returns how many were told."""
    now = now or timezone.now()
    due = Offer.objects.open().filter(
        expiry_reminded_at__isnull=True, expires_at__gt=now, expires_at__lte=now + REMIND_BEFORE
    )
    reminded = 0
    for offer in each_locked(due, related=AUTHOR, expiry_reminded_at__isnull=True, **STILL_OPEN):
        offer.expiry_reminded_at = now
        offer.save(update_fields=["expiry_reminded_at"])
        _tell_author(offer, expiry_text(offer))
        reminded += 1
    return reminded
