"""Residents keep the map true: they propose a new place or say "Cette information est fausse", a centre's team
answers on its phone page.

A proposal goes to the centre that looks after the place, else to the one chosen, else to the nearest centre;
its team is told. Whoever answers, the proposer hears it: a notification for an account, the status page whose
address the form gave for a visitor (with the phone number or e-mail they left, the team may call back).
One proposal per form sent: the form carries a token, unique in the table, so a second tap, a reload or the
back button resending it changes nothing.
"""

import difflib
import unicodedata
from math import cos, radians

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carte.filters import squared_distance
from carte.models import PlaceProposal, UsefulPlace
from carte.notices import PLACE_PROPOSAL_ACCEPTED, PLACE_PROPOSAL_RECEIVED, PLACE_PROPOSAL_REJECTED
from core.errors import PlacetteError
from notifications.services import notify, tell_team
from quartier.models import CentrePage

DETAILS_MAX_LENGTH = 1000
MESSAGE_MAX_LENGTH = 500
# "Within about 300 m": the same place typed twice is rarely further apart than a street's length.
NEAR_METRES = 300
METRES_PER_DEGREE = 111_195
# Names this alike are one name typed twice ("Mediatheque Zola" and "Médiathèque Émile-Zola" are not: see below).
SIMILAR_RATIO = 0.85


class AlreadyAnswered(PlacetteError):
    pass


class PlaceNotValid(PlacetteError):
    pass


def fold(text):
    """A name as compared: without accents, case, punctuation or extra spaces ("Médiathèque É.-Zola" → "mediatheque
    e zola")."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def names_alike(one, other):
    one, other = fold(one), fold(other)
    if not one or not other:
        return False
    if one == other or (min(len(one), len(other)) >= 5 and (one in other or other in one)):
        return True
    return difflib.SequenceMatcher(None, one, other).ratio() >= SIMILAR_RATIO


def places_like(name, *, town="", postcode="", latitude=None, longitude=None):
    """The listed places whose name is close to `name`, in the same town or within about 300 m: maybe the same."""
    around = Q(postcode=postcode) | Q(town__iexact=town) if postcode or town else Q(pk__in=[])
    if latitude is not None:
        degrees = NEAR_METRES / METRES_PER_DEGREE
        wide = degrees / max(cos(radians(float(latitude))), 0.1)
        around |= Q(
            latitude__range=(float(latitude) - degrees, float(latitude) + degrees),
            longitude__range=(float(longitude) - wide, float(longitude) + wide),
        )
    candidates = UsefulPlace.objects.filter(around).filter(Q(for_centre__isnull=True) | Q(for_centre__live=True))
    if latitude is not None:
        candidates = candidates.annotate(distance2=squared_distance(latitude, longitude))
    near2 = (NEAR_METRES / METRES_PER_DEGREE) ** 2
    alike = []
    for place in candidates.order_by("name", "pk"):
        same_town = fold(place.town) == fold(town)
        near = getattr(place, "distance2", None) is not None and place.distance2 <= near2
        if (same_town or near) and names_alike(place.name, name):
            alike.append(place)
    return alike


def centres_open_to_proposals():
    return CentrePage.objects.live().public().order_by("title")


def nearest_centre(*, latitude=None, longitude=None, postcode="", town=""):
    """The live centre nearest the point; without a point, one of the same postcode or town; else None."""
    centres = centres_open_to_proposals()
    if latitude is not None:
        nearest = (
            centres.filter(latitude__isnull=False)
            .annotate(distance2=squared_distance(latitude, longitude))
            .order_by("distance2", "pk")
            .first()
        )
        if nearest is not None:
            return nearest
    if postcode or town:
        return centres.filter(Q(postcode=postcode) | Q(town__iexact=town)).order_by("pk").first()
    return None


def centre_for_correction(place):
    """Who reviews a correction of `place`: the centre that looks after it, else the one nearest to it."""
    if place.centre_id is not None and place.centre.live:
        return place.centre
    return nearest_centre(latitude=place.latitude, longitude=place.longitude, postcode=place.postcode, town=place.town)


def propose_correction(place, *, centre, token, wrong_fields, details, person=None, contact=""):
    """Record that something on `place` is wrong and tell the centre's team, once per form; returns the proposal."""
    proposal = PlaceProposal(
        kind=PlaceProposal.Kind.CORRECTION,
        place=place,
        wrong_fields=list(wrong_fields),
        details=details,
        centre=centre,
        token=token,
        person=person,
        contact=contact,
    )
    return _record(proposal, categories=())


