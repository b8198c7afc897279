"""The event store: one SQLite file is one timeline document.

Every write goes through :meth:`EventStore.atomic`, which commits or rolls back as a
whole and nests with savepoints, so an import is all-or-nothing.  Listeners
registered with :meth:`EventStore.subscribe` are told after each outermost commit
which parts changed; views refresh from that instead of being poked by writers.

Opening is careful: a file that is not a SQLite database, is damaged, belongs to
another program or was written by a newer version is refused with a
:class:`StoreError` *before* anything is written, so it stays byte-for-byte as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from viewer.model.colors import CATEGORY_COLORS, category_color
from viewer.model.dates import PartialDate
from viewer.model.event import Category, Era, Event, Timeline
from viewer.model.filters import Filters
from viewer.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"


META_KEYS = ("title", "description", "source")


class StoreError(Exception):
    """A timeline file that cannot be opened or written, with a message for people."""


@dataclass(slots=True)
class EventColumns:
    """All (filtered) events as parallel columns sorted by start: cheap to build for 100k.

    The views draw and list from these; a full :class:`Event` is loaded only for the
    selected one.
    """

    ids: list[int] = field(default_factory=list)
    start: list[str] = field(default_factory=list)
    end: list[str | None] = field(default_factory=list)
    begin: list[float] = field(default_factory=list)
    finish: list[float] = field(default_factory=list)
    start_until: list[float] = field(default_factory=list)
    end_from: list[float] = field(default_factory=list)
    start_precision: list[int] = field(default_factory=list)
    end_precision: list[int | None] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import added, so that it can be undone."""

    event_ids: tuple[int, ...]
    created_categories: tuple[str, ...]
    created_eras: tuple[int, ...]
    meta_before: dict[str, str]


Listener = Callable[[frozenset[str]], None]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fts_query(text: str) -> str | None:
    """Turn anything a person types into a safe FTS5 query (``None``: match all).

    Each word becomes a quoted string, so FTS5 operators and punctuation lose their
    meaning; the last word matches as a prefix, for search-as-you-type.
    """
    # A NUL would end the query inside FTS5 ("unterminated string") and an unpaired
    # surrogate cannot be encoded for SQLite at all: treat either as a space.
    words = [w for w in re.split(r"[\s\x00\ud800-\udfff]+", text) if w]
    words = [w.replace('"', '""') for w in words]
    words = [w for w in words if re.search(r"\w", w)]
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


