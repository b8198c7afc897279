"""Images attached to events, as plain values (no Qt: decoding is the views' job).

An :class:`Image` is either **stored** (its file's bytes are in the document, so it
shows on a machine without a network) or a **link** (``data`` empty: a remote URL a
source named, kept with its caption and credit but never fetched).  What kind of file
the bytes are is read from the bytes themselves (:func:`sniff_type`), never from a
name: PNG, JPEG, WebP, GIF and SVG are taken, anything else is refused with an
:class:`ImageError`, as is a file over :data:`MAX_IMAGE_BYTES`.

An image's ``id`` (its row in the store) and ``thumbnail`` (a small PNG the views
made of it, kept so that browsing does not decode the whole image again) are not
part of what it *is*: two images with the same bytes, caption, credit, URL and name
are equal.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "IMAGE_TYPES",
    "LARGE_IMPORT_BYTES",
    "MAX_IMAGE_BYTES",
    "Image",
    "ImageError",
    "check_image_bytes",
    "sniff_type",
]

#: The biggest image file the document takes (a camera's JPEG fits; a scan of a
#: poster should be made smaller first).
MAX_IMAGE_BYTES = 20 * 1024 * 1024

#: An import that would add more image bytes than this asks first.
LARGE_IMPORT_BYTES = 50 * 1024 * 1024

#: The media types taken, with the file suffix an export gives each.
IMAGE_TYPES: dict[str, str] = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "image/svg+xml": ".svg",
}

_SVG_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]",
    re.DOTALL | re.IGNORECASE,
)


class ImageError(ValueError):
    """Bytes that are not an image the document takes (the message says why)."""


def sniff_type(data: bytes) -> str | None:
    """The media type of ``data`` from its first bytes, or ``None``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if _SVG_START.match(data[:4096]):
        return "image/svg+xml"
    return None


def check_image_bytes(data: bytes, what: str = "the file") -> str:
    """The media type of ``data``; :class:`ImageError` if the document cannot take it."""
    if not data:
        raise ImageError(f"{what} is empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(
            f"{what} is {len(data) / 2**20:.1f} MB; an image may be at most "
            f"{MAX_IMAGE_BYTES // 2**20} MB (make it smaller first)"
        )
    kind = sniff_type(data)
    if kind is None:
        raise ImageError(f"{what} is not a PNG, JPEG, WebP, GIF or SVG image")
    return kind


@dataclass(frozen=True, slots=True)
class Image:
    """One image of an event: stored bytes, or a link that was never fetched.

    ``url`` is where the image came from (a remote address for a link; for a stored
    image the name or address a source gave, so an export can say it again);
    ``name`` is a file name for it (shown, and used when an export writes it out);
    ``extra`` keeps a format's other media fields (TimelineJS's ``title``, ``alt``,
    ``link``…) so that an export gives them back.
    """

    data: bytes = b""
    url: str = ""
    caption: str = ""
    credit: str = ""
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict, hash=False)
    thumbnail: bytes = field(default=b"", compare=False, repr=False)
    id: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.data:
            check_image_bytes(self.data, self.name or "the image")
        elif not self.url:
            raise ImageError("an image needs its bytes or a URL")

    @property
    def stored(self) -> bool:
        """Whether the bytes are in the document (``False``: a link, not stored)."""
        return bool(self.data)

    @property
    def media_type(self) -> str:
        """``image/png`` …, or ``""`` for a link."""
        return (sniff_type(self.data) or "") if self.data else ""

    @property
    def digest(self) -> str:
        """SHA-256 of the bytes (``""`` for a link): how a store tells the same bytes."""
        return hashlib.sha256(self.data).hexdigest() if self.data else ""

    @property
    def size(self) -> int:
        return len(self.data)

    def file_name(self, index: int = 0) -> str:
        """A safe file name for writing it out: its name's stem (letters, digits,
        ``-_.``) with the suffix of its type, or ``image-<index>``."""
        stem = re.sub(r"[^\w.-]+", "-", self.name.rsplit("/", 1)[-1]).strip(".-")
        stem = stem.rsplit(".", 1)[0] if "." in stem else stem
        return (stem or f"image-{index}") + IMAGE_TYPES.get(self.media_type, "")

    def evolve(self, **changes: Any) -> Image:
        return replace(self, **changes)
