"""The store's foundation: opening and checking a file, transactions, change records.

:class:`StoreCore` holds the connection and is the one way to it; every other part
of :class:`~viewer.store.EventStore` builds on it (see :mod:`viewer.store.store`).

* **Opening** (:meth:`StoreCore.open`) is careful: a file that is not a SQLite
  database, is damaged, belongs to another program or was written by a newer version
  is refused with a :class:`StoreError` *before* anything is written, so it stays
  byte-for-byte as it was.  A big file's full integrity check may be left to
  :meth:`StoreCore.check_integrity` (run beside the loading of its events): until it
  has passed, nothing is written.  An older file is migrated as it opens
  (:mod:`viewer.store.schema`).
* **Transactions**: every write goes through :meth:`StoreCore.atomic`, which commits
  or rolls back as a whole and nests with savepoints, so an import is
  all-or-nothing; every read goes through ``_reading`` (one read transaction, a
  consistent snapshot).  Either way what the driver raises (``sqlite3.Error``)
  leaves the store as a :class:`StoreError`: no caller needs to know ``sqlite3``.
* **Change records**: each write logs what it changed as it goes (``_Pending``, cut
  back when a savepoint rolls back); after each outermost commit the listeners
  registered with :meth:`StoreCore.subscribe` are told, as one :class:`Change` (the
  parts, and which events were added, changed or removed), so the views patch what
  they show instead of reading everything again.
* **Copies**: :meth:`StoreCore.backup_to`, :meth:`StoreCore.copy_to_memory`, and
  :meth:`StoreCore.reader` (the same file on a connection of its own, for another
  thread).
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Self, TypeVar

from viewer.store.schema import APPLICATION_ID, MIGRATIONS, READ_AS_IS, SCHEMA_VERSION

__all__ = [
    "DEFER_CHECK_BYTES",
    "ID_CHUNK",
    "PATCH_LIMIT",
    "Change",
    "Listener",
    "StoreCore",
    "StoreError",
    "chunked",
    "timestamp",
]

SQLITE_HEADER = b"SQLite format 3\x00"

#: A commit that touches more events than this reports ``Change.everything`` rather
#: than listing their ids (the views then read all the events again).
PATCH_LIMIT = 20_000
#: Files larger than this may leave their full integrity check for later
#: (:meth:`StoreCore.check_integrity`); smaller ones are checked as they open.
DEFER_CHECK_BYTES = 64 * 1024 * 1024
#: Ids per ``IN (…)`` list (SQLite allows 32,766 parameters; smaller lists plan well).
ID_CHUNK = 900


class StoreError(Exception):
    """A timeline file that cannot be opened, read or written, with a message for
    people."""


class ChangedElsewhere(StoreError):
    """A write refused because another program changed the file since this one last
    read it (see :meth:`StoreCore.changed_elsewhere`): its ids may be stale."""


class DamagedEvent(StoreError):
    """An event whose row cannot be read (a date that is no date, extra fields that
    are not JSON: changed by another program); ``event_id`` is its id."""

    def __init__(self, message: str, event_id: int) -> None:
        super().__init__(message)
        self.event_id = event_id


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


Listener = Callable[[Change], None]


def _one_line(report: str, limit: int = 160) -> str:
    """SQLite's check report (lines of "*** in database main ***", "Page 5: …") as one
    short line, with what to do."""
    lines = [line.strip() for line in report.splitlines() if line.strip() and "***" not in line]
    text = "; ".join(lines) or report.strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return f"{text} (restore it from a backup)"


def _remove_abandoned(path: Path) -> None:
    """Remove what a process killed while making ``path`` left beside it (the hidden
    ``.NAME.PID.TOKEN.new`` of :meth:`StoreCore.created`, whose process is gone)."""
    for left in path.parent.glob(f".{glob.escape(path.name)}.*.new"):
        pid = left.name[len(path.name) + 2 :].split(".")[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # (still running: making it now)
        except ProcessLookupError:
            pass
        except OSError:  # (someone else's process: running)
            continue
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.remove(f"{left}{suffix}")


def timestamp() -> str:
    """Now, as the ``created`` and ``updated`` columns keep it (UTC, to the second)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_T = TypeVar("_T")


def chunked(items: Sequence[_T], size: int = ID_CHUNK) -> Iterator[list[_T]]:
    """``items`` in lists of at most ``size`` (one ``IN (…)`` list each)."""
    for a in range(0, len(items), size):
        yield list(items[a : a + size])


class _Pending:
    """What the open transaction changed, as a log that a savepoint can cut back."""

    def __init__(self) -> None:
        self.log: list[tuple[str, int]] = []  # ("part", -1) or ("added"/…, id)
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


