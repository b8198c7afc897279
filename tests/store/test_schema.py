"""The SQLite schema: version and application id, WAL and foreign keys, migrations."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest

import viewer.store.core as core_module
from viewer.model.dates import PartialDate
from viewer.model.event import Event
from viewer.store import EventStore, StoreError
from viewer.store.schema import _V1, APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, _split

SIDECARS = ("-wal", "-shm", "-journal")


def fingerprint(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns


def sidecars(path: Path) -> list[str]:
    return [s for s in SIDECARS if Path(str(path) + s).exists()]


def add_all(store: EventStore, events: Iterable[Event]) -> list[int]:
    """Add events in one transaction; their ids."""
    with store.atomic():
        return [store.add_event(e) for e in events]


def make_store(path: Path, n: int = 3) -> None:
    with EventStore.open(path) as store:
        add_all(
            store, [Event(f"Event {i}", PartialDate(2000 + i), category="Cat") for i in range(n)]
        )


def pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_new_file_is_stamped_with_version_and_application_id(db_path: Path) -> None:
    make_store(db_path)
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 1
    assert pragma(db_path, "user_version") == SCHEMA_VERSION
    assert pragma(db_path, "application_id") == APPLICATION_ID
    # Read from the header too, as other tools ("file", sqlite3) do.
    header = db_path.read_bytes()[:100]
    assert int.from_bytes(header[60:64], "big") == SCHEMA_VERSION
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID


def test_schema_has_the_documented_tables_indexes_and_triggers(db_path: Path) -> None:
    make_store(db_path)
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
        columns = {r[1] for r in conn.execute("PRAGMA table_info(events)")}
    finally:
        conn.close()
    names = {(t, n) for t, n in rows}
    for table in ("meta", "categories", "events", "tags", "event_tags", "eras", "events_fts"):
        assert ("table", table) in names
    for index in ("events_start_pos", "events_end_pos", "events_category", "event_tags_tag"):
        assert ("index", index) in names
    for trigger in ("events_fts_insert", "events_fts_update", "events_fts_delete"):
        assert ("trigger", trigger) in names
    assert {
        "title",
        "description",
        "start",
        "end",
        "start_precision",
        "end_precision",
        "category_id",
        "source_url",
        "display_date",
        "created",
        "updated",
    } <= columns


def test_split_keeps_trigger_bodies_whole() -> None:
    statements = _split(_V1)
    assert all(sqlite3.complete_statement(s) for s in statements)
    assert len(statements) == _V1.count("CREATE ")
    triggers = [s for s in statements if s.startswith("CREATE TRIGGER")]
    assert len(triggers) == 3
    assert all(s.rstrip().endswith("END;") for s in triggers)


def test_wal_journal_and_foreign_keys_are_on(db_path: Path) -> None:
    with EventStore.open(db_path) as store:
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        store.add_category("Politics")
        event_id = store.add_event(Event("Summit", PartialDate(2019), category="Politics"))
        # Foreign keys are enforced: ON DELETE SET NULL works, dangling ids are refused.
        with store.atomic():
            conn.execute("DELETE FROM categories WHERE name = 'Politics'")
        event = store.get_event(event_id)
        assert event is not None and event.category is None
        refused = pytest.raises(StoreError, match="FOREIGN KEY constraint failed")
        with refused as failure, store.atomic():
            conn.execute("UPDATE events SET category_id = 12345 WHERE id = ?", (event_id,))
        assert isinstance(failure.value.__cause__, sqlite3.IntegrityError)
    # WAL is remembered in the file itself.
    assert pragma(db_path, "journal_mode") == "wal"


def test_reopening_a_current_file_does_not_migrate_again(db_path: Path) -> None:
    make_store(db_path, 5)
    with EventStore.open(db_path) as store:
        assert store.count() == 5
    assert pragma(db_path, "user_version") == SCHEMA_VERSION


def _add_rating_column(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE events ADD COLUMN rating INTEGER NOT NULL DEFAULT 0")


def test_forward_migration_upgrades_an_older_file_and_keeps_its_events(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_store(db_path, 4)
    before = EventStore.open(db_path)
    events = before.events()
    before.close()
    monkeypatch.setattr(core_module, "MIGRATIONS", [*MIGRATIONS, _add_rating_column])
    monkeypatch.setattr(core_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with EventStore.open(db_path) as store:
        assert store.events() == events
        cols = {r[1] for r in store._conn.execute("PRAGMA table_info(events)")}
        assert "rating" in cols
    assert pragma(db_path, "user_version") == SCHEMA_VERSION + 1


def test_failed_migration_rolls_back_entirely(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_store(db_path, 2)

    def half_done(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("INSERT INTO no_such_table VALUES (1)")  # fails midway

    monkeypatch.setattr(core_module, "MIGRATIONS", [*MIGRATIONS, half_done])
    monkeypatch.setattr(core_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError):
        EventStore.open(db_path)
    monkeypatch.undo()
    assert pragma(db_path, "user_version") == SCHEMA_VERSION
    conn = sqlite3.connect(db_path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert "half_done" not in tables
    with EventStore.open(db_path) as store:
        assert store.count() == 2


def _make_newer(path: Path) -> None:
    make_store(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    assert not sidecars(path)


@pytest.mark.parametrize("readonly", [False, True], ids=["read-write", "read-only"])
def test_newer_file_is_refused_and_not_modified(db_path: Path, readonly: bool) -> None:
    _make_newer(db_path)
    before = fingerprint(db_path)
    with pytest.raises(StoreError) as info:
        EventStore.open(db_path, readonly=readonly)
    message = str(info.value)
    assert "newer Timeline Viewer" in message
    assert "file version 99" in message
    assert f"reads up to {SCHEMA_VERSION}" in message
    assert "upgrade" in message
    assert fingerprint(db_path) == before
    assert sidecars(db_path) == []
    assert pragma(db_path, "user_version") == 99


def test_read_only_open_of_a_file_needing_an_upgrade_is_refused(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_store(db_path)
    before = fingerprint(db_path)
    monkeypatch.setattr(core_module, "MIGRATIONS", [*MIGRATIONS, _add_rating_column])
    monkeypatch.setattr(core_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="read-only and needs an upgrade"):
        EventStore.open(db_path, readonly=True)
    assert fingerprint(db_path) == before
    assert sidecars(db_path) == []


def test_a_store_created_then_closed_leaves_no_sidecars(db_path: Path) -> None:
    make_store(db_path)
    assert sidecars(db_path) == []
    assert os.path.getsize(db_path) > 0
