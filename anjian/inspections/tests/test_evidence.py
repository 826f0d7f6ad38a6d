"""Evidence photos: accepted by content and re-encoded without metadata; the upload corpus refused clearly.

The corpus is generated here rather than committed, so every hostile file is visible in the code that builds it.
"""

import hashlib
import io
import random
import struct
import zipfile
import zlib
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import imagehash
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from anjian.inspections import evidence
from anjian.inspections.evidence import MAX_PHOTO_BYTES, MESSAGES, process_photo, sample_photo

SHANGHAI = evidence.EXIF_LOCAL_TZ
MB = 1024 * 1024


def _upload(data: bytes, name: str = "hazard.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _encode(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def _refusal(upload) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process_photo(upload)
    error = caught.value
    assert len(error.messages) == 1
    assert upload.name.rsplit("/", 1)[-1] in error.messages[0]
    return error


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header declares width×height RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + 3 * min(width, 64)))
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")


def _zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("payload/readme.txt", "hidden text riding along with the photo")
        archive.writestr("payload/run.sh", "#!/bin/sh\necho pwned\n")
    return buffer.getvalue()


def _no_metadata(content: bytes) -> None:
    with Image.open(io.BytesIO(content)) as stored:
        assert dict(stored.getexif()) == {}
        assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"} & set(stored.info)
    assert b"Exif\x00\x00" not in content
    assert b"http://ns.adobe.com/xap/1.0/" not in content


# --- accepted photos --------------------------------------------------------------------------------------------


def test_it_accepts_a_jpeg_keeping_time_and_position_as_data_and_storing_clean_bytes():
    original = sample_photo(
        seed=1,
        label="Fire exit 3",
        taken_at=datetime(2024, 5, 1, 10, 20, 30),
        latitude=31.230416,
        longitude=121.473701,
    )
    assert b"Exif\x00\x00" in original

    photo = process_photo(_upload(original, name="uploads/fire-exit.jpg"))

    assert (photo.extension, photo.content_type) == ("jpg", "image/jpeg")
    assert (photo.width, photo.height) == (800, 600)
    assert photo.sha256 == hashlib.sha256(original).hexdigest()
    assert photo.taken_at == datetime(2024, 5, 1, 10, 20, 30, tzinfo=SHANGHAI)
    assert photo.taken_at.utcoffset() == timedelta(hours=8)
    assert (photo.latitude, photo.longitude) == (Decimal("31.230416"), Decimal("121.473701"))
    assert (photo.original_name, photo.original_size) == ("fire-exit.jpg", len(original))
    assert len(photo.phash) == 16
    int(photo.phash, 16)
    _no_metadata(photo.content)
    with Image.open(io.BytesIO(photo.content)) as stored:
        assert (stored.format, stored.size) == ("JPEG", (800, 600))
    with Image.open(io.BytesIO(photo.thumbnail)) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (320, 240))
    _no_metadata(photo.thumbnail)


def test_it_honours_the_recorded_offset_and_southern_western_positions():
    moment = datetime(2023, 12, 31, 23, 59, 58, tzinfo=timezone(timedelta(hours=-3)))
    photo = process_photo(
        _upload(sample_photo(seed=2, label="x", taken_at=moment, latitude=-33.8688, longitude=-70.669265))
    )

    assert photo.taken_at == moment
    assert photo.taken_at.utcoffset() == timedelta(hours=-3)
    assert (photo.latitude, photo.longitude) == (Decimal("-33.868800"), Decimal("-70.669265"))


