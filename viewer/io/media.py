"""TimelineJS media as event images: local files read on import, written on export.

On import a slide's ``media`` object becomes an :class:`~viewer.model.images.Image`:
``caption`` and ``credit`` are kept as such, its other keys in ``Image.extra``.  A
``url`` that names a local file (a path relative to the JSON file's folder, an
absolute path or a ``file:`` URL) that exists and is an image has its bytes stored;
anything else (http, https, an embed address, a missing file, a file that is not an
image) is a link, never fetched.  On export a stored image is written into a
``media/`` folder beside the output file, and its ``url`` is ``media/<name>``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from viewer.io.files import write_atomically
from viewer.model.event import Event
from viewer.model.images import MAX_IMAGE_BYTES, Image, ImageError, check_image_bytes

__all__ = [
    "MEDIA_FOLDER",
    "MediaFolder",
    "image_from_media",
    "local_path",
    "media_from_image",
    "missing_media_note",
]

#: The folder beside an exported file that its stored images are written to.
MEDIA_FOLDER = "media"

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DRIVE_RE = re.compile(r"^[A-Za-z]:[\\/]")


def local_path(url: str, folder: Path | None) -> Path | None:
    """The file a media URL names on this machine, or ``None`` for a remote one."""
    text = url.strip()
    if not text or text.startswith("//"):
        return None
    if text.lower().startswith("file:"):
        parts = urlsplit(text)
        if parts.netloc not in ("", "localhost"):
            return None
        return Path(unquote(parts.path))
    if _SCHEME_RE.match(text) and not _DRIVE_RE.match(text):
        return None
    path = Path(text)
    if path.is_absolute():
        return path
    return (folder or Path.cwd()) / path


def _read_local(path: Path) -> bytes | None:
    """The bytes of an image file, or ``None`` if it is missing or not an image."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        data = path.read_bytes()
        check_image_bytes(data, path.name)
    except (OSError, ImageError):
        return None
    return data


def image_from_media(media: Any, folder: Path | None) -> Image | None:
    """The image of a TimelineJS ``media`` object; ``None`` if it is not one this can
    hold as an image (no URL, a caption that is not text…: kept verbatim instead)."""
    if not isinstance(media, Mapping):
        return None
    url = media.get("url")
    if not isinstance(url, str) or not url.strip():
        return None
    caption, credit = media.get("caption", ""), media.get("credit", "")
    if not isinstance(caption, str) or not isinstance(credit, str):
        return None
    extra = {k: v for k, v in media.items() if k not in ("url", "caption", "credit")}
    for key, value in (("caption", caption), ("credit", credit)):
        if key in media and not value:  # a blank one given: written back as given
            extra[key] = value
    path = local_path(url, folder)
    data = _read_local(path) if path is not None else None
    if path is None or data is None:
        return Image(url=url, caption=caption, credit=credit, extra=extra)
    return Image(data=data, url=url, caption=caption, credit=credit, name=path.name, extra=extra)


def media_from_image(image: Image, url: str) -> dict[str, Any]:
    """The TimelineJS ``media`` object of an image whose file is at ``url``."""
    media: dict[str, Any] = {"url": url}
    if image.caption:
        media["caption"] = image.caption
    if image.credit:
        media["credit"] = image.credit
    for key, value in image.extra.items():
        media.setdefault(key, value)
    return media


def missing_media_note(events: Iterable[Event], folder: Path | None) -> tuple[str, ...]:
    """What to tell of local media files an import kept as links (missing, or not
    images): ``("2 media files not found beside the file; kept as links",)``."""
    missing = sum(
        1
        for event in events
        for image in event.images
        if not image.stored and local_path(image.url, folder) is not None
    )
    if not missing:
        return ()
    files = "file" if missing == 1 else "files"
    return (f"{missing} media {files} not found beside the file (or not images); kept as links",)


class MediaFolder:
    """Where an export writes its stored images: ``media/`` beside the output file,
    or nowhere (``path`` ``None``: standard output), when they are left out and counted."""

    def __init__(self, output: str | os.PathLike[str] | None) -> None:
        self.path = Path(output).parent / MEDIA_FOLDER if output is not None else None
        self.left_out = 0
        self.written = 0
        self._names: set[str] = set()

    def url_for(self, image: Image) -> str | None:
        """The ``url`` to export for ``image``: a link's own, a stored image's file
        (written now), or ``None`` when it cannot be written (left out)."""
        if not image.stored:
            return image.url
        if self.path is None:
            self.left_out += 1
            return None
        name = self._unique(image.file_name(self.written + 1))
        self.path.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path / name, image.data)
        self.written += 1
        return f"{MEDIA_FOLDER}/{name}"

    def _unique(self, name: str) -> str:
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        candidate, n = name, 1
        while candidate.lower() in self._names:
            n += 1
            candidate = f"{stem}-{n}{dot}{suffix}"
        self._names.add(candidate.lower())
        return candidate


def with_media_image(event: Event, folder: Path | None) -> Event:
    """``event`` with a TimelineJS ``media`` kept in its extra made its image, as the
    TimelineJS import makes it (unchanged if it has none, or one that is no image)."""
    image = image_from_media(event.extra.get("media"), folder)
    if image is None:
        return event
    extra = {k: v for k, v in event.extra.items() if k != "media"}
    return event.evolve(extra=extra, images=(image, *event.images))