class StoreCore:
    """A timeline document's connection: opening, transactions, change notification.

    Not used alone: :class:`~viewer.store.EventStore` adds what is read and written.
    """

    def __init__(self, conn: sqlite3.Connection, path: str, *, readonly: bool) -> None:
        self._conn = conn
        self.path = path
        self.readonly = readonly
        self._depth = 0  # atomic() blocks open
        self._pending = _Pending()
        self._listeners: list[Listener] = []
        self._version = SCHEMA_VERSION
        self._unchecked = False  # the full integrity check is still to come
        # how a connection of its own reads the file (the check from another thread)
        self._read_uri = Path(path).resolve().as_uri() + "?mode=ro" if path != ":memory:" else ""
        # The lanes this transaction placed, in the way of those it places later (see
        # viewer.store.writes and viewer.store.imports), and whether it packed every
        # lane again; both start afresh with each transaction.
        self._placed: list[tuple[float, float, bool, int]] = []
        self._repacked = False
        #: refuse a write when another program changed the file since it was last
        #: read here (a window's undo steps hold ids: see :meth:`changed_elsewhere`)
        self.guard_stale = False
        self._seen_version: int | None = None
        self._wrote = False  # a transaction of this connection committed

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        readonly: bool = False,
        defer_check: bool = False,
    ) -> Self:
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
        forced = False
        if exists:
            if p.is_dir():
                raise StoreError(f"{name} is a folder, not a timeline file")
            if not p.is_file():  # reading a FIFO's header would wait for a writer
                raise StoreError(f"{name} is not a timeline file (not a regular file)")
            _check_header(p)
            # a file this user cannot write (or in a folder where its journals cannot be
            # made) is read, and nothing is made beside it
            forced = not (os.access(p, os.W_OK) and os.access(p.parent, os.W_OK))
            readonly = readonly or forced
        elif not create or readonly:
            raise StoreError(f"{name} does not exist")
        else:
            if not p.parent.exists():
                raise StoreError(f"cannot create {name}: the folder {p.parent} does not exist")
            cls._create(p)
            exists = True
        # A store opened read-only by choice still opens "rw" and is guarded by ``PRAGMA
        # query_only``: a "mode=ro" connection of a WAL file makes -wal/-shm files and
        # cannot delete them when it closes.  A file this user may not write is opened
        # "immutable" (no lock, no -wal/-shm made: nobody else can write it either), or
        # "mode=ro" when it has a -wal of its own to read (a writer that did not close).
        base = p.resolve().as_uri()
        if exists and forced:
            uri = base + ("?mode=ro" if Path(f"{name}-wal").exists() else "?immutable=1")
        else:
            uri = base + ("?mode=rw" if exists else "")
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {name}: {exc}") from exc
        store = cls(conn, name, readonly=readonly)
        store._read_uri = uri if exists and forced else base + "?mode=ro"
        defer = defer_check and exists and p.stat().st_size > DEFER_CHECK_BYTES
        try:
            store._prepare(new=not exists, defer_check=defer)
            store.changed_elsewhere()  # (what it has read: the file as it is now)
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{name} is damaged or not a timeline file ({exc})") from exc
        return store

    @classmethod
    def _create(cls, path: Path) -> None:
        """Make a new, empty timeline file at ``path``, whole or not at all (see
        :meth:`created`)."""
        with cls.created(path):
            pass

    @classmethod
    @contextlib.contextmanager
    def created(cls, path: str | os.PathLike[str]) -> Iterator[Self]:
        """A new timeline file at ``path``, filled by the block, in place when it ends.

        Until then it is a file of its own beside ``path`` (a hidden name), linked into
        place only once the block has ended well: no one ever sees a part of it, a
        process killed meanwhile leaves nothing at ``path``, and a failure removes only
        what this call made.  Two processes making one file: the first to finish
        makes it, the other gets a :class:`StoreError` and leaves it as it is.
        """
        path = Path(path)
        if path.exists():
            raise StoreError(f"cannot create {path}: it exists already")
        if not path.parent.exists():
            raise StoreError(f"cannot create {path}: the folder {path.parent} does not exist")
        _remove_abandoned(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
        try:
            conn = sqlite3.connect(tmp, isolation_level=None, check_same_thread=False)
            store = cls(conn, os.fspath(tmp), readonly=False)
            try:
                store._prepare(new=True, defer_check=False)
                store.path = os.fspath(path)  # (what messages name)
                yield store
            finally:
                store.close()
            try:
                os.link(tmp, path)  # (fails if something is at ``path`` now)
            except FileExistsError:
                raise StoreError(
                    f"cannot create {path}: another program made it meanwhile; "
                    "nothing was written to it (run this again to add to it)"
                ) from None
            except OSError:  # a file system without hard links
                if path.exists():
                    raise StoreError(
                        f"cannot create {path}: another program made it meanwhile; "
                        "nothing was written to it (run this again to add to it)"
                    ) from None
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
            if not tables or version < 0:
                # (a file of ours is never empty: it is made whole before it has its
                # name) an empty database, or one of another program: never written
                raise StoreError(
                    f"{name} is an SQLite database but not a timeline file"
                    f"{' (it is empty)' if not tables else ''}; open or import into another file"
                )
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
                    raise StoreError(f"{name} is damaged: {_one_line(check)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            conn.execute("PRAGMA query_only = ON")
            if version in READ_AS_IS:
                # An older file we may not upgrade is read as it is: before version 2
                # its events have no lanes yet (the views place them) and its tags no
                # counts; before version 3 no date has a qualifier, before 4 no notes,
                # before 5 no images.
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

    def check_integrity(self) -> None:
        """Run the full integrity check that :meth:`open` left for later.

        Safe to call from another thread (it reads through a connection of its own).
        Raises :class:`StoreError` if the file is damaged; until it has passed, every
        write is refused.
        """
        if not self._unchecked:
            return
        try:
            conn = sqlite3.connect(self._read_uri, uri=True, check_same_thread=False)
            try:
                check = conn.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path} is damaged or not a timeline file ({exc})") from exc
        if check != "ok":
            raise StoreError(f"{self.path} is damaged: {_one_line(check)}")
        self._unchecked = False

    @property
    def checked(self) -> bool:
        """Whether the file has passed its full integrity check."""
        return not self._unchecked

    @property
    def has_lanes(self) -> bool:
        """Whether the file keeps the default layout's lanes (older ones do not)."""
        return self._version >= 2

    @property
    def has_qualifiers(self) -> bool:
        """Whether the file keeps the dates' qualifiers' edge bits (older ones have none)."""
        return self._version >= 3

    @property
    def has_notes(self) -> bool:
        """Whether the file keeps speaker notes (older ones have none)."""
        return self._version >= 4

    @property
    def has_images(self) -> bool:
        """Whether the file keeps images (older ones have none)."""
        return self._version >= 5

    def close(self) -> None:
        if self._wrote and not self.readonly and self.path != ":memory:" and not self._unchecked:
            # (optimize may write statistics: not into a file not known to be sound,
            # and not by a connection that only read, which another window would take
            # for a change made elsewhere)
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")
        self._conn.close()

    def __enter__(self) -> Self:
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
                # (the write lock is ours now: nobody changes the file until COMMIT)
                stale = (
                    self.guard_stale
                    and self._seen_version is not None
                    and self._data_version() != self._seen_version
                )
            except sqlite3.Error as exc:  # "database is locked", a closed connection
                raise self._save_error(exc) from exc
            if stale:
                conn.execute("ROLLBACK")
                raise ChangedElsewhere(
                    f"{self.path} was changed by another program since it was read here; "
                    "it is read again, and nothing was changed"
                )
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
            self._wrote = True
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

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed_elsewhere(self) -> bool:
        """Whether another connection (another program, another window) committed a
        change to the file since the last call (or the open); the file counts as read
        again from now on.  Its own commits do not count (``PRAGMA data_version``)."""
        if self.path == ":memory:":
            return False
        try:
            now = self._data_version()
        except sqlite3.Error as exc:
            raise StoreError(f"could not read {self.path}: {exc}") from exc
        changed = self._seen_version is not None and now != self._seen_version
        self._seen_version = now
        return changed

    def _save_error(self, exc: Exception) -> StoreError:
        if isinstance(exc, UnicodeEncodeError):
            bad = exc.object[exc.start : exc.end]
            reason = f"the text holds {bad!r}, which is not valid Unicode"
        elif "locked" in str(exc) or "busy" in str(exc):
            reason = "another program is writing to it; try again when it has finished"
        else:
            reason = str(exc)
        return StoreError(f"could not save to {self.path}: {reason}")

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction for the queries of a read (a consistent snapshot; the
        caller's transaction, inside one), and any driver error as a
        :class:`StoreError`.  Every public read runs in one."""
        conn = self._conn
        try:
            own = not conn.in_transaction
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

    def interrupt(self) -> None:
        """Stop the query this store's connection runs now (from another thread)."""
        with contextlib.suppress(sqlite3.Error):
            self._conn.interrupt()

    # -- copies --------------------------------------------------------------------

    def reader(self) -> Self:
        """A read-only store of the same file on a connection of its own (for another
        thread); an in-memory store gives itself."""
        if self.path == ":memory:":
            return self
        store = self.open(self.path, create=False, readonly=True, defer_check=True)
        store._version = self._version
        return store

    def copy_to_memory(self) -> Self:
        """An editable in-memory copy (for snapshots: the file is only read)."""
        copy = self.open(":memory:")
        try:
            self._conn.backup(copy._conn)
            version = copy._conn.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:  # an older read-only file: bring the copy up to date
                copy._conn.execute("PRAGMA user_version = 0")
                copy._conn.close()
                copy = self.open(":memory:")
                self._conn.backup(copy._conn)
                with copy.atomic() as conn:
                    for migrate in MIGRATIONS[version:]:
                        migrate(conn)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                copy._pending.clear()
        except sqlite3.Error as exc:
            copy.close()
            raise StoreError(f"could not read {self.path}: {exc}") from exc
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