def test_it_leaves_time_and_position_empty_when_absent_or_malformed():
    plain = process_photo(_upload(sample_photo(seed=3, label="no exif")))
    assert (plain.taken_at, plain.latitude, plain.longitude) == (None, None, None)

    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "0000:00:00 00:00:00"
    exif[ExifTags.Base.DateTime] = "not a date"
    exif[ExifTags.IFD.GPSInfo] = {
        # No latitude reference, and minutes out of range: neither coordinate can be trusted.
        ExifTags.GPS.GPSLatitude: (31.0, 14.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (121.0, 75.0, 0.0),
    }
    broken = _encode(Image.new("RGB", (64, 48), "green"), "JPEG", exif=exif)
    photo = process_photo(_upload(broken))
    assert (photo.taken_at, photo.latitude, photo.longitude) == (None, None, None)


def test_it_falls_back_to_exif_datetime_and_ignores_a_null_island_position():
    exif = Image.Exif()
    exif[ExifTags.Base.DateTime] = "2022:02:03 04:05:06"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (0.0, 0.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (0.0, 0.0, 0.0),
    }
    photo = process_photo(_upload(_encode(Image.new("RGB", (64, 48), "green"), "JPEG", exif=exif)))

    assert photo.taken_at == datetime(2022, 2, 3, 4, 5, 6, tzinfo=SHANGHAI)
    assert (photo.latitude, photo.longitude) == (None, None)


def test_it_applies_the_exif_orientation_before_stripping_it():
    image = Image.new("RGB", (40, 20), (255, 0, 0))
    image.paste((0, 0, 255), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: rotate 90° clockwise to show upright
    photo = process_photo(_upload(_encode(image, "JPEG", exif=exif, quality=95)))

    assert (photo.width, photo.height) == (20, 40)
    with Image.open(io.BytesIO(photo.content)) as stored:
        assert ExifTags.Base.Orientation not in stored.getexif()
        top, bottom = stored.convert("RGB").getpixel((10, 5)), stored.convert("RGB").getpixel((10, 35))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


def test_it_keeps_a_png_as_png_without_its_text_chunks_or_profile():
    image = Image.new("RGBA", (120, 80), (10, 200, 30, 255))
    image.paste((0, 0, 0, 0), (0, 0, 60, 80))
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "secret-note-in-png")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = _encode(image, "PNG", pnginfo=text, icc_profile=srgb)

    photo = process_photo(_upload(original, name="screenshot.png", content_type="image/png"))

    assert (photo.extension, photo.content_type, photo.width, photo.height) == ("png", "image/png", 120, 80)
    assert b"secret-note-in-png" not in photo.content
    _no_metadata(photo.content)
    with Image.open(io.BytesIO(photo.content)) as stored:
        assert stored.mode == "RGBA"
        assert stored.getpixel((10, 10))[3] == 0
        assert stored.getpixel((100, 10)) == (10, 200, 30, 255)
    with Image.open(io.BytesIO(photo.thumbnail)) as thumbnail:
        # A thumbnail never enlarges; transparency becomes white in the JPEG.
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (120, 80))
        assert min(thumbnail.getpixel((10, 10))) > 240


def test_it_re_encodes_a_webp_as_jpeg():
    original = _encode(Image.open(io.BytesIO(sample_photo(seed=4, label="webp"))), "WEBP", quality=80)

    photo = process_photo(_upload(original, name="IMG_0001.webp", content_type="image/webp"))

    assert (photo.extension, photo.content_type, photo.width, photo.height) == ("jpg", "image/jpeg", 800, 600)
    with Image.open(io.BytesIO(photo.content)) as stored:
        assert stored.format == "JPEG"


def test_it_caps_the_long_side_and_makes_a_320_pixel_thumbnail():
    photo = process_photo(_upload(sample_photo(seed=5, label="wide", size=(3000, 1500))))

    assert (photo.width, photo.height) == (2560, 1280)
    with Image.open(io.BytesIO(photo.thumbnail)) as thumbnail:
        assert thumbnail.size == (320, 160)


def test_it_accepts_a_multi_picture_jpeg_as_phones_write_it_and_padding_after_the_end():
    main, gain_map = Image.new("RGB", (64, 48), "orange"), Image.new("RGB", (32, 24), "gray")
    multi_picture = _encode(main, "MPO", save_all=True, append_images=[gain_map])
    padded = sample_photo(seed=6, label="padded") + b"\x00" * 64

    assert process_photo(_upload(multi_picture)).width == 64
    assert process_photo(_upload(padded)).width == 800


def test_it_gives_near_photos_near_perceptual_hashes_and_distinct_seeds_distinct_ones():
    first = sample_photo(seed=7, label="A")
    again = _encode(Image.open(io.BytesIO(first)), "JPEG", quality=40)
    other = sample_photo(seed=8, label="A")

    hashes = [imagehash.hex_to_hash(process_photo(_upload(data)).phash) for data in (first, again, other)]

    assert hashes[0] - hashes[1] <= 4
    assert hashes[0] - hashes[2] > 10


