"""The event store: one SQLite file is one timeline document.

Every write goes through :meth:`EventStore.atomic`, which commits or rolls back as a
whole and nests with savepoints, so an import is all-or-nothing.  Listeners
registered with :meth:`EventStore.subscribe` are told after each outermost commit
what changed (a :class:`Change`: the parts, and which events were added, changed or
removed), so the views patch what they show instead of reading everything again.

Opening is careful: a file that is not a SQLite database, is damaged, belongs to
another program or was written by a newer version is refused with a
:class:`StoreError` *before* anything is written, so it stays byte-for-byte as it was.
A big file's full integrity check may be left to :meth:`EventStore.check_integrity`
(run beside the loading of its events): until it has passed, nothing is written.

Reads for the views are columnar (:meth:`EventStore.load_arrays`,
:meth:`EventStore.arrays_for`, :meth:`EventStore.search_ids`): numpy arrays, never a
Python object per event; headlines and dates come only for the events shown
(:meth:`EventStore.texts`).  Imports stream in batches (:meth:`EventStore.import_batches`)
and exports read row by row (:meth:`EventStore.iter_events`).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from viewer.model.colors import CATEGORY_COLORS, category_color
from viewer.model.dates import DateError, PartialDate, format_range
from viewer.model.event import Category, Era, Event, Timeline
from viewer.model.filters import Filters
from viewer.model.lanes import default_lanes, default_scale
from viewer.store.batch import EventBatch, batches_of
from viewer.store.bulk import read_columns
from viewer.store.columns import CachedTexts, EventArrays, TextSource, sorted_unique
from viewer.store.layout import (
    derived,
    note_extent,
    place,
    read_lanes,
    relayout_all,
    set_derived,
    set_lane,
)
from viewer.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"

META_KEYS = ("title", "description", "source")

#: A commit that touches more events than this reports ``Change.everything`` rather
#: than listing their ids (the views then read all the events again).
PATCH_LIMIT = 20_000
#: Files larger than this may leave their full integrity check for later
#: (:meth:`EventStore.check_integrity`); smaller ones are checked as they open.
DEFER_CHECK_BYTES = 64 * 1024 * 1024
#: An import of more events than this packs every lane again at its end; fewer are
#: placed one by one among the lanes there are.
PLACE_LIMIT = 200
#: An import of at least so many events is loaded in bulk (see ``import_batches``).
BULK_LIMIT = 20_000
#: An import of events held in memory reports its progress every so many events.
PROGRESS_EVERY = 500
#: Ids per ``IN (…)`` list (SQLite allows 32,766 parameters; smaller lists plan well).
_ID_CHUNK = 900


class StoreError(Exception):
    """A timeline file that cannot be opened or written, with a message for people."""


class ImportCancelled(StoreError):
    """The person cancelled an import; the transaction was rolled back."""


@dataclass(frozen=True, slots=True)
class Change:
    """What one commit changed.

    ``parts`` is a subset of ``{"events", "categories", "tags", "meta", "eras"}``.
    ``added``, ``changed`` and ``removed`` are event ids (an event changed and then
    deleted in the same commit is only ``removed``); ``everything`` means the events
    changed beyond what the ids say (a big import, a new layout of the lanes), so
    they should be read again.
    """

    parts: frozenset[str]
    added: frozenset[int] = frozenset()
    changed: frozenset[int] = frozenset()
    removed: frozenset[int] = frozenset()
    everything: bool = False

    def __contains__(self, part: object) -> bool:
        return part in self.parts

    @property
    def event_ids(self) -> frozenset[int]:
        """Every event id the change names."""
        return self.added | self.changed | self.removed


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import added, so that it can be undone (and redone, exactly).

    ``event_ids`` are the new events' ids (a ``range``: an import's ids follow on);
    ``key`` names the copy of them an undo keeps, for the redo.  An import that
    packed every lane again keeps the lanes the events had before it (``prior``
    names them) and ``layout`` is the layout's scale and longest mark before it (its
    undo gives both back) or, in what an undo returns, after it (for the redo).
    """

    event_ids: Sequence[int]
    created_categories: tuple[str, ...]
    created_eras: tuple[int, ...]
    meta_before: dict[str, str]
    key: int = 0
    prior: int = 0
    layout: tuple[float | None, float | None] = (None, None)

    def __len__(self) -> int:
        return len(self.event_ids)


