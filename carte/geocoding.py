"""An address typed on the map, turned into a point by the geocoding service `CARTE_GEOCODER_URL`, from the server.

The service answers GeoJSON features whose coordinates are [longitude, latitude], as the Base Adresse Nationale's
`https://api-adresse.data.gouv.fr/search/?q=…&limit=1` does. Its answer is kept in Django's cache under the
address as typed once spaces and case are set aside, found or not, so that an address asked again costs no call;
a Redis out of reach only makes every address a miss (placette/cache.py). The page never waits more than
`TIMEOUT` seconds for the service, and a service down, slow or answering nonsense is the same to the reader as an
address not found: the list is shown without it.
"""

import hashlib
import http.client
import json
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from time import monotonic
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from carte.models import in_france

logger = logging.getLogger(__name__)

# The whole answer, connection included, within this many seconds: the reader is waiting for the page.
TIMEOUT = 2.0
# A street address does not move: a month. An address not found may be typed right next time, by someone else.
FOUND_SECONDS = 30 * 24 * 3600
NOT_FOUND_SECONDS = 24 * 3600
# A best match is a few hundred bytes; what is far larger is not an answer to read.
MAX_ANSWER_BYTES = 256 * 1024
NOT_FOUND = "not-found"
OUTSIDE_FRANCE = "outside-france"
NOT_FOUND_MESSAGE = _("Nous n'avons pas trouvé cette adresse. Vérifiez-la, ou choisissez un centre.")
# What a service down, slow or answering nonsense raises on the way: all read as "not found".
SERVICE_FAILURES = (OSError, http.client.HTTPException, ValueError, KeyError, IndexError, TypeError, InvalidOperation)


class AddressNotFound(Exception):
    """The address gave no point in France; `message` says so in French for the reader."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Point:
    latitude: Decimal
    longitude: Decimal
    label: str


def is_on():
    return bool(settings.CARTE_GEOCODER_URL)


def normalised(address):
    return " ".join(address.split()).casefold()


def cache_key(address):
    # Hashed: an address has spaces and accents, which some cache backends refuse in keys.
    return "carte:geocode:" + hashlib.sha256(normalised(address).encode()).hexdigest()


def geocode(address):
    """The point in France of `address`, or AddressNotFound with the French sentence to show."""
    key = cache_key(address)
    answer = cache.get(key)
    if answer is None:
        try:
            answer = ask_the_service(normalised(address))
        except SERVICE_FAILURES as error:
            logger.warning("Geocoding service failed (%s: %s)", type(error).__name__, error)
            raise AddressNotFound(NOT_FOUND_MESSAGE) from error
        cache.set(key, answer, NOT_FOUND_SECONDS if isinstance(answer, str) else FOUND_SECONDS)
    if answer == OUTSIDE_FRANCE:
        raise AddressNotFound(_("Cette adresse n'est pas en France. Tapez une adresse en France, avec la ville."))
    if answer == NOT_FOUND:
        raise AddressNotFound(NOT_FOUND_MESSAGE)
    latitude, longitude, label = answer
    return Point(Decimal(latitude), Decimal(longitude), label)


def ask_the_service(text):
    """(latitude, longitude, label) as strings, or NOT_FOUND / OUTSIDE_FRANCE: what the cache keeps."""
    url = f"{settings.CARTE_GEOCODER_URL}?{urlencode({'q': text, 'limit': 1})}"
    request = Request(url, headers={"Accept": "application/json", "User-Agent": "Placette (carte)"})
    deadline = monotonic() + TIMEOUT
    chunks = []
    with urlopen(request, timeout=TIMEOUT) as response:
        # The timeout bounds each wait on the socket; a service sending a byte a second would pass it, so the
        # whole answer is bounded too.
        while chunk := response.read(16 * 1024):
            chunks.append(chunk)
            if monotonic() > deadline:
                raise TimeoutError("the geocoding service answered too slowly")
            if sum(map(len, chunks)) > MAX_ANSWER_BYTES:
                raise ValueError("the geocoding service's answer is too long")
    features = json.loads(b"".join(chunks))["features"]
    if not features:
        return NOT_FOUND
    feature = features[0]
    longitude, latitude = (
        Decimal(str(value)).quantize(Decimal("0.000001")) for value in feature["geometry"]["coordinates"][:2]
    )
    if not in_france(latitude, longitude):
        return OUTSIDE_FRANCE
    label = str(feature.get("properties", {}).get("label", ""))[:200]
    return str(latitude), str(longitude), label
