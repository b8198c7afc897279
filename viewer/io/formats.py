"""Choosing a format for a file, reading it whole, and writing exports.

Importers are pure functions from text to a :class:`~viewer.model.event.Timeline`;
this module adds the file handling: bytes are read once, decoded as UTF-8 (with or
without a BOM), the format is picked from the extension and then the content, and
every failure becomes a :class:`~viewer.io.errors.FormatError` naming the file.
Nothing here writes to the source file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from viewer.io.errors import FormatError
from viewer.model.event import Timeline

Reader = Callable[[str, str | None], Timeline]
Writer = Callable[[Timeline], str]
Sniffer = Callable[[str], bool]


@dataclass(frozen=True)
class Format:
    """One file format the app can import (and maybe export)."""

    name: str
    label: str
    extensions: tuple[str, ...]
    reader: Reader
    sniff: Sniffer
    writer: Writer | None = None

    @property
    def file_filter(self) -> str:
        """A Qt file dialog filter, e.g. ``"TimelineJS JSON (*.json)"``."""
        return f"{self.label} ({' '.join('*' + e for e in self.extensions)})"


def _formats() -> dict[str, Format]:
    from viewer.io import news, sheet_csv, thetimeline, timelinejs

    return {
        "timelinejs": Format(
            "timelinejs",
            "TimelineJS JSON",
            (".json",),
            timelinejs.read_timelinejs,
            timelinejs.looks_like_timelinejs,
            timelinejs.write_timelinejs,
        ),
        "csv": Format(
            "csv",
            "TimelineJS sheet CSV",
            (".csv",),
            sheet_csv.read_sheet_csv,
            sheet_csv.looks_like_sheet_csv,
            sheet_csv.write_sheet_csv,
        ),
        "thetimeline": Format(
            "thetimeline",
            "Timeline app XML",
            (".timeline",),
            thetimeline.read_thetimeline,
            thetimeline.looks_like_thetimeline,
        ),
        "news": Format(
            "news",
            "News-style text timeline",
            (".txt", ".text", ".md"),
            news.read_news,
            news.looks_like_news,
            news.write_news,
        ),
    }


_CACHE: dict[str, Format] = {}


def formats() -> dict[str, Format]:
    """All formats by name, in the order they are tried when sniffing."""
    if not _CACHE:
        _CACHE.update(_formats())
    return _CACHE


def import_names() -> list[str]:
    return list(formats())


def export_names() -> list[str]:
    return [name for name, fmt in formats().items() if fmt.writer is not None]


def decode(data: bytes, source: str) -> str:
    """UTF-8 text with any BOM removed.

    Line ends are left as they are: every reader takes ``\\r\\n``, ``\\r`` or ``\\n``
    between lines, and a line break inside a quoted CSV cell is part of the text.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(
            "the file is not UTF-8 text (is it a binary file?)",
            source=source,
            where=f"line {line}",
        ) from None
    return text


def detect_format(path: str | os.PathLike[str], text: str) -> Format:
    """Pick a format by extension, then by content."""
    suffix = Path(path).suffix.lower()
    table = formats()
    by_ext = [f for f in table.values() if suffix in f.extensions]
    for fmt in by_ext:
        if fmt.sniff(text):
            return fmt
    for fmt in table.values():
        if fmt not in by_ext and fmt.sniff(text):
            return fmt
    if by_ext:
        return by_ext[0]
    raise FormatError(
        f"cannot tell the file's format; choose one with --format ({', '.join(import_names())})",
        source=os.fspath(path),
    )


def read_file(path: str | os.PathLike[str], fmt: str | None = None) -> Timeline:
    """Read and parse a whole file; the file itself is only ever read."""
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", source=name) from None
    text = decode(data, name)
    if fmt is None:
        chosen = detect_format(path, text)
    else:
        try:
            chosen = formats()[fmt]
        except KeyError:
            raise FormatError(
                f"unknown format {fmt!r} (choose one of {', '.join(import_names())})"
            ) from None
    try:
        return chosen.reader(text, name)
    except FormatError as exc:
        raise exc if exc.source else exc.with_source(name) from None


def export_text(timeline: Timeline, fmt: str) -> str:
    try:
        writer = formats()[fmt].writer
    except KeyError:
        writer = None
    if writer is None:
        raise FormatError(f"cannot export to {fmt!r} (choose one of {', '.join(export_names())})")
    return writer(timeline)