Listener = Callable[[Change], None]
#: Places an event in the default layout from what the caller holds in memory:
#: ``(begin, finish, is_range, event_id, prefer, placed_so_far) -> lane``, or ``None``
#: to leave it to the store.  ``placed_so_far`` are ``(begin, finish, is_range,
#: lane)`` of the events this transaction placed already (not committed yet, so not
#: in the caller's view).
Placer = Callable[
    [float, float, bool, int | None, int | None, list[tuple[float, float, bool, int]]], int | None
]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def _chunks(ids: Sequence[int], size: int = _ID_CHUNK) -> Iterator[list[int]]:
    for a in range(0, len(ids), size):
        yield list(ids[a : a + size])


def _ids_text(text: str | None) -> np.ndarray:
    """Ids from a ``group_concat(id, ' ')`` (sorted, unique)."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return sorted_unique(np.fromstring(text, dtype=np.int64, sep=" "))


class _Pending:
    """What the open transaction changed, as a log that a savepoint can cut back."""

    def __init__(self) -> None:
        self.log: list[tuple[str, int]] = []  # ("part", 0) or ("added"/…, id)
        self.everything = False

    def mark(self) -> tuple[int, bool]:
        return len(self.log), self.everything

    def rollback(self, mark: tuple[int, bool]) -> None:
        del self.log[mark[0] :]
        self.everything = mark[1]

    def clear(self) -> None:
        self.log.clear()
        self.everything = False

    def parts(self, *parts: str) -> None:
        self.log.extend((p, -1) for p in parts)

    def events(self, kind: str, ids: Iterable[int]) -> None:
        if self.everything:
            return
        self.log.extend((kind, int(i)) for i in ids)
        if len(self.log) > 4 * PATCH_LIMIT:
            self.all()

    def all(self) -> None:
        """The events changed beyond listing (their ids are no longer kept)."""
        self.everything = True
        self.log = [entry for entry in self.log if entry[1] < 0]
        self.log.append(("events", -1))

    def change(self) -> Change | None:
        parts: set[str] = set()
        state: dict[int, str] = {}
        for kind, i in self.log:
            if i < 0:
                parts.add(kind)
                continue
            parts.add("events")
            before = state.get(i)
            if kind == "added":
                state[i] = "changed" if before == "removed" else "added"
            elif kind == "removed":
                if before == "added":
                    del state[i]
                else:
                    state[i] = "removed"
            elif before is None:
                state[i] = "changed"
        if not parts:
            return None
        everything = self.everything or len(state) > PATCH_LIMIT
        if everything:
            return Change(frozenset(parts), everything=True)
        groups: dict[str, set[int]] = {"added": set(), "changed": set(), "removed": set()}
        for i, kind in state.items():
            groups[kind].add(i)
        return Change(
            frozenset(parts),
            frozenset(groups["added"]),
            frozenset(groups["changed"]),
            frozenset(groups["removed"]),
        )


#: The columns :meth:`EventStore.load_arrays` reads, as SQL (never NULL).
_ARRAY_COLUMNS = {
    "ids": ("id", np.int64),
    "begin": ("start_pos", np.float64),
    "finish": ("end_pos", np.float64),
    "start_finish": ("start_until", np.float64),
    "end_begin": ("end_from", np.float64),
    "start_precision": ("start_precision", np.int8),
    "end_precision": ("coalesce(end_precision, start_precision)", np.int8),
    "is_range": ("end IS NOT NULL", np.bool_),
    "category": ("coalesce(category_id, -1)", np.int32),
}


class EventStore:
    """A timeline document in an SQLite file (or ``":memory:"``)."""

    def __init__(self, conn: sqlite3.Connection, path: str, *, readonly: bool) -> None:
        self._conn = conn
        self.path = path
        self.readonly = readonly
        self._depth = 0
        self._pending = _Pending()
        self._listeners: list[Listener] = []
        self._version = SCHEMA_VERSION
        self._unchecked = False  # the full integrity check is still to come
        self._trash_key = 0
        self._placer: Placer | None = None
        self._vocabulary = False  # the temporary fts5vocab table made
        self._placed: list[tuple[float, float, bool, int]] = []  # in this transaction
        self._repacked = False  # this transaction packed every lane again

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        readonly: bool = False,
        defer_check: bool = False,
    ) -> EventStore:
        """Open (or create) a timeline file; see the module docstring for the checks.

        ``defer_check``: a file bigger than :data:`DEFER_CHECK_BYTES` that needs no
        upgrade skips its full integrity check here; the caller runs
        :meth:`check_integrity` (from another thread, while it loads the events), and
        no write is allowed until that has passed.
        """
        name = os.fspath(path)
        if name == ":memory:":
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            store = cls(conn, name, readonly=False)
            store._prepare(new=True, defer_check=False)
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
            cls._create(p)
            exists = True
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
        defer = defer_check and exists and p.stat().st_size > DEFER_CHECK_BYTES
        try:
            store._prepare(new=not exists, defer_check=defer)
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{name} is damaged or not a timeline file ({exc})") from exc
        return store

    @classmethod
    def _create(cls, path: Path) -> None:
        """Make a new, empty timeline file at ``path``, whole or not at all.

        It is made beside it under a name of its own and linked into place once it has
        its schema: a process killed meanwhile leaves no empty file at ``path``, which
        would be no timeline file (a stray hidden file at worst).
        """
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
        try:
            conn = sqlite3.connect(tmp, isolation_level=None, check_same_thread=False)
            store = cls(conn, os.fspath(tmp), readonly=False)
            try:
                store._prepare(new=True, defer_check=False)
            finally:
                store.close()
            try:
                os.link(tmp, path)  # (fails if something is at ``path`` now)
            except FileExistsError:
                raise StoreError(f"cannot create {path}: it was made meanwhile") from None
            except OSError:  # a file system without hard links
                if path.exists():
                    raise StoreError(f"cannot create {path}: it was made meanwhile") from None
                os.rename(tmp, path)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot create {path}: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot create {path}: {exc.strerror or exc}") from exc
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    os.remove(os.fspath(tmp) + suffix)

    def _prepare(self, *, new: bool, defer_check: bool) -> None:
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
            upgrade = version < SCHEMA_VERSION and not self.readonly
            # (a file not in WAL mode is checked now: making it WAL, below, writes to
            # its header, and nothing is written before the check has passed)
            in_wal = conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            if defer_check and not upgrade and (in_wal or self.readonly):
                self._unchecked = True
            else:
                check = conn.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise StoreError(f"{name} is damaged: {check}")
        conn.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            conn.execute("PRAGMA query_only = ON")
            if 0 < version < 2:
                # An older file we may not upgrade is read as it is: its events have no
                # lanes yet (the views place them) and its tags no counts.
                self._version = version
            elif version < SCHEMA_VERSION:
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

    def check_integrity(self) -> None:
        """Run the full integrity check that :meth:`open` left for later.

        Safe to call from another thread (it reads through a connection of its own).
        Raises :class:`StoreError` if the file is damaged; until it has passed, every
        write is refused.
        """
        if not self._unchecked:
            return
        uri = Path(self.path).resolve().as_uri() + "?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            try:
                check = conn.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path} is damaged or not a timeline file ({exc})") from exc
        if check != "ok":
            raise StoreError(f"{self.path} is damaged: {check}")
        self._unchecked = False

    @property
    def checked(self) -> bool:
        """Whether the file has passed its full integrity check."""
        return not self._unchecked

    @property
    def has_lanes(self) -> bool:
        """Whether the file keeps the default layout's lanes (older ones do not)."""
        return self._version >= 2

    def close(self) -> None:
        if self._conn is not None:
            if not self.readonly and self.path != ":memory:" and not self._unchecked:
                # (optimize may write statistics: not into a file not known to be sound)
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
        if self._unchecked:
            raise StoreError(f"{self.path} is still being checked; try again in a moment")
        conn = self._conn
        depth = self._depth
        mark = self._pending.mark()  # cut back to this if this savepoint rolls back
        if depth == 0:
            self._placed.clear()
            self._repacked = False
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
                self._pending.rollback(mark)
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
            change = self._pending.change()
            self._pending.clear()
            if change is not None:
                for listener in list(self._listeners):
                    listener(change)
        else:
            conn.execute(f"RELEASE sp{depth}")

    def _save_error(self, exc: Exception) -> StoreError:
        if isinstance(exc, UnicodeEncodeError):
            bad = exc.object[exc.start : exc.end]
            reason = f"the text holds {bad!r}, which is not valid Unicode"
        else:
            reason = str(exc)
        return StoreError(f"could not save to {self.path}: {reason}")

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction for several queries (a consistent snapshot), and any
        driver error as a :class:`StoreError`."""
        conn = self._conn
        own = not conn.in_transaction
        try:
            if own:
                conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if own and conn.in_transaction:
                    conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"could not read {self.path}: {exc}") from exc

    def _touch(self, *parts: str) -> None:
        self._pending.parts(*parts)

    def _touch_events(
        self,
        added: Iterable[int] = (),
        changed: Iterable[int] = (),
        removed: Iterable[int] = (),
    ) -> None:
        pending = self._pending
        pending.parts("events")
        pending.events("added", added)
        pending.events("changed", changed)
        pending.events("removed", removed)

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(change)`` after each commit that changed something
        (see :class:`Change`)."""
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
        """Rename and/or recolour a category (its events keep it: they name its id)."""
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
            self._touch("categories")

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
            self._touch("categories")
            self._touch_events(changed=ids)
            return ids

    def set_event_categories(self, ids: Iterable[int], name: str | None) -> None:
        with self.atomic() as conn:
            cat_id = self._category_id(name)
            ids = list(ids)
            now = _now()
            conn.executemany(
                "UPDATE events SET category_id = ?, updated = ? WHERE id = ?",
                [(cat_id, now, i) for i in ids],
            )
            self._touch_events(changed=ids)

    # -- tags ----------------------------------------------------------------------

    def tag_counts(self) -> list[tuple[str, int]]:
        """Each tag in use with its number of events, by name."""
        if not self.has_lanes:  # an older file: no counts kept
            return list(
                self._conn.execute(
                    "SELECT t.name, count(et.event_id) FROM tags t "
                    "JOIN event_tags et ON et.tag_id = t.id GROUP BY t.id "
                    "ORDER BY t.name COLLATE NOCASE"
                )
            )
        return list(
            self._conn.execute(
                "SELECT name, uses FROM tags WHERE uses > 0 ORDER BY name COLLATE NOCASE"
            )
        )

    def _tags_of(self, event_id: int) -> tuple[str, ...]:
        return tuple(
            r[0]
            for r in self._conn.execute(
                "SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                "WHERE et.event_id = ? ORDER BY t.name COLLATE NOCASE",
                (event_id,),
            )
        )

    def _set_tags(self, event_id: int, tags: Sequence[str]) -> bool:
        """Give an event exactly these tags; whether that changed its tags."""
        wanted = tuple(dict.fromkeys(t.strip() for t in tags if t.strip()))
        conn = self._conn
        had = self._tags_of(event_id)
        if sorted(had) == sorted(wanted):
            return False
        conn.execute("DELETE FROM event_tags WHERE event_id = ?", (event_id,))
        for tag in wanted:
            conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
            conn.execute(
                "INSERT OR IGNORE INTO event_tags(event_id, tag_id) "
                "SELECT ?, id FROM tags WHERE name = ?",
                (event_id, tag),
            )
        return True

    def _drop_unused_tags(self) -> None:
        self._conn.execute("DELETE FROM tags WHERE uses <= 0")

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

    def set_placer(self, placer: Placer | None) -> None:
        """Place events with ``placer`` (a view holding every event in memory) rather
        than by asking SQLite for their neighbours, which costs more the more events
        crowd there."""
        self._placer = placer

    def _lane_for(self, event: Event, *, prefer: int | None, event_id: int | None) -> int:
        begin, finish, rng = event.begin, event.finish, event.is_range
        lane = None
        if self._placer is not None and not self._repacked:
            # (the placer's lanes are those before this transaction: not after a repack)
            lane = self._placer(begin, finish, rng, event_id, prefer, self._placed)
            if lane is not None:
                note_extent(self._conn, begin, finish, rng)
        if lane is None:
            lane = place(self._conn, begin, finish, rng, event_id=event_id, prefer=prefer)
        self._placed.append((begin, finish, rng, lane))
        return lane

    def add_event(self, event: Event, *, lane: int | None = None) -> int:
        """Insert an event (with its own id when it has one, as undo needs); its id.

        ``lane`` is kept if the event fits there (undo gives back the lane it had),
        else it takes the lowest free lane.
        """
        with self.atomic():
            return self._insert_event(event, self._category_id(event.category), lane)

    def _insert_event(self, event: Event, category_id: int | None, lane: int | None) -> int:
        if not event.title.strip():
            raise StoreError("an event needs a headline")
        now = _now()
        placed = self._lane_for(event, prefer=lane, event_id=None)
        cur = self._conn.execute(
            "INSERT INTO events(id, title, description, start, end, start_pos, end_pos, "
            "start_until, end_from, start_precision, end_precision, category_id, source_url, "
            "display_date, extra, created, updated) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (event.id, *self._event_values(event, category_id), now, now),
        )
        event_id = int(cur.lastrowid or 0)
        set_lane(self._conn, event_id, placed)
        if event.tags and self._set_tags(event_id, event.tags):
            self._touch("tags")
        self._touch_events(added=[event_id])
        return event_id

    def add_events(self, events: Iterable[Event]) -> list[int]:
        with self.atomic():
            return [self.add_event(e) for e in events]

    def update_event(self, event: Event, *, lane: int | None = None) -> None:
        """Write an event over the one with its id.

        It keeps its lane if it still fits there (or ``lane``, as undo asks), else it
        takes the lowest free lane.
        """
        if event.id is None:
            raise StoreError("cannot update an event that has no id")
        if not event.title.strip():
            raise StoreError("an event needs a headline")
        with self.atomic() as conn:
            if conn.execute("SELECT 1 FROM events WHERE id = ?", (event.id,)).fetchone() is None:
                raise StoreError(f"there is no event {event.id}")
            prefer = lane if lane is not None else self.lanes_of([event.id]).get(event.id)
            values = self._event_values(event, self._category_id(event.category))
            placed = self._lane_for(event, prefer=prefer, event_id=event.id)
            conn.execute(
                "UPDATE events SET title=?, description=?, start=?, end=?, start_pos=?, "
                "end_pos=?, start_until=?, end_from=?, start_precision=?, end_precision=?, "
                "category_id=?, source_url=?, display_date=?, extra=?, updated=? WHERE id=?",
                (*values, _now(), event.id),
            )
            set_lane(conn, event.id, placed)
            if self._set_tags(event.id, event.tags):
                self._drop_unused_tags()
                self._touch("tags")
            self._touch_events(changed=[event.id])

    def delete_events(self, ids: Iterable[int]) -> list[Event]:
        """Delete events; returns them as they were (each once, however often named),
        so undo can put them back."""
        with self.atomic() as conn:
            removed = self.get_events(dict.fromkeys(int(i) for i in ids))
            gone = [e.id for e in removed if e.id is not None]
            conn.executemany("DELETE FROM events WHERE id = ?", [(i,) for i in gone])
            if any(e.tags for e in removed):
                self._drop_unused_tags()
                self._touch("tags")
            self._touch_events(removed=gone)
            return removed

    def lanes_of(self, ids: Iterable[int]) -> dict[int, int]:
        """The default layout's lane of each of these events (undo keeps them)."""
        out: dict[int, int] = {}
        if not self.has_lanes:
            return out
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            out.update(
                self._conn.execute(f"SELECT id, lane FROM lanes WHERE id IN ({marks})", chunk)
            )
        return out

    def layout_scale(self) -> float | None:
        """Pixels per second of the default layout (``None``: no events yet)."""
        if not self.has_lanes:
            return None
        return derived(self._conn, "layout_scale")

    _SELECT_EVENT = (
        "SELECT e.id, e.title, e.description, e.start, e.end, c.name, e.source_url, "
        "e.display_date, e.extra FROM events e LEFT JOIN categories c ON c.id = e.category_id"
    )

    def _event_from_row(self, row: Sequence[Any], tags: tuple[str, ...] | None = None) -> Event:
        id_, title, description, start, end, category, source_url, display, extra = row
        return Event(
            title=title,
            start=PartialDate.from_iso(start),
            end=PartialDate.from_iso(end) if end else None,
            description=description,
            category=category,
            tags=self._tags_of(id_) if tags is None else tags,
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

    def iter_events(self) -> Iterator[Event]:
        """Every event, in chronological order, one at a time (memory stays flat).

        Reads inside one read transaction, so a write elsewhere meanwhile is not seen
        half done.
        """
        tags = (
            "(SELECT group_concat(name, char(31)) FROM (SELECT t.name AS name FROM "
            "event_tags et JOIN tags t ON t.id = et.tag_id WHERE et.event_id = e.id "
            "ORDER BY t.name COLLATE NOCASE))"
        )
        sql = self._SELECT_EVENT.replace(" FROM events e", f", {tags} FROM events e")
        with self._reading() as conn:
            cur = conn.execute(sql + " ORDER BY e.start_pos, e.id")
            while rows := cur.fetchmany(1000):
                for row in rows:
                    names = row[9]
                    yield self._event_from_row(row[:9], tuple(names.split("\x1f")) if names else ())

    def events(self) -> list[Event]:
        """Every event, in chronological order."""
        return list(self.iter_events())

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def span(self) -> tuple[float, float] | None:
        """``(first begin, last finish)`` in axis seconds.

        Two queries, each answered from its index: SQLite reads one end of an index
        for a lone ``min`` or ``max``, but scans every row for both in one query.
        """
        conn = self._conn
        first = conn.execute("SELECT min(start_pos) FROM events").fetchone()[0]
        if first is None:
            return None
        last = conn.execute("SELECT max(end_pos) FROM events").fetchone()[0]
        return float(first), float(last)

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

    # -- columns for the views -----------------------------------------------------

    def _read_arrays(
        self, conn: sqlite3.Connection, where: str = "", texts: TextSource | None = None
    ) -> dict[str, np.ndarray]:
        """The columns of the events ``where`` selects, their lanes included."""
        cols = read_columns(conn, _ARRAY_COLUMNS, where=where)
        if self.has_lanes:
            cols["lane"] = read_lanes(conn, cols["ids"], where=where)
        return cols

    def load_arrays(self, texts: TextSource | None = None) -> EventArrays:
        """Every event as numpy columns (see :mod:`viewer.store.bulk`), sorted.

        ``texts`` is where the arrays' ``titles`` and ``dates`` come from (default:
        this store, through a cache).  May be called from another thread than the
        one that opened the store only through a store of its own
        (:meth:`reader`).
        """
        with self._reading() as conn:
            cols = self._read_arrays(conn)
        return EventArrays.from_columns(cols, texts if texts is not None else self.text_cache())

    def arrays_for(self, ids: Iterable[int], texts: TextSource | None = None) -> EventArrays:
        """The columns of just these events (those that exist), sorted."""
        wanted = sorted({int(i) for i in ids})
        parts: list[dict[str, np.ndarray]] = []
        with self._reading() as conn:
            for chunk in _chunks(wanted):
                marks = ",".join(str(i) for i in chunk)  # ints: nothing to escape
                parts.append(self._read_arrays(conn, where=f"id IN ({marks})"))
        if not parts:
            return EventArrays.empty(texts if texts is not None else self.text_cache())
        cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        return EventArrays.from_columns(
            cols, texts if texts is not None else self.text_cache(), check=False
        )

    def text_cache(self) -> CachedTexts:
        """A cache of headlines and dates that fetches from this store."""
        return CachedTexts(self.texts)

    def texts(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """``{id: (headline, formatted date)}`` for these events (those that exist)."""
        out: dict[int, tuple[str, str]] = {}
        wanted = [int(i) for i in ids]
        with self._reading() as conn:
            for chunk in _chunks(wanted):
                marks = ",".join(str(i) for i in chunk)
                rows = conn.execute(
                    f"SELECT id, title, start, end FROM events WHERE id IN ({marks})"
                ).fetchall()
                for id_, title, start, end in rows:
                    out[id_] = (title, _date_text(start, end))
        return out

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

    def lane_count(self) -> int:
        """How many lanes the default layout uses (by the index on lanes)."""
        if not self.has_lanes:
            return 0
        row = self._conn.execute("SELECT max(lane) FROM lanes").fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    def category_keys_counted(self) -> list[tuple[int | None, int]]:
        """``(category id or None, number of events)`` for each category in use."""
        return self._conn.execute(
            "SELECT category_id, count(*) FROM events GROUP BY category_id"
        ).fetchall()

    def prefix_terms(self, prefix: str) -> tuple[str, ...]:
        """The full-text index's terms that begin with ``prefix`` (as the index keeps
        them: lower case), from its vocabulary."""
        conn = self._conn
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
        with self._reading():
            rows = conn.execute(
                "SELECT term FROM temp.events_vocab WHERE term >= ? AND term < ? ORDER BY term",
                (prefix, upper),
            ).fetchall()
        return tuple(r[0] for r in rows)

    def interrupt(self) -> None:
        """Stop the query this store's connection runs now (from another thread)."""
        with contextlib.suppress(sqlite3.Error):
            self._conn.interrupt()

    def _ids_where(self, where: str) -> np.ndarray:
        clause = f" WHERE {where}" if where else ""
        with self._reading() as conn:
            row = conn.execute(f"SELECT group_concat(id, ' ') FROM events{clause}").fetchone()
        return _ids_text(row[0])

    def reader(self) -> EventStore:
        """A read-only store of the same file on a connection of its own (for another
        thread); an in-memory store gives itself."""
        if self.path == ":memory:":
            return self
        store = EventStore.open(self.path, create=False, readonly=True, defer_check=True)
        store._version = self._version
        return store

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

    def filtered_ids(self, filters: Filters) -> list[int]:
        """Ids of the events passing ``filters``, in chronological order, by SQL.

        The views filter their columns with masks instead; this is the reference
        (and what the command line uses).
        """
        rows = self._run_filtered(
            "SELECT e.id FROM events e LEFT JOIN categories c ON c.id = e.category_id"
            "{where} ORDER BY e.start_pos, e.end_pos, e.id",
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

    def era_spans(self) -> list[tuple[str, float, float]]:
        """``(title, begin, finish)`` of each era in axis seconds, for drawing."""
        return [
            (title, float(a), float(b))
            for title, a, b in self._conn.execute(
                "SELECT title, start_pos, end_pos FROM eras ORDER BY start_pos, id"
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
                    color = color or _unused_color(used)
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
            now = _now()
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
                ids = np.arange(first, last + 1, dtype=np.int64)
                # Packing (Python) runs while SQLite fills the full-text index (C, not
                # holding the GIL): on two cores the one hides the other.
                packing = _Packing(ids, begin, finish, rng)
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
            "display_date, extra, created, updated) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
        for chunk in _chunks(sorted(names)):
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

    def _layout(self) -> tuple[float | None, float | None]:
        """The layout's scale and longest mark, as ``derived`` keeps them."""
        return derived(self._conn, "layout_scale"), derived(self._conn, "max_extent")

    def _set_layout(self, layout: tuple[float | None, float | None]) -> None:
        for name, value in zip(("layout_scale", "max_extent"), layout, strict=True):
            if value is None:
                self._conn.execute("DELETE FROM derived WHERE key = ?", (name,))
            else:
                set_derived(self._conn, name, value)

    def undo_import(self, result: ImportResult) -> ImportResult:
        """Take back exactly what :meth:`import_batches` added.

        The events (with their ids, lanes and tags), eras and new categories are kept
        aside for this connection, so :meth:`redo_import` can put them back exactly;
        the result to give it is returned.
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
        return replace(result, key=key, layout=layout_after)

    def _restore_lanes(self, key: int) -> None:
        """Give the events the lanes kept under ``key`` (for the events there are)."""
        self._conn.execute(
            "INSERT INTO lanes(id, lane) SELECT t.id, t.lane FROM temp.trash_lanes t "
            "JOIN events e ON e.id = t.id WHERE t.key = ? "
            "ON CONFLICT(id) DO UPDATE SET lane = excluded.lane",
            (key,),
        )

    def redo_import(self, result: ImportResult, meta_after: Mapping[str, str]) -> None:
        """Put back what :meth:`undo_import` took (``result`` is what it returned)."""
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
                "display_date, extra, created, updated"
            )
            conn.execute(
                f"INSERT INTO events({columns}) SELECT {columns} FROM temp.trash_events "
                "WHERE key = ?",
                (key,),
            )
            self._restore_lanes(key)
            if result.prior or self._layout()[0] is None:  # (its undo took them back)
                self._set_layout(result.layout)
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
                "INSERT INTO eras(id, title, start, end, start_pos, end_pos, extra) "
                "SELECT id, title, start, end, start_pos, end_pos, extra "
                "FROM temp.trash_eras WHERE key = ?",
                (key,),
            )
            for table in ("events", "lanes", "tags", "eras", "categories"):
                conn.execute(f"DELETE FROM temp.trash_{table} WHERE key = ?", (key,))
            self._restore_meta(meta_after)
            self._touch("categories", "meta", "eras", "tags")
            if len(result.event_ids) > PATCH_LIMIT or result.prior:
                self._pending.all()
            else:
                self._touch_events(added=result.event_ids)

    def forget_import(self, result: ImportResult) -> None:
        """Drop what :meth:`undo_import` kept for a redo that will not come."""
        if not result.key or self._conn is None:
            return
        with contextlib.suppress(sqlite3.Error):
            self._ensure_trash()
            for table in ("events", "lanes", "tags", "eras", "categories"):
                self._conn.execute(f"DELETE FROM temp.trash_{table} WHERE key = ?", (result.key,))
            if result.prior:
                self._conn.execute("DELETE FROM temp.trash_lanes WHERE key = ?", (result.prior,))

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
            "CREATE TEMP TABLE IF NOT EXISTS trash_eras AS SELECT 0 AS key, * FROM eras WHERE 0"
        )
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS trash_categories AS SELECT 0 AS key, * "
            "FROM categories WHERE 0"
        )

    def _restore_meta(self, values: Mapping[str, str]) -> None:
        conn = self._conn
        conn.execute("DELETE FROM meta")
        for key, value in values.items():
            if value:
                conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (key, value))

    def meta_with_extra(self) -> dict[str, str]:
        """Every metadata value, ``extra`` included (what an undo of an import restores)."""
        return dict(self._conn.execute("SELECT key, value FROM meta").fetchall())

    def timeline_header(self) -> Timeline:
        """The document without its events: title, categories, eras, extra."""
        meta = self.meta()
        extra_text = self._conn.execute("SELECT value FROM meta WHERE key = 'extra'").fetchone()
        return Timeline(
            title=meta["title"],
            description=meta["description"],
            source=meta["source"],
            events=[],
            categories=[Category(c.name, c.color) for c in self.categories()],
            eras=self.eras(),
            extra=json.loads(extra_text[0]) if extra_text else {},
        )

    def export_timeline(self) -> Timeline:
        """The whole document in memory (see :meth:`iter_events` for big ones)."""
        timeline = self.timeline_header()
        timeline.events = self.events()
        return timeline

    def copy_to_memory(self) -> EventStore:
        """An editable in-memory copy (for snapshots: the file is only read)."""
        copy = EventStore.open(":memory:")
        self._conn.backup(copy._conn)
        version = copy._conn.execute("PRAGMA user_version").fetchone()[0]
        if version < SCHEMA_VERSION:  # an older read-only file: bring the copy up to date
            copy._conn.execute("PRAGMA user_version = 0")
            copy._conn.close()
            copy = EventStore.open(":memory:")
            self._conn.backup(copy._conn)
            with copy.atomic() as conn:
                for migrate in MIGRATIONS[version:]:
                    migrate(conn)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            copy._pending.clear()
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


class _Bulk:
    """A big import inside its transaction: the per-row work of triggers and indexes
    is left for one pass at the end.

    While it runs, the full-text index's insert trigger and the tag counting trigger
    are dropped and FTS5's merging is paused; with ``drop_indexes`` (the file holds
    fewer events than come in) the indexes of ``events`` and ``event_tags`` are
    dropped too.  :meth:`finish` fills the full-text index for the new ids in one
    statement, counts the tags again, and makes the triggers and indexes again.  If
    the import fails instead, the rollback brings them all back: SQLite's schema
    changes are part of the transaction.  (Measured for a million rows: the trigger
    made the import 8 s slower, the indexes 3 s.)
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
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.lanes is not None
        relayout_all(conn, self.columns, lanes=(self.lanes, self.scale))


def _date_text(start: str, end: str | None) -> str:
    """The formatted date of stored ISO text (the text itself if it does not parse)."""
    try:
        return format_range(PartialDate.from_iso(start), PartialDate.from_iso(end) if end else None)
    except DateError:
        return start


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
