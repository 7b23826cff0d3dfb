"""An offer's photo: what the upload field refuses, and what is stored (upright, small, without metadata)."""

import io
import struct
import warnings
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageCms, ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection

from echanges.forms import PhotoField
from echanges.services import photos
from echanges.services.offers import update_offer
from echanges.services.photos import COLLECTION_NAME, discard_offer_photo, store_offer_photo
from tests.echanges.factories import OfferFactory
from tests.factories import CentrePageFactory, ImageFactory
from tests.notifications.factories import PersonFactory

NOT_A_PHOTO = "Ce fichier n'est pas une photo. Choisissez une photo JPEG, PNG ou WebP."
TOO_HEAVY = "La photo est trop lourde : 10 Mo au plus."
TOO_MANY_PIXELS = "Cette photo est trop grande : 40 millions de pixels au plus. Envoyez une photo plus petite."
DAMAGED = "Cette photo est abîmée ou incomplète. Envoyez-la à nouveau, ou choisissez une autre photo."
HEIC = (
    "Ce format de photo (HEIC) n'est pas accepté. Prenez la photo en JPEG, ou envoyez une capture d'écran de la photo."
)
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
RED, BLUE = (220, 20, 20), (20, 20, 220)
ORIENTATION, GPS_IFD = 0x0112, 0x8825


