"""A petition's photos lose their metadata unless the sender keeps the location (pure)."""

import io
from decimal import Decimal

import pytest
from PIL import Image

from haicap.feedback import photos


def _jpeg_with_exif(gps: bool = True, orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = orientation
    if gps:
        exif[photos.GPS_IFD] = {
            1: "N",
            2: (18.0, 54.0, 36.0),
            3: "E",
            4: (105.0, 18.0, 0.0),
        }
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 10, 10)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _exif_of(content: bytes) -> Image.Exif:
    return Image.open(io.BytesIO(content)).getexif()


def test_every_piece_of_metadata_is_removed_by_default():
    clean = photos.clean(_jpeg_with_exif())
    exif = _exif_of(clean.content)
    assert not exif.get_ifd(photos.GPS_IFD)
    assert 0x010F not in exif and 0x0110 not in exif
    assert clean.content_type == "image/jpeg" and not clean.kept_location
    assert clean.latitude is None


def test_the_location_alone_stays_when_the_sender_keeps_it():
    clean = photos.clean(_jpeg_with_exif(), keep_location=True)
    exif = _exif_of(clean.content)
    assert exif.get_ifd(photos.GPS_IFD)
    assert 0x010F not in exif  # the camera is still removed
    assert clean.kept_location
    assert clean.latitude == Decimal("18.910000") and clean.longitude == Decimal("105.300000")


def test_keeping_the_location_of_a_photo_that_has_none_keeps_nothing():
    clean = photos.clean(_jpeg_with_exif(gps=False), keep_location=True)
    assert not clean.kept_location and clean.latitude is None


def test_a_turned_photo_is_stored_upright():
    clean = photos.clean(_jpeg_with_exif(orientation=6))  # taken with the phone turned
    assert Image.open(io.BytesIO(clean.content)).size == (20, 40)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a photo", "not_a_photo"),
        (b"GIF89a" + b"\0" * 20, "not_a_photo"),
        (b"\xff\xd8\xff" + b"\0" * (photos.MAX_PHOTO_BYTES), "too_large"),
    ],
)
def test_what_is_not_a_photo_or_too_large_is_refused(content, reason):
    with pytest.raises(photos.RefusedPhoto) as refused:
        photos.clean(content)
    assert refused.value.reason == reason


def test_a_png_stays_a_png():
    out = io.BytesIO()
    Image.new("RGBA", (8, 8)).save(out, "PNG")
    clean = photos.clean(out.getvalue())
    assert clean.content_type == "image/png" and clean.extension == ".png"


@pytest.mark.parametrize(("side", "refused"), [(6300, False), (6400, True), (7000, True)])
def test_a_picture_over_forty_million_pixels_is_refused(side, refused):
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")  # a few kilobytes: a decompression bomb
    assert len(out.getvalue()) < photos.MAX_PHOTO_BYTES
    before = Image.MAX_IMAGE_PIXELS
    if refused:
        with pytest.raises(photos.RefusedPhoto) as error:
            photos.clean(out.getvalue())
        assert error.value.reason == "too_many_pixels"
    else:
        assert photos.clean(out.getvalue()).content_type == "image/png"
    assert before == Image.MAX_IMAGE_PIXELS  # Pillow's limit for the whole process is left alone
