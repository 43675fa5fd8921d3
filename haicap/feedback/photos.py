"""A petition's photos: judged by their content, size-limited, and stripped of metadata (pure).

A phone's photo carries EXIF: the camera, the time, and often where it was taken (GPS). A sender
reporting a neighbour's building may not want to say where they stood; so every photo is
re-encoded without its metadata, unless the sender ticks "keep the location", in which case
the GPS position alone stays in the file and is given back so the petition can record it.
The picture is turned upright first (the EXIF orientation is metadata too). Only JPEG, PNG and
WebP are taken, whatever the file's name says.
"""

import io
from dataclasses import dataclass
from decimal import Decimal

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 8 * 1024 * 1024  # a phone's full-size photo
MAX_PHOTOS = 5
# Beyond any phone camera; refuses decompression bombs. Checked here against the header's size:
# Pillow's own guard (Image.MAX_IMAGE_PIXELS, process-wide) refuses only twice its limit.
MAX_PIXELS = 40_000_000
FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
GPS_IFD = 0x8825


class RefusedPhoto(ValueError):
    """Why a photo is refused (English; the caller translates by ``reason``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "too_large", "not_a_photo", "too_many_pixels", "empty"


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    kept_location: bool
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _degrees(values: object, ref: object) -> Decimal | None:
    try:
        d, m, s = (Decimal(str(float(v))) for v in values)  # type: ignore[union-attr]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    if str(ref).upper() in ("S", "W"):
        value = -value
    return value.quantize(Decimal("0.000001"))


def _position(gps: dict) -> tuple[Decimal | None, Decimal | None]:
    lat, lon = _degrees(gps.get(2), gps.get(1)), _degrees(gps.get(4), gps.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


def clean(content: bytes, keep_location: bool = False) -> CleanPhoto:
    """The photo re-encoded without metadata (GPS kept only when asked). Raises
    ``RefusedPhoto``."""
    if not content:
        raise RefusedPhoto("empty")
    if len(content) > MAX_PHOTO_BYTES:
        raise RefusedPhoto("too_large")
    try:
        with Image.open(io.BytesIO(content)) as probe:  # reads the header, not the pixels
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise RefusedPhoto("too_many_pixels")
            probe.verify()
        image = Image.open(io.BytesIO(content))
        kind = image.format
        if kind not in FORMATS:
            raise RefusedPhoto("not_a_photo")
        exif = image.getexif()
        gps = dict(exif.get_ifd(GPS_IFD)) if keep_location else {}
        upright = ImageOps.exif_transpose(image)
    except RefusedPhoto:
        raise
    except Image.DecompressionBombError as error:
        raise RefusedPhoto("too_many_pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise RefusedPhoto("not_a_photo") from error
    content_type, extension = FORMATS[kind]
    kept = Image.Exif()
    latitude = longitude = None
    if gps:
        kept[GPS_IFD] = gps
        latitude, longitude = _position(gps)
    out = io.BytesIO()
    options: dict = {"exif": kept.tobytes()} if gps else {}
    if kind == "JPEG":
        upright = upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright
        upright.save(out, "JPEG", quality=90, **options)
    elif kind == "PNG":
        upright.save(out, "PNG", **options)
    else:
        upright.save(out, "WEBP", quality=90, **options)
    return CleanPhoto(out.getvalue(), content_type, extension, bool(gps), latitude, longitude)
