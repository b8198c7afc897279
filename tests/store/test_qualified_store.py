"""Qualified dates in the store: kept as EDTF text, drawn from the ``qualifiers`` bits."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from viewer.model.dates import PartialDate, Qualifier
from viewer.model.event import OPEN_END, OPEN_START, SOFT_END, SOFT_START, Event, Timeline
from viewer.store import EventStore

A, U, B, F = Qualifier.APPROXIMATE, Qualifier.UNCERTAIN, Qualifier.BEFORE, Qualifier.AFTER

EVENTS = [
    Event("Clay type", PartialDate(1040, qualifier=A)),
    Event("Press", PartialDate(1439, qualifier=U), PartialDate(1450, qualifier=F)),
    Event("Incunabula", PartialDate(1500, qualifier=B)),
    Event("Luther", PartialDate(1517, 10, 31)),
]


def edges_by_title(store: EventStore) -> dict[str, int]:
    arrays = store.load_arrays()
    titles = {e.id: e.title for e in store.events()}
    return {titles[int(i)]: int(b) for i, b in zip(arrays.ids, arrays.edges, strict=True)}


def test_added_events_keep_their_qualifiers_and_edges(tmp_path: Path) -> None:
    with EventStore.open(tmp_path / "t.db") as store:
        ids = [store.add_event(e) for e in EVENTS]
        assert [store.get_event(i).start for i in ids] == [e.start for e in EVENTS]  # type: ignore[union-attr]
        assert edges_by_title(store) == {
            "Clay type": SOFT_START | SOFT_END,
            "Press": SOFT_START | OPEN_END,
            "Incunabula": OPEN_START,
            "Luther": 0,
        }
        raw = store._conn.execute("SELECT start, end FROM events ORDER BY id").fetchall()
        assert raw[:3] == [("1040~", None), ("1439?", "1450.."), ("..1500", None)]
        # an edit changes the bits with the dates
        press = store.get_event(ids[1])
        assert press is not None
        store.update_event(press.evolve(start=press.start.nominal, end=press.end.nominal))  # type: ignore[union-attr]
        assert edges_by_title(store)["Press"] == 0


def test_imported_events_keep_them_through_undo(tmp_path: Path) -> None:
    with EventStore.open(tmp_path / "t.db") as store:
        result = store.import_timeline(Timeline(events=EVENTS))
        assert edges_by_title(store)["Incunabula"] == OPEN_START
        redo = store.undo_import(result)
        assert len(store.load_arrays()) == 0
        store.redo_import(redo, {})  # from the rows kept aside
        assert edges_by_title(store)["Press"] == SOFT_START | OPEN_END
        assert store.get_event(redo.event_ids[1]).end == PartialDate(1450, qualifier=F)  # type: ignore[union-attr]
        store.delete_events(redo.event_ids)
        ids = [store.add_event(e) for e in EVENTS]
        deleted = store.delete_events(ids[:2])
        assert [e.start for e in deleted] == [e.start for e in EVENTS[:2]]


def test_a_version_2_file_opened_read_only_reads_without_qualifiers(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with EventStore.open(path) as store:
        store.add_event(Event("Old", PartialDate(1990)))
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TABLE images")  # (added by version 5)
        conn.execute("ALTER TABLE events DROP COLUMN notes")  # (added by version 4)
        conn.execute("ALTER TABLE events DROP COLUMN qualifiers")
        conn.execute("PRAGMA user_version = 2")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = path.read_bytes()
    with EventStore.open(path, readonly=True) as store:
        arrays = store.load_arrays()
        assert len(arrays) == 1 and np.all(arrays.edges == 0)
        assert store.events()[0].start == PartialDate(1990)
    assert path.read_bytes() == before
    # opened for writing, it is upgraded and keeps qualifiers from then on
    with EventStore.open(path) as store:
        store.add_event(Event("New", PartialDate(2000, qualifier=A)))
        assert edges_by_title(store) == {"Old": 0, "New": SOFT_START | SOFT_END}


def test_speaker_notes_are_kept_and_undone_with_the_event(tmp_path: Path) -> None:
    with EventStore.open(tmp_path / "t.db") as store:
        event_id = store.add_event(Event("Talk", PartialDate(2000), notes="Slow down."))
        event = store.get_event(event_id)
        assert event is not None and event.notes == "Slow down."
        store.update_event(event.evolve(notes="Smile."))
        assert store.get_event(event_id).notes == "Smile."  # type: ignore[union-attr]
        result = store.import_timeline(Timeline(events=[Event("B", PartialDate(2001), notes="n")]))
        assert [e.notes for e in store.events()] == ["Smile.", "n"]
        store.undo_import(result)
        assert [e.notes for e in store.iter_events()] == ["Smile."]
