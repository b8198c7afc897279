"""Turning an event's image bytes into something to paint, safely.

Image bytes come from files of unknown origin, so nothing here trusts them:

* raster images (PNG, JPEG, WebP, GIF) are read with :class:`QImageReader` after their
  size is known: one larger than :data:`MAX_PIXELS` is refused before anything is
  allocated, and Qt's own allocation limit stands behind that;
* an SVG is cleaned first (:func:`clean_svg`): scripts, foreign objects, event
  handlers and every reference outside the file (an ``href`` to another file or to
  the network) are taken out, so rendering it reads nothing but its own bytes;
* whatever cannot be read gives ``None``, and :func:`placeholder` draws what shows
  instead: a broken image never raises.

:class:`ThumbnailCache` keeps the small pictures the views paint, by image row, made
from the thumbnail kept in the file or, without one, from the image itself, and only
when something asks for them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QImageReader, QPainter, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer

from viewer.model.images import Image, sniff_type
from viewer.ui.theme import (
    PLACEHOLDER_DARK,
    PLACEHOLDER_INK_DARK,
    PLACEHOLDER_INK_LIGHT,
    PLACEHOLDER_LIGHT,
)

__all__ = [
    "MAX_PIXELS",
    "THUMBNAIL_SIZE",
    "ThumbnailCache",
    "clean_svg",
    "decode_image",
    "image_size",
    "placeholder",
    "thumbnail_png",
    "with_thumbnail",
]

#: The most pixels an image may have to be shown (a 100-megapixel photograph fits).
MAX_PIXELS = 120_000_000
#: The longest side of a thumbnail kept in the file.
THUMBNAIL_SIZE = 256

_FORMATS = {
    "image/png": b"png",
    "image/jpeg": b"jpeg",
    "image/webp": b"webp",
    "image/gif": b"gif",
}
_SVG_NS = "{http://www.w3.org/2000/svg}"
_UNSAFE_ELEMENTS = {"script", "foreignObject", "iframe", "audio", "video", "handler", "listener"}
_SAFE_HREF = re.compile(r"^(#|data:image/(png|jpeg|gif|webp);base64,)", re.IGNORECASE)

ET.register_namespace("", "http://www.w3.org/2000/svg")
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
QImageReader.setAllocationLimit(512)  # MB: a decompression bomb stops here at the latest


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def clean_svg(data: bytes) -> bytes | None:
    """The SVG without anything that runs or reaches outside it; ``None`` if it is not
    well-formed XML (or declares entities, which a hostile file uses to blow up)."""
    if b"<!ENTITY" in data or b"<!entity" in data:
        return None
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError):
        return None
    if _local(root.tag) != "svg":
        return None
    for parent in list(root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str) or _local(child.tag) in _UNSAFE_ELEMENTS:
                parent.remove(child)
                continue
            href = next((v for k, v in child.attrib.items() if _local(k) == "href"), None)
            if href is not None and not _SAFE_HREF.match(href.strip()):
                parent.remove(child)  # an <image>, <use> or <a> reaching outside
    for element in root.iter():
        for key in list(element.attrib):
            value = element.attrib[key]
            if _local(key).lower().startswith("on") or re.search(
                r"url\(\s*['\"]?(?!#)", value, re.IGNORECASE
            ):
                del element.attrib[key]
    return ET.tostring(root)


def image_size(data: bytes) -> QSize | None:
    """An image's size in pixels, read from its header (``None``: not readable)."""
    kind = sniff_type(data)
    if kind == "image/svg+xml":
        renderer = _svg_renderer(data)
        return renderer.defaultSize() if renderer is not None else None
    reader = _reader(data, kind)
    if reader is None:
        return None
    size = reader.size()
    return size if size.isValid() and not size.isEmpty() else None


def decode_image(data: bytes, fit: QSize | None = None) -> QImage | None:
    """The image of ``data``, scaled down to fit ``fit`` when given (never up beyond
    an SVG's own size twice over); ``None`` when the bytes cannot be shown."""
    kind = sniff_type(data)
    if kind == "image/svg+xml":
        return _render_svg(data, fit)
    reader = _reader(data, kind)
    if reader is None:
        return None
    size = reader.size()
    if not size.isValid() or size.isEmpty() or size.width() * size.height() > MAX_PIXELS:
        return None
    if fit is not None and (size.width() > fit.width() or size.height() > fit.height()):
        reader.setScaledSize(size.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def _reader(data: bytes, kind: str | None) -> QImageReader | None:
    fmt = _FORMATS.get(kind or "")
    if fmt is None:
        return None
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, QByteArray(fmt))
    reader.setDecideFormatFromContent(False)
    reader.setAutoTransform(True)  # (a phone's JPEG stands the way it was taken)
    reader._buffer = buffer  # type: ignore[attr-defined]  # (kept alive with the reader)
    return reader


