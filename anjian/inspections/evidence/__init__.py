"""Evidence photos: checked by content, re-encoded, hashed, with their EXIF time and position kept as data.

Rules (issue 4, "Evidence"):
- Only JPEG, PNG and WebP are accepted, recognised by their bytes; the file name and the declared content type
  are never trusted.
- At most ``MAX_PHOTO_BYTES``; checked on the declared size before reading and again while reading.
- At most ``MAX_PIXELS`` (a phone camera's photo), read from the header before anything is decoded: decoding costs
  time by pixels, not bytes, and a 150 KB PNG can declare 49 million of them.
- At most ``MAX_PHOTOS_AT_ONCE`` photos per field or API call and ``MAX_PHOTOS_PER_SUBMISSION`` per form post
  (enforced by the services), so one request cannot queue minutes of decoding.
- Refused with a clear message naming the file: empty, too large, not an image, damaged or incomplete, too many
  pixels (decompression bomb), or carrying hidden content after the image data (polyglots such as JPEG+ZIP).
- What is stored is a fresh encoding of the pixels only: orientation applied, colours converted to sRGB, no EXIF,
  GPS, ICC, XMP, comments or trailing data, long side capped at ``MAX_LONG_SIDE``.
- EXIF capture time and GPS position are read before stripping and returned as plain values.
- SHA-256 of the original upload and a perceptual hash of the picture are returned for duplicate detection.

Everything here is pure: no database, no storage. ``check_photo`` is the cheap half, run in the request so that
a refusal answers the uploader at once; ``render_photo`` is the decoding, run by a worker; the ``Photo`` model
stores what it returns (services.photos).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from pathlib import PurePath
from zoneinfo import ZoneInfo

import imagehash
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

# The generated photos of the demo and the tests are offered here too (evidence.sample_photo).
from anjian.inspections.evidence.samples import EXIF_DATETIME_FORMAT
from anjian.inspections.evidence.samples import sample_photo as sample_photo

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# What a phone camera produces by default: 12–12.5 MP on most phones, 24 MP on recent iPhones (5712×4284 = 24.5 MP).
# The 48–200 MP full-resolution modes are opt-in, and their files mostly exceed MAX_PHOTO_BYTES anyway. Decoding
# and resizing cost grows with the pixels, not the bytes (about a second for a 49 MP PNG of 150 KB), so the header
# is checked first; a decoded frame stays under 100 MB of memory (RGBA).
MAX_PIXELS = int(getattr(settings, "EVIDENCE_MAX_PIXELS", 25_000_000))
# Pillow's own guard on every image this process opens: it warns above this and refuses outright above twice this,
# a second line behind the header check below.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Photos per field (an item's, a hazard's, an API call's): a field visit sends a few, not an album.
MAX_PHOTOS_AT_ONCE = 10
# Photos per form post (the field inspection form sends every item's at once): a 24-item checklist with two photos
# for each item that needs one fits; a few hundred photos, each decoded and resized in the request, do not.
MAX_PHOTOS_PER_SUBMISSION = int(getattr(settings, "EVIDENCE_MAX_PHOTOS_PER_SUBMISSION", 50))
MAX_LONG_SIDE = 2560
THUMBNAIL_LONG_SIDE = 320
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80

# Pillow format names the decoder may even try. Restricting Image.open keeps every other parser (EPS, which calls
# Ghostscript; TIFF; PSD; ...) away from untrusted bytes. "MPO" is what Pillow calls a JPEG carrying extra images
# by the Multi-Picture Format: phones write them (e.g. an HDR gain map after the main picture).
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
_DECODED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}

# Cameras write EXIF times as local wall-clock time without a zone; the platform serves one region in China,
# which has a single time zone, so a time without OffsetTime* is read as China Standard Time.
EXIF_LOCAL_TZ = ZoneInfo("Asia/Shanghai")
COORDINATE_PLACES = Decimal("0.000001")

_PADDING_BYTES = b"\x00\xff"

MESSAGES = {
    "empty": _("“%(name)s” is empty (0 bytes)."),
    "too_large": _("“%(name)s” is larger than %(limit_mb)s MB; upload a smaller photo."),
    "not_image": _("“%(name)s” is not a photo: only JPEG, PNG and WebP images are accepted."),
    "truncated": _("“%(name)s” is damaged or incomplete; upload the photo again."),
    "too_many_pixels": _(
        "“%(name)s” has more than %(limit_megapixels)s million pixels; take or export the photo at a lower resolution."
    ),
    "hidden_content": _(
        "“%(name)s” carries hidden content after the image data and was refused; save it again as a plain photo "
        "(motion photos are not accepted)."
    ),
}


@dataclass(frozen=True)
class ProcessedPhoto:
    """A checked, re-encoded evidence photo and the facts read from the original upload."""

    content: bytes
    extension: str
    content_type: str
    width: int
    height: int
    # Hex SHA-256 of the ORIGINAL upload bytes (not of ``content``): the same file uploaded twice is recognisable
    # even if the encoder in use changes later.
    sha256: str
    # 16 hex digits, imagehash.phash of the stored picture: near-identical photos have a small Hamming distance.
    phash: str
    taken_at: datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    thumbnail: bytes
    original_name: str
    original_size: int


class _Refused(Exception):
    """Internal: the structural checks refuse the bytes with one of the MESSAGES codes."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _refusal(code: str, name: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params={"name": name, **params})


