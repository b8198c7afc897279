"""Whole timelines into the store, all or nothing, and the exact undo and redo of that.

:meth:`Imports.import_batches` takes a timeline's events in batches
(:class:`~viewer.store.batch.EventBatch`, streamed by a reader), so memory does not
grow with the file, inside one transaction: an error in a batch or a cancel from
``progress`` leaves the document as it was.  New events get the ids after the
highest there is, one after another; a big import is loaded in bulk (:class:`_Bulk`:
triggers and indexes are left for one pass at the end), and the lanes of a new
file's events are packed in a thread of their own (:class:`_Packing`) while SQLite
fills the full-text index.

:meth:`Imports.undo_import` takes back exactly what an import added, keeping it aside
(the connection's temporary ``trash_*`` tables, never in the file) so that
:meth:`Imports.redo_import` puts the same rows back: the same ids, lanes, tags, eras
and categories, whatever was added and removed meanwhile (it does not rely on SQLite
giving out the same ids again).  :meth:`Imports.forget_import` drops a copy that no
redo will use.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from viewer.model.event import Timeline
from viewer.model.lanes import default_lanes, default_scale
from viewer.store.batch import EventBatch, batches_of
from viewer.store.catalog import unused_color
from viewer.store.core import PATCH_LIMIT, StoreError, chunked, timestamp
from viewer.store.images import Images
from viewer.store.layout import derived, place, relayout_all, set_derived, set_lane

__all__ = [
    "BULK_LIMIT",
    "PLACE_LIMIT",
    "PROGRESS_EVERY",
    "ImportCancelled",
    "ImportResult",
    "Imports",
]

#: An import of more events than this packs every lane again at its end; fewer are
#: placed one by one among the lanes there are.
PLACE_LIMIT = 200
#: An import of at least so many events is loaded in bulk (see ``import_batches``).
BULK_LIMIT = 20_000
#: An import of events held in memory reports its progress every so many events.
PROGRESS_EVERY = 500

#: The temporary tables an undone import is kept in, by ``key``.
_IMAGE_COLUMNS = (
    "id, event_id, position, url, caption, credit, name, extra, size, digest, thumbnail, data"
)
_TRASH_TABLES = ("events", "lanes", "tags", "images", "eras", "categories")

Layout = tuple[float | None, float | None]


class ImportCancelled(StoreError):
    """The person cancelled an import; the transaction was rolled back."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import added, so that it can be undone (and redone, exactly).

    ``event_ids`` are the new events' ids (a ``range``: an import's ids follow on);
    ``key`` names the copy of them an undo keeps, for the redo.  An import that
    packed every lane again keeps the lanes the events had before it (``prior``
    names them).  ``layout`` is the layout's scale and longest mark before the import,
    which its undo gives back when the import packed every lane again or came into an
    empty document; ``layout_after`` those after it, which an undo records in the
    result it returns, for the redo.
    """

    event_ids: Sequence[int]
    created_categories: tuple[str, ...]
    created_eras: tuple[int, ...]
    meta_before: dict[str, str]
    key: int = 0
    prior: int = 0
    layout: Layout = (None, None)
    layout_after: Layout = (None, None)

    def __len__(self) -> int:
        return len(self.event_ids)


class Imports(Images):
    """Imports and their undo (a part of :class:`~viewer.store.EventStore`)."""

    def __init__(self, conn: sqlite3.Connection, path: str, *, readonly: bool) -> None:
        super().__init__(conn, path, readonly=readonly)
        self._trash_key = 0  # the last key given to what an undo keeps

    @contextlib.contextmanager
    def filling(self) -> Iterator[None]:
        """Around the first import into a file just made (``import``, ``generate``).

        The import is written to the file once, with a rollback journal, instead of
        to the write-ahead log and then again into the file; a crash meanwhile still
        loses nothing but the import (the journal rolls it back).  Afterwards the file
        is back in WAL mode.  Does nothing for a file with events or one that another
        connection has open.
        """
        conn = self._conn
        fresh = self.path != ":memory:" and not self.readonly and self.count() == 0
        switched = False
        if fresh:
            with contextlib.suppress(sqlite3.Error):
                mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
                switched = mode == "delete"
        try:
            yield
        finally:
            if switched:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA journal_mode = WAL")

    def import_timeline(
        self, timeline: Timeline, *, progress: Callable[[int, int], bool] | None = None
    ) -> ImportResult:
        """Add a whole timeline, all or nothing (see :meth:`import_batches`)."""
        events = timeline.events
        return self.import_batches(
            timeline, batches_of(events, PROGRESS_EVERY), total=len(events), progress=progress
        )

    def import_batches(
        self,
        header: Timeline,
        batches: Iterable[EventBatch],
        *,
        total: int | None = None,
        progress: Callable[[int, int], bool] | None = None,
    ) -> ImportResult:
        """Add a timeline whose events come in batches, all or nothing.

        ``header`` gives the title, description, source, extra, categories and eras;
        its ``events`` are not read, and a reader may fill in the rest while the
        batches are read (a title row at the end of a sheet): it is taken once they
        are all read.  Metadata is taken only where this document has none yet.  An
        error from ``batches`` (a reader finding a bad line) rolls everything back.
        ``progress(done, total)`` is called after each batch (``total``: the estimate
        given, or the count so far) and may return ``False`` to cancel, which rolls
        everything back (:class:`ImportCancelled`).

        An import of :data:`BULK_LIMIT` events or more (by ``total``) is loaded in
        bulk: the full-text index is filled once at the end, and into a file with
        fewer events than that the indexes are made again afterwards.
        """
        with self.atomic() as conn:
            meta_before = self.meta_with_extra()
            layout_before = self._layout()
            prior = 0
            known = self.categories()
            category_ids = {c.name: c.id for c in known}
            # Colours are picked here, not by add_category, which would look at every
            # category each time: quadratic for a file with thousands of groups.
            used = {c.color.lower() for c in known}
            created: list[str] = []

            def category_id(name: str, color: str = "") -> int | None:
                if not name:
                    return None
                found = category_ids.get(name)
                if found is None:
                    color = color or unused_color(used)
                    found = self.add_category(name, color).id
                    used.add(color.lower())
                    category_ids[name] = found
                    created.append(name)
                return found

            for c in header.categories:
                category_id(c.name.strip(), c.color)
            existing = self.count()
            bulk = (
                _Bulk(conn, drop_indexes=existing < (total or 0))
                if (total or 0) >= BULK_LIMIT
                else None
            )
            first: int | None = None
            last = 0
            done = 0
            now = timestamp()
            tagged = False
            positions: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
            for batch in batches:
                n = len(batch)
                if not n:
                    continue
                if any(not t.strip() for t in batch.title):
                    raise StoreError("an event needs a headline")
                cats = [category_id(name) for name in batch.category]
                ids = self._insert_rows(batch, cats, now)
                first = ids[0] if first is None else first
                last = ids[-1]
                if any(batch.tags):
                    tagged = True
                    self._insert_tags(ids, batch.tags)
                if batch.images:
                    self._insert_imported_images({ids[i]: v for i, v in batch.images.items()})
                if existing == 0:  # kept to lay the lanes out without reading them back
                    positions.append(
                        (
                            np.asarray(batch.start_pos, dtype=np.float64),
                            np.asarray(batch.end_pos, dtype=np.float64),
                            np.fromiter((e is not None for e in batch.end), bool, n),
                        )
                    )
                done += n
                if progress is not None and progress(done, max(total or 0, done)) is False:
                    raise ImportCancelled("import cancelled; nothing was added")
            new_ids = range(first, last + 1) if first is not None else range(0)
            if len(new_ids) != done:
                raise StoreError("the new events did not get consecutive ids")
            if existing == 0 and positions:
                begin, finish, rng = (np.concatenate(c) for c in zip(*positions, strict=True))
                assert first is not None and last is not None
                new_id_column = np.arange(first, last + 1, dtype=np.int64)
                # Packing (Python) runs while SQLite fills the full-text index (C, not
                # holding the GIL): on two cores the one hides the other.
                packing = _Packing(new_id_column, begin, finish, rng)
                if bulk is not None:
                    bulk.fill_index(new_ids)
                packing.write(conn)
                self._repacked = True
            else:
                if bulk is not None:
                    bulk.fill_index(new_ids)
                # (without the indexes, placing one by one would read everything)
                every = bulk is not None and bool(bulk.indexes)
                if new_ids and (every or len(new_ids) > PLACE_LIMIT):
                    # every lane changes: the lanes before are kept for an undo
                    prior = self._trash_key = self._trash_key + 1
                    self._ensure_trash()
                    conn.execute(
                        "INSERT INTO temp.trash_lanes SELECT ?, id, lane FROM lanes", (prior,)
                    )
                self._place_imported(new_ids, every=every)
            if bulk is not None:
                bulk.finish(new_ids)
            self._apply_header(header, meta_before)
            for c in header.categories:  # named by a reader only as it went
                category_id(c.name.strip(), c.color)
            era_ids = tuple(self._add_era(era) for era in header.eras)
            if tagged:
                self._touch("tags")
            if done > PATCH_LIMIT or (existing and done > PLACE_LIMIT):
                self._pending.all()  # (the lanes of the events there were changed too)
            else:
                self._touch_events(added=new_ids)
            conn.execute("PRAGMA optimize")
            return ImportResult(
                new_ids, tuple(created), era_ids, meta_before, prior=prior, layout=layout_before
            )

    def _apply_header(self, header: Timeline, meta_before: Mapping[str, str]) -> None:
        """Take the header's metadata where the document has none."""
        updates = {
            "title": header.title,
            "description": header.description,
            "source": header.source,
        }
        if header.extra:
            updates["extra"] = json.dumps(header.extra, ensure_ascii=False, sort_keys=True)
        new_meta = {k: v for k, v in updates.items() if v and not meta_before.get(k)}
        if new_meta:
            self.set_meta(**new_meta)

    def _insert_rows(self, batch: EventBatch, cats: list[int | None], now: str) -> list[int]:
        """Insert a batch (lanes still to place); the new ids, in order."""
        conn = self._conn
        n = len(batch)
        first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0]
        ids = list(range(first, first + n))
        conn.executemany(
            "INSERT INTO events(id, title, description, start, end, start_pos, end_pos, "
            "start_until, end_from, start_precision, end_precision, category_id, source_url, "
            "display_date, extra, qualifiers, notes, created, updated) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            zip(
                ids,
                batch.title,
                batch.description,
                batch.start,
                batch.end,
                batch.start_pos,
                batch.end_pos,
                batch.start_until,
                batch.end_from,
                batch.start_precision,
                batch.end_precision,
                cats,
                batch.source_url,
                batch.display_date,
                batch.extra,
                batch.qualifiers,
                batch.notes,
                [now] * n,
                [now] * n,
                strict=True,
            ),
        )
        return ids

    def _insert_tags(self, ids: Sequence[int], tags: Sequence[tuple[str, ...]]) -> None:
        conn = self._conn
        names = {t.strip() for ts in tags for t in ts if t.strip()}
        conn.executemany("INSERT OR IGNORE INTO tags(name) VALUES (?)", [(t,) for t in names])
        tag_id: dict[str, int] = {}
        for chunk in chunked(sorted(names)):
            marks = ",".join("?" * len(chunk))
            tag_id.update(conn.execute(f"SELECT name, id FROM tags WHERE name IN ({marks})", chunk))
        conn.executemany(
            "INSERT OR IGNORE INTO event_tags(event_id, tag_id) VALUES (?, ?)",
            [
                (event_id, tag_id[t.strip()])
                for event_id, ts in zip(ids, tags, strict=True)
                for t in ts
                if t.strip()
            ],
        )

    def _place_imported(self, ids: range, *, every: bool = False) -> None:
        """Lanes for just-imported events among those there were: placed one by one
        when they are few, else (or with ``every``) every lane is packed again."""
        if not ids:
            return
        conn = self._conn
        if every or len(ids) > PLACE_LIMIT:
            relayout_all(conn)
            self._repacked = True
            return
        rows = conn.execute(
            "SELECT id, start_pos, end_pos, end IS NOT NULL FROM events "
            "WHERE id BETWEEN ? AND ? ORDER BY start_pos, end_pos, id",
            (ids[0], ids[-1]),
        ).fetchall()
        for id_, begin, finish, rng in rows:
            lane = place(conn, begin, finish, bool(rng), event_id=id_)
            set_lane(conn, id_, lane)
            # (in the way of what a placer places later in this transaction)
            self._placed.append((begin, finish, bool(rng), lane))

    def _layout(self) -> Layout:
        """The layout's scale and longest mark, as ``derived`` keeps them."""
        return derived(self._conn, "layout_scale"), derived(self._conn, "max_extent")

    def _set_layout(self, layout: Layout) -> None:
        for name, value in zip(("layout_scale", "max_extent"), layout, strict=True):
            if value is None:
                self._conn.execute("DELETE FROM derived WHERE key = ?", (name,))
            else:
                set_derived(self._conn, name, value)

    # -- undo and redo -------------------------------------------------------------

    def undo_import(self, result: ImportResult) -> ImportResult:
        """Take back exactly what :meth:`import_batches` added.

        The events (with their ids, lanes and tags), eras and new categories are kept
        aside for this connection, so :meth:`redo_import` can put them back exactly;
        the result to give it is returned (and is what a later undo of the redone
        import takes again).
        """
        with self.atomic() as conn:
            key = self._trash_key = self._trash_key + 1
            lo, hi = (result.event_ids[0], result.event_ids[-1]) if result.event_ids else (0, -1)
            self._ensure_trash()
            layout_after = self._layout()
            conn.execute(
                "INSERT INTO temp.trash_events SELECT ?, * FROM events WHERE id BETWEEN ? AND ?",
                (key, lo, hi),
            )
            # the lanes it gave (every lane, when it packed them all again)
            conn.execute(
                "INSERT INTO temp.trash_lanes SELECT ?, id, lane FROM lanes "
                + ("" if result.prior else "WHERE id BETWEEN ? AND ?"),
                (key,) if result.prior else (key, lo, hi),
            )
            conn.execute(
                "INSERT INTO temp.trash_tags SELECT ?, et.event_id, t.name FROM event_tags et "
                "JOIN tags t ON t.id = et.tag_id WHERE et.event_id BETWEEN ? AND ?",
                (key, lo, hi),
            )
            conn.execute(
                "INSERT INTO temp.trash_images SELECT ?, * FROM images "
                "WHERE event_id BETWEEN ? AND ?",
                (key, lo, hi),
            )
            for era_id in result.created_eras:
                conn.execute(
                    "INSERT INTO temp.trash_eras SELECT ?, * FROM eras WHERE id = ?",
                    (key, era_id),
                )
            for name in result.created_categories:
                conn.execute(
                    "INSERT INTO temp.trash_categories SELECT ?, * FROM categories WHERE name = ?",
                    (key, name),
                )
            conn.execute("DELETE FROM events WHERE id BETWEEN ? AND ?", (lo, hi))
            conn.executemany("DELETE FROM eras WHERE id = ?", [(i,) for i in result.created_eras])
            for name in result.created_categories:
                conn.execute(
                    "DELETE FROM categories WHERE name = ? AND id NOT IN "
                    "(SELECT category_id FROM events WHERE category_id IS NOT NULL)",
                    (name,),
                )
            self._restore_meta(result.meta_before)
            self._drop_unused_tags()
            if result.prior:  # the lanes and layout there were before it
                self._restore_lanes(result.prior)
                self._set_layout(result.layout)
            elif self.count() == 0:
                self._set_layout(result.layout)
            self._touch("categories", "meta", "eras", "tags")
            if len(result.event_ids) > PATCH_LIMIT or result.prior:
                self._pending.all()
            else:
                self._touch_events(removed=result.event_ids)
        return replace(result, key=key, layout_after=layout_after)

    def redo_import(self, result: ImportResult, meta_after: Mapping[str, str]) -> None:
        """Put back what :meth:`undo_import` took (``result`` is what it returned).

        The events come back with their own ids: if another event has taken one of
        them meanwhile, nothing is put back and a :class:`StoreError` says so.
        """
        key = result.key
        with self.atomic() as conn:
            self._ensure_trash()
            conn.execute(
                "INSERT INTO categories(id, name, color) SELECT id, name, color "
                "FROM temp.trash_categories WHERE key = ?",
                (key,),
            )
            columns = (
                "id, title, description, start, end, start_pos, end_pos, start_until, "
                "end_from, start_precision, end_precision, category_id, source_url, "
                "display_date, extra, qualifiers, notes, created, updated"
            )
            conn.execute(
                f"INSERT INTO events({columns}) SELECT {columns} FROM temp.trash_events "
                "WHERE key = ?",
                (key,),
            )
            self._restore_lanes(key)
            if result.prior or self._layout()[0] is None:  # (its undo took them back)
                self._set_layout(result.layout_after)
            conn.execute(
                "INSERT OR IGNORE INTO tags(name) SELECT DISTINCT name FROM temp.trash_tags "
                "WHERE key = ?",
                (key,),
            )
            conn.execute(
                "INSERT INTO event_tags(event_id, tag_id) SELECT tt.event_id, t.id "
                "FROM temp.trash_tags tt JOIN tags t ON t.name = tt.name WHERE tt.key = ?",
                (key,),
            )
            conn.execute(
                f"INSERT INTO images({_IMAGE_COLUMNS}) SELECT {_IMAGE_COLUMNS} "
                "FROM temp.trash_images WHERE key = ?",
                (key,),
            )
            conn.execute(
                "INSERT INTO eras(id, title, start, end, start_pos, end_pos, extra) "
                "SELECT id, title, start, end, start_pos, end_pos, extra "
                "FROM temp.trash_eras WHERE key = ?",
                (key,),
            )
            for table in _TRASH_TABLES:
                conn.execute(f"DELETE FROM temp.trash_{table} WHERE key = ?", (key,))
            self._restore_meta(meta_after)
            self._touch("categories", "meta", "eras", "tags")
            if len(result.event_ids) > PATCH_LIMIT or result.prior:
                self._pending.all()
            else:
                self._touch_events(added=result.event_ids)

    def forget_import(self, result: ImportResult) -> None:
        """Drop what :meth:`undo_import` kept for a redo that will not come (and the
        lanes before a repacking import, which no undo will then give back)."""
        if not result.key:
            return
        with contextlib.suppress(sqlite3.Error):  # (a closed store keeps nothing)
            self._ensure_trash()
            for table in _TRASH_TABLES:
                self._conn.execute(f"DELETE FROM temp.trash_{table} WHERE key = ?", (result.key,))
            if result.prior:
                self._conn.execute("DELETE FROM temp.trash_lanes WHERE key = ?", (result.prior,))

    def _restore_lanes(self, key: int) -> None:
        """Give the events the lanes kept under ``key`` (for the events there are)."""
        self._conn.execute(
            "INSERT INTO lanes(id, lane) SELECT t.id, t.lane FROM temp.trash_lanes t "
            "JOIN events e ON e.id = t.id WHERE t.key = ? "
            "ON CONFLICT(id) DO UPDATE SET lane = excluded.lane",
            (key,),
        )

    def _restore_meta(self, values: Mapping[str, str]) -> None:
        conn = self._conn
        conn.execute("DELETE FROM meta")
        for key, value in values.items():
            if value:
                conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (key, value))

    def _ensure_trash(self) -> None:
        """Temporary tables (this connection's only, gone when it closes) that keep
        what an undone import took away."""
        conn = self._conn
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS trash_events AS SELECT 0 AS key, * FROM events WHERE 0"
        )
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS trash_tags (key INT, event_id INT, name TEXT)"
        )
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS trash_lanes (key INT, id INT, lane INT)")
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS trash_images AS SELECT 0 AS key, * FROM images WHERE 0"
        )
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS trash_eras AS SELECT 0 AS key, * FROM eras WHERE 0"
        )
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS trash_categories AS SELECT 0 AS key, * "
            "FROM categories WHERE 0"
        )


