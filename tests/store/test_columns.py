"""EventArrays: columns sorted by time, found by id, patched in place (pure numpy)."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.store import columns
from viewer.store.columns import (
    COLUMN_DTYPES,
    CachedTexts,
    EventArrays,
    StaticTexts,
)

_NAMES = tuple(COLUMN_DTYPES)


def _arrays(rows: list[tuple[int, float, float, int]]) -> EventArrays:
    """Arrays of ``(id, begin, length, lane)`` rows (any order)."""
    n = len(rows)
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    begin = np.array([r[1] for r in rows], dtype=np.float64)
    finish = begin + np.array([r[2] for r in rows], dtype=np.float64)
    cols = {
        "ids": ids,
        "begin": begin,
        "finish": finish,
        "start_until": finish,
        "end_from": begin,
        "start_precision": np.full(n, 2),
        "end_precision": np.full(n, 2),
        "is_range": np.array([r[2] > 5 for r in rows], dtype=bool),
        "category": ids % 3 - 1,
        "lane": np.array([r[3] for r in rows], dtype=np.int32),
    }
    texts = StaticTexts({int(i): (f"event {i}", f"date {i}") for i in ids.tolist()})
    return EventArrays.from_columns(cols, texts)


def _same(a: EventArrays, b: EventArrays) -> None:
    for name in _NAMES:
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name
        assert getattr(a, name).dtype == getattr(b, name).dtype, name


_ROW = st.tuples(
    st.integers(0, 60).map(float),  # begin: many ties
    st.sampled_from([1.0, 1.0, 3.0, 10.0, 40.0]),
    st.integers(0, 5),
)


@st.composite
def _scenario(draw: st.DrawFn) -> tuple[list, list[int], list]:
    before = draw(st.lists(_ROW, max_size=40))
    rows = [(i + 1, *r) for i, r in enumerate(before)]
    ids = [r[0] for r in rows]
    removed = draw(st.lists(st.sampled_from(ids), unique=True)) if ids else []
    # changed events come back with new values (same id); new ones get new ids
    changed = [i for i in removed if draw(st.booleans())]
    fresh = draw(st.lists(_ROW, max_size=10))
    added = [(i, *draw(_ROW)) for i in changed]
    added += [(100 + k, *r) for k, r in enumerate(fresh)]
    return rows, removed, added


@pytest.mark.parametrize("few", [64, 0])
def test_a_patch_gives_what_building_afresh_gives(few: int) -> None:
    # both ways of splicing: slices around a few rows, numpy's delete/insert for many
    with mock.patch.object(columns, "_FEW", few):
        check_patches()


@settings(max_examples=300, deadline=None)
@given(_scenario())
def check_patches(scenario) -> None:
    rows, removed, added = scenario
    old = _arrays(rows)
    # make the derived lookups first, so that the patch has them to carry over
    _ = old.lane_begin, old.lane_finish, old.index_of(1)
    new, patch = old.patched(removed, _arrays(added) if added else None)
    gone = set(removed)
    expected = _arrays([r for r in rows if r[0] not in gone] + added)
    _same(new, expected)
    # what it carried over is what it would have worked out
    assert new.lane_order.tolist() == expected.lane_order.tolist()
    assert new.lane_begin.tolist() == expected.lane_begin.tolist()
    assert new.lane_finish.tolist() == expected.lane_finish.tolist()
    for event_id in [r[0] for r in rows] + [a[0] for a in added] + [999]:
        assert new.index_of(event_id) == expected.index_of(event_id)
    # the patch says where rows went
    assert sorted(old.ids[patch.removed].tolist()) == sorted(
        i for i in removed if old.index_of(i) is not None
    )
    assert sorted(new.ids[patch.inserted].tolist()) == sorted(a[0] for a in added)
    kept = np.setdiff1d(np.arange(len(old)), patch.removed)
    assert new.ids[patch.new_position(kept)].tolist() == old.ids[kept].tolist()
    assert new.titles == [f"event {i}" for i in new.ids.tolist()]


@settings(max_examples=100, deadline=None)
@given(st.lists(_ROW, max_size=40), st.data())
def test_a_subset_keeps_the_order_of_the_lanes(rows, data) -> None:
    a = _arrays([(i + 1, *r) for i, r in enumerate(rows)])
    _ = a.lane_order, a.index_of(1)
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=len(a), max_size=len(a))))
    sub = a.where(mask) if len(a) else a
    fresh = EventArrays(**{n: getattr(sub, n) for n in _NAMES})
    assert sub.lane_order.tolist() == fresh.lane_order.tolist()
    for i in a.ids.tolist():  # the lookup by id, carried over from the whole
        assert sub.index_of(i) == fresh.index_of(i)


def test_ids_are_found_by_binary_search() -> None:
    a = _arrays([(7, 5.0, 1.0, 0), (3, 1.0, 1.0, 0), (12, 9.0, 1.0, 1)])
    assert a.ids.tolist() == [3, 7, 12]
    assert a.index_of(12) == 2 and a.index_of(4) is None
    assert a.indices_of([12, 4, 3]).tolist() == [2, -1, 0]
    assert a.contains(np.array([3, 5])).tolist() == [True, False]
    assert EventArrays.empty().indices_of([1]).tolist() == [-1]


def test_where_everything_is_the_same_arrays() -> None:
    a = _arrays([(1, 0.0, 1.0, 0), (2, 1.0, 1.0, 0)])
    assert a.where(np.array([True, True])) is a
    assert a.where(np.array([False, True])).ids.tolist() == [2]


def test_texts_are_fetched_in_batches_and_cached_until_forgotten() -> None:
    calls: list[list[int]] = []
    table = {1: ("One", "1 May"), 2: ("Two", "2 May"), 3: ("Three", "3 May")}

    def fetch(ids):
        calls.append(list(ids))
        return {i: table[i] for i in ids if i in table}

    texts = CachedTexts(fetch)
    a = _arrays([(1, 0.0, 1.0, 0), (2, 1.0, 1.0, 0), (3, 2.0, 1.0, 0)])
    a.texts = texts
    assert a.titles.many([0, 2]) == ["One", "Three"]
    assert a.dates[1] == "2 May"
    assert calls == [[1, 3], [2]]
    assert a.titles[0] == "One" and len(calls) == 2  # cached
    table[1] = ("Uno", "1 May")
    texts.forget([1])
    assert a.titles[0] == "Uno"
    assert list(a.titles) == ["Uno", "Two", "Three"]


def test_mismatched_columns_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        EventArrays(
            ids=np.array([1, 2]),
            begin=np.array([0.0]),
            finish=np.array([1.0, 2.0]),
            start_precision=np.array([2, 2]),
            end_precision=np.array([2, 2]),
            is_range=np.array([False, False]),
            category=np.array([0, 0]),
        )


@settings(max_examples=400, deadline=None)
@given(st.lists(_ROW, min_size=1, max_size=40), st.data())
def test_an_edit_moved_in_place_gives_what_building_afresh_gives(rows, data) -> None:
    rows = [(i + 1, *r) for i, r in enumerate(rows)]
    arrays = _arrays(rows)
    _ = arrays.lane_begin, arrays.lane_finish, arrays.index_of(1), arrays.reach
    event_id = data.draw(st.sampled_from([r[0] for r in rows]))
    moved = (event_id, *data.draw(_ROW))
    before = arrays.ids.tolist()
    patch = arrays.move_in_place(_arrays([moved]))
    assert patch is not None
    expected = _arrays([r for r in rows if r[0] != event_id] + [moved])
    _same(arrays, expected)
    assert arrays.reach.tolist() == np.maximum.accumulate(expected.finish).tolist()
    assert arrays.lane_order.tolist() == expected.lane_order.tolist()
    assert arrays.lane_begin.tolist() == expected.lane_begin.tolist()
    assert arrays.lane_finish.tolist() == expected.lane_finish.tolist()
    for i in [r[0] for r in rows] + [999]:
        assert arrays.index_of(i) == expected.index_of(i)
    # the patch says where rows went, as patched() would have
    assert before[int(patch.removed[0])] == event_id
    assert arrays.ids[patch.inserted].tolist() == [event_id]
    kept = [k for k in range(len(before)) if k != int(patch.removed[0])]
    assert arrays.ids[patch.new_position(np.array(kept, dtype=np.int64))].tolist() == [
        before[k] for k in kept
    ]
    assert patch.ids.tolist() == [event_id]


def test_only_one_present_event_moves_in_place() -> None:
    a = _arrays([(1, 0.0, 1.0, 0), (2, 1.0, 1.0, 0)])
    assert a.move_in_place(_arrays([(3, 5.0, 1.0, 0)])) is None  # not there
    assert a.move_in_place(_arrays([(1, 5.0, 1.0, 0), (2, 6.0, 1.0, 0)])) is None


def _copies(events: list[tuple[int, float, float, tuple[int, ...]]]) -> EventArrays:
    """Arrays of events drawn in several swimlanes: a row per lane of ``(id, begin,
    length, lanes)``, the copies of an event in the order of its lanes."""
    flat = [(i, b, n, lane) for i, b, n, lanes in events for lane in lanes]
    n = len(flat)
    ids = np.array([r[0] for r in flat], dtype=np.int64)
    begin = np.array([r[1] for r in flat], dtype=np.float64)
    finish = begin + np.array([r[2] for r in flat], dtype=np.float64)
    cols = {
        "ids": ids,
        "begin": begin,
        "finish": finish,
        "start_precision": np.full(n, 2),
        "end_precision": np.full(n, 2),
        "is_range": np.zeros(n, dtype=bool),
        "category": ids % 3 - 1,
        "lane": np.array([r[3] for r in flat], dtype=np.int32),
    }
    return EventArrays.from_columns(cols, StaticTexts(), check=False)


_LANES = st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True).map(tuple)
_WHEN = st.tuples(st.integers(0, 60).map(float), st.sampled_from([1.0, 1.0, 3.0, 10.0, 40.0]))
_EVENT = st.tuples(st.integers(0, 60).map(float), st.sampled_from([1.0, 3.0, 10.0, 40.0]), _LANES)


@settings(max_examples=300, deadline=None)
@given(st.lists(_EVENT, min_size=1, max_size=30), st.data())
def test_copies_moved_in_place_give_what_building_afresh_gives(events, data) -> None:
    events = [(i + 1, *e) for i, e in enumerate(events)]
    arrays = _copies(events)
    _ = arrays.lane_begin, arrays.lane_finish, arrays.index_of(1), arrays.reach
    k = data.draw(st.integers(0, len(events) - 1))
    event_id, _b, _n, lanes = events[k]
    new_lanes = tuple(sorted(data.draw(st.permutations(range(5)))[: len(lanes)]))
    moved = (event_id, *data.draw(_WHEN), new_lanes)
    patch = arrays.move_copies_in_place(_copies([moved]))
    assert patch is not None
    expected = _copies([e for e in events if e[0] != event_id] + [moved])
    _same(arrays, expected)
    assert arrays.reach.tolist() == np.maximum.accumulate(expected.finish).tolist()
    assert arrays.lane_order.tolist() == expected.lane_order.tolist()
    assert arrays.lane_begin.tolist() == expected.lane_begin.tolist()
    assert arrays.lane_finish.tolist() == expected.lane_finish.tolist()
    sorted_ids, pos = arrays.sorted_ids()
    assert sorted_ids.tolist() == sorted(arrays.ids.tolist())
    for i in [e[0] for e in events]:
        assert np.array_equal(arrays.rows_of([i]), np.flatnonzero(arrays.ids == i))
    assert np.all(arrays.ids[pos] == sorted_ids)
    assert arrays.ids[patch.inserted].tolist() == [event_id] * len(lanes)
    # patched() of the copies gives the same, and so does a patch of them all
    again, _patch = _copies(events).patched([event_id], _copies([moved]))
    _same(again, expected)
    assert again.lane_order.tolist() == expected.lane_order.tolist()


def test_copies_that_are_not_one_events_do_not_move_in_place() -> None:
    a = _copies([(1, 0.0, 1.0, (0, 1)), (2, 1.0, 1.0, (0,))])
    assert a.move_copies_in_place(_copies([(1, 5.0, 1.0, (0,))])) is None  # fewer
    assert a.move_copies_in_place(_copies([(3, 5.0, 1.0, (0, 1))])) is None  # not there
    assert a.move_copies_in_place(_copies([(1, 5.0, 1.0, (0,)), (2, 6.0, 1.0, (0,))])) is None


def test_repeated_rows_find_their_ids_without_a_sort() -> None:
    a = _arrays([(5, 0.0, 1.0, 0), (3, 1.0, 1.0, 0), (9, 2.0, 1.0, 1), (1, 2.0, 3.0, 0)])
    assert a.index_of(9) is not None  # (the lookup the copies take theirs from)
    copies = a.repeat(np.array([0, 0, 1, 2, 2, 2, 3]))
    assert "_by_id_repeat" in copies.__dict__
    sorted_ids, pos = copies.sorted_ids()
    assert sorted_ids.tolist() == [1, 3, 5, 5, 9, 9, 9]
    assert pos.tolist() == [6, 2, 0, 1, 3, 4, 5]
    assert copies.rows_of([9, 5]).tolist() == [0, 1, 3, 4, 5]
