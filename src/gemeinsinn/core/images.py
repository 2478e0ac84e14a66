"""Photos that citizens upload: checked to be a real image of a sensible size and re-encoded
as JPEG, turned upright, without EXIF or any other metadata (no location, no camera).
Used by every app that accepts pictures (Mängelmelder, ideas)."""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 50_000_000
PHOTO_EDGE = 2000  # longest edge of a stored photo in pixels
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class PhotoRejected(Exception):
    """The upload is not a usable photo; the message says why, in German."""


@dataclass
class PreparedPhoto:
    content: bytes
    width: int
    height: int


def reencode_photo(upload, name: str) -> PreparedPhoto:
    """Check that ``upload`` (a file with read() and maybe size) is a photo and return it
    re-encoded as JPEG of at most PHOTO_EDGE pixels, without metadata. ``name`` is what the
    messages call the file. Raises PhotoRejected."""
    try:
        from PIL import Image, ImageOps
    except ImportError:  # pragma: no cover - Pillow is a dependency
        raise PhotoRejected(_("Fotos können auf diesem Server nicht angenommen werden.")) from None
    too_big = _("Das Foto „%(name)s“ ist größer als %(max)d MB.") % {
        "name": name,
        "max": MAX_PHOTO_BYTES // (1024 * 1024),
    }
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise PhotoRejected(too_big)
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRejected(too_big)
    not_a_photo = _("Die Datei „%(name)s“ ist kein Foto. Erlaubt sind JPEG, PNG, WebP und GIF.") % {
        "name": name
    }
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise PhotoRejected(not_a_photo)
            if probe.width * probe.height > MAX_PHOTO_PIXELS:
                raise PhotoRejected(
                    _("Das Foto „%(name)s“ hat zu viele Bildpunkte.") % {"name": name}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB")
    except PhotoRejected:
        raise
    except Exception:  # Pillow raises many kinds of errors for broken or foreign files
        raise PhotoRejected(not_a_photo) from None
    rgb.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
    output = io.BytesIO()
    rgb.save(output, format="JPEG", quality=85, optimize=True)
    return PreparedPhoto(output.getvalue(), rgb.width, rgb.height)
