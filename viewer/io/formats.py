"""Choosing a format for a file, reading it whole, and writing exports.

Importers are pure functions from text to a :class:`~viewer.model.event.Timeline`;
this module adds the file handling: bytes are read once, decoded as UTF-8 (with or
without a BOM), the format is picked from the extension and then the content, and
every failure becomes a :class:`~viewer.io.errors.FormatError` naming the file.
Nothing here writes to the source file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, TextIO

from viewer.io.errors import FormatError
from viewer.model.event import Event, Timeline
from viewer.store.batch import EventBatch

Reader = Callable[[str, str | None], Timeline]
Writer = Callable[[Timeline], str]
#: Writes a document event by event: ``(header, events, text file)``.
StreamWriter = Callable[[Timeline, Iterable[Event], TextIO], None]
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
    stream_writer: StreamWriter | None = None

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
            timelinejs.write_timelinejs_to,
        ),
        "csv": Format(
            "csv",
            "TimelineJS sheet CSV",
            (".csv",),
            sheet_csv.read_sheet_csv,
            sheet_csv.looks_like_sheet_csv,
            sheet_csv.write_sheet_csv,
            sheet_csv.write_sheet_csv_to,
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


#: Bytes read from the start of a file to tell its format without reading it all.
SNIFF_BYTES = 64 * 1024


@dataclass
class ImportSource:
    """A file opened for import: its events come in batches, read as they are used.

    ``header`` holds the title, categories and eras (a streaming reader may fill it
    in while the batches are read: take it once they are all read).  ``total`` is
    how many events the file holds, or an estimate from its size for one that is
    read as it goes; ``label`` is the format's name for people.
    """

    header: Timeline
    batches: Iterable[EventBatch]
    total: int
    label: str
    streamed: bool = False


def _choose(path: str | os.PathLike[str], text: str, fmt: str | None) -> Format:
    if fmt is None:
        return detect_format(path, text)
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
    from viewer.io.sheet_csv import stream_sheet_csv
    from viewer.store.batch import batches_of

    name = os.fspath(path)
    try:
        size = Path(path).stat().st_size
        with Path(path).open("rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", source=name) from None
    text = _head_text(head, len(head) >= size, name)
    chosen = _choose(path, text, fmt)
    if chosen.name == "csv" and len(head) < size:
        stream = Path(path).open(encoding="utf-8-sig", newline="", errors="strict")  # noqa: SIM115
        header, batches = stream_sheet_csv(_decoded(stream, name), name)
        return ImportSource(header, batches, _estimate(text, size), chosen.label, streamed=True)
    if chosen.name in _FORENSIC_STREAMS and len(head) < size:
        from viewer.io.forensic import stream_forensic

        stream = Path(path).open(encoding="utf-8-sig", newline="", errors="strict")  # noqa: SIM115
        header, batches = stream_forensic(chosen.name, _decoded(stream, name), name)
        return ImportSource(header, batches, _estimate(text, size), chosen.label, streamed=True)
    timeline = read_file(path, chosen.name)
    return ImportSource(timeline, batches_of(timeline.events), len(timeline.events), chosen.label)


def _estimate(head: str, size: int) -> int:
    """About how many rows (after the header) a file of ``size`` bytes holds, from
    the lines of its first part ``head``."""
    rows = max(1, head.count("\n"))
    return max(1, round(size / (len(head.encode("utf-8")) / rows))) - 1


def _head_text(head: bytes, whole: bool, source: str) -> str:
    """The start of a file as text; a character cut at the end of ``head`` is dropped."""
    if not whole:
        for cut in range(4):
            try:
                return head[: len(head) - cut].decode("utf-8-sig")
            except UnicodeDecodeError:
                continue
    return decode(head, source)  # says where it is not UTF-8


def _decoded(stream: IO[str], source: str) -> Iterator[str]:
    """The lines of an open text file; a byte that is not UTF-8 is a FormatError, and
    the file is closed once read (or given up)."""
    line = 0
    try:
        for text in stream:
            line += 1
            yield text
    except UnicodeDecodeError:
        raise FormatError(
            "the file is not UTF-8 text (is it a binary file?)",
            source=source,
            where=f"line {line + 1}",
        ) from None
    finally:
        stream.close()


def export_to(header: Timeline, events: Iterable[Event], fmt: str, out: BinaryIO) -> None:
    """Write a document (``header`` and its ``events``, read as they are written) to a
    binary file as UTF-8, event by event: memory does not grow with the document."""
    chosen = formats().get(fmt)
    if chosen is None or chosen.stream_writer is None:
        raise FormatError(f"cannot export to {fmt!r} (choose one of {', '.join(export_names())})")
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        chosen.stream_writer(header, events, text)
        text.flush()
    finally:
        text.detach()  # the caller closes ``out``


def export_text(timeline: Timeline, fmt: str) -> str:
    try:
        writer = formats()[fmt].writer
    except KeyError:
        writer = None
    if writer is None:
        raise FormatError(f"cannot export to {fmt!r} (choose one of {', '.join(export_names())})")
    return writer(timeline)