def picture(size=(400, 300), *, mode="RGB", colour=RED):
    """A photo-like picture: a gradient, so that JPEG has real data to encode."""
    image = PILImage.linear_gradient("L").resize(size).convert(mode) if mode != "RGB" else None
    if image is None:
        image = PILImage.new("RGB", size, colour)
        image.paste(PILImage.linear_gradient("L").resize((size[0], size[1] // 2)).convert("RGB"), (0, 0))
    return image


def encoded(image, format, **params):
    buffer = io.BytesIO()
    image.save(buffer, format=format, **params)
    return buffer.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_claiming(width, height):
    """A PNG whose header says width × height, with almost no pixel data: what a decompression bomb looks like."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def phone_jpeg():
    """A landscape JPEG, red on its left and blue on its right, that a phone held upright marked "rotate 90°".

    It also carries what must never be published: GPS coordinates, the phone, a comment, a colour profile.
    """
    image = PILImage.new("RGB", (400, 200), RED)
    image.paste(PILImage.new("RGB", (200, 200), BLUE), (200, 0))
    exif = PILImage.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 12 Pro"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (50.0, 41.0, 24.0), 3: "E", 4: (3.0, 10.0, 48.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encoded(image, "JPEG", exif=exif, icc_profile=icc, comment=b"Chez Mme Martin, 12 rue des Lilas", quality=95)


def stored_bytes(image):
    with image.open_file() as f:
        return f.read()


def refusal(data, name="photo.jpg"):
    """The messages PhotoField gives for this upload."""
    with pytest.raises(ValidationError) as caught:
        PhotoField().clean(upload(data, name))
    return caught.value.messages


class OfferForm(forms.Form):
    photo = PhotoField(label="Une photo")


# What the field accepts and refuses.


@pytest.mark.parametrize(
    ("format", "name", "params"),
    [
        ("JPEG", "photo.jpg", {}),
        ("PNG", "photo.png", {}),
        ("WEBP", "photo.webp", {"quality": 80}),
        ("JPEG", "IMG_0001.JPEG", {"progressive": True}),
    ],
)
def test_a_jpeg_png_or_webp_photo_is_returned_unchanged(format, name, params):
    uploaded = upload(encoded(picture(), format, **params), name)

    cleaned = PhotoField().clean(uploaded)

    assert cleaned is uploaded
    assert cleaned.tell() == 0
    assert cleaned.read() == uploaded.file.getvalue()


def test_a_phone_jpeg_holding_several_pictures_is_accepted():
    """Many phones write MPO: a JPEG with a second picture inside; Pillow names it MPO, it is still a JPEG."""
    data = encoded(picture(), "MPO", save_all=True, append_images=[picture(colour=BLUE)])
    assert PILImage.open(io.BytesIO(data)).format == "MPO"

    assert PhotoField().clean(upload(data)).name == "photo.jpg"


def test_no_photo_is_fine_the_photo_is_optional():
    assert PhotoField().clean(None) is None
    form = OfferForm(data={}, files={})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["photo"] is None


def test_text_named_like_a_photo_is_refused():
    assert refusal(b"Bonjour, ceci est une lettre, pas une photo.\n" * 20, "photo.jpg") == [NOT_A_PHOTO]


@pytest.mark.parametrize("name", ["dessin.svg", "photo.png", "photo.jpg"])
def test_an_svg_is_refused_whatever_its_name_and_never_parsed(name, monkeypatch):
    opened = []
    monkeypatch.setattr(PILImage, "open", lambda *args, **kwargs: opened.append(args))

    assert refusal(SVG, name) == [NOT_A_PHOTO]
    assert opened == []


@pytest.mark.parametrize(
    "data",
    [
        encoded(picture(), "GIF"),
        encoded(picture(), "BMP"),
        encoded(picture(), "TIFF"),
        b"%PDF-1.7\n" + b"0" * 200,
        b"<html><img src=x onerror=alert(1)></html>",
    ],
    ids=["gif", "bmp", "tiff", "pdf", "html"],
)
def test_other_files_are_refused(data):
    assert refusal(data) == [NOT_A_PHOTO]


def test_an_empty_file_is_refused():
    assert refusal(b"") == ["Le fichier soumis est vide."]


@pytest.mark.parametrize("name", ["IMG_0001.HEIC", "IMG_0001.jpg"])
def test_an_iphone_heic_photo_is_refused_with_a_way_out(name):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100

    assert refusal(heic, name) == [HEIC]


def test_the_input_asks_the_phone_for_jpeg_png_or_webp():
    html = str(OfferForm()["photo"])

    assert 'type="file"' in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html


def test_a_30_mb_upload_is_refused_from_its_size():
    assert refusal(b"\xff\xd8\xff" + b"\0" * (30 * 1024 * 1024)) == [TOO_HEAVY]


def test_the_size_is_checked_before_reading_anything():
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("read before its size was checked")

    big = InMemoryUploadedFile(Unreadable(), "photo", "photo.jpg", "image/jpeg", 30 * 1024 * 1024, None)

    with pytest.raises(ValidationError) as caught:
        PhotoField().clean(big)
    assert caught.value.messages == [TOO_HEAVY]


def test_just_under_10_mb_is_not_refused_for_its_size():
    data = encoded(picture(), "PNG")
    data += b"\0" * (10 * 1024 * 1024 - len(data))  # bytes after IEND are ignored by readers

    assert PhotoField().clean(upload(data, "photo.png")).size == 10 * 1024 * 1024


@pytest.fixture
def decoded_images(monkeypatch):
    """The images whose pixels Pillow decodes during the test."""
    decoded = []
    load = ImageFile.ImageFile.load

    def spy(image):
        decoded.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return decoded


def test_a_20000_by_20000_png_is_refused_without_decoding_its_pixels(decoded_images):
    """Pillow raises DecompressionBombError above twice its bound; the resident reads a French sentence."""
    assert refusal(png_claiming(20_000, 20_000), "photo.png") == [TOO_MANY_PIXELS]
    assert decoded_images == []


def test_a_real_20000_by_20000_png_is_refused_too(decoded_images):
    bomb = encoded(PILImage.new("1", (20_000, 20_000)), "PNG")
    assert len(bomb) < 100_000

    assert refusal(bomb, "photo.png") == [TOO_MANY_PIXELS]
    assert decoded_images == []


def test_the_spy_sees_a_photo_being_decoded(decoded_images):
    PhotoField().clean(upload(encoded(picture(), "JPEG")))

    assert decoded_images == [(400, 300)]


@pytest.mark.parametrize("warning_filter", ["error", "ignore"])
def test_pillows_bomb_warning_is_a_french_message_whether_warnings_are_errors_or_not(warning_filter):
    """100 million pixels: Pillow warns (an exception in this suite, a log line in production); either way, refused."""
    with warnings.catch_warnings():
        warnings.simplefilter(warning_filter, PILImage.DecompressionBombWarning)
        assert refusal(png_claiming(10_000, 10_000), "photo.png") == [TOO_MANY_PIXELS]


def test_above_40_million_pixels_is_refused_below_pillows_own_bound(decoded_images):
    assert refusal(png_claiming(8_000, 5_001), "photo.png") == [TOO_MANY_PIXELS]
    assert decoded_images == []


def test_a_truncated_jpeg_is_refused():
    data = encoded(picture((1200, 900)), "JPEG", quality=90)

    assert refusal(data[: len(data) // 2]) == [DAMAGED]


def test_a_png_with_a_broken_checksum_is_refused():
    data = bytearray(encoded(picture(), "PNG"))
    data[-20] ^= 0xFF  # in the last pixel data, before the checksum and the end chunk

    assert refusal(bytes(data), "photo.png") == [DAMAGED]


def test_a_png_header_with_no_pixels_is_refused():
    assert refusal(png_claiming(100, 100), "photo.png") == [DAMAGED]


def test_in_a_form_the_error_is_next_to_the_photo_field():
    form = OfferForm(data={}, files={"photo": upload(b"pas une photo", "photo.jpg")})

    assert not form.is_valid()
    assert form.errors == {"photo": [NOT_A_PHOTO]}
    html = str(form["photo"])
    assert 'aria-invalid="true"' in html


def test_in_a_form_a_good_photo_is_the_cleaned_value():
    uploaded = upload(encoded(picture(), "JPEG"))
    form = OfferForm(data={}, files={"photo": uploaded})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["photo"] is uploaded


# What is stored.


@pytest.fixture
def person(db):
    return PersonFactory()


def test_the_stored_photo_is_upright_and_carries_no_metadata(person):
    original = phone_jpeg()
    assert b"PhoneMaker" in original and b"Mme Martin" in original

    image = store_offer_photo(upload(original), title="Perceuse à prêter", uploaded_by=person)

    data = stored_bytes(image)
    stored = PILImage.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert not {"exif", "icc_profile", "comment", "xmp"} & stored.info.keys()
    assert b"Exif" not in data and b"PhoneMaker" not in data and b"Mme Martin" not in data
    assert b"ICC_PROFILE" not in data
    # Turned as the phone said: the red left half is now on top.
    assert stored.size == (200, 400) == (image.width, image.height)
    stored = stored.convert("RGB")
    assert all(abs(a - b) < 30 for a, b in zip(stored.getpixel((100, 100)), RED, strict=True))
    assert all(abs(a - b) < 30 for a, b in zip(stored.getpixel((100, 300)), BLUE, strict=True))


def test_the_stored_photo_is_a_wagtail_image_with_its_title_and_uploader(person):
    image = store_offer_photo(
        upload(encoded(picture(), "PNG"), "Ma photo chez moi.png"), title="Vélo", uploaded_by=person
    )

    image.refresh_from_db()
    assert isinstance(image, get_image_model())
    assert image.title == "Vélo"
    assert image.uploaded_by_user == person
    assert image.collection.name == COLLECTION_NAME
    assert image.file.name.startswith("original_images/echange-") and image.file.name.endswith(".jpg")
    assert "chez" not in image.file.name
    data = stored_bytes(image)
    assert image.file_size == len(data)
    assert len(image.file_hash) == 40


def test_a_4000_by_3000_photo_is_shrunk_to_1600_on_its_longest_side(person):
    image = store_offer_photo(upload(encoded(picture((4000, 3000)), "JPEG")), title="Canapé", uploaded_by=person)

    assert (image.width, image.height) == (1600, 1200)
    assert PILImage.open(io.BytesIO(stored_bytes(image))).size == (1600, 1200)


def test_a_tall_photo_is_shrunk_on_its_height_and_a_small_one_kept_at_its_size(person):
    tall = store_offer_photo(upload(encoded(picture((1000, 3000)), "WEBP")), title="Lampe", uploaded_by=person)
    small = store_offer_photo(upload(encoded(picture((300, 200)), "JPEG")), title="Tasse", uploaded_by=person)

    assert (tall.width, tall.height) == (533, 1600)
    assert (small.width, small.height) == (300, 200)


def test_a_transparent_png_gets_a_white_background(person):
    transparent = PILImage.new("RGBA", (100, 100), (0, 0, 0, 0))

    image = store_offer_photo(upload(encoded(transparent, "PNG"), "logo.png"), title="Logo", uploaded_by=person)

    stored = PILImage.open(io.BytesIO(stored_bytes(image))).convert("RGB")
    assert min(stored.getpixel((50, 50))) > 245


@pytest.mark.parametrize(
    ("image", "format"),
    [
        (picture(mode="CMYK"), "JPEG"),
        (picture(mode="L"), "JPEG"),
        (picture(mode="I;16"), "PNG"),
        (picture(mode="1"), "PNG"),
        (picture(mode="LA"), "PNG"),
        (picture().convert("P"), "PNG"),
        (picture(mode="RGBA"), "WEBP"),
    ],
    ids=["cmyk-jpeg", "grey-jpeg", "16-bit-png", "1-bit-png", "grey-alpha-png", "palette-png", "rgba-webp"],
)
def test_any_kind_of_picture_is_stored_as_an_rgb_jpeg(person, image, format):
    uploaded = upload(encoded(image, format), f"photo.{format.lower()}")
    PhotoField().clean(uploaded)

    stored = PILImage.open(io.BytesIO(stored_bytes(store_offer_photo(uploaded, title="Photo", uploaded_by=person))))

    assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", (400, 300))


def test_storing_refuses_what_the_field_refuses(person):
    with pytest.raises(ValidationError) as caught:
        store_offer_photo(upload(SVG, "photo.png"), title="Piège", uploaded_by=person)

    assert caught.value.messages == [NOT_A_PHOTO]
    assert not get_image_model().objects.filter(title="Piège").exists()


def test_the_collection_is_made_once_under_the_root_and_reused(person):
    assert not Collection.objects.filter(name=COLLECTION_NAME).exists()

    first = store_offer_photo(upload(encoded(picture(), "JPEG")), title="Un", uploaded_by=person)
    second = store_offer_photo(upload(encoded(picture(), "JPEG")), title="Deux", uploaded_by=person)

    collections = Collection.objects.filter(name=COLLECTION_NAME)
    assert collections.count() == 1
    assert first.collection_id == second.collection_id == collections.get().pk
    assert collections.get().get_parent() == Collection.get_first_root_node()


def test_storing_is_part_of_the_callers_transaction(person):
    with pytest.raises(RuntimeError), transaction.atomic():
        store_offer_photo(upload(encoded(picture(), "JPEG")), title="Annulée", uploaded_by=person)
        raise RuntimeError("the offer could not be written")

    assert not get_image_model().objects.filter(title="Annulée").exists()
    assert not Collection.objects.filter(name=COLLECTION_NAME).exists()


# Replacing and removing an offer's photo, as changing the offer does.


def replace_offer_photo(offer, uploaded_file, *, uploaded_by):
    return update_offer(offer.pk, uploaded_by, photo=uploaded_file).photo


def remove_offer_photo(offer):
    update_offer(offer.pk, offer.author, remove_photo=True)


@pytest.fixture
def offer_with_photo(home, person):
    photo = store_offer_photo(upload(encoded(picture(), "JPEG")), title="Ancienne", uploaded_by=person)
    photo.get_rendition("fill-100x100")
    return OfferFactory(
        author=person, centre=CentrePageFactory(parent=home), photo=photo, photo_alt="Une perceuse bleue"
    )


def test_replacing_the_photo_deletes_the_old_one_and_its_renditions(offer_with_photo, person):
    old = offer_with_photo.photo
    Rendition = get_image_model().get_rendition_model()
    assert Rendition.objects.filter(image=old).exists()

    new = replace_offer_photo(offer_with_photo, upload(encoded(picture(), "PNG"), "n.png"), uploaded_by=person)

    offer_with_photo.refresh_from_db()
    assert offer_with_photo.photo == new
    assert new.title == offer_with_photo.title
    assert offer_with_photo.photo_alt == "Une perceuse bleue"
    assert not get_image_model().objects.filter(pk=old.pk).exists()
    assert not Rendition.objects.filter(image_id=old.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_old_files_are_deleted_after_commit(offer_with_photo, run_db_worker):
    old = offer_with_photo.photo
    rendition = old.get_rendition("fill-100x100")
    files = [(old.file.storage, old.file.name), (rendition.file.storage, rendition.file.name)]
    assert all(storage.exists(name) for storage, name in files)

    remove_offer_photo(offer_with_photo)
    run_db_worker()

    assert not any(storage.exists(name) for storage, name in files)


def test_a_refused_replacement_keeps_the_old_photo(offer_with_photo, person):
    old = offer_with_photo.photo

    with pytest.raises(ValidationError):
        replace_offer_photo(offer_with_photo, upload(b"pas une photo"), uploaded_by=person)

    offer_with_photo.refresh_from_db()
    assert offer_with_photo.photo == old
    assert get_image_model().objects.filter(pk=old.pk).exists()


def test_removing_the_photo_clears_its_description_and_deletes_it(offer_with_photo):
    old = offer_with_photo.photo

    remove_offer_photo(offer_with_photo)

    offer_with_photo.refresh_from_db()
    assert offer_with_photo.photo is None
    assert offer_with_photo.photo_alt == ""
    assert not get_image_model().objects.filter(pk=old.pk).exists()


def test_a_photo_from_elsewhere_in_the_library_is_never_deleted(home, person):
    library_image = ImageFactory()
    offer = OfferFactory(
        author=person, centre=CentrePageFactory(parent=home), photo=library_image, photo_alt="Affiche"
    )

    replace_offer_photo(offer, upload(encoded(picture(), "JPEG")), uploaded_by=person)

    assert get_image_model().objects.filter(pk=library_image.pk).exists()


def test_a_photo_another_offer_still_shows_is_kept(offer_with_photo):
    shared = offer_with_photo.photo
    other = OfferFactory(centre=offer_with_photo.centre, photo=shared, photo_alt="La même")

    remove_offer_photo(offer_with_photo)

    assert get_image_model().objects.filter(pk=shared.pk).exists()
    other.refresh_from_db()
    assert other.photo == shared


def test_discarding_nothing_does_nothing(db):
    discard_offer_photo(None)


def test_limits_are_those_the_messages_say():
    assert photos.MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    assert photos.MAX_PIXELS == 40_000_000
    assert photos.MAX_SIDE == 1600
