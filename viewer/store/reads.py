"""Reading events: one by one, as numpy columns for the views, by search and filter.

:class:`Reads` is every read of the ``events`` table (and of ``lanes``, and the
full-text index ``events_fts``):

* whole events (:meth:`Reads.get_event`, :meth:`Reads.iter_events` for an export,
  row by row, so memory stays flat);
* columns for the views (:meth:`Reads.load_arrays`, :meth:`Reads.arrays_for`,
  :meth:`Reads.arrays_in_lanes`): numpy arrays, never a Python object per event (see
  :mod:`viewer.store.bulk`); headlines and dates come only for the events shown
  (:meth:`Reads.texts`);
* what a big file's first frame needs without reading its events
  (:meth:`Reads.span`, :meth:`Reads.start_counts`, :meth:`Reads.lane_count`);
* sorted id arrays for the views' filters (:meth:`Reads.search_ids`,
  :meth:`Reads.tagged_ids`, made into masks by :mod:`viewer.store.filtering`) and the
  index's terms for search as one types (:meth:`Reads.prefix_terms`, for
  :mod:`viewer.store.search`);
* a whole :class:`~viewer.model.filters.Filters` answered by SQL alone
  (:meth:`Reads.filtered_ids`: the command line, and the reference the tests hold
  the masks to).

Whatever a person types becomes a safe FTS5 query here (:func:`fts_query`).  Each
public read runs in one read transaction (``_reading``), so it sees no write half
done and a driver error comes out as a :class:`~viewer.store.StoreError`.
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from viewer.model.dates import DateError, PartialDate, format_range
from viewer.model.event import Event, Timeline
from viewer.model.filters import Filters
from viewer.store.bulk import read_columns
from viewer.store.catalog import Catalog
from viewer.store.columns import CachedTexts, EventArrays, TextSource, sorted_unique
from viewer.store.core import DamagedEvent, StoreError, chunked
from viewer.store.layout import derived, read_lanes

__all__ = ["Reads", "fts_query", "typed_words"]

#: The columns :meth:`Reads.load_arrays` reads, as SQL (never NULL).
_ARRAY_COLUMNS = {
    "ids": ("id", np.int64),
    "begin": ("start_pos", np.float64),
    "finish": ("end_pos", np.float64),
    "start_until": ("start_until", np.float64),
    "end_from": ("end_from", np.float64),
    "start_precision": ("start_precision", np.int8),
    "end_precision": ("coalesce(end_precision, start_precision)", np.int8),
    "is_range": ("end IS NOT NULL", np.bool_),
    "category": ("coalesce(category_id, -1)", np.int32),
    "edges": ("qualifiers", np.int8),
}


def typed_words(text: str) -> list[str]:
    """The words of a typed search, as :func:`fts_query` takes them (those with a letter
    or digit)."""
    # A NUL would end the query inside FTS5 ("unterminated string") and an unpaired
    # surrogate cannot be encoded for SQLite at all: treat either as a space.
    words = [w for w in re.split(r"[\s\x00\ud800-\udfff]+", text) if w]
    return [w for w in words if re.search(r"\w", w)]


def fts_query(text: str) -> str | None:
    """Turn anything a person types into a safe FTS5 query (``None``: match all).

    Each word becomes a quoted string, so FTS5 operators and punctuation lose their
    meaning; the last word matches as a prefix, for search-as-you-type.
    """
    words = [w.replace('"', '""') for w in typed_words(text)]
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _ids_text(text: str | None) -> np.ndarray:
    """Ids from a ``group_concat(id, ' ')`` (sorted, unique)."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return sorted_unique(np.fromstring(text, dtype=np.int64, sep=" "))


def _date_text(start: str, end: str | None) -> str:
    """The formatted date of stored ISO text (the text itself if it does not parse)."""
    try:
        return format_range(PartialDate.from_iso(start), PartialDate.from_iso(end) if end else None)
    except DateError:
        return start


