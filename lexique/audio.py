"""Recorded audio an editor attaches to a term (and later to a tutorial's step): is the file really a recording?

A Wagtail document is any file with an allowed extension; a PDF renamed "definition.mp3" would be offered to
every visitor as a recording that never plays. `audio_problem(document)` reads the file's first bytes (its "magic
number") and its size, and says in French what is wrong, or None. `mime_type(document)` gives the `<source
type>` from the name alone, which `audio_problem` checked against the content, so showing a page opens no file.
"""

import os
from dataclasses import dataclass

from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_MEGABYTES = 10
MAX_BYTES = MAX_MEGABYTES * 1_000_000
# Enough for every signature below; an ID3 tag in front of an MP3 is skipped with a seek.
HEAD_BYTES = 16
# Brands of an MP4 file ("ftyp" box) that phones and recorders write for sound: Apple's M4A/M4B, generic MP4.
MP4_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"iso2", b"dash"}


@dataclass(frozen=True)
class AudioFormat:
    name: str
    mime_type: str
    extensions: tuple[str, ...]


MP3 = AudioFormat("MP3", "audio/mpeg", ("mp3",))
OGG = AudioFormat("OGG", "audio/ogg", ("ogg", "oga", "opus"))
WAV = AudioFormat("WAV", "audio/wav", ("wav",))
M4A = AudioFormat("M4A", "audio/mp4", ("m4a", "mp4"))
WEBM = AudioFormat("WebM", "audio/webm", ("webm",))
FLAC = AudioFormat("FLAC", "audio/flac", ("flac",))
FORMATS = (MP3, OGG, WAV, M4A, WEBM, FLAC)
EXTENSIONS = tuple(extension for audio in FORMATS for extension in audio.extensions)


def is_mpeg_frame(head):
    """An MPEG audio frame header: 11 sync bits, then no reserved version, layer, bitrate or sampling rate.

    The reserved values rule out most binary files that merely start with 0xFF (a JPEG's FF D8 has no sync bits,
    an AAC stream's layer is the reserved 00).
    """
    if len(head) < 3 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    bitrate, sampling = head[2] >> 4, (head[2] >> 2) & 0b11
    return version != 0b01 and layer != 0b00 and bitrate != 0b1111 and sampling != 0b11


def format_of_head(head):
    """The format whose signature `head` (the file's first bytes, an ID3 tag already skipped) starts with."""
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if head[4:8] == b"ftyp" and head[8:12] in MP4_AUDIO_BRANDS:
        return M4A
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if head.startswith(b"fLaC"):
        return FLAC
    if is_mpeg_frame(head):
        return MP3
    return None


def sniff(opened):
    """The audio format of an open binary file, from its content only; None when it is not one we accept."""
    opened.seek(0)
    head = opened.read(HEAD_BYTES)
    if head.startswith(b"ID3") and len(head) >= 10:
        # An ID3v2 tag (title, artist) comes before the sound; its size is four 7-bit bytes ("synchsafe").
        size = int.from_bytes(bytes(byte & 0x7F for byte in head[6:10]), "big")
        footer = 10 if head[5] & 0x10 else 0
        opened.seek(10 + size + footer)
        head = opened.read(HEAD_BYTES)
        # Behind a tag, only MP3 (the usual case) or FLAC (some taggers) is sound we know.
        found = format_of_head(head)
        return found if found in (MP3, FLAC) else None
    return format_of_head(head)


def _file(document_or_file):
    return document_or_file if isinstance(document_or_file, File) else document_or_file.file


def extension_of(document_or_file):
    return os.path.splitext(_file(document_or_file).name or "")[1][1:].lower()


def audio_problem(document_or_file):
    """What makes this Wagtail document (or Django File) unfit as a recording, in French; None when it is fine."""
    refused = _(
        "Ce fichier n'est pas un enregistrement sonore : choisissez un fichier MP3, OGG, M4A, WAV, WebM ou FLAC."
    )
    file = _file(document_or_file)
    try:
        size = file.size
        if size > MAX_BYTES:
            return _(
                "Ce fichier est trop lourd (%(size)s Mo) : %(max)d Mo au plus. Enregistrez un message plus court."
            ) % {
                "size": number_format(size / 1_000_000, 1),
                "max": MAX_MEGABYTES,
            }
        # A file someone else opened (an upload a form is about to save) is left open for them.
        opened_here = file.closed
        file.open("rb")
        try:
            found = sniff(file)
        finally:
            if opened_here:
                file.close()
            else:
                file.seek(0)
    except OSError:  # the file is gone from the storage: nothing a visitor could play
        return refused
    if found is None:
        return refused
    extension = extension_of(file)
    if extension not in found.extensions:
        # The browser is told the type from the name (mime_type): a wrong name would make it refuse to play.
        return _(
            "Ce fichier est un enregistrement %(format)s, mais son nom finit par « .%(extension)s ». "
            "Renommez-le en « .%(expected)s », puis envoyez-le à nouveau."
        ) % {"format": found.name, "extension": extension, "expected": found.extensions[0]}
    return None


def mime_type(document_or_file):
    """The `<source type>` of a recording accepted by `audio_problem`, from its name; None for any other name."""
    extension = extension_of(document_or_file)
    return next((audio.mime_type for audio in FORMATS if extension in audio.extensions), None)
