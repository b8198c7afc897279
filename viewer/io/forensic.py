"""Forensic super-timelines: plaso's ``l2tcsv`` and Timesketch CSV and JSONL (import).

These files run to millions of rows, so each is read as it goes
(:func:`stream_forensic`, batches of :class:`~viewer.store.batch.EventBatch` made
without an :class:`~viewer.model.event.Event` per row); :func:`read_l2tcsv` and
the other readers give the same events whole, for the window's import.

**l2tcsv** (``date,time,timezone,MACB,source,sourcetype,type,user,host,short,desc,
version,filename,inode,notes,format,extra``):

* ``date`` (``MM/DD/YYYY``), ``time`` (``HH:MM:SS``, a fraction of a second allowed)
  and ``timezone`` → the start, to the second, in UTC.  A zone other than UTC is read
  with :mod:`zoneinfo` (a local time a clock change repeated is read as its first
  occurrence) and the three cells are kept as fields, as written;
* ``short`` → the title (``desc``'s first line when ``short`` is empty or ``-``),
  ``desc`` → the description;
* ``source`` (``FILE``, ``REG``, ``LOG``…) → the category; ``type`` (the timestamp's
  meaning, "Content Modification Time"; plaso joins several with ``;``) → tags;
* every other column (``MACB``, ``sourcetype``, ``user``, ``host``, ``filename``,
  ``inode``, ``notes``, ``format``, ``extra``, and any column after those) is kept as
  given, in the file's order, in ``Event.extra["fields"]``.

plaso writes l2tcsv without quoting (it replaces commas in a value by spaces), so a
``"`` may stand anywhere in a cell; a line is split at its commas unless it reads as
quoted CSV with the right number of cells (as another tool may have saved it).

**Timesketch** CSV and JSONL: ``message``, ``datetime`` (ISO 8601, e.g.
``2019-04-17T08:46:21.123456+00:00``; without an offset it is UTC, as Timesketch takes
it) and ``timestamp_desc`` are required (in JSONL, ``timestamp``, microseconds since
1970, may stand for a missing ``datetime``):

* ``datetime`` → the start in UTC; its text is kept as a field when its offset is not
  zero or it gives more than microseconds;
* ``message`` → the description; its first line (cut at a word near
  :data:`TITLE_SHOWN` characters) → the title; ``timestamp_desc`` → a tag;
  ``source_short``, when there is one, → the category;
* every other column or key → ``Event.extra["fields"]`` (JSON values as they are).

The app's finest precision is the second: microseconds, when given, are kept in
``Event.extra["microseconds"]`` (the detail panel shows them).  ``fields`` is a list
of ``[name, value]`` pairs, so the file's order survives the store's sorted JSON.

Titles and descriptions here are plain text, while an event's may hold HTML: text
with ``<`` or ``&`` in it ("Reporter <CRON> PID: 8442") is stored HTML-escaped, so it
shows as written instead of losing its "tags" to the allowlist.  Fields are stored
exactly as given.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterable, Iterator

from viewer.io.forensic_rows import TITLE_SHOWN, Row, append_row, event_of
from viewer.io.l2tcsv import L2T_COLUMNS, l2t_batches, l2t_records, looks_like_l2tcsv
from viewer.io.timesketch import (
    TIMESKETCH_REQUIRED,
    looks_like_timesketch_csv,
    looks_like_timesketch_jsonl,
    timesketch_csv_records,
    timesketch_jsonl_records,
)
from viewer.model.event import Timeline
from viewer.store.batch import BATCH_SIZE, EventBatch

__all__ = [
    "L2T_COLUMNS",
    "TIMESKETCH_REQUIRED",
    "TITLE_SHOWN",
    "looks_like_l2tcsv",
    "looks_like_timesketch_csv",
    "looks_like_timesketch_jsonl",
    "read_l2tcsv",
    "read_timesketch_csv",
    "read_timesketch_jsonl",
    "stream_forensic",
]


_Records = Callable[[Iterator[str], str | None], Iterator[Row]]
_RECORDS: dict[str, _Records] = {
    "l2tcsv": l2t_records,  # (a stream of it: l2t_batches)
    "timesketch-csv": timesketch_csv_records,
    "timesketch-jsonl": timesketch_jsonl_records,
}


def stream_forensic(
    kind: str, text: Iterable[str], source: str | None = None, *, size: int = BATCH_SIZE
) -> tuple[Timeline, Iterator[EventBatch]]:
    """Read a super-timeline as it comes: ``(header, batches)``.

    ``kind`` is ``"l2tcsv"``, ``"timesketch-csv"`` or ``"timesketch-jsonl"``; ``text``
    gives the file's lines (an open text file, with ``newline=""``).  Errors, found as
    the batches are read, are :class:`FormatError` naming ``source`` and the line.
    """
    records = _RECORDS[kind]
    header = Timeline(source=source or "")

    def batches() -> Iterator[EventBatch]:
        if kind == "l2tcsv":
            yield from l2t_batches(iter(text), source, size)
            return
        rows = records(iter(text), source)
        while True:
            batch = EventBatch()
            for row in itertools.islice(rows, size):
                append_row(batch, row)
            if not len(batch):
                return
            yield batch

    return header, batches()


def _read(kind: str, text: str, source: str | None) -> Timeline:
    rows = _RECORDS[kind](iter(io.StringIO(text, newline="")), source)
    return Timeline(source=source or "", events=[event_of(row) for row in rows])


def read_l2tcsv(text: str, source: str | None = None) -> Timeline:
    """Import plaso's l2tcsv (see the module docstring)."""
    return _read("l2tcsv", text, source)


def read_timesketch_csv(text: str, source: str | None = None) -> Timeline:
    """Import a Timesketch CSV (see the module docstring)."""
    return _read("timesketch-csv", text, source)


def read_timesketch_jsonl(text: str, source: str | None = None) -> Timeline:
    """Import a Timesketch JSONL file (see the module docstring)."""
    return _read("timesketch-jsonl", text, source)
