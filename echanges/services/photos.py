"""The photo of an offer: an upload checked without trusting it, then stored re-encoded, without its metadata.

A phone photo carries where it was taken (EXIF GPS), the phone's make, sometimes a name: none of it may be
published. So the original upload is never kept: `store_offer_photo` decodes it, turns it upright, shrinks it
and writes a new JPEG with no metadata at all into Wagtail's image library, in one collection.

`check_photo` (in the form's `echanges.forms.PhotoField`, and again before storing) refuses, with a French
message, what could hurt the server or is not a photo: an upload too heavy (checked from its size, before reading
it), anything but JPEG, PNG or WebP (an SVG is never parsed, whatever its name), an image with too many pixels
(read from its header: the pixels are never decoded), a damaged one.
HEIC is refused: Pillow reads it only through an extra package (pillow-heif) the project does not depend on.
"""

import io
import secrets
import struct
import zlib
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from echanges.models import Offer

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
JPEG_QUALITY = 82
COLLECTION_NAME = "Photos des échanges"
# Pillow opens only these; MPO is how Pillow names the JPEG files many phones write (several pictures in one).
PILLOW_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
ACCEPT = "image/jpeg,image/png,image/webp"
# ISO base media brands of HEIC/HEIF and AVIF files ("....ftypheic...").
HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"})
HEIF_EXTENSIONS = frozenset({".heic", ".heif", ".hif", ".avif"})
# What a malformed file can make Pillow's decoders raise.
DECODING_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    KeyError,
    struct.error,
    zlib.error,
)

MESSAGES = {
    "too_heavy": _("La photo est trop lourde : 10 Mo au plus."),
    "not_a_photo": _("Ce fichier n'est pas une photo. Choisissez une photo JPEG, PNG ou WebP."),
    "heic": _(
        "Ce format de photo (HEIC) n'est pas accepté. Prenez la photo en JPEG, ou envoyez une capture d'écran "
        "de la photo."
    ),
    "too_many_pixels": _(
        "Cette photo est trop grande : 40 millions de pixels au plus. Envoyez une photo plus petite."
    ),
    "damaged": _("Cette photo est abîmée ou incomplète. Envoyez-la à nouveau, ou choisissez une autre photo."),
}


def _refuse(code):
    return ValidationError(MESSAGES[code], code=code)


def _sniffed_format(upload):
    """What the first bytes say the file is: "JPEG", "PNG", "WEBP", "HEIF" or None, whatever its name."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "HEIF"
    return None


def _photo_bytes(upload):
    """The upload's bytes, once the checks that need no image reader pass: its size, then its first bytes.

    Only the JPEG, PNG and WebP readers ever see the bytes: an SVG, XML or anything else is refused from its
    first bytes. Pillow gets its own copy (10 MB at most) since it closes the file it reads from.
    """
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise _refuse("too_heavy")
    sniffed = _sniffed_format(upload)
    if sniffed == "HEIF" or (sniffed is None and PurePath(upload.name or "").suffix.lower() in HEIF_EXTENSIONS):
        raise _refuse("heic")
    if sniffed is None:
        raise _refuse("not_a_photo")
    data = upload.read()
    upload.seek(0)
    return data


def _opened(data):
    """The image with only its header read, refused if it has too many pixels: those are never decoded here."""
    try:
        # Pillow warns above its own bound (about 89 million pixels) and raises above twice that. Where warnings are
        # errors (the test suite) the warning arrives here as an exception; elsewhere it is only logged, and the
        # count below, lower than Pillow's, refuses the image anyway.
        image = PILImage.open(io.BytesIO(data), formats=PILLOW_FORMATS)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise _refuse("too_many_pixels") from None
    except DECODING_ERRORS:
        raise _refuse("not_a_photo") from None
    if image.format not in ACCEPTED_FORMATS:
        raise _refuse("not_a_photo")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _refuse("too_many_pixels")
    return image


def _decoded(data):
    """The first picture, decoded (a JPEG at the smallest scale still at least MAX_SIDE wide, to spare memory)."""
    image = _opened(data)
    try:
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        image.load()
    except DECODING_ERRORS:
        raise _refuse("damaged") from None
    return image


def check_photo(upload):
    """Raise ValidationError (in French) unless the upload is a JPEG, PNG or WebP photo the site can take."""
    data = _photo_bytes(upload)
    try:
        # verify() checks what the format allows without decoding (a PNG's chunk checksums); it leaves the image
        # unusable, so the decoder runs on a fresh open, which finds a truncated or corrupt picture.
        _opened(data).verify()
    except DECODING_ERRORS:
        raise _refuse("damaged") from None
    _decoded(data)


def _in_srgb(image):
    """Colours as the camera meant them once the colour profile is dropped (many phones shoot in Display P3)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in {"RGB", "CMYK"}:
        return image
    try:
        return ImageCms.profileToProfile(
            image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile("sRGB"), outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _flattened(image):
    """An RGB image; transparent parts become white rather than black."""
    if image.mode == "RGB":
        return image
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = PILImage.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit or float greyscale (some PNGs): scale to 8 bits before going to RGB.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def reencoded_jpeg(upload):
    """The upload as JPEG bytes: upright, in sRGB, at most MAX_SIDE pixels on its longest side, without metadata."""
    image = ImageOps.exif_transpose(_decoded(_photo_bytes(upload)))
    image = _flattened(_in_srgb(image))
    image.thumbnail((MAX_SIDE, MAX_SIDE), PILImage.Resampling.LANCZOS)
    # A new image carries nothing of the original's info (EXIF, XMP, ICC profile, comments): Pillow writes
    # some of them from `info` even when not asked to.
    clean = PILImage.new("RGB", image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def offer_photo_collection():
    """The collection of the exchange's photos, made under the root collection the first time."""
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    collection = root.get_children().filter(name=COLLECTION_NAME).first()
    if collection is not None:
        return collection
    # Two first uploads at once would make two collections: the second waits on the root's row and finds the first.
    with transaction.atomic():
        root = Collection.objects.select_for_update().get(pk=root.pk)
        return root.get_children().filter(name=COLLECTION_NAME).first() or root.add_child(name=COLLECTION_NAME)


def store_offer_photo(uploaded_file, *, title, uploaded_by):
    """A new Wagtail image from the upload, re-encoded as JPEG without metadata, in the exchange's collection.

    Runs in the caller's transaction. The storage writes the file at once: if that transaction rolls back, the
    file stays on disk without a row (harmless, but not cleaned up); a failed insert here removes it.
    Raises ValidationError, as `PhotoField` would, for an upload it refuses.
    """
    data = reencoded_jpeg(uploaded_file)
    Image = get_image_model()
    image = Image(
        title=title[: Image._meta.get_field("title").max_length],
        collection=offer_photo_collection(),
        uploaded_by_user=uploaded_by,
        file_size=len(data),
        file_hash=hash_filelike(io.BytesIO(data)),
    )
    # A random name: the original's name may say who or where, and media addresses should not be guessable.
    image.file = ImageFile(io.BytesIO(data), name=f"echange-{secrets.token_hex(8)}.jpg")
    try:
        image.save()
    except BaseException:
        if image.file.name:
            image.file.storage.delete(image.file.name)
        raise
    return image


def discard_offer_photo(image):
    """Delete an exchange photo no offer uses any more, with its renditions; Wagtail removes the files after commit.

    Images from elsewhere in the library (chosen in the admin) are left alone.
    """
    if image is None or image.collection.name != COLLECTION_NAME:
        return
    if Offer.objects.filter(photo=image).exists():
        return
    image.delete()