def propose_place(*, centre, token, categories=(), person=None, contact="", **fields):
    """Record a new place proposed (name, address, phone, coordinates, hours in words) and tell the centre's team,
    once per form; returns the proposal."""
    proposal = PlaceProposal(
        kind=PlaceProposal.Kind.NEW, centre=centre, token=token, person=person, contact=contact, **fields
    )
    return _record(proposal, categories=categories)


def _record(proposal, *, categories):
    earlier = PlaceProposal.objects.filter(token=proposal.token).first()
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            proposal.save()
            proposal.categories.set(categories)
            tell_team(
                proposal.centre,
                PLACE_PROPOSAL_RECEIVED.key,
                received_text(proposal),
                link=lambda member: proposal.team_url(),
                actor=proposal.person,
            )
    except IntegrityError:  # the same form, sent twice at once: the other one told the team
        return PlaceProposal.objects.get(token=proposal.token)
    return proposal


def received_text(proposal):
    # The name the person chose (a minor's first name only), never the account's random username.
    who = str(proposal.person) if proposal.person else _("Une personne sans compte")
    if proposal.is_correction:
        text = _("%(who)s signale une erreur sur « %(place)s » : %(what)s.") % {
            "who": who,
            "place": proposal.place.name,
            "what": ", ".join(str(label).lower() for label in proposal.wrong_fields_display()) or _("à préciser"),
        }
    else:
        text = _("%(who)s propose un nouveau lieu : « %(name)s », à %(town)s.") % {
            "who": who,
            "name": proposal.name,
            "town": proposal.town,
        }
    return text + " " + _("Ouvrez la proposition pour répondre.")


def _answering(proposal_id, reviewer):
    """The proposal, locked, when `reviewer` may answer it and nobody did yet."""
    proposal = (
        PlaceProposal.objects.reviewable_by(reviewer)
        .select_for_update(of=("self",))
        .select_related("place", "centre")
        .get(pk=proposal_id)
    )
    if proposal.status != PlaceProposal.Status.PENDING:
        raise AlreadyAnswered(_("Cette proposition a déjà reçu une réponse."))
    return proposal


@transaction.atomic
def accept(proposal_id, reviewer, *, changes=None, categories=None, message=""):
    """Accept a proposal: write `changes` to the place (a new one for a new place), mark it checked by the
    reviewer, and tell the proposer. Raises PlaceProposal.DoesNotExist for another centre's proposal."""
    proposal = _answering(proposal_id, reviewer)
    place = proposal.place if proposal.is_correction else UsefulPlace(centre=proposal.centre)
    for name, value in (changes or {}).items():
        setattr(place, name, value)
    place.last_checked_on = timezone.localdate()
    place.last_checked_by = reviewer
    try:
        place.full_clean()
    except ValidationError as error:  # the place changed since the form was checked
        raise PlaceNotValid(" ".join(error.messages)) from None
    if categories is not None:
        place.categories.set(categories)
    place.save()  # a ParentalManyToManyField writes its rows when the place is saved
    proposal.place = place
    _answer(proposal, reviewer, PlaceProposal.Status.ACCEPTED, message)
    if proposal.person is not None:
        text = _("L'équipe de « %(centre)s » a accepté votre proposition sur « %(place)s ». Merci !") % {
            "centre": proposal.centre.title,
            "place": place.name,
        }
        _tell_proposer(proposal, PLACE_PROPOSAL_ACCEPTED.key, text, url=place.get_absolute_url())
    return proposal


@transaction.atomic
def reject(proposal_id, reviewer, *, message):
    """Refuse a proposal with the team's reason, and tell the proposer."""
    proposal = _answering(proposal_id, reviewer)
    _answer(proposal, reviewer, PlaceProposal.Status.REJECTED, message)
    if proposal.person is not None:
        text = _("L'équipe de « %(centre)s » n'a pas retenu votre proposition sur « %(place)s ».") % {
            "centre": proposal.centre.title,
            "place": proposal.title,
        }
        _tell_proposer(proposal, PLACE_PROPOSAL_REJECTED.key, text, url=proposal.get_absolute_url())
    return proposal


def _answer(proposal, reviewer, status, message):
    proposal.status = status
    proposal.reviewed_by = reviewer
    proposal.reviewed_at = timezone.now()
    proposal.review_message = message
    proposal.save(update_fields=["place", "status", "reviewed_by", "reviewed_at", "review_message"])


def _tell_proposer(proposal, kind, text, *, url):
    # The team's words last: a notification keeps 300 letters, and the status page shows them whole.
    if proposal.review_message:
        text += " " + _("Son message : « %(message)s »") % {"message": proposal.review_message}
    notify(proposal.person, kind, text, url=url, actor=proposal.reviewed_by, centre=proposal.centre)