def _svg_renderer(data: bytes) -> QSvgRenderer | None:
    cleaned = clean_svg(data)
    if cleaned is None:
        return None
    renderer = QSvgRenderer(QByteArray(cleaned))
    if not renderer.isValid():
        return None
    size = renderer.defaultSize()
    if size.isEmpty() or size.width() * size.height() > MAX_PIXELS:
        return None
    return renderer


def _render_svg(data: bytes, fit: QSize | None) -> QImage | None:
    renderer = _svg_renderer(data)
    if renderer is None:
        return None
    size = renderer.defaultSize()
    if fit is not None:
        size = size.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio)
    size = size.boundedTo(QSize(4096, 4096)).expandedTo(QSize(1, 1))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
    finally:
        painter.end()
    return image


def placeholder(size: QSize, text: str = "Image cannot be shown", *, dark: bool = False) -> QImage:
    """What shows instead of an image that cannot be: a framed box with a crossed
    picture and ``text`` (when it fits)."""
    image = QImage(size.expandedTo(QSize(8, 8)), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(PLACEHOLDER_DARK if dark else PLACEHOLDER_LIGHT))
    ink = QColor(PLACEHOLDER_INK_DARK if dark else PLACEHOLDER_INK_LIGHT)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(ink, 1.5))
        w, h = image.width(), image.height()
        side = min(w, h) * 0.32
        box = QRectF((w - side) / 2, (h - side) / 2 - (8 if h > 80 else 0), side, side * 0.8)
        painter.drawRect(box)
        painter.drawLine(box.topLeft(), box.bottomRight())
        painter.drawLine(box.topRight(), box.bottomLeft())
        if h > 80 and w > 120 and text:
            font = QFont()
            font.setPointSizeF(8.5)
            painter.setFont(font)
            painter.drawText(
                QRectF(4, box.bottom() + 4, w - 8, h - box.bottom() - 6),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                | int(Qt.TextFlag.TextWordWrap),
                text,
            )
    finally:
        painter.end()
    return image


def thumbnail_png(data: bytes, side: int = THUMBNAIL_SIZE) -> bytes:
    """A PNG of the image fitted in ``side`` × ``side`` (``b""``: it cannot be read)."""
    image = decode_image(data, QSize(side, side))
    if image is None:
        return b""
    if image.width() > side or image.height() > side:
        image = image.scaled(
            side,
            side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # (the stubs say bytes; str works)
    return bytes(buffer.data().data())


def with_thumbnail(image: Image) -> Image:
    """``image`` with a thumbnail made for the file, if it has bytes and none yet."""
    if not image.data or image.thumbnail:
        return image
    return image.evolve(thumbnail=thumbnail_png(image.data))


class ThumbnailCache:
    """Small pixmaps of images by row, made when first asked for and kept (the most
    recently used :attr:`limit` of them).

    ``load(image_id)`` gives ``(thumbnail, data)`` bytes of a row: the thumbnail kept
    in the file when there is one (cheap), else the image's bytes, decoded once."""

    def __init__(self, load: Callable[[int], tuple[bytes, bytes]], limit: int = 600) -> None:
        self._load = load
        self.limit = limit
        self._cache: OrderedDict[int, QPixmap | None] = OrderedDict()

    def get(self, image_id: int) -> QPixmap | None:
        """The thumbnail of an image row (``None``: it cannot be shown)."""
        if image_id in self._cache:
            self._cache.move_to_end(image_id)
            return self._cache[image_id]
        thumbnail, data = self._load(image_id)
        picture = decode_image(thumbnail) if thumbnail else None
        if picture is None and data:
            picture = decode_image(data, QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        pixmap = QPixmap.fromImage(picture) if picture is not None else None
        self._cache[image_id] = pixmap
        while len(self._cache) > self.limit:
            self._cache.popitem(last=False)
        return pixmap

    def cached(self, image_id: int) -> bool:
        return image_id in self._cache

    def clear(self) -> None:
        """Drop every thumbnail (another document, or its images were written again)."""
        self._cache.clear()

    def __len__(self) -> int:
        return len(self._cache)