class Reads(Catalog):
    """The reads of events (a part of :class:`~viewer.store.EventStore`)."""

    def __init__(self, conn: sqlite3.Connection, path: str, *, readonly: bool) -> None:
        super().__init__(conn, path, readonly=readonly)
        self._vocabulary = False  # the temporary fts5vocab table made

    # -- whole events --------------------------------------------------------------

    @property
    def _select_event(self) -> str:
        notes = "e.notes" if self.has_notes else "''"  # (an older read-only file: none)
        return (
            "SELECT e.id, e.title, e.description, e.start, e.end, c.name, e.source_url, "
            f"e.display_date, e.extra, {notes} "
            "FROM events e LEFT JOIN categories c ON c.id = e.category_id"
        )

    def _event_from_row(self, row: Sequence[Any], tags: tuple[str, ...] | None = None) -> Event:
        """The event of a row; :class:`DamagedEvent` when a field cannot be read."""
        id_, title, description, start, end, category, source_url, display, extra, notes = row
        what = "its start date"
        try:
            start_date = PartialDate.from_iso(start)
            what = "its end date"
            end_date = PartialDate.from_iso(end) if end else None
            what = "its extra fields"
            fields = json.loads(extra) if extra else {}
            if not isinstance(fields, dict):
                raise ValueError("not an object")
            what = "its text"
            return Event(
                title=title,
                start=start_date,
                end=end_date,
                description=description,
                category=category,
                tags=self._tags_of(id_) if tags is None else tags,
                source_url=source_url,
                display_date=display,
                extra=fields,
                notes=notes,
                id=id_,
            )
        except (DateError, ValueError, TypeError) as exc:  # (JSONDecodeError is a ValueError)
            raise DamagedEvent(
                f"event {id_} of {self.path} is damaged: {what} cannot be read ({exc})", id_
            ) from None

    def get_event(self, event_id: int) -> Event | None:
        with self._reading() as conn:
            row = conn.execute(self._select_event + " WHERE e.id = ?", (event_id,)).fetchone()
            return self._event_from_row(row) if row else None

    def get_events(self, ids: Iterable[int]) -> list[Event]:
        """These events (those that exist), in the order asked for."""
        with self._reading():
            found = [self.get_event(i) for i in ids]
        return [e for e in found if e is not None]

    def iter_events(
        self, on_damaged: Callable[[DamagedEvent], None] | None = None
    ) -> Iterator[Event]:
        """Every event, in chronological order, one at a time (memory stays flat).

        Reads inside one read transaction, so a write elsewhere meanwhile is not seen
        half done.  A row that cannot be read raises :class:`DamagedEvent`, or, with
        ``on_damaged``, is given to it and left out.
        """
        tags = (
            "(SELECT group_concat(name, char(31)) FROM (SELECT t.name AS name FROM "
            "event_tags et JOIN tags t ON t.id = et.tag_id WHERE et.event_id = e.id "
            "ORDER BY t.name COLLATE NOCASE))"
        )
        sql = self._select_event.replace(" FROM events e", f", {tags} FROM events e")
        with self._reading() as conn:
            cur = conn.execute(sql + " ORDER BY e.start_pos, e.id")
            while rows := cur.fetchmany(1000):
                for row in rows:
                    names = row[10]
                    try:
                        event = self._event_from_row(
                            row[:10], tuple(names.split("\x1f")) if names else ()
                        )
                    except DamagedEvent as damaged:
                        if on_damaged is None:
                            raise
                        on_damaged(damaged)
                        continue
                    yield event

    def events(self) -> list[Event]:
        """Every event, in chronological order."""
        return list(self.iter_events())

    def export_timeline(self) -> Timeline:
        """The whole document in memory (see :meth:`iter_events` for big ones)."""
        with self._reading():
            timeline = self.timeline_header()
            timeline.events = self.events()
        return timeline

    # -- counts and extents --------------------------------------------------------

    def count(self) -> int:
        with self._reading() as conn:
            return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def span(self) -> tuple[float, float] | None:
        """``(first begin, last finish)`` in axis seconds.

        Two queries, each answered from its index: SQLite reads one end of an index
        for a lone ``min`` or ``max``, but scans every row for both in one query.
        """
        with self._reading() as conn:
            first = conn.execute("SELECT min(start_pos) FROM events").fetchone()[0]
            if first is None:
                return None
            last = conn.execute("SELECT max(end_pos) FROM events").fetchone()[0]
        return float(first), float(last)

    def span_dates(self) -> tuple[PartialDate, PartialDate] | None:
        """The earliest start and the latest end, as the events give them (exact)."""
        with self._reading() as conn:
            first = conn.execute(
                "SELECT start, id FROM events ORDER BY start_pos, start_precision LIMIT 1"
            ).fetchone()
            if first is None:
                return None
            last = conn.execute(
                "SELECT coalesce(end, start), id FROM events ORDER BY end_pos DESC LIMIT 1"
            ).fetchone()
        dates = []
        for text, id_ in (first, last):
            try:
                dates.append(PartialDate.from_iso(text))
            except DateError as exc:
                raise DamagedEvent(
                    f"event {id_} of {self.path} is damaged: its date cannot be read ({exc})", id_
                ) from None
        return dates[0], dates[1]

    def start_counts(self, edges: np.ndarray) -> np.ndarray:
        """How many events start in each ``[edges[k], edges[k + 1])`` (the last bin
        includes its right edge), counted on the index: a density without reading the
        events (a big file's first frame)."""
        edges = np.asarray(edges, dtype=np.float64)
        if len(edges) < 2:
            return np.zeros(0, dtype=np.int64)
        bounds = edges.tolist()
        with self._reading() as conn:
            cur = conn.cursor()
            counts = [
                cur.execute(
                    "SELECT count(*) FROM events WHERE start_pos >= ? AND start_pos < ?", (a, b)
                ).fetchone()[0]
                for a, b in itertools.pairwise(bounds[:-1])
            ]
            counts.append(
                cur.execute(
                    "SELECT count(*) FROM events WHERE start_pos >= ? AND start_pos <= ?",
                    (bounds[-2], bounds[-1]),
                ).fetchone()[0]
            )
        return np.asarray(counts, dtype=np.int64)

    # -- the default layout's lanes ------------------------------------------------

    def lanes_of(self, ids: Iterable[int]) -> dict[int, int]:
        """The default layout's lane of each of these events (undo keeps them)."""
        out: dict[int, int] = {}
        if not self.has_lanes:
            return out
        with self._reading() as conn:
            for chunk in chunked(list(ids)):
                marks = ",".join("?" * len(chunk))
                out.update(conn.execute(f"SELECT id, lane FROM lanes WHERE id IN ({marks})", chunk))
        return out

    def layout_scale(self) -> float | None:
        """Pixels per second of the default layout (``None``: no events yet)."""
        if not self.has_lanes:
            return None
        with self._reading() as conn:
            return derived(conn, "layout_scale")

    def lane_count(self) -> int:
        """How many lanes the default layout uses (by the index on lanes)."""
        if not self.has_lanes:
            return 0
        with self._reading() as conn:
            row = conn.execute("SELECT max(lane) FROM lanes").fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    # -- columns for the views -----------------------------------------------------

    def _read_arrays(self, conn: sqlite3.Connection, where: str = "") -> dict[str, np.ndarray]:
        """The columns of the events ``where`` selects, their lanes included."""
        columns = _ARRAY_COLUMNS
        if not self.has_qualifiers:  # (an older read-only file: its edges are all 0)
            columns = {k: v for k, v in columns.items() if k != "edges"}
        cols = read_columns(conn, columns, where=where)
        if self.has_lanes:
            cols["lane"] = read_lanes(conn, cols["ids"], where=where)
        return cols

    def load_arrays(self, texts: TextSource | None = None) -> EventArrays:
        """Every event as numpy columns (see :mod:`viewer.store.bulk`), sorted.

        ``texts`` is where the arrays' ``titles`` and ``dates`` come from (default:
        this store, through a cache).  May be called from another thread than the
        one that opened the store only through a store of its own
        (:meth:`~viewer.store.core.StoreCore.reader`).
        """
        with self._reading() as conn:
            cols = self._read_arrays(conn)
        return EventArrays.from_columns(cols, texts if texts is not None else self.text_cache())

    def arrays_for(self, ids: Iterable[int], texts: TextSource | None = None) -> EventArrays:
        """The columns of just these events (those that exist), sorted."""
        wanted = sorted({int(i) for i in ids})
        parts: list[dict[str, np.ndarray]] = []
        with self._reading() as conn:
            for chunk in chunked(wanted):
                marks = ",".join(str(i) for i in chunk)  # ints: nothing to escape
                parts.append(self._read_arrays(conn, where=f"id IN ({marks})"))
        if not parts:
            return EventArrays.empty(texts if texts is not None else self.text_cache())
        cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        return EventArrays.from_columns(
            cols, texts if texts is not None else self.text_cache(), check=False
        )

    def arrays_in_lanes(
        self, first: int, stop: int, texts: TextSource | None = None
    ) -> EventArrays:
        """The columns of the events in lanes ``first`` to ``stop - 1`` (by the index
        on lanes): what a big file's first frame shows."""
        if not self.has_lanes:
            return EventArrays.empty(texts if texts is not None else self.text_cache())
        with self._reading() as conn:
            row = conn.execute(
                "SELECT group_concat(id, ' ') FROM lanes WHERE lane >= ? AND lane < ?",
                (first, stop),
            ).fetchone()
        return self.arrays_for(_ids_text(row[0]).tolist(), texts)

    def text_cache(self) -> CachedTexts:
        """A cache of headlines and dates that fetches from this store."""
        return CachedTexts(self.texts)

    def texts(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """``{id: (headline, formatted date)}`` for these events (those that exist)."""
        out: dict[int, tuple[str, str]] = {}
        wanted = [int(i) for i in ids]
        with self._reading() as conn:
            for chunk in chunked(wanted):
                marks = ",".join(str(i) for i in chunk)
                rows = conn.execute(
                    f"SELECT id, title, start, end FROM events WHERE id IN ({marks})"
                ).fetchall()
                for id_, title, start, end in rows:
                    out[id_] = (title, _date_text(start, end))
        return out

    # -- search, tags and filters --------------------------------------------------

    def search_ids(self, text: str, among: Sequence[int] | None = None) -> np.ndarray:
        """Ids (sorted) of the events whose title or description match ``text``;
        every event for a text with no words.  Never raises for any text.

        ``among`` limits the answer to those ids (to keep a result up to date after an
        edit without searching everything again).
        """
        query = fts_query(text)
        if among is not None:
            if not among:
                return np.zeros(0, dtype=np.int64)
            marks = ",".join(str(int(i)) for i in among)
            if query is None:
                return self._ids_where(f"id IN ({marks})")
            sql = (
                "SELECT group_concat(rowid, ' ') FROM events_fts "
                f"WHERE events_fts MATCH ? AND rowid IN ({marks})"
            )
        elif query is None:
            return self._ids_where("")
        else:
            sql = "SELECT group_concat(rowid, ' ') FROM events_fts WHERE events_fts MATCH ?"
        with self._reading() as conn:
            try:
                row = conn.execute(sql, (query,)).fetchone()
            except sqlite3.OperationalError as exc:
                if "interrupt" in str(exc):
                    raise StoreError("the search was interrupted") from exc
                found = np.asarray(self.filtered_ids(Filters(text=text)), dtype=np.int64)
                if among is not None:
                    found = np.intersect1d(found, np.asarray(among, dtype=np.int64))
                return sorted_unique(found)
        return _ids_text(row[0])

    def _ids_where(self, where: str) -> np.ndarray:
        clause = f" WHERE {where}" if where else ""
        with self._reading() as conn:
            row = conn.execute(f"SELECT group_concat(id, ' ') FROM events{clause}").fetchone()
        return _ids_text(row[0])

    def prefix_terms(self, prefix: str) -> tuple[str, ...]:
        """The full-text index's terms that begin with ``prefix`` (as the index keeps
        them: lower case), from its vocabulary."""
        with self._reading() as conn:
            if not self._vocabulary:
                # a temporary table of this connection's own; a read-only store may make it
                if self.readonly:
                    conn.execute("PRAGMA query_only = OFF")
                try:
                    conn.execute(
                        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.events_vocab "
                        "USING fts5vocab(main, events_fts, row)"
                    )
                finally:
                    if self.readonly:
                        conn.execute("PRAGMA query_only = ON")
                self._vocabulary = True
            if not prefix:
                return ()
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            rows = conn.execute(
                "SELECT term FROM temp.events_vocab WHERE term >= ? AND term < ? ORDER BY term",
                (prefix, upper),
            ).fetchall()
        return tuple(r[0] for r in rows)

    def tagged_ids(self, tags: Iterable[str], among: Sequence[int] | None = None) -> np.ndarray:
        """Ids (sorted) of the events carrying any of ``tags`` (``among``: of those)."""
        names = sorted(set(tags))
        if not names or (among is not None and not among):
            return np.zeros(0, dtype=np.int64)
        marks = ",".join("?" * len(names))
        limit = ""
        if among is not None:
            limit = f" AND et.event_id IN ({','.join(str(int(i)) for i in among)})"
        with self._reading() as conn:
            row = conn.execute(
                "SELECT group_concat(et.event_id, ' ') FROM event_tags et JOIN tags t "
                f"ON t.id = et.tag_id WHERE t.name IN ({marks}){limit}",
                names,
            ).fetchone()
        return _ids_text(row[0])

    def filtered_ids(self, filters: Filters) -> list[int]:
        """Ids of the events passing ``filters``, in chronological order, by SQL.

        The views filter their columns with masks instead
        (:mod:`viewer.store.filtering`); this is the reference (and what the command
        line uses).
        """
        rows = self._run_filtered(
            "SELECT e.id FROM events e LEFT JOIN categories c ON c.id = e.category_id"
            "{where} ORDER BY e.start_pos, e.end_pos, e.id",
            filters,
        )
        return [r[0] for r in rows]

    def _where(self, filters: Filters) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        query = fts_query(filters.text)
        if query is not None:
            clauses.append("e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
            params.append(query)
        if filters.hidden_categories:
            hidden = sorted(filters.hidden_categories)
            named = [h for h in hidden if h]
            parts = []
            if named:
                marks = ",".join("?" * len(named))
                parts.append(f"(c.name IS NOT NULL AND c.name NOT IN ({marks}))")
                params.extend(named)
            else:
                parts.append("c.name IS NOT NULL")
            if "" not in filters.hidden_categories:
                parts.append("c.name IS NULL")
            clauses.append("(" + " OR ".join(parts) + ")")
        if filters.tags:
            marks = ",".join("?" * len(filters.tags))
            clauses.append(
                "e.id IN (SELECT et.event_id FROM event_tags et JOIN tags t "
                f"ON t.id = et.tag_id WHERE t.name IN ({marks}))"
            )
            params.extend(sorted(filters.tags))
        if filters.date_from is not None:
            clauses.append("e.end_pos > ?")
            params.append(filters.date_from.begin())
        if filters.date_to is not None:
            clauses.append("e.start_pos < ?")
            params.append(filters.date_to.finish())
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _run_filtered(self, sql: str, filters: Filters) -> list[tuple[Any, ...]]:
        where, params = self._where(filters)
        with self._reading() as conn:
            try:
                return conn.execute(sql.format(where=where), params).fetchall()
            except sqlite3.OperationalError:
                if not filters.text:
                    raise
            # FTS5 refused the query (should not happen once quoted): fall back to LIKE.
            like = Filters(
                hidden_categories=filters.hidden_categories,
                tags=filters.tags,
                date_from=filters.date_from,
                date_to=filters.date_to,
            )
            where, params = self._where(like)
            needle = (
                "%"
                + filters.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%"
            )
            extra = "(e.title LIKE ? ESCAPE '\\' OR e.description LIKE ? ESCAPE '\\')"
            where = f"{where} AND {extra}" if where else f" WHERE {extra}"
            return conn.execute(sql.format(where=where), [*params, needle, needle]).fetchall()