def process_photo(upload) -> ProcessedPhoto:
    """Check an uploaded evidence photo by its content and return its re-encoded form with metadata.

    ``upload`` is a Django ``File``/``UploadedFile`` (``.name``, ``.size``, ``.chunks()``). Every refusal is a
    ``ValidationError`` whose ``code`` is one of ``MESSAGES`` and whose message names the file; no decoder error
    escapes. The two halves are :func:`check_photo` (cheap, in the request) and :func:`render_photo` (the decoding,
    in a worker).
    """
    return render_photo(check_photo(upload))


@dataclass(frozen=True)
class CheckedPhoto:
    """An upload that passed the checks made before any pixel is decoded: size, format by content, the pixel
    count from the header, the structure up to the image's end. Decoding may still find it damaged."""

    data: bytes
    name: str
    format: str  # "JPEG", "PNG" or "WEBP"
    width: int  # as the header declares, before the EXIF orientation
    height: int
    sha256: str

    @property
    def extension(self) -> str:
        return {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[self.format]


def check_photo(upload, *, name: str | None = None) -> CheckedPhoto:
    """The checks that answer the uploader at once, in a millisecond or so whatever the pixels: too large, empty,
    not an image, too many pixels, structurally incomplete, hidden content after the image. ``name`` is the file
    name the messages use (default: the upload's)."""
    name = PurePath(name or upload.name or "").name or "photo"
    data = _read_limited(upload, name)
    try:
        decoded_format, (width, height) = _check_structure(data)
    except _Refused as refused:
        raise _refusal(refused.code, name, **refused.params) from None
    return CheckedPhoto(
        data=data,
        name=name,
        format=decoded_format,
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def render_photo(checked: CheckedPhoto) -> ProcessedPhoto:
    """Decode a checked photo and re-encode it (orientation applied, sRGB, pixels only, long side capped), with
    its thumbnail, perceptual hash and EXIF time and position: the costly half, about a second for a large photo.
    A photo whose pixels cannot be decoded is refused with the "truncated" message."""
    try:
        image, exif = _decode(checked.data)
    except _Refused as refused:
        raise _refusal(refused.code, checked.name, **refused.params) from None

    taken_at = _exif_taken_at(exif)
    latitude, longitude = _exif_position(exif)

    picture = _to_srgb(image)
    picture.thumbnail((MAX_LONG_SIDE, MAX_LONG_SIDE), Image.Resampling.LANCZOS)
    # PNG stays PNG: PNG uploads are mostly screenshots and photographed notices whose text JPEG would smear, and
    # PNG keeps transparency. JPEG and WebP (photographs) become JPEG, which every browser and office tool shows.
    if checked.format == "PNG":
        content, extension, content_type = _encode_png(picture), "png", "image/png"
    else:
        content, extension, content_type = _encode_jpeg(picture, JPEG_QUALITY), "jpg", "image/jpeg"

    thumb = _flatten_to_rgb(picture)
    thumb.thumbnail((THUMBNAIL_LONG_SIDE, THUMBNAIL_LONG_SIDE), Image.Resampling.LANCZOS)

    return ProcessedPhoto(
        content=content,
        extension=extension,
        content_type=content_type,
        width=picture.width,
        height=picture.height,
        sha256=checked.sha256,
        phash=str(imagehash.phash(picture)),
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
        thumbnail=_encode_jpeg(thumb, THUMBNAIL_QUALITY),
        original_name=checked.name,
        original_size=len(checked.data),
    )


def _read_limited(upload, name: str) -> bytes:
    """Read at most MAX_PHOTO_BYTES: the declared size is checked first, the real size while reading."""
    limit_mb = MAX_PHOTO_BYTES // 2**20
    declared = getattr(upload, "size", None)
    if declared is not None and declared > MAX_PHOTO_BYTES:
        raise _refusal("too_large", name, limit_mb=limit_mb)
    buffer = bytearray()
    for chunk in upload.chunks():
        buffer += chunk
        # The declared size comes from the client or the upload handler; a lying one must not make us hold more.
        if len(buffer) > MAX_PHOTO_BYTES:
            raise _refusal("too_large", name, limit_mb=limit_mb)
    if not buffer:
        raise _refusal("empty", name)
    return bytes(buffer)


def _open(data: bytes) -> Image.Image:
    return Image.open(BytesIO(data), formats=ALLOWED_FORMATS)


def _check_structure(data: bytes) -> tuple[str, tuple[int, int]]:
    """Identify the format by content, refuse pixel bombs, and refuse bytes after the image's end.

    Returns "JPEG", "PNG" or "WEBP" and the size the header declares. Pillow reads only what it needs and ignores
    what follows the image, so the end of each format is found here from its own structure: JPEG's EOI marker
    (after any Multi-Picture images), PNG's IEND chunk, the RIFF length of WebP.
    """
    try:
        with _open(data) as probe:
            # Opening reads only the header: the size is known before a single pixel is decoded.
            _check_pixels(*probe.size)
            size = probe.size
            pillow_format = probe.format
            frames = getattr(probe, "n_frames", 1)
            probe.verify()
    except _Refused:
        raise
    except UnidentifiedImageError:
        raise _Refused("not_image") from None
    except Image.DecompressionBombError:
        raise _Refused("too_many_pixels", limit_megapixels=MAX_PIXELS // 1_000_000) from None
    except Exception:
        # Decoders of untrusted bytes fail in many ways (OSError, SyntaxError, struct.error, IndexError, ...);
        # for the user each one means the same: the file is damaged.
        raise _Refused("truncated") from None

    decoded_format = _DECODED_FORMATS.get(pillow_format)
    if decoded_format is None:
        raise _Refused("not_image")
    if decoded_format == "JPEG":
        end = _jpeg_end(data, 0)
        # Multi-Picture files put their further images straight after the first one; each must be a whole JPEG.
        for _frame in range(frames - 1):
            start = _skip_padding(data, end)
            if data[start : start + 2] != b"\xff\xd8":
                break
            end = _jpeg_end(data, start)
    elif decoded_format == "PNG":
        end = _png_end(data)
    else:
        end = _webp_end(data)
    # Zero or 0xFF padding after the end is written by some cameras and carries nothing; anything else is a file
    # riding along (a ZIP, a script, another image) and is refused even though the stored copy would drop it.
    if data[end:].strip(_PADDING_BYTES):
        raise _Refused("hidden_content")
    return decoded_format, size


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise _Refused("too_many_pixels", limit_megapixels=MAX_PIXELS // 1_000_000)


def _skip_padding(data: bytes, position: int) -> int:
    """The offset of the next byte that is not padding; a 0xFF starting an SOI marker is not padding."""
    while position < len(data) and data[position] in _PADDING_BYTES and data[position : position + 2] != b"\xff\xd8":
        position += 1
    return position


def _jpeg_end(data: bytes, start: int) -> int:
    """The offset just after the EOI marker of the JPEG starting at ``start`` (ITU T.81 Annex B marker syntax)."""
    size = len(data)
    if data[start : start + 2] != b"\xff\xd8":
        raise _Refused("truncated")
    position = start + 2
    while True:
        # Like libjpeg, skip stray bytes before a marker and any 0xFF fill bytes.
        position = data.find(b"\xff", position)
        if position < 0:
            raise _Refused("truncated")
        while position < size and data[position] == 0xFF:
            position += 1
        if position >= size:
            raise _Refused("truncated")
        marker = data[position]
        position += 1
        if marker == 0xD9:  # EOI
            return position
        if marker == 0x00 or marker == 0x01 or 0xD0 <= marker <= 0xD7:  # stuffed byte, TEM, RSTn: no length
            continue
        if position + 2 > size:
            raise _Refused("truncated")
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2:
            raise _Refused("truncated")
        position += length
        if position > size:
            raise _Refused("truncated")
        if marker == 0xDA:  # SOS: entropy-coded data runs until a marker other than a stuffed 0x00 or RSTn
            position = _skip_entropy_coded(data, position)


def _skip_entropy_coded(data: bytes, position: int) -> int:
    size = len(data)
    while True:
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= size:
            raise _Refused("truncated")
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position = found + 2
        elif following == 0xFF:
            position = found + 1
        else:
            return found


def _png_end(data: bytes) -> int:
    """The offset just after the IEND chunk (PNG chunks: length, type, data, CRC)."""
    position = 8
    size = len(data)
    while True:
        if position + 8 > size:
            raise _Refused("truncated")
        length = int.from_bytes(data[position : position + 4], "big")
        chunk_type = data[position + 4 : position + 8]
        position += 12 + length
        if position > size:
            raise _Refused("truncated")
        if chunk_type == b"IEND":
            return position


def _webp_end(data: bytes) -> int:
    """The offset just after the RIFF container, whose length is in bytes 4..8 (little-endian)."""
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data):
        raise _Refused("truncated")
    return end


def _decode(data: bytes) -> tuple[Image.Image, Image.Exif]:
    """Decode the first frame fully and apply the EXIF orientation; return it with the original EXIF."""
    try:
        with _open(data) as image:
            _draft(image)
            image.load()
            exif = image.getexif()
            # exif_transpose returns an upright copy with the Orientation tag removed.
            upright = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError:
        raise _Refused("too_many_pixels", limit_megapixels=MAX_PIXELS // 1_000_000) from None
    except Exception:
        # See _check_structure: any decoder failure on untrusted bytes means a damaged file.
        raise _Refused("truncated") from None
    return upright, exif


def _draft(image: Image.Image) -> None:
    """Let the JPEG decoder scale down while decoding (by 1/2, 1/4 or 1/8 in the DCT) when the stored copy is at
    most half as large: a 24 MP photo is then decoded and resized as 6 MP, in a quarter of the time. The result
    stays at least MAX_LONG_SIDE on its long side, so the stored photo is the same size as without it."""
    if image.format not in ("JPEG", "MPO"):
        return
    width, height = image.size
    scale = MAX_LONG_SIDE / max(width, height)
    if scale <= 0.5:
        image.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert to sRGB by the embedded ICC profile (the profile itself is not stored), else keep the pixels.

    Without this, photos in wide-gamut spaces (Display P3 on recent phones) or CMYK would look dull or wrong once
    their profile is stripped.
    """
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK"):
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        try:
            image = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(BytesIO(profile)),
                ImageCms.createProfile("sRGB"),
                outputMode=output_mode,
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            # A broken or mismatched profile: the untransformed pixels are the best picture available.
            image = image.copy()
    else:
        image = image.copy()
    return _pixels_only(image)


def _pixels_only(image: Image.Image) -> Image.Image:
    """Drop everything Pillow read besides the pixels (EXIF, ICC, XMP, text chunks, comments) except transparency."""
    transparency = image.info.get("transparency")
    image.info = {} if transparency is None else {"transparency": transparency}
    if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    return image


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    """An RGB copy for JPEG; transparent parts become white, as they look on a page."""
    if image.mode in ("RGB", "L"):
        return image.copy()
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _encode_jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = BytesIO()
    _flatten_to_rgb(image).save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _encode_png(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _exif_taken_at(exif: Image.Exif) -> datetime | None:
    """DateTimeOriginal (else DateTime) as an aware datetime; its OffsetTime* tag if valid, else China time."""
    try:
        details = exif.get_ifd(ExifTags.IFD.Exif)
    except Exception:
        # A damaged Exif sub-IFD: the capture time is simply unknown.
        details = {}
    candidates = (
        (details.get(ExifTags.Base.DateTimeOriginal), details.get(ExifTags.Base.OffsetTimeOriginal)),
        (exif.get(ExifTags.Base.DateTime), details.get(ExifTags.Base.OffsetTime)),
    )
    for raw_time, raw_offset in candidates:
        moment = _parse_exif_datetime(raw_time)
        if moment is not None:
            return moment.replace(tzinfo=_parse_exif_offset(raw_offset) or EXIF_LOCAL_TZ)
    return None


def _parse_exif_datetime(value) -> datetime | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip("\x00 ")[:19], EXIF_DATETIME_FORMAT)
    except ValueError:
        # "0000:00:00 00:00:00", blanks and other junk written by cameras without a set clock.
        return None


def _parse_exif_offset(value) -> timezone | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    value = value.strip("\x00 ")
    if len(value) != 6 or value[0] not in "+-" or value[3] != ":":
        return None
    hours, minutes = value[1:3], value[4:6]
    if not (hours.isdigit() and minutes.isdigit()) or int(hours) > 14 or int(minutes) > 59:
        return None
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-offset if value[0] == "-" else offset)


def _exif_position(exif: Image.Exif) -> tuple[Decimal | None, Decimal | None]:
    """GPS latitude and longitude in degrees (WGS 84 as recorded), 6 decimal places; both or neither."""
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:
        # A damaged GPS sub-IFD: the position is simply unknown.
        return None, None
    latitude = _gps_degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "N", "S", 90)
    longitude = _gps_degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "E", "W", 180)
    # Exactly 0,0 is what devices without a fix write; no inspection takes place in the Gulf of Guinea.
    if latitude is None or longitude is None or (latitude == 0 and longitude == 0):
        return None, None
    return latitude, longitude


def _gps_degrees(value, ref, positive: str, negative: str, limit: int) -> Decimal | None:
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if not isinstance(ref, str) or ref.strip("\x00 ").upper() not in (positive, negative):
        return None
    if not isinstance(value, tuple) or len(value) != 3:
        return None
    try:
        parts = [Decimal(str(float(part))) for part in value]
    except (TypeError, ValueError, ZeroDivisionError, InvalidOperation):
        return None
    if any(not part.is_finite() or part < 0 for part in parts) or parts[1] >= 60 or parts[2] >= 60:
        return None
    degrees = parts[0] + parts[1] / 60 + parts[2] / 3600
    if degrees > limit:
        return None
    if ref.strip("\x00 ").upper() == negative:
        degrees = -degrees
    return degrees.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)
