"""Undo commands: each change reaches the file at once, and undo puts back exactly
what was there (compared through the store, and through a fresh connection)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QUndoCommand

from viewer.model.dates import PartialDate
from viewer.model.event import Category, Era, Event, Timeline
from viewer.store import EventStore, ImportCancelled, StoreError
from viewer.store.imports import PLACE_LIMIT
from viewer.ui.commands import (
    AddCategoryCommand,
    AddEventCommand,
    DeleteCategoryCommand,
    DeleteEventsCommand,
    DuplicateEventsCommand,
    EditCategoryCommand,
    EditEventCommand,
    ImportCommand,
    SetCategoryCommand,
    SetMetaCommand,
    command_errors,
    push,
    quoted,
)
from viewer.ui.document import Document

# -- fixtures and helpers ----------------------------------------------------------------


def snapshot(store: EventStore) -> tuple[Any, ...]:
    """Everything a person can see of a document.

    Categories are compared by name and colour: their row ids are internal (events
    and filters refer to categories by name) and a recreated category gets a new one.
    """
    return (
        store.events(),
        [(c.name, c.color) for c in store.categories()],
        store.tag_counts(),
        store.meta(),
        store.eras(),
    )


def on_disk(path: Path) -> tuple[Any, ...]:
    with EventStore.open(path, create=False) as fresh:
        return snapshot(fresh)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def doc(db: Path, qapp: Any) -> Iterator[Document]:
    store = EventStore.open(db)
    store.add_category("Diplomacy", "#4e79a7")
    store.add_category("Military", "#e15759")
    store.add_event(
        Event(
            "Vladivostok summit",
            PartialDate(2019, 4, 25),
            description="<p>First meeting.</p>",
            category="Diplomacy",
            tags=("summit", "diplomacy"),
            source_url="https://example.org/a",
            display_date="April 25, 2019",
            extra={"unique_id": "vlad", "media": {"url": "https://example.org/m.jpg"}},
        )
    )
    store.add_event(
        Event(
            "Missile test",
            PartialDate(2022, 3),
            PartialDate(2022, 5),
            category="Military",
            tags=("missiles",),
        )
    )
    store.add_event(Event("Treaty signed", PartialDate(2024, 6, 19), tags=("treaty", "summit")))
    store.set_meta(title="Russia and North Korea", description="", source="")
    document = Document(store)
    yield document
    document.close()


def ids_by_title(store: EventStore) -> dict[str, int]:
    return {e.title: e.id for e in store.events() if e.id is not None}


def check_round_trip(doc: Document, db: Path, command: QUndoCommand) -> tuple[Any, Any]:
    """Push, undo, redo; the store and the file agree at each step.  (before, after)."""
    before = snapshot(doc.store)
    assert push(doc, command)
    after = snapshot(doc.store)
    assert after != before
    assert on_disk(db) == after
    doc.undo_stack.undo()
    assert snapshot(doc.store) == before
    assert on_disk(db) == before
    doc.undo_stack.redo()
    assert snapshot(doc.store) == after
    assert on_disk(db) == after
    return before, after


# -- events ------------------------------------------------------------------------------


def test_add_event_undo_redo_keeps_the_id(doc: Document, db: Path) -> None:
    event = Event("Railway bridge opens", PartialDate(2024, 4), tags=("trade",))
    command = AddEventCommand(doc, event)
    assert command.text() == "Add 'Railway bridge opens'"
    check_round_trip(doc, db, command)
    assert command.event_id is not None
    stored = doc.store.get_event(command.event_id)
    assert stored == event.evolve(id=command.event_id)
    doc.undo_stack.undo()
    assert doc.store.get_event(command.event_id) is None
    assert ("trade", 1) not in doc.store.tag_counts()
    doc.undo_stack.redo()
    assert doc.store.get_event(command.event_id) == stored


def test_add_event_naming_a_new_category_creates_it_and_undo_removes_it(
    doc: Document, db: Path
) -> None:
    command = AddEventCommand(doc, Event("Grain deal", PartialDate(2023), category="Economy"))
    _, after = check_round_trip(doc, db, command)
    created = doc.store.category("Economy")
    assert created is not None
    doc.undo_stack.undo()
    assert doc.store.category("Economy") is None
    doc.undo_stack.redo()
    again = doc.store.category("Economy")
    assert again is not None and again.color == created.color
    assert snapshot(doc.store) == after


def test_edit_event_undo_redo(doc: Document, db: Path) -> None:
    before = doc.store.get_event(ids_by_title(doc.store)["Vladivostok summit"])
    assert before is not None
    after = before.evolve(
        title="Vladivostok summit (Russky Island)",
        tags=("summit", "russky"),
        description="Changed.",
        category="Military",
    )
    command = EditEventCommand(doc, before, after)
    assert command.text() == "Edit 'Vladivostok summit (Russky Island)'"
    check_round_trip(doc, db, command)
    assert doc.store.get_event(after.id or 0) == after.evolve(tags=("russky", "summit"))
    doc.undo_stack.undo()
    assert doc.store.get_event(before.id or 0) == before


def test_edit_into_a_new_category_and_back(doc: Document, db: Path) -> None:
    before = doc.store.get_event(ids_by_title(doc.store)["Treaty signed"])
    assert before is not None
    command = EditEventCommand(doc, before, before.evolve(category="Treaties"))
    check_round_trip(doc, db, command)
    doc.undo_stack.undo()
    assert doc.store.category("Treaties") is None


def test_edit_needs_the_same_id(doc: Document) -> None:
    event = doc.store.events()[0]
    with pytest.raises(ValueError, match="id"):
        EditEventCommand(doc, event, event.evolve(id=None))


def test_move_and_resize_name_the_step_for_the_edit_menu(doc: Document, db: Path) -> None:
    before = doc.store.get_event(ids_by_title(doc.store)["Vladivostok summit"])
    assert before is not None
    moved = before.evolve(start=PartialDate(2019, 4, 26), display_date="")
    undo_action = doc.undo_stack.createUndoAction(doc)
    redo_action = doc.undo_stack.createRedoAction(doc)
    move = EditEventCommand.move(doc, before, moved)
    assert move.text() == "Move 'Vladivostok summit'"
    check_round_trip(doc, db, move)
    assert undo_action.text() == "Undo Move 'Vladivostok summit'"
    resized = moved.evolve(end=PartialDate(2019, 4, 28))
    assert push(doc, EditEventCommand.resize(doc, moved, resized))
    assert undo_action.text() == "Undo Resize 'Vladivostok summit'"
    undo_action.trigger()
    assert redo_action.text() == "Redo Resize 'Vladivostok summit'"
    assert doc.store.get_event(before.id or 0) == moved


def test_an_ampersand_in_a_headline_reads_as_written_in_the_edit_menu(doc: Document) -> None:
    undo = doc.undo_stack.createUndoAction(doc)
    event_id = ids_by_title(doc.store)["Treaty signed"]
    before = doc.store.get_event(event_id)
    command = EditEventCommand(doc, before, before.evolve(title="Q&A session"))
    assert push(doc, command)
    assert command.text() == "Edit 'Q&A session'"  # messages quote it as written
    # the menu entry's "&" marks mnemonics: a literal one is doubled
    assert undo.text() == "Undo Edit 'Q&&A session'"
    assert undo.toolTip() == "Undo Edit 'Q&A session'"  # Qt's own reading of the text


def test_mergeable_moves_of_one_event_are_one_step(doc: Document) -> None:
    original = doc.store.get_event(ids_by_title(doc.store)["Treaty signed"])
    assert original is not None
    current = original
    for day in (20, 21, 22):
        nxt = current.evolve(start=PartialDate(2024, 6, day))
        assert push(doc, EditEventCommand.move(doc, current, nxt, mergeable=True))
        current = nxt
    assert doc.undo_stack.count() == 1
    assert doc.store.get_event(original.id or 0) == current
    doc.undo_stack.undo()
    assert doc.store.get_event(original.id or 0) == original
    doc.undo_stack.redo()
    assert doc.store.get_event(original.id or 0) == current


def test_moves_that_are_not_mergeable_stay_separate(doc: Document) -> None:
    original = doc.store.get_event(ids_by_title(doc.store)["Treaty signed"])
    assert original is not None
    first = original.evolve(start=PartialDate(2024, 6, 20))
    second = first.evolve(start=PartialDate(2024, 6, 21))
    push(doc, EditEventCommand.move(doc, original, first))
    push(doc, EditEventCommand.move(doc, first, second))
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert doc.store.get_event(original.id or 0) == first


def test_delete_and_undo_restore_identical_events(doc: Document, db: Path) -> None:
    originals = doc.store.events()
    command = DeleteEventsCommand(doc, [e.id for e in originals if e.id is not None])
    assert command.text() == "Delete 3 events"
    check_round_trip(doc, db, command)
    assert doc.store.events() == []
    assert doc.store.tag_counts() == []
    doc.undo_stack.undo()
    restored = doc.store.events()
    assert restored == originals  # same ids, tags, category, extra, display_date
    assert [e.id for e in restored] == [e.id for e in originals]
    assert on_disk(db)[0] == originals


def test_delete_one_event_names_it(doc: Document, db: Path) -> None:
    event_id = ids_by_title(doc.store)["Missile test"]
    command = DeleteEventsCommand(doc, [event_id])
    assert command.text() == "Delete 'Missile test'"
    check_round_trip(doc, db, command)
    assert [e.id for e in command.removed] == [event_id]


def test_duplicate_copies_without_the_unique_id(doc: Document, db: Path) -> None:
    ids = ids_by_title(doc.store)
    command = DuplicateEventsCommand(doc, [ids["Vladivostok summit"], ids["Treaty signed"]])
    assert command.text() == "Duplicate 2 events"
    check_round_trip(doc, db, command)
    assert len(command.new_ids) == 2
    copy = doc.store.get_event(command.new_ids[0])
    original = doc.store.get_event(ids["Vladivostok summit"])
    assert copy is not None and original is not None
    assert copy.evolve(id=original.id, extra=original.extra) == original
    assert "unique_id" not in copy.extra and copy.extra["media"] == original.extra["media"]
    first_ids = list(command.new_ids)
    doc.undo_stack.undo()
    doc.undo_stack.redo()
    assert command.new_ids == first_ids
    assert DuplicateEventsCommand(doc, [ids["Treaty signed"]]).text() == (
        "Duplicate 'Treaty signed'"
    )


def test_set_category_records_each_previous_category(doc: Document, db: Path) -> None:
    ids = ids_by_title(doc.store)
    chosen = [ids["Vladivostok summit"], ids["Missile test"], ids["Treaty signed"]]
    command = SetCategoryCommand(doc, chosen[:2], "Military")
    assert command.text() == "Set category of 2 events"
    check_round_trip(doc, db, command)
    doc.undo_stack.undo()
    cats = {e.title: e.category for e in doc.store.events()}
    assert cats == {
        "Vladivostok summit": "Diplomacy",
        "Missile test": "Military",
        "Treaty signed": None,
    }
    command = SetCategoryCommand(doc, chosen, "Sanctions")  # a new one
    check_round_trip(doc, db, command)
    assert {e.category for e in doc.store.events()} == {"Sanctions"}
    doc.undo_stack.undo()
    assert doc.store.category("Sanctions") is None
    assert SetCategoryCommand(doc, chosen[2:], None).text() == "Set category of 'Treaty signed'"


def test_clear_category(doc: Document, db: Path) -> None:
    ids = ids_by_title(doc.store)
    check_round_trip(doc, db, SetCategoryCommand(doc, [ids["Missile test"]], None))
    assert doc.store.get_event(ids["Missile test"]) is not None
    doc.undo_stack.undo()
    event = doc.store.get_event(ids["Missile test"])
    assert event is not None and event.category == "Military"


# -- categories and metadata -----------------------------------------------------------------


def test_add_category_undo_redo_keeps_the_colour(doc: Document, db: Path) -> None:
    command = AddCategoryCommand(doc, "Economy")
    assert command.text() == "Add category 'Economy'"
    check_round_trip(doc, db, command)
    cat = doc.store.category("Economy")
    assert cat is not None and cat.color == command.color


def test_rename_and_recolour_category(doc: Document, db: Path) -> None:
    rename = EditCategoryCommand(doc, "Military", new_name="Defence")
    assert rename.text() == "Rename category 'Military' to 'Defence'"
    check_round_trip(doc, db, rename)
    assert {e.category for e in doc.store.events()} == {"Diplomacy", "Defence", None}
    recolour = EditCategoryCommand(doc, "Defence", color="#123456")
    assert recolour.text() == "Recolour category 'Defence'"
    check_round_trip(doc, db, recolour)
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    cat = doc.store.category("Military")
    assert cat == Category("Military", "#e15759", cat.id if cat else None)
    both = EditCategoryCommand(doc, "Military", new_name="Army", color="#654321")
    assert both.text() == "Edit category 'Military'"
    check_round_trip(doc, db, both)


def test_delete_category_with_reassignment_and_undo(doc: Document, db: Path) -> None:
    command = DeleteCategoryCommand(doc, "Military", reassign_to="Diplomacy")
    assert command.text() == "Delete category 'Military'"
    before, _ = check_round_trip(doc, db, command)
    assert doc.store.category("Military") is None
    assert {e.category for e in doc.store.events()} == {"Diplomacy", None}
    doc.undo_stack.undo()
    assert snapshot(doc.store) == before
    cat = doc.store.category("Military")
    assert cat is not None and cat.color == "#e15759"
    assert on_disk(db) == before


def test_delete_category_to_none_and_undo(doc: Document, db: Path) -> None:
    command = DeleteCategoryCommand(doc, "Diplomacy", None)
    check_round_trip(doc, db, command)
    assert {e.category for e in doc.store.events()} == {"Military", None}
    assert len(command.moved) == 1


def test_set_meta(doc: Document, db: Path) -> None:
    command = SetMetaCommand(doc, "New title", "About it", "https://example.org")
    assert command.text() == "Edit timeline properties"
    check_round_trip(doc, db, command)
    assert doc.store.meta()["source"] == "https://example.org"
    doc.undo_stack.undo()
    assert doc.store.meta()["title"] == "Russia and North Korea"


# -- imports ---------------------------------------------------------------------------------


def imported() -> Timeline:
    return Timeline(
        title="Imported",
        description="From a file",
        events=[
            Event(f"Event {i}", PartialDate(1990 + i), category="Economy", tags=("trade",))
            for i in range(14)
        ],
        categories=[Category("Economy", "#59a14f")],
        eras=[Era("Nineties", PartialDate(1990), PartialDate(1999))],
    )


def test_import_undo_redo(doc: Document, db: Path) -> None:
    command = ImportCommand(doc, imported())
    assert command.text() == "Import 14 events"
    before, after = check_round_trip(doc, db, command)
    assert len(doc.store.events()) == 17
    doc.undo_stack.undo()
    assert doc.store.category("Economy") is None
    assert doc.store.eras() == []
    assert on_disk(db) == before
    doc.undo_stack.redo()
    assert snapshot(doc.store) == after  # the same ids: the undo kept the rows aside
    assert ImportCommand(doc, Timeline(events=imported().events[:1])).text() == "Import 1 event"


def test_cancelled_import_leaves_nothing(doc: Document, db: Path) -> None:
    before = snapshot(doc.store)
    big = Timeline(events=[Event(f"E{i}", PartialDate(1000 + i)) for i in range(600)])
    command = ImportCommand(doc, big, progress=lambda done, total: False)
    assert not push(doc, command)
    assert isinstance(command.failed, ImportCancelled)
    assert doc.undo_stack.count() == 0
    assert snapshot(doc.store) == before == on_disk(db)


def test_import_redo_gives_back_the_same_ids_whatever_came_between(doc: Document, db: Path) -> None:
    command = ImportCommand(doc, imported())
    assert push(doc, command)
    assert command.result is not None
    ids = list(command.result.event_ids)
    after = snapshot(doc.store)
    lanes = doc.store.lanes_of(ids)
    doc.undo_stack.undo()
    # Behind the undo stack's back: an event takes the first freed id and goes again.
    passing = doc.store.add_event(Event("Passing", PartialDate(1995)))
    assert passing == ids[0]
    doc.store.delete_events([passing])
    doc.undo_stack.redo()
    assert command.failed is None
    assert snapshot(doc.store) == after == on_disk(db)
    assert doc.store.lanes_of(ids) == lanes
    # Again, with an event that stays, past the import's ids: SQLite would now give a
    # new import other ids, and the redo gives back the same ones all the same.
    doc.undo_stack.undo()
    later = doc.store.add_event(Event("Later", PartialDate(1995), id=ids[-1] + 50))
    doc.undo_stack.redo()
    assert command.failed is None
    assert [e for e in doc.store.events() if e.id != later] == after[0]
    assert doc.store.lanes_of(ids) == lanes


def test_undo_and_redo_of_an_import_that_packed_every_lane_twice(doc: Document) -> None:
    """Each undo gives back the layout before the import, each redo the one after it."""

    def layout() -> tuple[Any, ...]:
        ids = [e.id for e in doc.store.events() if e.id is not None]
        return snapshot(doc.store), doc.store.lanes_of(ids), doc.store.layout_scale()

    before = layout()
    many = Timeline(
        events=[Event(f"Many {i}", PartialDate(1000 + 5 * i)) for i in range(PLACE_LIMIT + 1)]
    )
    command = ImportCommand(doc, many)
    assert push(doc, command)
    assert command.result is not None and command.result.prior  # every lane packed again
    after = layout()
    assert after[2] != before[2]  # a longer span: another scale
    for _ in range(2):
        doc.undo_stack.undo()
        assert layout() == before
        doc.undo_stack.redo()
        assert layout() == after


def test_a_store_that_fails_to_read_fails_the_step_with_a_store_error(
    doc: Document, db: Path
) -> None:
    before = snapshot(doc.store)
    errors: list[object] = []
    command_errors(doc).failed.connect(lambda step, err: errors.append(err))

    def no_meta(action: int, table: str | None, *_: object) -> int:
        return sqlite3.SQLITE_DENY if table == "meta" else sqlite3.SQLITE_OK

    doc.store._conn.set_authorizer(no_meta)
    try:
        command = SetMetaCommand(doc, "Renamed", "", "")
        assert not push(doc, command)
    finally:
        doc.store._conn.set_authorizer(None)
    assert isinstance(command.failed, StoreError)
    assert isinstance(command.failed.__cause__, sqlite3.Error)
    assert errors == [command.failed]
    assert doc.undo_stack.count() == 0
    assert snapshot(doc.store) == before == on_disk(db)


# -- macros, signals and failures ----------------------------------------------------------


def test_macro_is_one_undo_step(doc: Document, db: Path) -> None:
    before = snapshot(doc.store)
    ids = ids_by_title(doc.store)
    stack = doc.undo_stack
    stack.beginMacro("Tidy up")
    assert push(doc, AddCategoryCommand(doc, "Economy"))
    assert push(doc, SetCategoryCommand(doc, [ids["Treaty signed"]], "Economy"))
    assert push(doc, DeleteEventsCommand(doc, [ids["Missile test"]]))
    stack.endMacro()
    after = snapshot(doc.store)
    assert stack.count() == 1 and stack.undoText() == "Tidy up"
    stack.undo()
    assert snapshot(doc.store) == before == on_disk(db)
    stack.redo()
    assert snapshot(doc.store) == after == on_disk(db)


def test_views_hear_every_step(doc: Document, qtbot: Any) -> None:
    event = Event("Heard", PartialDate(2000))
    with qtbot.wait_signal(doc.changed, timeout=1000) as blocker:
        push(doc, AddEventCommand(doc, event))
    assert "events" in blocker.args[0]
    with qtbot.wait_signal(doc.changed, timeout=1000):
        doc.undo_stack.undo()


def test_failed_push_leaves_no_step_and_no_change(doc: Document, db: Path) -> None:
    before = snapshot(doc.store)
    errors: list[tuple[str, object]] = []
    command_errors(doc).failed.connect(lambda step, err: errors.append((step, err)))
    taken = doc.store.events()[0].id
    command = AddEventCommand(doc, Event("Clash", PartialDate(2000), id=taken))
    assert not push(doc, command)
    assert isinstance(command.failed, StoreError)
    assert doc.undo_stack.count() == 0
    assert snapshot(doc.store) == before == on_disk(db)
    assert [step for step, _ in errors] == ["Add 'Clash'"]
    assert command_errors(doc) is command_errors(doc)


def test_failed_undo_keeps_the_change_and_drops_the_step(doc: Document, db: Path) -> None:
    errors: list[str] = []
    command_errors(doc).failed.connect(lambda step, err: errors.append(step))
    event = doc.store.events()[-1]
    assert push(doc, EditEventCommand(doc, event, event.evolve(title="Renamed")))
    doc.store.delete_events([event.id or 0])  # behind the undo stack's back
    after = snapshot(doc.store)
    doc.undo_stack.undo()
    assert errors == ["Undo Edit 'Renamed'"]
    assert doc.undo_stack.count() == 0
    assert snapshot(doc.store) == after == on_disk(db)


def test_failed_redo_leaves_the_file_as_it_was(doc: Document, db: Path) -> None:
    command = AddEventCommand(doc, Event("Bridge", PartialDate(2024)))
    assert push(doc, command)
    doc.undo_stack.undo()
    # Something else takes the id while the step is undone.
    doc.store.add_event(Event("Squatter", PartialDate(1900), id=command.event_id))
    before = snapshot(doc.store)
    doc.undo_stack.redo()
    assert isinstance(command.failed, StoreError)
    assert not doc.undo_stack.canRedo()
    assert snapshot(doc.store) == before == on_disk(db)


def test_read_only_document_refuses_every_command(db: Path, doc: Document, qapp: Any) -> None:
    with EventStore.open(db, readonly=True) as store:
        readonly = Document(store)
        command = AddCategoryCommand(readonly, "Economy")
        assert not push(readonly, command)
        assert "read-only" in str(command.failed)
        assert readonly.undo_stack.count() == 0


def test_quoted_shortens_long_headlines() -> None:
    assert quoted("Vladivostok summit") == "'Vladivostok summit'"
    long = quoted("A very long headline " * 5)
    assert long.endswith("…'") and len(long) <= 42
