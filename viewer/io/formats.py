"""Choosing a format for a file, reading it whole, and writing exports.

Importers are pure functions from text to a :class:`~viewer.model.event.Timeline`;
this module adds the file handling: bytes are read once, their encoding is found
(:mod:`viewer.io.encodings`: UTF-8, UTF-16, Windows-1252 …), the format is picked from
the extension and then the content, and every failure becomes a
:class:`~viewer.io.errors.FormatError` naming the file.  A format kept in bytes (an
Excel workbook) is told by its content before any decoding, and read from the file.
How a file was read is told in a :class:`Reading` ("TimelineJS sheet CSV ·
semicolon-separated · Windows-1252").  Nothing here writes to the source file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from viewer.io.encodings import Decoding, decode_head, decode_text, stream_lines
from viewer.io.errors import FormatError
from viewer.io.media import MediaFolder, missing_media_note
from viewer.model.event import Event, Timeline
from viewer.store.batch import EventBatch

Reader = Callable[[str, str | None], Timeline]
Writer = Callable[[Timeline], str]
#: Writes a document event by event: ``(header, events, text file)``.
StreamWriter = Callable[[Timeline, Iterable[Event], TextIO], None]
#: A stream writer that also writes the events' stored images (into ``media/``).
MediaStreamWriter = Callable[[Timeline, Iterable[Event], TextIO, MediaFolder | None], None]
Sniffer = Callable[[str], bool]
#: What else to tell of how a text (all of a file, or its start if not ``whole``) is
#: read, for people: ``("semicolon-separated",)``.
Describer = Callable[[str, bool], tuple[str, ...]]
#: Reads a file that is not text (a workbook): its timeline, and what to tell of how.
PathReader = Callable[[str], tuple[Timeline, tuple[str, ...]]]


@dataclass(frozen=True)
class Format:
    """One file format the app can import (and maybe export)."""

    name: str
    label: str
    extensions: tuple[str, ...]
    reader: Reader
    sniff: Sniffer
    writer: Writer | None = None
    stream_writer: StreamWriter | None = None
    describe: Describer | None = None
    #: A format kept in bytes (a workbook) is read from the file, not from text, and
    #: told by ``sniff_path`` (never raises) before the file is decoded.
    read_path: PathReader | None = None
    sniff_path: Callable[[str], bool] | None = None
    media_stream_writer: MediaStreamWriter | None = None

    @property
    def file_filter(self) -> str:
        """A Qt file dialog filter, e.g. ``"TimelineJS JSON (*.json)"``."""
        return f"{self.label} ({' '.join('*' + e for e in self.extensions)})"


def _never(_text: str) -> bool:
    return False


def _not_text(_text: str, source: str | None) -> Timeline:
    raise FormatError("an Excel workbook is read from its file, not from text", source=source)


def _read_workbook(path: str) -> tuple[Timeline, tuple[str, ...]]:
    from viewer.io.xlsx import read_xlsx

    timeline, sheet = read_xlsx(path)
    return timeline, (f"sheet '{sheet}'",)


def _formats() -> dict[str, Format]:
    from viewer.io import news, sheet_csv, thetimeline, timelinejs, xlsx

    return {
        "timelinejs": Format(
            "timelinejs",
            "TimelineJS JSON",
            (".json",),
            timelinejs.read_timelinejs,
            timelinejs.looks_like_timelinejs,
            timelinejs.write_timelinejs,
            timelinejs.write_timelinejs_to,
            media_stream_writer=timelinejs.write_timelinejs_to,
        ),
        "csv": Format(
            "csv",
            "TimelineJS sheet CSV",
            (".csv",),
            sheet_csv.read_sheet_csv,
            sheet_csv.looks_like_sheet_csv,
            sheet_csv.write_sheet_csv,
            sheet_csv.write_sheet_csv_to,
            describe=sheet_csv.describe_sheet_csv,
        ),
        "xlsx": Format(
            "xlsx",
            "TimelineJS sheet, Excel workbook",
            (".xlsx",),
            _not_text,
            _never,
            read_path=_read_workbook,
            sniff_path=xlsx.is_workbook,
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
            news.write_news_to,
        ),
        **_timelinejs2_vis_ical_formats(),
        **_forensic_formats(),
    }


def _timelinejs2_vis_ical_formats() -> dict[str, Format]:
    """TimelineJS 2 JSON, vis-timeline JSON and iCalendar (their own block: other
    formats are added beside it)."""
    from viewer.io import ical, timelinejs2, vis_timeline

    return {
        "timelinejs2": Format(
            "timelinejs2",
            "TimelineJS 2 JSON",
            (".json",),
            timelinejs2.read_timelinejs2,
            timelinejs2.looks_like_timelinejs2,
        ),
        "vis": Format(
            "vis",
            "vis-timeline JSON",
            (".json",),
            vis_timeline.read_vis_timeline,
            vis_timeline.looks_like_vis_timeline,
        ),
        "ics": Format(
            "ics",
            "iCalendar",
            (".ics", ".ical", ".icalendar"),
            ical.read_ical,
            ical.looks_like_ical,
            ical.write_ical,
            ical.write_ical_to,
        ),
    }


# -- forensic super-timelines: read as they go, like a sheet CSV ----------------------


def _forensic_formats() -> dict[str, Format]:
    from viewer.io import forensic

    return {
        "l2tcsv": Format(
            "l2tcsv", "plaso l2tcsv", (".csv",), forensic.read_l2tcsv, forensic.looks_like_l2tcsv
        ),
        "timesketch-csv": Format(
            "timesketch-csv",
            "Timesketch CSV",
            (".csv",),
            forensic.read_timesketch_csv,
            forensic.looks_like_timesketch_csv,
        ),
        "timesketch-jsonl": Format(
            "timesketch-jsonl",
            "Timesketch JSONL",
            (".jsonl",),
            forensic.read_timesketch_jsonl,
            forensic.looks_like_timesketch_jsonl,
        ),
    }


#: Formats read a batch at a time when a file is bigger than its sniffed head.
_FORENSIC_STREAMS = frozenset({"l2tcsv", "timesketch-csv", "timesketch-jsonl"})


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
    """A file's text, in the encoding its bytes show (see :mod:`viewer.io.encodings`),
    without a BOM.

    Line ends are left as they are: every reader takes ``\\r\\n``, ``\\r`` or ``\\n``
    between lines, and a line break inside a quoted CSV cell is part of the text.
    """
    return decode_text(data, source)[0]


@dataclass
class Reading:
    """How a file is read, for people: ``TimelineJS sheet CSV · semicolon-separated ·
    Windows-1252``.  A streamed file's encoding may be known better once it is all
    read (``decoding`` is updated as it goes): make the text then."""

    label: str
    details: tuple[str, ...] = ()
    decoding: Decoding | None = None

    def __str__(self) -> str:
        encoding = (self.decoding.label,) if self.decoding is not None else ()
        return " · ".join((self.label, *self.details, *encoding))


def _by_content(path: str | os.PathLike[str]) -> Format | None:
    """A format told from the file itself, before it is decoded (a workbook)."""
    name = os.fspath(path)
    for fmt in formats().values():
        if fmt.sniff_path is not None and fmt.sniff_path(name):
            return fmt
    return None


def _by_extension(path: str | os.PathLike[str]) -> list[Format]:
    suffix = Path(path).suffix.lower()
    return [f for f in formats().values() if suffix in f.extensions]


def detect_format(path: str | os.PathLike[str], text: str) -> Format:
    """Pick a format by extension, then by content."""
    table = formats()
    by_ext = _by_extension(path)
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
    return read_import(path, fmt)[0]


def _from_path(chosen: Format, name: str) -> tuple[Timeline, Reading]:
    assert chosen.read_path is not None
    try:
        timeline, details = chosen.read_path(name)
    except FormatError as exc:
        raise exc if exc.source else exc.with_source(name) from None
    return timeline, Reading(chosen.label, details)


def read_import(path: str | os.PathLike[str], fmt: str | None = None) -> tuple[Timeline, Reading]:
    """Read and parse a whole file: its timeline, and how it was read."""
    name = os.fspath(path)
    chosen = _by_content(path) if fmt is None else _named(fmt)
    if chosen is not None and chosen.read_path is not None:
        return _from_path(chosen, name)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", source=name) from None
    try:
        text, decoding = decode_text(data, name)
    except FormatError:
        # not text: a file named as a workbook says why it is not one
        named = next((f for f in _by_extension(path) if f.read_path is not None), None)
        if fmt is None and named is not None:
            return _from_path(named, name)
        raise
    if chosen is None:
        chosen = detect_format(path, text)
    if chosen.read_path is not None:  # named as a workbook, not one, and not any text
        return _from_path(chosen, name)
    try:
        timeline = chosen.reader(text, name)
    except FormatError as exc:
        raise exc if exc.source else exc.with_source(name) from None
    details = chosen.describe(text, True) if chosen.describe is not None else ()
    if chosen.media_stream_writer is not None:  # its media files are read beside it
        details += missing_media_note(timeline.events, Path(name).parent)
    return timeline, Reading(chosen.label, details, decoding)


#: Bytes read from the start of a file to tell its format without reading it all.
SNIFF_BYTES = 64 * 1024


@dataclass
class ImportSource:
    """A file opened for import: its events come in batches, read as they are used.

    ``header`` holds the title, categories and eras (a streaming reader may fill it
    in while the batches are read: take it once they are all read).  ``total`` is
    how many events the file holds, or an estimate from its size for one that is
    read as it goes; ``label`` is the format's name for people, and ``reading`` how
    the file is read (its text is sure once the batches are all read).
    """

    header: Timeline
    batches: Iterable[EventBatch]
    total: int
    label: str
    streamed: bool = False
    reading: Reading | None = None


def _named(fmt: str) -> Format:
    try:
        return formats()[fmt]
    except KeyError:
        raise FormatError(
            f"unknown format {fmt!r} (choose one of {', '.join(import_names())})"
        ) from None


def open_import(path: str | os.PathLike[str], fmt: str | None = None) -> ImportSource:
    """Open a file to import, all of it or (a sheet CSV, a super-timeline) as it goes.

    A sheet CSV, l2tcsv or Timesketch file is read a batch at a time, so memory does
    not grow with the file; any other format is read whole first.  Errors are
    :class:`FormatError` naming the file (also those found while the batches are read).
    """
    from viewer.io.sheet_csv import sniff_sheet_delimiter, stream_sheet_csv
    from viewer.store.batch import batches_of

    name = os.fspath(path)
    try:
        size = Path(path).stat().st_size
        with Path(path).open("rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", source=name) from None
    chosen = _by_content(path) if fmt is None else _named(fmt)
    if chosen is not None and chosen.name == "xlsx":
        return _open_workbook(name, chosen)
    streams = ("csv", *_FORENSIC_STREAMS)
    if chosen is None or (chosen.name in streams and len(head) < size):
        try:
            text, decoding = decode_head(head, len(head) >= size, name)
        except FormatError:
            if fmt is None and any(f.name == "xlsx" for f in _by_extension(path)):
                return _open_workbook(name, formats()["xlsx"])  # says why it is not one
            raise
        chosen = chosen or detect_format(path, text)
        if chosen.name in streams and len(head) < size:
            lines = stream_lines(path, decoding, name)
            if chosen.name == "csv":
                delimiter = sniff_sheet_delimiter(text, whole=False)
                header, batches = stream_sheet_csv(lines, name, delimiter=delimiter)
            else:
                from viewer.io.forensic import stream_forensic

                header, batches = stream_forensic(chosen.name, lines, name)
            details = chosen.describe(text, False) if chosen.describe is not None else ()
            reading = Reading(chosen.label, details, decoding)
            estimate = _estimate(text, size)
            return ImportSource(header, batches, estimate, chosen.label, True, reading)
    timeline, reading = read_import(path, chosen.name)
    return ImportSource(
        timeline, batches_of(timeline.events), len(timeline.events), chosen.label, False, reading
    )


def _estimate(head: str, size: int) -> int:
    """About how many rows (after the header) a file of ``size`` bytes holds, from
    the lines of its first part ``head``."""
    rows = max(1, head.count("\n"))
    return max(1, round(size / (len(head.encode("utf-8")) / rows))) - 1


def _open_workbook(name: str, chosen: Format) -> ImportSource:
    """A workbook's sheet, its rows handed on in batches as they are read."""
    from viewer.io.xlsx import stream_xlsx

    header, batches, sheet, rows = stream_xlsx(name)
    reading = Reading(chosen.label, (f"sheet '{sheet}'",))
    return ImportSource(header, batches, max(rows, 1), chosen.label, True, reading)


def export_to(
    header: Timeline,
    events: Iterable[Event],
    fmt: str,
    out: BinaryIO,
    output: str | os.PathLike[str] | None = None,
) -> int:
    """Write a document (``header`` and its ``events``, read as they are written) to a
    binary file as UTF-8, event by event: memory does not grow with the document.

    ``output`` is the output file's name: a format with media (TimelineJS JSON) writes
    the stored images into ``media/`` beside it.  Without it (standard output) they
    are left out; the number left out is returned."""
    chosen = formats().get(fmt)
    if chosen is None or chosen.stream_writer is None:
        raise FormatError(f"cannot export to {fmt!r} (choose one of {', '.join(export_names())})")
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    media = MediaFolder(output)
    try:
        if chosen.media_stream_writer is not None:
            chosen.media_stream_writer(header, events, text, media)
        else:
            chosen.stream_writer(header, events, text)
        text.flush()
    finally:
        text.detach()  # the caller closes ``out``
    return media.left_out


def export_text(timeline: Timeline, fmt: str) -> str:
    try:
        writer = formats()[fmt].writer
    except KeyError:
        writer = None
    if writer is None:
        raise FormatError(f"cannot export to {fmt!r} (choose one of {', '.join(export_names())})")
    return writer(timeline)