class _Bulk:
    """A big import inside its transaction: the per-row work of triggers and indexes
    is left for one pass at the end.

    While it runs, the full-text index's insert trigger and the tag counting trigger
    are dropped and FTS5's merging is paused; with ``drop_indexes`` (the file holds
    fewer events than come in) the indexes of ``events``, ``event_tags`` and
    ``lanes`` are dropped too.  :meth:`fill_index` fills the full-text index for the
    new ids in one statement and :meth:`finish` counts the tags again and makes the
    triggers and indexes again.  If the import fails instead, the rollback brings them
    all back: SQLite's schema changes are part of the transaction.  (Measured for a
    million rows: the trigger made the import 8 s slower, the indexes 3 s.)
    """

    _TRIGGERS = ("events_fts_insert", "event_tags_count_insert")

    def __init__(self, conn: sqlite3.Connection, *, drop_indexes: bool) -> None:
        self.conn = conn
        conn.execute("PRAGMA cache_size = -262144")  # 256 MB while it loads
        conn.execute("PRAGMA threads = 2")  # indexes are made sorting in two threads
        marks = ",".join("?" * len(self._TRIGGERS))
        self.triggers = conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
            self._TRIGGERS,
        ).fetchall()
        self.indexes: list[tuple[str, str]] = []
        if drop_indexes:
            self.indexes = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('events', 'event_tags', 'lanes')"
            ).fetchall()
        for name, _sql in self.triggers:
            conn.execute(f"DROP TRIGGER {name}")
        for name, _sql in self.indexes:
            conn.execute(f"DROP INDEX {name}")
        conn.execute("INSERT INTO events_fts(events_fts, rank) VALUES ('automerge', 0)")

    def fill_index(self, ids: range) -> None:
        """The full-text index of the new events, in one statement."""
        if ids:
            self.conn.execute(
                "INSERT INTO events_fts(rowid, title, description) "
                "SELECT id, title, description FROM events WHERE id BETWEEN ? AND ?",
                (ids[0], ids[-1]),
            )

    def finish(self, ids: range) -> None:
        """The indexes, the tags' counts and the triggers, made again."""
        conn = self.conn
        for _name, sql in self.indexes:
            conn.execute(sql)
        if ids:
            conn.execute(
                "UPDATE tags SET uses = (SELECT count(*) FROM event_tags WHERE tag_id = tags.id) "
                "WHERE id IN (SELECT DISTINCT tag_id FROM event_tags WHERE event_id BETWEEN ? "
                "AND ?)",
                (ids[0], ids[-1]),
            )
        conn.execute("INSERT INTO events_fts(events_fts, rank) VALUES ('automerge', 4)")
        for _name, sql in self.triggers:
            conn.execute(sql)
        conn.execute("PRAGMA cache_size = -2000")
        conn.execute("PRAGMA threads = 0")


class _Packing:
    """The default layout of a new file's events, packed in a thread of its own."""

    def __init__(
        self, ids: np.ndarray, begin: np.ndarray, finish: np.ndarray, is_range: np.ndarray
    ) -> None:
        self.columns = (ids, begin, finish, is_range)
        self.lanes: np.ndarray | None = None
        self.scale = default_scale(float(begin.min()), float(finish.max()))
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="import-lanes", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            _ids, begin, finish, rng = self.columns
            self.lanes = default_lanes(begin, finish, rng, self.scale)
        except BaseException as exc:
            self.error = exc

    def write(self, conn: sqlite3.Connection) -> None:
        """Wait for the packing, and write the lanes and the layout's scale."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.lanes is not None
        relayout_all(conn, self.columns, lanes=(self.lanes, self.scale))
