"""Generated evidence photos for the demo and the tests: deterministic JPEGs with an EXIF time and position, so
the checks and the processing of :mod:`anjian.inspections.evidence` run on real image files."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from PIL import ExifTags, Image, ImageDraw, ImageFont, TiffImagePlugin

# How EXIF writes a time (DateTimeOriginal).
EXIF_DATETIME_FORMAT = "%Y:%m:%d %H:%M:%S"


def sample_photo(
    *,
    seed: int,
    label: str,
    size: tuple[int, int] = (800, 600),
    taken_at: datetime | None = None,
    latitude: float | Decimal | None = None,
    longitude: float | Decimal | None = None,
) -> bytes:
    """A deterministic generated JPEG for demo data and tests: the same arguments give the same bytes.

    Coloured shapes depend on ``seed`` so perceptual hashes differ between seeds. ``label`` is drawn in Pillow's
    default font, which has no CJK glyphs, so only its printable ASCII characters are drawn. ``taken_at`` is
    written as EXIF DateTimeOriginal (with OffsetTimeOriginal when aware); ``latitude``/``longitude`` (negative
    for S/W) as the EXIF GPS IFD, both needed.
    """
    # Deterministic pictures, not secrets.
    rng = random.Random(seed)  # noqa: S311
    width, height = size
    image = Image.new("RGB", size, tuple(rng.randrange(40, 216) for _channel in range(3)))
    draw = ImageDraw.Draw(image)
    for _shape in range(12):
        x0, x1 = sorted(rng.randrange(width) for _edge in range(2))
        y0, y1 = sorted(rng.randrange(height) for _edge in range(2))
        colour = tuple(rng.randrange(256) for _channel in range(3))
        box = (x0, y0, max(x1, x0 + width // 10), max(y1, y0 + height // 10))
        if rng.random() < 0.5:
            draw.rectangle(box, fill=colour)
        else:
            draw.ellipse(box, fill=colour)
    text = "".join(char for char in label if " " <= char <= "~").strip()
    if text:
        font = ImageFont.load_default(size=max(12, height // 12))
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        margin = max(4, height // 60)
        origin = (margin, height - (bottom - top) - 3 * margin)
        draw.rectangle((0, origin[1] - margin, right - left + 2 * margin, height - margin), fill=(255, 255, 255))
        draw.text((origin[0] - left, origin[1] - top), text, fill=(0, 0, 0), font=font)

    exif = Image.Exif()
    if taken_at is not None:
        details = exif.get_ifd(ExifTags.IFD.Exif)
        details[ExifTags.Base.DateTimeOriginal] = taken_at.strftime(EXIF_DATETIME_FORMAT)
        if taken_at.utcoffset() is not None:
            details[ExifTags.Base.OffsetTimeOriginal] = _format_offset(taken_at.utcoffset())
    if latitude is not None and longitude is not None:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N" if latitude >= 0 else "S",
            ExifTags.GPS.GPSLatitude: _gps_rationals(latitude),
            ExifTags.GPS.GPSLongitudeRef: "E" if longitude >= 0 else "W",
            ExifTags.GPS.GPSLongitude: _gps_rationals(longitude),
        }
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def _format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _gps_rationals(value: float | Decimal) -> tuple:
    """Degrees and decimal minutes (to a millionth, about 2 cm) as EXIF rationals, seconds 0, as EXIF allows."""
    total = abs(Decimal(str(value)))
    degrees = int(total)
    micro_minutes = int(((total - degrees) * 60 * 1_000_000).to_integral_value(rounding=ROUND_HALF_UP))
    if micro_minutes == 60 * 1_000_000:
        degrees, micro_minutes = degrees + 1, 0
    rational = TiffImagePlugin.IFDRational
    return (rational(degrees, 1), rational(micro_minutes, 1_000_000), rational(0, 1))
