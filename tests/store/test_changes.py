"""What a commit tells its listeners, and what the stored lanes and undo keep.

* :class:`Change` records: the ids a transaction names are merged as
  ``_Pending.change`` documents (added then removed: neither; removed then added:
  changed; any number of edits: one), and a rollback, outermost or of a savepoint,
  takes back what it names;
* the stored lanes (the default layout) stay free of overlaps under any sequence of
  writes, placed by the store or by the view's placer, and agree with the columns;
* undo puts deleted events back in their lanes, and an import's undo and redo give
  back exactly the document before and after it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.io.formats import read_file
from viewer.model.dates import PartialDate
from viewer.model.event import Category, Era, Event, Timeline
from viewer.model.lanes import DATA_GAP, mark_extents
from viewer.store import Change, EventStore, StoreError
from viewer.store.imports import PLACE_LIMIT
from viewer.store.layout import derived

DATA = Path(__file__).resolve().parents[1] / "data"
TRASH_TABLES = ("trash_events", "trash_lanes", "trash_tags", "trash_eras", "trash_categories")

# A range over the first ten days of January 2000 comes first, so the layout's scale
# is 160 px a day: points on adjacent days (or in the same day) are in each other's
# way, points two days apart are not.
SPAN = Event("Ten days", PartialDate(2000, 1, 1), PartialDate(2000, 1, 10), tags=("span",))
CROWD = (
    SPAN,
    Event("Day two", PartialDate(2000, 1, 2), category="Politics", tags=("visit",)),
    Event("Day two, early", PartialDate(2000, 1, 2, 5), tags=("visit", "early")),
    Event("Day three", PartialDate(2000, 1, 3), category="Politics"),
    Event("Day five", PartialDate(2000, 1, 5), description="Alone on the fifth."),
    Event("Days five to six", PartialDate(2000, 1, 5), PartialDate(2000, 1, 6), category="UN"),
)


# -- helpers ------------------------------------------------------------------------------


@pytest.fixture
def store() -> Iterator[EventStore]:
    s = EventStore.open(":memory:")
    yield s
    s.close()


def listen(store: EventStore) -> list[Change]:
    """Every change ``store`` announces from now on."""
    seen: list[Change] = []
    store.subscribe(seen.append)
    return seen


def add_all(store: EventStore, events: tuple[Event, ...] | list[Event]) -> list[int]:
    return [store.add_event(e) for e in events]


def all_ids(store: EventStore) -> list[int]:
    return [e.id for e in store.events() if e.id is not None]


def lanes(store: EventStore) -> dict[int, int]:
    return store.lanes_of(all_ids(store))


def lane_conflicts(store: EventStore) -> list[tuple[int, int]]:
    """Pairs of events in the same stored lane that are in each other's way.

    The rule of :func:`viewer.model.lanes.free_lane`: marks (bars, or markers with
    their periods) at the layout's scale, kept ``DATA_GAP`` pixels apart.
    """
    arrays = store.load_arrays()
    if len(arrays) == 0:
        return []
    scale = store.layout_scale()
    assert scale is not None and scale > 0
    lo, hi = mark_extents(arrays.begin, arrays.finish, arrays.is_range, scale)
    gap = DATA_GAP / scale
    found: list[tuple[int, int]] = []
    for lane in np.unique(arrays.lane).tolist():
        at = np.flatnonzero(arrays.lane == lane)
        a_lo, a_hi = lo[at][:, None], hi[at][:, None]
        b_lo, b_hi = lo[at][None, :], hi[at][None, :]
        clash = (b_lo < a_hi + gap) & (b_hi + gap > a_lo)
        for i, j in zip(*np.nonzero(np.triu(clash, k=1)), strict=True):
            found.append((int(arrays.ids[at[i]]), int(arrays.ids[at[j]])))
    return found


def assert_lanes_valid(store: EventStore) -> None:
    """Every event has one lane, the columns say the same, and no lane is shared;
    and ``derived.max_extent`` bounds every mark (``place`` relies on it
    to find the neighbours in the way)."""
    ids = all_ids(store)
    stored = store.lanes_of(ids)
    assert sorted(stored) == sorted(ids)
    assert all(lane >= 0 for lane in stored.values())
    rows = store._conn.execute("SELECT count(*) FROM lanes").fetchone()[0]
    assert rows == len(ids)  # none left behind by a deleted event
    arrays = store.load_arrays()
    assert dict(zip(arrays.ids.tolist(), arrays.lane.tolist(), strict=True)) == stored
    assert lane_conflicts(store) == []
    if ids:  # the neighbour query's bound: no mark is longer
        scale = store.layout_scale()
        assert scale is not None
        lo, hi = mark_extents(arrays.begin, arrays.finish, arrays.is_range, scale)
        longest = derived(store._conn, "max_extent")
        assert longest is not None and float((hi - lo).max()) <= longest


@dataclass(frozen=True)
class State:
    """All of a document that an undo must give back."""

    events: list[Event]
    lanes: dict[int, int]
    categories: list[Category]
    tag_counts: list[tuple[str, int]]
    meta: dict[str, str]
    extra: dict[str, Any]  # the title slide's fields
    eras: list[Era]
    found: list[list[int]]  # the full-text index, for a few words
    layout_scale: float | None


SEARCHED = ("caesar", "rome", "day", "augustus")


def state(store: EventStore, *, scale: bool = True) -> State:
    events = store.events()
    return State(
        events=events,
        lanes=store.lanes_of([e.id for e in events if e.id is not None]),
        categories=store.categories(),
        tag_counts=store.tag_counts(),
        meta=store.meta(),
        extra=store.timeline_header().extra,
        eras=store.eras(),
        found=[store.search_ids(w).tolist() for w in SEARCHED],
        layout_scale=store.layout_scale() if scale else None,
    )


def trash_rows(store: EventStore) -> dict[str, int]:
    """Rows kept for a redo, by temporary table (tables not made yet are left out)."""
    conn = store._conn
    made = {r[0] for r in conn.execute("SELECT name FROM sqlite_temp_master WHERE type = 'table'")}
    return {
        t: conn.execute(f"SELECT count(*) FROM temp.{t}").fetchone()[0]
        for t in TRASH_TABLES
        if t in made
    }


def main_tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")}


# -- change records: how a transaction's ids merge --------------------------------------


def test_add_then_remove_in_one_commit_names_neither(store: EventStore) -> None:
    kept = store.add_event(Event("Kept", PartialDate(1999), tags=("old",)))
    seen = listen(store)
    with store.atomic():
        brief = store.add_event(Event("Brief", PartialDate(2001), tags=("fleeting",)))
        store.delete_events([brief])
    # The commit is announced (its parts were written to) but names no event.
    assert len(seen) == 1
    assert seen[0].parts == frozenset({"events", "tags"})
    assert seen[0].event_ids == frozenset()
    assert not seen[0].everything
    assert all_ids(store) == [kept]
    assert store.tag_counts() == [("old", 1)]


def test_remove_then_add_of_the_same_id_is_changed(store: EventStore) -> None:
    ids = add_all(store, CROWD[:3])
    seen = listen(store)
    with store.atomic():
        removed = store.delete_events([ids[1]])
        again = store.add_event(removed[0].evolve(title="Back again"))
    assert again == ids[1]
    assert len(seen) == 1
    assert seen[0].changed == {ids[1]}
    assert not seen[0].added and not seen[0].removed


def test_several_edits_of_one_event_merge_into_one_change(store: EventStore) -> None:
    ids = add_all(store, CROWD[:2])
    seen = listen(store)
    event = store.get_event(ids[1])
    assert event is not None
    with store.atomic():
        for n in range(4):
            store.update_event(event.evolve(title=f"Edit {n}", start=PartialDate(2000, 1, 2 + n)))
        store.set_event_categories([ids[1]], "UN")
    assert len(seen) == 1
    assert seen[0].changed == {ids[1]}
    assert not seen[0].added and not seen[0].removed
    assert seen[0].parts == frozenset({"events", "categories"})
    assert store.get_event(ids[1]) == event.evolve(
        title="Edit 3", start=PartialDate(2000, 1, 5), category="UN"
    )


def test_an_added_event_edited_is_added_and_an_edited_one_deleted_is_removed(
    store: EventStore,
) -> None:
    old = store.add_event(CROWD[1])
    seen = listen(store)
    with store.atomic():
        new = store.add_event(CROWD[3])
        store.update_event(CROWD[3].evolve(id=new, title="New, edited"))
        store.update_event(CROWD[1].evolve(id=old, title="Old, edited"))
        store.delete_events([old])
    assert len(seen) == 1
    assert (seen[0].added, seen[0].changed, seen[0].removed) == ({new}, frozenset(), {old})


def test_removed_added_and_removed_again_is_removed(store: EventStore) -> None:
    ids = add_all(store, CROWD[:2])
    seen = listen(store)
    with store.atomic():
        gone = store.delete_events([ids[0]])
        store.add_event(gone[0])
        store.delete_events([ids[0]])
        brief = store.add_event(Event("Brief", PartialDate(2002)))
        store.delete_events([brief])
        store.add_event(Event("Brief", PartialDate(2002), id=brief))
    assert (seen[0].added, seen[0].changed, seen[0].removed) == ({brief}, frozenset(), {ids[0]})


@dataclass(frozen=True)
class TxOp:
    """One write inside a transaction: ``kind`` on the ``pick``-th id it can act on."""

    kind: str  # "add", "delete", "readd" (a deleted one, with its id), "update"
    pick: int


def test_the_change_names_what_existed_before_and_after_the_commit() -> None:
    """For any writes in one transaction: added = there only after, removed = there
    only before, changed = there before and after and written to; an event added
    and removed again is not named.  Announced once, or not at all if nothing was
    written."""

    @settings(max_examples=80, deadline=None, database=None)
    @given(
        initial=st.integers(0, 4),
        ops=st.lists(
            st.builds(
                TxOp, st.sampled_from(["add", "delete", "readd", "update"]), st.integers(0, 9)
            ),
            max_size=10,
        ),
    )
    def check(initial: int, ops: list[TxOp]) -> None:
        store = EventStore.open(":memory:")
        try:
            add_all(store, [Event(f"Initial {i}", PartialDate(1990 + i)) for i in range(initial)])
            before = set(all_ids(store))
            seen = listen(store)
            touched: set[int] = set()
            deleted: dict[int, Event] = {}
            written = False
            with store.atomic():
                for n, op in enumerate(ops):
                    present = sorted(all_ids(store))
                    if op.kind == "add":
                        touched.add(store.add_event(Event(f"New {n}", PartialDate(2000 + n))))
                    elif op.kind == "delete" and present:
                        (event,) = store.delete_events([present[op.pick % len(present)]])
                        assert event.id is not None
                        deleted[event.id] = event
                        touched.add(event.id)
                    elif op.kind == "readd":
                        back = sorted(set(deleted) - set(present))
                        if not back:
                            continue
                        event = deleted.pop(back[op.pick % len(back)])
                        assert store.add_event(event) == event.id
                    elif op.kind == "update" and present:
                        event_id = present[op.pick % len(present)]
                        event = store.get_event(event_id)
                        assert event is not None
                        store.update_event(event.evolve(title=f"Edited {n}"))
                        touched.add(event_id)
                    else:
                        continue
                    written = True
            after = set(all_ids(store))
            if not written:
                assert seen == []
                return
            assert len(seen) == 1
            change = seen[0]
            assert "events" in change and not change.everything
            assert change.added == after - before
            assert change.removed == before - after
            assert change.changed == touched & before & after
        finally:
            store.close()

    check()


# -- change records: rollbacks ------------------------------------------------------------


def test_a_rolled_back_transaction_announces_nothing_and_writes_nothing(
    store: EventStore,
) -> None:
    ids = add_all(store, CROWD)
    store.set_meta(title="Before")
    before = state(store)
    seen = listen(store)
    with pytest.raises(KeyError), store.atomic():
        store.add_event(Event("Never", PartialDate(2000, 1, 4), category="Fresh", tags=("n",)))
        store.update_event(CROWD[1].evolve(id=ids[1], title="Never edited"))
        store.delete_events(ids[3:])
        store.set_meta(title="Never")
        raise KeyError("the step fails")
    assert seen == []
    assert state(store) == before
    # What SQLite refuses rolls back the same way, as a StoreError.
    with pytest.raises(StoreError, match="UNIQUE"), store.atomic():
        store.delete_events([ids[0]])
        store.add_event(Event("Taken id", PartialDate(2000), id=ids[1]))
    assert seen == []
    assert state(store) == before
    # The next commit names only its own work.
    new = store.add_event(Event("After", PartialDate(2000, 1, 8)))
    assert [(c.added, c.changed, c.removed) for c in seen] == [({new}, frozenset(), frozenset())]


def test_a_savepoint_rollback_takes_back_only_what_it_named(store: EventStore) -> None:
    ids = add_all(store, CROWD[:4])
    seen = listen(store)
    with store.atomic():
        first = store.add_event(Event("Outer first", PartialDate(2000, 1, 7)))
        with pytest.raises(RuntimeError), store.atomic():
            store.update_event(Event("Inner edit", PartialDate(2000, 1, 7), id=first))
            store.delete_events([ids[0], ids[2]])
            store.add_event(Event("Inner add", PartialDate(2000, 1, 8), tags=("inner",)))
            raise RuntimeError("the inner step fails")
        last = store.add_event(Event("Outer last", PartialDate(2000, 1, 9)))
    assert len(seen) == 1
    assert seen[0].parts == frozenset({"events"})  # not "tags": that was the inner part
    assert (seen[0].added, seen[0].changed, seen[0].removed) == (
        {first, last},
        frozenset(),
        frozenset(),
    )
    assert sorted(all_ids(store)) == [*ids, first, last]
    assert store.get_event(first) == Event("Outer first", PartialDate(2000, 1, 7), id=first)
    assert_lanes_valid(store)


def test_a_savepoint_rollback_takes_back_everything_too(store: EventStore) -> None:
    """An import repacking the lanes makes the change "everything"; rolled back as a
    savepoint, the commit names its ids again."""
    add_all(store, CROWD[:2])
    many = Timeline(events=[Event(f"Many {i}", PartialDate(1900 + i)) for i in range(201)])
    seen = listen(store)
    with store.atomic():
        with pytest.raises(RuntimeError), store.atomic():
            store.import_timeline(many)
            raise RuntimeError("changed my mind")
        new = store.add_event(Event("Only this", PartialDate(2000, 1, 9)))
    assert len(seen) == 1
    assert not seen[0].everything
    assert seen[0].added == {new} and not seen[0].changed and not seen[0].removed
    assert store.count() == 3


def test_a_released_savepoint_is_rolled_back_with_its_transaction(store: EventStore) -> None:
    ids = add_all(store, CROWD[:3])
    before = state(store)
    seen = listen(store)
    with pytest.raises(ValueError), store.atomic():
        with store.atomic():
            with store.atomic():
                store.add_event(Event("Deep", PartialDate(2000, 1, 4)))
            store.delete_events([ids[0]])
        raise ValueError("the outer step fails after its inner ones committed")
    assert seen == []
    assert state(store) == before


def test_a_middle_savepoint_rollback_drops_the_savepoints_inside_it(store: EventStore) -> None:
    seen = listen(store)
    with store.atomic():
        outer = store.add_event(Event("Outer", PartialDate(2000, 1, 1)))
        with pytest.raises(LookupError), store.atomic():
            store.add_event(Event("Middle", PartialDate(2000, 1, 2)))
            with store.atomic():
                store.add_event(Event("Inner", PartialDate(2000, 1, 3)))
                store.set_meta(title="Inner")
            raise LookupError("the middle step fails")
    assert [(c.parts, c.added) for c in seen] == [(frozenset({"events"}), {outer})]
    assert [e.title for e in store.events()] == ["Outer"]
    assert store.title == ""


def test_deleting_an_id_given_twice_returns_it_once(store: EventStore) -> None:
    ids = add_all(store, CROWD[:2])
    seen = listen(store)
    removed = store.delete_events([ids[0], ids[0]])
    assert seen[0].removed == {ids[0]}
    with store.atomic():  # the undo the docstring promises
        for event in removed:
            store.add_event(event)
    assert [e.id for e in removed] == [ids[0]]


# -- stored lanes under any sequence of writes -------------------------------------------


# Dates crowded at every precision: days, hours and minutes close enough for their
# marks (at the scale the first event sets) and the gap between marks to matter.
_DAYS = st.integers(1, 4)
_HOURS = st.sampled_from([0, 1, 2, 11, 12, 23])
_MINUTES = st.sampled_from([0, 3, 6, 30, 59])
_DATES = st.one_of(
    st.builds(lambda d: PartialDate(2000, 1, d), _DAYS),
    st.builds(lambda d, h: PartialDate(2000, 1, d, h), _DAYS, _HOURS),
    st.builds(lambda d, h, m: PartialDate(2000, 1, d, h, m), _DAYS, _HOURS, _MINUTES),
    st.sampled_from([PartialDate(2000, 1), PartialDate(2000, 2), PartialDate(1999, 12, 31)]),
)


@st.composite
def _events(draw: st.DrawFn) -> Event:
    start = draw(_DATES)
    end = draw(st.none() | _DATES)
    if end is not None and end.begin() < start.begin():
        start, end = end, start
    return Event(
        f"Event {draw(st.integers(0, 999))}",
        start,
        end,
        tags=draw(st.sampled_from([(), ("a",), ("a", "b")])),
    )


_LANE = st.none() | st.integers(0, 4)  # a lane asked for, as undo does


@dataclass(frozen=True)
class Add:
    event: Event
    lane: int | None


@dataclass(frozen=True)
class Update:
    pick: int
    event: Event
    lane: int | None


@dataclass(frozen=True)
class Delete:
    picks: tuple[int, ...]


@dataclass(frozen=True)
class DeleteAndUndo:
    """Delete events, then put them back in their lanes (as undo does)."""

    picks: tuple[int, ...]


@dataclass(frozen=True)
class Import:
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Batch:
    """Several writes in one transaction."""

    ops: tuple[Add | Update | Delete, ...]


_PICKS = st.lists(st.integers(0, 99), min_size=1, max_size=3).map(tuple)
_SIMPLE = st.one_of(
    st.builds(Add, _events(), _LANE),
    st.builds(Update, st.integers(0, 99), _events(), _LANE),
    st.builds(Delete, _PICKS),
)
_EDITS = st.one_of(
    _SIMPLE,
    st.builds(DeleteAndUndo, _PICKS),
    st.builds(Batch, st.lists(_SIMPLE, min_size=1, max_size=4).map(tuple)),
)
_OPS = _EDITS | st.builds(Import, st.lists(_events(), min_size=1, max_size=6).map(tuple))
Op = Add | Update | Delete | DeleteAndUndo | Import | Batch


def _picked(store: EventStore, picks: tuple[int, ...]) -> list[int]:
    ids = sorted(all_ids(store))
    return sorted({ids[p % len(ids)] for p in picks}) if ids else []


def apply_op(store: EventStore, op: Op) -> None:
    if isinstance(op, Add):
        store.add_event(op.event, lane=op.lane)
    elif isinstance(op, Update):
        ids = sorted(all_ids(store))
        if ids:
            store.update_event(op.event.evolve(id=ids[op.pick % len(ids)]), lane=op.lane)
    elif isinstance(op, Delete):
        store.delete_events(_picked(store, op.picks))
    elif isinstance(op, DeleteAndUndo):
        ids = _picked(store, op.picks)
        with store.atomic():
            kept = store.lanes_of(ids)
            removed = store.delete_events(ids)
        with store.atomic():
            for event in removed:
                assert event.id is not None
                store.add_event(event, lane=kept[event.id])
        assert store.lanes_of(ids) == kept
    elif isinstance(op, Import):
        store.import_timeline(Timeline(events=list(op.events)))
    else:
        with store.atomic():
            for inner in op.ops:
                apply_op(store, inner)


@pytest.mark.parametrize("placer", ["store", "view"])
def test_stored_lanes_stay_valid_under_any_writes(
    placer: str, request: pytest.FixtureRequest
) -> None:
    """After each write: every event has a lane, ``lanes_of`` and the columns agree,
    and no two events of a lane are in each other's way.  With ``view``, the open
    document's :class:`TimelineData` places the events (as in the app), and its
    patched columns keep the same lanes as the store.
    """
    view: Callable[[EventStore], Any] | None = None
    if placer == "view":
        request.getfixturevalue("qapp")
        from viewer.ui.data import TimelineData

        def view(store: EventStore) -> Any:
            data = TimelineData()
            data.open(store, progressive=False)
            store.subscribe(data.apply)
            assert store._placer is not None
            return data

    @settings(
        max_examples=100,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(ops=st.lists(_OPS, min_size=1, max_size=12))
    def check(ops: list[Op]) -> None:
        store = EventStore.open(":memory:")
        data = view(store) if view is not None else None
        try:
            for op in ops:
                apply_op(store, op)
                assert_lanes_valid(store)
                if data is not None:
                    shown = dict(zip(data.all.ids.tolist(), data.all.lane.tolist(), strict=True))
                    assert shown == lanes(store)
        finally:
            if data is not None:
                data.close()
            store.close()

    check()


def test_crowded_events_take_several_lanes(store: EventStore) -> None:
    """The sample the lane tests use is crowded enough to need lanes at all."""
    ids = add_all(store, CROWD)
    got = store.lanes_of(ids)
    assert got == {ids[0]: 0, ids[1]: 1, ids[2]: 2, ids[3]: 2, ids[4]: 1, ids[5]: 2}
    assert_lanes_valid(store)
    # Moved into the others' way, an event leaves its lane for a free one.
    store.update_event(CROWD[4].evolve(id=ids[4], start=PartialDate(2000, 1, 2, 5)))
    assert store.lanes_of([ids[4]]) == {ids[4]: 3}
    assert_lanes_valid(store)


def test_events_imported_earlier_in_a_transaction_are_in_the_placers_way(
    store: EventStore, qapp: Any
) -> None:
    from viewer.ui.data import TimelineData

    store.add_event(Event("Far away", PartialDate(2000, 3, 1)))
    data = TimelineData()
    data.open(store, progressive=False)
    store.subscribe(data.apply)
    try:
        with store.atomic():
            store.import_timeline(Timeline(events=[Event("Imported", PartialDate(2000, 1, 5))]))
            store.add_event(Event("Same day", PartialDate(2000, 1, 5)))
        assert lane_conflicts(store) == []
    finally:
        data.close()


def test_a_long_event_the_view_placed_is_in_the_way_of_an_import(
    store: EventStore, qapp: Any
) -> None:
    from viewer.ui.data import TimelineData

    store.add_event(Event("Sets the scale", PartialDate(2000, 3, 1)))  # a day's mark
    data = TimelineData()
    data.open(store, progressive=False)
    store.subscribe(data.apply)
    try:
        month = store.add_event(Event("A month", PartialDate(2000, 1, 1), PartialDate(2000, 1, 31)))
        imported = store.import_timeline(Timeline(events=[Event("Mid", PartialDate(2000, 1, 20))]))
        assert lane_conflicts(store) == [], store.lanes_of([month, *imported.event_ids])
    finally:
        data.close()


# -- undo gives back the lanes --------------------------------------------------------------


@pytest.fixture
def doc(qapp: Any) -> Iterator[Any]:
    from viewer.ui.data import TimelineData
    from viewer.ui.document import Document

    store = EventStore.open(":memory:")
    add_all(store, CROWD)
    document = Document(store)
    data = TimelineData()  # the view's placer places the events, as in the app
    data.open(store, progressive=False)
    document.changed.connect(data.apply)
    yield document
    data.close()
    document.close()


def test_undo_of_a_delete_puts_the_events_back_in_their_lanes(doc: Any) -> None:
    from viewer.ui.commands import DeleteEventsCommand, push

    store: EventStore = doc.store
    before = state(store)
    ids = [e.id for e in before.events]
    gone = [ids[1], ids[0]]  # the point on day two (lane 1), then the long range (lane 0)
    # Put back one by one without their lanes, they would take other ones: the lowest
    # free lane of the first is the range's.
    control = store.copy_to_memory()
    for event in control.delete_events(gone):
        control.add_event(event)
    assert control.lanes_of(gone) != {i: before.lanes[i] for i in gone}
    control.close()

    assert push(doc, DeleteEventsCommand(doc, gone))
    assert sorted(all_ids(store)) == sorted(set(ids) - set(gone))
    after = state(store)
    doc.undo_stack.undo()
    assert state(store) == before
    assert_lanes_valid(store)
    doc.undo_stack.redo()
    assert state(store) == after
    doc.undo_stack.undo()
    assert state(store) == before


def test_undo_of_a_move_puts_the_event_back_in_its_lane(doc: Any) -> None:
    from viewer.ui.commands import EditEventCommand, push

    store: EventStore = doc.store
    ids = all_ids(store)
    store.add_event(Event("Day five, late", PartialDate(2000, 1, 5, 20)))
    before = state(store)
    event = store.get_event(ids[1])
    assert event is not None and before.lanes[ids[1]] == 1
    moved = event.evolve(start=PartialDate(2000, 1, 5, 12))
    assert push(doc, EditEventCommand.move(doc, event, moved))
    # lanes 0 to 2 are taken on the fifth; in lane 3 it would fit back on the second
    assert store.lanes_of([ids[1]]) == {ids[1]: 3}
    after = state(store)
    doc.undo_stack.undo()
    assert state(store) == before
    doc.undo_stack.redo()
    assert state(store) == after
    assert_lanes_valid(store)


def test_undo_of_any_delete_gives_back_every_lane(qapp: Any) -> None:
    from viewer.ui.commands import DeleteEventsCommand, push
    from viewer.ui.data import TimelineData
    from viewer.ui.document import Document

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        events=st.lists(_events(), min_size=1, max_size=10),
        moves=st.lists(st.builds(Update, st.integers(0, 99), _events(), st.none()), max_size=4),
        picks=st.lists(st.integers(0, 99), min_size=1, max_size=5),
    )
    def check(events: list[Event], moves: list[Update], picks: list[int]) -> None:
        store = EventStore.open(":memory:")
        document = Document(store)
        data = TimelineData()
        data.open(store, progressive=False)
        document.changed.connect(data.apply)
        try:
            add_all(store, events)
            for move in moves:  # lanes a fresh packing would not give
                apply_op(store, move)
            ids = sorted(all_ids(store))
            gone = list(dict.fromkeys(ids[p % len(ids)] for p in picks))
            before = state(store)
            assert push(document, DeleteEventsCommand(document, gone))
            document.undo_stack.undo()
            assert state(store) == before
        finally:
            data.close()
            document.close()

    check()


# -- an import's undo and redo are exact ----------------------------------------------------


def _ancient() -> Timeline:
    """A TimelineJS file (title slide extra, eras, categories), with tags given."""
    timeline = read_file(DATA / "timelinejs" / "ancient.json")
    tags = [("visit",), ("legend", "rome"), (), ("rome",), ("legend",)]
    timeline.events = [e.evolve(tags=t) for e, t in zip(timeline.events, tags, strict=True)]
    return timeline


def _mine(store: EventStore) -> None:
    add_all(store, CROWD)
    store.add_category("Legend hunters", "#123456")
    # (an empty value is kept as a row, which undo does not write back: the same to
    # ``meta()``, so the states compare ``meta()``, not ``meta_with_extra()``)
    store.set_meta(description="Mine", source="")


def test_undo_and_redo_of_an_import_give_back_each_state_exactly(db_path: Path) -> None:
    store = EventStore.open(db_path)
    try:
        _mine(store)
        before = state(store)
        timeline = _ancient()
        result = store.import_timeline(timeline)
        meta_after = store.meta_with_extra()
        after = state(store)
        assert len(result) == len(timeline.events) == 5
        assert set(result.created_categories) == {"Legend"}
        assert len(result.created_eras) == 2
        assert after.meta["title"] == "Rome & Friends" and after.meta["description"] == "Mine"
        assert after.extra == timeline.extra and before.extra == {}
        assert dict(after.tag_counts)["visit"] == 3 and dict(after.tag_counts)["rome"] == 2
        assert after != before

        seen = listen(store)
        undone = store.undo_import(result)
        assert state(store) == before
        with EventStore.open(db_path, create=False, readonly=True) as other:
            assert state(other) == before  # committed, for every reader
        store.redo_import(undone, meta_after)
        assert state(store) == after
        with EventStore.open(db_path, create=False, readonly=True) as other:
            assert state(other) == after
        assert_lanes_valid(store)

        removed, added = seen
        assert removed.removed == set(result.event_ids) and not removed.added
        assert added.added == set(result.event_ids) and not added.removed
        for change in seen:
            assert change.parts == frozenset({"events", "categories", "meta", "eras", "tags"})

        # and again: each undo keeps its own copy for its redo
        undone = store.undo_import(undone)
        assert state(store) == before
        store.redo_import(undone, meta_after)
        assert state(store) == after
        assert trash_rows(store) == dict.fromkeys(TRASH_TABLES, 0)
    finally:
        store.close()


def test_undo_and_redo_of_an_import_into_an_empty_store(store: EventStore) -> None:
    """The first import packs its lanes afresh; redo gives back those lanes."""
    before = state(store, scale=False)
    timeline = read_file(DATA / "thetimeline" / "tiny.timeline")
    result = store.import_timeline(timeline)
    meta_after = store.meta_with_extra()
    after = state(store)
    assert after.events and after.eras
    undone = store.undo_import(result)
    assert state(store, scale=False) == before
    assert store.categories() == [] and store.count() == 0
    store.redo_import(undone, meta_after)
    assert state(store) == after
    assert_lanes_valid(store)


def _many(n: int = PLACE_LIMIT + 1) -> Timeline:
    return Timeline(
        events=[Event(f"Many {i}", PartialDate(1990 + i % 20, 1 + i % 12)) for i in range(n)]
    )


def test_redo_of_an_import_that_packed_every_lane_is_exact(store: EventStore) -> None:
    add_all(store, CROWD)
    before = state(store)
    result = store.import_timeline(_many())
    meta_after = store.meta_with_extra()
    after = state(store)
    assert after.layout_scale != before.layout_scale
    undone = store.undo_import(result)
    assert store.count() == len(CROWD)
    assert_lanes_valid(store)
    store.redo_import(undone, meta_after)
    assert state(store) == after
    assert_lanes_valid(store)
    # and again (as the undo stack does it: with what the last undo returned), each
    # undo giving back the layout before the import, each redo the one after it
    for _ in range(2):
        undone = store.undo_import(undone)
        assert state(store) == before
        store.redo_import(undone, meta_after)
        assert state(store) == after


def test_redo_of_an_import_gives_the_same_ids_after_an_event_came_and_went(
    store: EventStore,
) -> None:
    add_all(store, CROWD)
    result = store.import_timeline(_ancient())
    meta_after = store.meta_with_extra()
    after = state(store)
    undone = store.undo_import(result)
    passing = store.add_event(Event("Passing", PartialDate(1995)))
    assert passing == result.event_ids[0]  # SQLite gives out the first freed id again
    store.delete_events([passing])
    store.redo_import(undone, meta_after)
    assert state(store) == after
    # an event that stays, past the import's ids, changes nothing for the redo either
    undone = store.undo_import(undone)
    later = store.add_event(Event("Later", PartialDate(1995), id=result.event_ids[-1] + 50))
    store.redo_import(undone, meta_after)
    assert [e for e in store.events() if e.id != later] == after.events
    assert store.lanes_of(result.event_ids) == {i: after.lanes[i] for i in result.event_ids}


def test_undo_of_an_import_that_packed_every_lane_gives_back_the_lanes(
    store: EventStore,
) -> None:
    add_all(store, CROWD)
    before = state(store)
    result = store.import_timeline(_many())
    store.undo_import(result)
    assert state(store) == before


def test_forget_import_drops_what_undo_kept(db_path: Path) -> None:
    store = EventStore.open(db_path)
    try:
        _mine(store)
        kept_import = store.import_timeline(Timeline(events=[Event("Kept", PartialDate(1))]))
        store.forget_import(kept_import)  # never undone: nothing kept, nothing to drop
        assert trash_rows(store) == {}

        first_undone = store.undo_import(store.import_timeline(_ancient()))
        second = store.import_timeline(read_file(DATA / "thetimeline" / "tiny.timeline"))
        second_after = state(store)
        second_meta = store.meta_with_extra()
        second_undone = store.undo_import(second)
        keys = "SELECT DISTINCT key FROM temp.trash_events ORDER BY key"
        assert [r[0] for r in store._conn.execute(keys)] == [first_undone.key, second_undone.key]

        store.forget_import(first_undone)
        for table in TRASH_TABLES:
            rows = store._conn.execute(
                f"SELECT count(*) FROM temp.{table} WHERE key = ?", (first_undone.key,)
            ).fetchone()[0]
            assert rows == 0, table
        assert [r[0] for r in store._conn.execute(keys)] == [second_undone.key]
        # the other import's copy is still there, and redoes exactly
        store.redo_import(second_undone, second_meta)
        assert state(store) == second_after
        assert trash_rows(store) == dict.fromkeys(TRASH_TABLES, 0)

        # The copies live in this connection's temporary tables only: never in the file.
        assert not any(t.startswith("trash") for t in main_tables(store._conn))
        last_undone = store.undo_import(second)
        assert trash_rows(store)["trash_events"] == len(second)
        assert not any(t.startswith("trash") for t in main_tables(store._conn))
    finally:
        store.close()
    store.forget_import(last_undone)  # after closing: harmless
    with sqlite3.connect(db_path) as conn:
        assert not any(t.startswith("trash") for t in main_tables(conn))
    reopened = EventStore.open(db_path, create=False)
    try:
        assert trash_rows(reopened) == {}  # gone with the connection that kept them
        reopened.forget_import(last_undone)  # a key this connection never gave: harmless
        assert trash_rows(reopened) == dict.fromkeys(TRASH_TABLES, 0)
    finally:
        reopened.close()