class EventStore:
    """A timeline document in an SQLite file (or ``":memory:"``)."""

    def __init__(self, conn: sqlite3.Connection, path: str, *, readonly: bool) -> None:
        self._conn = conn
        self.path = path
        self.readonly = readonly
        self._depth = 0
        self._pending: set[str] = set()
        self._listeners: list[Listener] = []

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, create: bool = True, readonly: bool = False
    ) -> EventStore:
        """Open (or create) a timeline file; see the module docstring for the checks."""
        name = os.fspath(path)
        if name == ":memory:":
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            store = cls(conn, name, readonly=False)
            store._prepare(new=True)
            return store
        p = Path(name)
        exists = p.exists()
        if exists:
            if p.is_dir():
                raise StoreError(f"{name} is a folder, not a timeline file")
            if not p.is_file():  # reading a FIFO's header would wait for a writer
                raise StoreError(f"{name} is not a timeline file (not a regular file)")
            _check_header(p)
            if not readonly and not os.access(p, os.W_OK):
                readonly = True
        elif not create or readonly:
            raise StoreError(f"{name} does not exist")
        else:
            if not p.parent.exists():
                raise StoreError(f"cannot create {name}: the folder {p.parent} does not exist")
        # A read-only store still opens "rw" (SQLite falls back to reading only when the
        # file is write-protected) and is guarded by ``PRAGMA query_only``: a "mode=ro"
        # connection of a WAL file creates -wal/-shm files and cannot delete them when it
        # closes, so they were left beside the file, even one that was refused.
        uri = p.resolve().as_uri() + ("?mode=rw" if exists else "")
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {name}: {exc}") from exc
        store = cls(conn, name, readonly=readonly)
        try:
            store._prepare(new=not exists)
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{name} is damaged or not a timeline file ({exc})") from exc
        return store

    def _prepare(self, *, new: bool) -> None:
        conn = self._conn
        name = self.path
        # Reads only, until every check has passed.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if not new:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
                raise StoreError(f"{name} is an SQLite database of another program")
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{name} was written by a newer Timeline Viewer (file version {version}, "
                    f"this version reads up to {SCHEMA_VERSION}); please upgrade"
                )
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise StoreError(f"{name} is damaged: {check}")
        conn.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            conn.execute("PRAGMA query_only = ON")
            if version < SCHEMA_VERSION:
                raise StoreError(
                    f"{name} is read-only and needs an upgrade to this version's format"
                )
            return
        if name != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        if version < SCHEMA_VERSION:
            with self.atomic():
                for migrate in MIGRATIONS[version:]:
                    migrate(conn)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._pending.clear()

    def close(self) -> None:
        if self._conn is not None:
            if not self.readonly and self.path != ":memory:":
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("PRAGMA optimize")
            self._conn.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and change notification --------------------------------------

    @contextlib.contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """A transaction (outermost) or savepoint (nested); rolls back on any error.

        What SQLite refuses (another program holds the file, the disk is full, text
        that is not valid Unicode) leaves the outermost level as a :class:`StoreError`.
        """
        if self.readonly:
            raise StoreError(f"{self.path} is read-only")
        conn = self._conn
        depth = self._depth
        pending_before = set(self._pending)  # restored if this savepoint rolls back
        if depth == 0:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:  # "database is locked"
                raise self._save_error(exc) from exc
        else:
            conn.execute(f"SAVEPOINT sp{depth}")
        self._depth += 1
        try:
            yield conn
        except BaseException as exc:
            self._depth -= 1
            # SQLite rolls a whole transaction back by itself after some errors (a full
            # disk): a second ROLLBACK would fail and hide the first error.
            if depth == 0:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                self._pending.clear()
                if isinstance(exc, sqlite3.Error | UnicodeEncodeError):
                    raise self._save_error(exc) from exc
            else:
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO sp{depth}")
                    conn.execute(f"RELEASE sp{depth}")
                self._pending = pending_before
            raise
        self._depth -= 1
        if depth == 0:
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                self._pending.clear()
                raise self._save_error(exc) from exc
            changed = frozenset(self._pending)
            self._pending.clear()
            if changed:
                for listener in list(self._listeners):
                    listener(changed)
        else:
            conn.execute(f"RELEASE sp{depth}")

    def _save_error(self, exc: Exception) -> StoreError:
        if isinstance(exc, UnicodeEncodeError):
            bad = exc.object[exc.start : exc.end]
            reason = f"the text holds {bad!r}, which is not valid Unicode"
        else:
            reason = str(exc)
        return StoreError(f"could not save to {self.path}: {reason}")

    def _touch(self, *parts: str) -> None:
        self._pending.update(parts)

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(parts)`` after each commit that changed ``parts``.

        ``parts`` is a subset of ``{"events", "categories", "tags", "meta", "eras"}``.
        """
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    # -- metadata ------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        """Title, description and source (always present, possibly empty)."""
        values = dict.fromkeys(META_KEYS, "")
        for key, value in self._conn.execute("SELECT key, value FROM meta"):
            values[key] = value
        return values

    def set_meta(self, **values: str) -> None:
        with self.atomic() as conn:
            for key, value in values.items():
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            self._touch("meta")

    @property
    def title(self) -> str:
        return self.meta()["title"]

    # -- categories ----------------------------------------------------------------

    def categories(self) -> list[Category]:
        return [
            Category(name, color, id_)
            for id_, name, color in self._conn.execute(
                "SELECT id, name, color FROM categories ORDER BY name COLLATE NOCASE"
            )
        ]

    def category(self, name: str) -> Category | None:
        row = self._conn.execute(
            "SELECT id, name, color FROM categories WHERE name = ?", (name,)
        ).fetchone()
        return Category(row[1], row[2], row[0]) if row else None

    def category_counts(self) -> tuple[list[tuple[Category, int]], int]:
        """Each category with its number of events, and the number without one."""
        counts = dict(
            self._conn.execute(
                "SELECT category_id, count(*) FROM events GROUP BY category_id"
            ).fetchall()
        )
        return (
            [(c, counts.get(c.id, 0)) for c in self.categories()],
            counts.get(None, 0),
        )

    def next_color(self) -> str:
        return _unused_color({c.color.lower() for c in self.categories()})

    def add_category(self, name: str, color: str | None = None) -> Category:
        name = name.strip()
        if not name:
            raise StoreError("a category needs a name")
        with self.atomic() as conn:
            if self.category(name) is not None:
                raise StoreError(f"there is already a category named {name!r}")
            color = color or self.next_color()
            cur = conn.execute("INSERT INTO categories(name, color) VALUES (?, ?)", (name, color))
            self._touch("categories")
            return Category(name, color, cur.lastrowid)

    def _category_id(self, name: str | None, *, create: bool = True) -> int | None:
        name = (name or "").strip()  # as add_category stores it; blank is no category
        if not name:
            return None
        found = self.category(name)
        if found is not None:
            return found.id
        if not create:
            raise StoreError(f"there is no category named {name!r}")
        return self.add_category(name).id

    def update_category(
        self, name: str, *, new_name: str | None = None, color: str | None = None
    ) -> None:
        with self.atomic() as conn:
            cat = self.category(name)
            if cat is None:
                raise StoreError(f"there is no category named {name!r}")
            if new_name is not None and new_name.strip() != name:
                new_name = new_name.strip()
                if not new_name:
                    raise StoreError("a category needs a name")
                if self.category(new_name) is not None:
                    raise StoreError(f"there is already a category named {new_name!r}")
                conn.execute("UPDATE categories SET name = ? WHERE id = ?", (new_name, cat.id))
            if color is not None:
                conn.execute("UPDATE categories SET color = ? WHERE id = ?", (color, cat.id))
            self._touch("categories", "events")

    def delete_category(self, name: str, *, reassign_to: str | None = None) -> list[int]:
        """Delete a category, moving its events to ``reassign_to`` (or to none).

        Returns the ids of the events that were in it, so the step can be undone.
        """
        with self.atomic() as conn:
            cat = self.category(name)
            if cat is None:
                raise StoreError(f"there is no category named {name!r}")
            target = self._category_id(reassign_to, create=False) if reassign_to else None
            if target == cat.id:
                raise StoreError("cannot move events to the category being deleted")
            ids = [
                r[0] for r in conn.execute("SELECT id FROM events WHERE category_id = ?", (cat.id,))
            ]
            conn.execute(
                "UPDATE events SET category_id = ?, updated = ? WHERE category_id = ?",
                (target, _now(), cat.id),
            )
            conn.execute("DELETE FROM categories WHERE id = ?", (cat.id,))
            self._touch("categories", "events")
            return ids

    def set_event_categories(self, ids: Iterable[int], name: str | None) -> None:
        with self.atomic() as conn:
            cat_id = self._category_id(name)
            conn.executemany(
                "UPDATE events SET category_id = ?, updated = ? WHERE id = ?",
                [(cat_id, _now(), i) for i in ids],
            )
            self._touch("events")

    # -- tags ----------------------------------------------------------------------

    def tag_counts(self) -> list[tuple[str, int]]:
        return list(
            self._conn.execute(
                "SELECT t.name, count(et.event_id) FROM tags t "
                "JOIN event_tags et ON et.tag_id = t.id GROUP BY t.id "
                "ORDER BY t.name COLLATE NOCASE"
            )
        )

    def _set_tags(self, event_id: int, tags: Sequence[str]) -> None:
        conn = self._conn
        conn.execute("DELETE FROM event_tags WHERE event_id = ?", (event_id,))
        for tag in dict.fromkeys(t.strip() for t in tags if t.strip()):
            conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
            conn.execute(
                "INSERT OR IGNORE INTO event_tags(event_id, tag_id) "
                "SELECT ?, id FROM tags WHERE name = ?",
                (event_id, tag),
            )

    def _drop_unused_tags(self) -> None:
        self._conn.execute(
            "DELETE FROM tags WHERE id NOT IN (SELECT DISTINCT tag_id FROM event_tags)"
        )

    # -- events --------------------------------------------------------------------

    def _event_values(self, event: Event, category_id: int | None) -> tuple[Any, ...]:
        return (
            event.title,
            event.description,
            event.start.iso(),
            event.end.iso() if event.end else None,
            event.begin,
            event.finish,
            event.start.finish(),
            (event.end or event.start).begin(),
            int(event.start.precision),
            int(event.end.precision) if event.end else None,
            category_id,
            event.source_url,
            event.display_date,
            json.dumps(event.extra, ensure_ascii=False, sort_keys=True),
        )

    def add_event(self, event: Event) -> int:
        """Insert an event (with its own id when it has one, as undo needs); its id."""
        with self.atomic():
            return self._insert_event(event, self._category_id(event.category))

    def _insert_event(self, event: Event, category_id: int | None) -> int:
        if not event.title.strip():
            raise StoreError("an event needs a headline")
        now = _now()
        cur = self._conn.execute(
            "INSERT INTO events(id, title, description, start, end, start_pos, end_pos, "
            "start_until, end_from, start_precision, end_precision, category_id, source_url, "
            "display_date, extra, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (event.id, *self._event_values(event, category_id), now, now),
        )
        event_id = int(cur.lastrowid or 0)
        if event.tags:
            self._set_tags(event_id, event.tags)
            self._touch("tags")
        self._touch("events")
        return event_id

    def add_events(self, events: Iterable[Event]) -> list[int]:
        with self.atomic():
            return [self.add_event(e) for e in events]

    def update_event(self, event: Event) -> None:
        if event.id is None:
            raise StoreError("cannot update an event that has no id")
        if not event.title.strip():
            raise StoreError("an event needs a headline")
        with self.atomic() as conn:
            values = self._event_values(event, self._category_id(event.category))
            cur = conn.execute(
                "UPDATE events SET title=?, description=?, start=?, end=?, start_pos=?, "
                "end_pos=?, start_until=?, end_from=?, start_precision=?, end_precision=?, "
                "category_id=?, source_url=?, display_date=?, extra=?, updated=? WHERE id=?",
                (*values, _now(), event.id),
            )
            if cur.rowcount == 0:
                raise StoreError(f"there is no event {event.id}")
            self._set_tags(event.id, event.tags)
            self._drop_unused_tags()
            self._touch("events", "tags")

    def delete_events(self, ids: Iterable[int]) -> list[Event]:
        """Delete events; returns them as they were, so undo can put them back."""
        with self.atomic() as conn:
            removed = self.get_events(ids)
            conn.executemany("DELETE FROM events WHERE id = ?", [(e.id,) for e in removed])
            self._drop_unused_tags()
            self._touch("events", "tags")
            return removed

    _SELECT_EVENT = (
        "SELECT e.id, e.title, e.description, e.start, e.end, c.name, e.source_url, "
        "e.display_date, e.extra FROM events e LEFT JOIN categories c ON c.id = e.category_id"
    )

    def _event_from_row(self, row: Sequence[Any]) -> Event:
        id_, title, description, start, end, category, source_url, display, extra = row
        tags = tuple(
            r[0]
            for r in self._conn.execute(
                "SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                "WHERE et.event_id = ? ORDER BY t.name COLLATE NOCASE",
                (id_,),
            )
        )
        return Event(
            title=title,
            start=PartialDate.from_iso(start),
            end=PartialDate.from_iso(end) if end else None,
            description=description,
            category=category,
            tags=tags,
            source_url=source_url,
            display_date=display,
            extra=json.loads(extra) if extra else {},
            id=id_,
        )

    def get_event(self, event_id: int) -> Event | None:
        row = self._conn.execute(self._SELECT_EVENT + " WHERE e.id = ?", (event_id,)).fetchone()
        return self._event_from_row(row) if row else None

    def get_events(self, ids: Iterable[int]) -> list[Event]:
        found = (self.get_event(i) for i in ids)
        return [e for e in found if e is not None]

    def events(self) -> list[Event]:
        """Every event, in chronological order."""
        rows = self._conn.execute(self._SELECT_EVENT + " ORDER BY e.start_pos, e.id").fetchall()
        return [self._event_from_row(r) for r in rows]

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def span(self) -> tuple[float, float] | None:
        row = self._conn.execute("SELECT min(start_pos), max(end_pos) FROM events").fetchone()
        return None if row[0] is None else (float(row[0]), float(row[1]))

    def span_dates(self) -> tuple[PartialDate, PartialDate] | None:
        """The earliest start and the latest end, as the events give them (exact)."""
        first = self._conn.execute(
            "SELECT start FROM events ORDER BY start_pos, start_precision LIMIT 1"
        ).fetchone()
        if first is None:
            return None
        last = self._conn.execute(
            "SELECT coalesce(end, start) FROM events ORDER BY end_pos DESC LIMIT 1"
        ).fetchone()
        return PartialDate.from_iso(first[0]), PartialDate.from_iso(last[0])

    # -- queries -------------------------------------------------------------------

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
        try:
            return self._conn.execute(sql.format(where=where), params).fetchall()
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
            return self._conn.execute(sql.format(where=where), [*params, needle, needle]).fetchall()

    def columns(self, filters: Filters | None = None) -> EventColumns:
        """The events passing ``filters`` as columns, in chronological order."""
        rows = self._run_filtered(
            "SELECT e.id, e.start, e.end, e.start_pos, e.end_pos, e.start_until, e.end_from, "
            "e.start_precision, e.end_precision, e.title, coalesce(c.name, '') FROM events e "
            "LEFT JOIN categories c ON c.id = e.category_id{where} ORDER BY e.start_pos, e.id",
            filters or Filters(),
        )
        if not rows:
            return EventColumns()
        cols = list(zip(*rows, strict=True))
        return EventColumns(*(list(c) for c in cols))

    def filtered_ids(self, filters: Filters) -> list[int]:
        rows = self._run_filtered(
            "SELECT e.id FROM events e LEFT JOIN categories c ON c.id = e.category_id"
            "{where} ORDER BY e.start_pos, e.id",
            filters,
        )
        return [r[0] for r in rows]

    def search(self, text: str) -> list[int]:
        """Ids of events whose title or description match ``text`` (never raises)."""
        return self.filtered_ids(Filters(text=text))

    def ids_in_range(self, x0: float, x1: float) -> list[int]:
        """Ids of events overlapping the axis span ``[x0, x1)`` (uses the index)."""
        return [
            r[0]
            for r in self._conn.execute(
                "SELECT id FROM events WHERE start_pos < ? AND end_pos > ? ORDER BY start_pos",
                (x1, x0),
            )
        ]

    # -- eras ----------------------------------------------------------------------

    def eras(self) -> list[Era]:
        return [
            Era(title, PartialDate.from_iso(s), PartialDate.from_iso(e), json.loads(extra))
            for title, s, e, extra in self._conn.execute(
                "SELECT title, start, end, extra FROM eras ORDER BY start_pos, id"
            )
        ]

    def _add_era(self, era: Era) -> int:
        cur = self._conn.execute(
            "INSERT INTO eras(title, start, end, start_pos, end_pos, extra) VALUES (?,?,?,?,?,?)",
            (
                era.title,
                era.start.iso(),
                era.end.iso(),
                era.start.begin(),
                era.end.finish(),
                json.dumps(era.extra, ensure_ascii=False, sort_keys=True),
            ),
        )
        self._touch("eras")
        return int(cur.lastrowid or 0)

    # -- whole documents -----------------------------------------------------------

    def import_timeline(
        self, timeline: Timeline, *, progress: Callable[[int, int], bool] | None = None
    ) -> ImportResult:
        """Add a whole timeline, all or nothing.

        Metadata is taken only where this document has none yet.  ``progress(done,
        total)`` may return ``False`` to cancel, which rolls everything back
        (:class:`ImportCancelled`).
        """
        with self.atomic() as conn:
            meta_before = self.meta()
            updates = {
                "title": timeline.title,
                "description": timeline.description,
                "source": timeline.source,
            }
            if timeline.extra:
                updates["extra"] = json.dumps(timeline.extra, ensure_ascii=False, sort_keys=True)
            new_meta = {k: v for k, v in updates.items() if v and not meta_before.get(k)}
            if new_meta:
                self.set_meta(**new_meta)
            known = self.categories()
            existing = {c.name for c in known}
            # Colours are picked here, not by add_category, which would look at every
            # category each time: quadratic for a file with thousands of groups.
            used = {c.color.lower() for c in known}
            created: list[str] = []
            # Names are stripped as add_category stores them (a blank one is no category).
            named = [(c.name.strip(), c.color) for c in timeline.categories]
            named += [((e.category or "").strip(), "") for e in timeline.events]
            for name, color in named:
                if name and name not in existing:
                    color = color or _unused_color(used)
                    self.add_category(name, color)
                    used.add(color.lower())
                    existing.add(name)
                    created.append(name)
            ids: list[int] = []
            total = len(timeline.events)
            category_ids = {c.name: c.id for c in self.categories()}
            for n, event in enumerate(timeline.events, 1):
                name = (event.category or "").strip()
                cat_id = category_ids[name] if name else None
                ids.append(self._insert_event(event.evolve(id=None), cat_id))
                report = progress is not None and (n % 500 == 0 or n == total)
                if report and progress is not None and progress(n, total) is False:
                    raise ImportCancelled("import cancelled; nothing was added")
            era_ids = tuple(self._add_era(era) for era in timeline.eras)
            conn.execute("PRAGMA optimize")
            return ImportResult(tuple(ids), tuple(created), era_ids, meta_before)

    def undo_import(self, result: ImportResult) -> None:
        """Take back exactly what :meth:`import_timeline` added."""
        with self.atomic() as conn:
            self.delete_events(result.event_ids)
            conn.executemany("DELETE FROM eras WHERE id = ?", [(i,) for i in result.created_eras])
            for name in result.created_categories:
                conn.execute(
                    "DELETE FROM categories WHERE name = ? AND id NOT IN "
                    "(SELECT category_id FROM events WHERE category_id IS NOT NULL)",
                    (name,),
                )
            conn.execute("DELETE FROM meta")
            for key, value in result.meta_before.items():
                if value:
                    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (key, value))
            self._touch("events", "categories", "meta", "eras", "tags")

    def export_timeline(self) -> Timeline:
        meta = self.meta()
        extra_text = self._conn.execute("SELECT value FROM meta WHERE key = 'extra'").fetchone()
        return Timeline(
            title=meta["title"],
            description=meta["description"],
            source=meta["source"],
            events=self.events(),
            categories=[Category(c.name, c.color) for c in self.categories()],
            eras=self.eras(),
            extra=json.loads(extra_text[0]) if extra_text else {},
        )

    def copy_to_memory(self) -> EventStore:
        """An editable in-memory copy (for snapshots: the file is only read)."""
        copy = EventStore.open(":memory:")
        self._conn.backup(copy._conn)
        return copy

    def backup_to(self, path: str | os.PathLike[str]) -> None:
        """A consistent copy of this document (SQLite's online backup API).

        On failure no partial copy is left behind, a file that was there before is
        left alone (it may be someone's document), and a :class:`StoreError` says why.
        """
        name = os.fspath(path)
        files = [name + suffix for suffix in ("", "-journal", "-wal", "-shm")]
        new_files = [f for f in files if not os.path.lexists(f)]  # only these are removed
        try:
            target = sqlite3.connect(name)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write {name}: {exc}") from exc
        try:
            self._conn.backup(target)
        except sqlite3.Error as exc:
            target.close()
            for file in new_files:
                with contextlib.suppress(OSError):
                    os.remove(file)
            raise StoreError(f"cannot write {name}: {exc}") from exc
        target.close()


class ImportCancelled(StoreError):
    """The person cancelled an import; the transaction was rolled back."""


def _unused_color(used: set[str]) -> str:
    """The first palette colour not in ``used`` (lower case), else a further one."""
    for color in CATEGORY_COLORS:
        if color not in used:
            return color
    return category_color(len(used))


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not head:
        raise StoreError(f"{path} is empty, not a timeline file")
    if head != SQLITE_HEADER:
        raise StoreError(f"{path} is not a timeline file (not an SQLite database)")
