"""The open data files at stable addresses under /carte/donnees/, and the page that presents them.

A file is rebuilt when what it shows changes (core/freshness.py's tokens, as the shared pages), and its ETag is
the hash of its bytes and licence: a harvester asking again with If-None-Match gets a 304 until a centre changes.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control

from carte import exports
from carte.models import OpenDataSettings
from core import freshness

# Harvesters come back daily at most; an hour keeps a corrected centre from waiting long in their copy.
MAX_AGE = 60 * 60


@dataclass(frozen=True)
class Standard:
    title: str
    version: str
    documentation: str
    rows: Callable  # places -> rows
    concerns: Callable  # place -> whether the standard is about such a place
    refusal: Callable  # place -> why it is left out although concerned, or None
    csv_fields: Callable | None = None  # () -> the columns, for a standard with a CSV form

    def count(self, places):
        return sum(1 for place in places if self.concerns(place) and not self.refusal(place))

    def left_out(self, places):
        """[(place, reason)] for the places this standard is about and cannot take yet."""
        return [(place, reason) for place in places if self.concerns(place) and (reason := self.refusal(place))]


MEDIATION_NUM = Standard(
    "standard-mediation-num (La MedNum)",
    exports.schema(exports.MEDIATION_NUM_SCHEMA)["version"].removeprefix("v"),
    "https://schema.data.gouv.fr/LaMednum/standard-mediation-num/",
    exports.mediation_num_rows,
    exports.mediation_num_concerns,
    exports.mediation_num_refusal,
    exports.mediation_num_fields,
)
DATA_INCLUSION = Standard(
    "schéma des structures data·inclusion",
    exports.DATA_INCLUSION_VERSION,
    "https://gip-inclusion.github.io/data-inclusion-schema/latest/",
    exports.data_inclusion_rows,
    exports.data_inclusion_concerns,
    exports.data_inclusion_refusal,
)


@dataclass(frozen=True)
class OpenFile:
    filename: str
    standard: Standard

    @property
    def format(self):
        return self.filename.rsplit(".", 1)[1].upper()

    @property
    def content_type(self):
        return "text/csv; charset=utf-8" if self.format == "CSV" else "application/json"

    @property
    def disposition(self):
        # A CSV is opened in a spreadsheet, saved first; a JSON is read where it is.
        return "attachment" if self.format == "CSV" else "inline"

    def build(self, places):
        rows = self.standard.rows(places)
        if self.format == "CSV":
            return exports.to_csv(rows, self.standard.csv_fields())
        return exports.to_json(rows)


FILES = {
    open_file.filename: open_file
    for open_file in (
        OpenFile("mediation-numerique.csv", MEDIATION_NUM),
        OpenFile("mediation-numerique.json", MEDIATION_NUM),
        OpenFile("data-inclusion-structures.json", DATA_INCLUSION),
    )
}


def download(request, filename):
    open_file = FILES.get(filename)
    if open_file is None:
        raise Http404
    body = freshness.kept(
        "carte-donnees",
        (freshness.SITE, freshness.ALL_CENTRES),
        f"{request.get_host()}:{filename}",
        lambda: open_file.build(exports.open_places(request)),
    )
    licence = OpenDataSettings.load(request_or_site=request)
    digest = hashlib.sha256(body + licence.licence.encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    response = HttpResponse(body, content_type=open_file.content_type)
    response["ETag"] = etag
    response["Content-Disposition"] = f'{open_file.disposition}; filename="{filename}"'
    # RFC 4946: the licence travels with the file, since neither standard has a place for it inside.
    response["Link"] = f'<{licence.licence_url}>; rel="license"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(request, etag=etag, response=response)


def open_data(request):
    """What the network publishes, under which standard and licence, and which places are not in it yet."""
    places = exports.open_places(request)
    left_out = MEDIATION_NUM.left_out(places)
    return render(
        request,
        "carte/open_data.html",
        {
            "files": [(open_file, open_file.standard.count(places)) for open_file in FILES.values()],
            "updated": max((place.date_maj for place in places), default=None),
            "left_out": left_out,
            "settings": OpenDataSettings.load(request_or_site=request),
        },
    )
