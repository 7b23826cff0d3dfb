"""The open data files at stable addresses under /carte/donnees/, and the page that presents them.

A file is rebuilt when what it shows changes (core/freshness.py's tokens, as the shared pages), and its ETag is
the hash of its bytes and licence: a harvester asking again with If-None-Match gets a 304 until a centre changes.
"""

import hashlib
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
class OpenFile:
    filename: str
    standard: str
    version: str
    documentation: str
    content_type: str
    attachment: bool

    @property
    def format(self):
        return self.filename.rsplit(".", 1)[1].upper()

    def count(self, places):
        refusal = (
            exports.mediation_num_refusal if self.filename.startswith("mediation") else exports.data_inclusion_refusal
        )
        return sum(1 for place in places if not refusal(place))

    def build(self, places):
        if self.filename.startswith("mediation-numerique"):
            rows = exports.mediation_num_rows(places)
            if self.filename.endswith(".csv"):
                return exports.to_csv(rows, exports.mediation_num_fields())
            return exports.to_json(rows)
        return exports.to_json(exports.data_inclusion_rows(places))


MEDIATION_NUM = (
    "standard-mediation-num (La MedNum)",
    "1.0.2",
    "https://schema.data.gouv.fr/LaMednum/standard-mediation-num/",
)
DATA_INCLUSION = (
    "schéma des structures data·inclusion",
    "1.0.8",
    "https://gip-inclusion.github.io/data-inclusion-schema/latest/",
)
FILES = {
    open_file.filename: open_file
    for open_file in (
        OpenFile("mediation-numerique.csv", *MEDIATION_NUM, "text/csv; charset=utf-8", attachment=True),
        OpenFile("mediation-numerique.json", *MEDIATION_NUM, "application/json", attachment=False),
        OpenFile("data-inclusion-structures.json", *DATA_INCLUSION, "application/json", attachment=False),
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
    disposition = "attachment" if open_file.attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # RFC 4946: the licence travels with the file, since neither standard has a place for it inside.
    response["Link"] = f'<{licence.licence_url}>; rel="license"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(request, etag=etag, response=response)


def open_data(request):
    """What the network publishes, under which standard and licence, and which centres are not in it yet."""
    places = exports.open_places(request)
    left_out = [(place, reason) for place in places if (reason := exports.mediation_num_refusal(place))]
    return render(
        request,
        "carte/open_data.html",
        {
            "files": [(open_file, open_file.count(places)) for open_file in FILES.values()],
            "updated": max((place.date_maj for place in places), default=None),
            "left_out": left_out,
            "settings": OpenDataSettings.load(request_or_site=request),
        },
    )