def test_it_makes_the_same_sample_for_the_same_arguments():
    arguments = {"seed": 9, "label": "检查 Check 9", "taken_at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)}
    assert sample_photo(**arguments) == sample_photo(**arguments)
    assert sample_photo(**arguments) != sample_photo(**{**arguments, "seed": 10})


# --- the refused corpus -----------------------------------------------------------------------------------------


def test_it_refuses_a_text_file_named_jpg():
    upload = _upload(b"Inspection notes: the fire exit is blocked.\n" * 40, name="exit.jpg")
    assert _refusal(upload).code == "not_image"


def test_it_refuses_a_50_mb_image_by_its_size():
    photo = sample_photo(seed=11, label="big")
    upload = _upload(photo + b"\x00" * (50 * MB - len(photo)))
    assert upload.size == 50 * MB

    error = _refusal(upload)

    assert error.code == "too_large"
    assert "10 MB" in error.messages[0]


def test_it_refuses_a_declared_size_over_the_limit_before_reading():
    upload = _upload(sample_photo(seed=12, label="declared"))
    upload.size = 50 * MB

    assert _refusal(upload).code == "too_large"
    assert upload.file.tell() == 0


def test_it_refuses_a_file_larger_than_its_declared_size_while_reading():
    photo = sample_photo(seed=13, label="lying")
    upload = _upload(photo + b"\x00" * (MAX_PHOTO_BYTES + 1 - len(photo)))
    # A client or handler that under-reports the size: only the bytes read count.
    upload.size = 1024

    assert _refusal(upload).code == "too_large"


def test_it_accepts_a_file_of_exactly_the_limit():
    photo = sample_photo(seed=14, label="limit")
    assert process_photo(_upload(photo + b"\x00" * (MAX_PHOTO_BYTES - len(photo)))).width == 800


def test_it_refuses_a_truncated_jpeg_and_png():
    jpeg = sample_photo(seed=15, label="cut")
    png = _encode(Image.open(io.BytesIO(jpeg)), "PNG")

    assert _refusal(_upload(jpeg[: len(jpeg) // 2])).code == "truncated"
    assert _refusal(_upload(png[: len(png) // 2], name="cut.png")).code == "truncated"


def test_it_refuses_an_svg_with_a_script():
    svg = (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        b'<script>alert(document.cookie)</script><rect width="100" height="100"/></svg>'
    )
    assert _refusal(_upload(svg, name="photo.svg", content_type="image/svg+xml")).code == "not_image"
    assert _refusal(_upload(svg, name="photo.jpg")).code == "not_image"


def test_it_refuses_a_jpeg_zip_polyglot():
    polyglot = sample_photo(seed=16, label="polyglot") + _zip_archive()
    # Both readers accept it: it really is an image and an archive at once.
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    Image.open(io.BytesIO(polyglot)).load()

    error = _refusal(_upload(polyglot, name="site.jpg"))

    assert error.code == "hidden_content"
    assert error.messages[0] == str(MESSAGES["hidden_content"] % {"name": "site.jpg"})


def test_it_refuses_data_after_a_png_a_webp_and_a_multi_picture_jpeg():
    base = Image.open(io.BytesIO(sample_photo(seed=17, label="trail")))
    multi_picture = _encode(base, "MPO", save_all=True, append_images=[base.resize((80, 60))])
    cases = [
        (_encode(base, "PNG") + b"<?php system($_GET['c']); ?>", "trail.png"),
        (_encode(base, "WEBP") + _zip_archive(), "trail.webp"),
        (multi_picture + _zip_archive(), "trail.jpg"),
    ]
    for data, name in cases:
        assert _refusal(_upload(data, name=name)).code == "hidden_content"


def test_it_refuses_an_empty_file():
    assert _refusal(_upload(b"", name="nothing.jpg")).code == "empty"


def test_it_refuses_decompression_bombs():
    # 20000×20000 is refused by Pillow's own guard while opening (set to the same cap); 6000×5000 by ours (25 MP).
    for width, height in ((20000, 20000), (6000, 5000)):
        error = _refusal(_upload(_png_declaring(width, height), name="bomb.png", content_type="image/png"))
        assert error.code == "too_many_pixels"
        assert error.messages[0] == str(MESSAGES["too_many_pixels"] % {"name": "bomb.png", "limit_megapixels": 25})


def test_it_refuses_other_image_and_document_formats():
    gif = _encode(Image.new("P", (10, 10)), "GIF")
    bmp = _encode(Image.new("RGB", (10, 10)), "BMP")
    tiff = _encode(Image.new("RGB", (10, 10)), "TIFF")
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    for data in (gif, bmp, tiff, pdf, _zip_archive()):
        assert _refusal(_upload(data, name="looks-like.jpg")).code == "not_image"


def test_it_refuses_damaged_bytes_with_a_validation_error_never_a_decoder_exception():
    """Flip bytes across a small JPEG and PNG: each result is either a photo or a ValidationError."""
    rng = random.Random(2024)
    originals = [
        sample_photo(seed=18, label="fuzz", size=(96, 64)),
        _encode(Image.new("RGB", (48, 32), "teal"), "PNG"),
        _encode(Image.new("RGB", (48, 32), "teal"), "WEBP"),
    ]
    refused = set()
    for original in originals:
        for _attempt in range(150):
            damaged = bytearray(original)
            for _flip in range(rng.randint(1, 6)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            try:
                process_photo(_upload(bytes(damaged)))
            except ValidationError as error:
                refused.add(error.code)
    assert refused <= set(evidence.MESSAGES)
    assert "truncated" in refused
