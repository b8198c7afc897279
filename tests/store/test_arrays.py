"""EventArrays and the visible-slice search (pure numpy)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.model.dates import PartialDate, Precision
from viewer.model.event import Event
from viewer.store.columns import (
    EventArrays,
    overlap_counts,
    running_max,
    visible_indices,
    visible_slice,
)


def test_from_events_sorts_and_fills_every_column() -> None:
    events = [
        Event("Second", PartialDate(2020, 2), category="b", id=7),
        Event(
            "UN votes",
            PartialDate(2006, 10, 14),
            PartialDate(2017, 12, 22),
            category="a",
            id=3,
        ),
        Event("First", PartialDate(2000, 7), id=None),
        Event("Vague range", PartialDate(1990), PartialDate(1992, 3), category="zzz", id=9),
    ]
    a = EventArrays.from_events(events, {"a": 0, "b": 1})
    assert len(a) == 4
    assert a.titles == ["Vague range", "First", "UN votes", "Second"]
    assert a.ids.tolist() == [9, -3, 3, 7]  # no id: minus (position + 1)
    assert a.ids.dtype == np.int64 and a.begin.dtype == np.float64
    assert a.category.tolist() == [-1, -1, 0, 1]
    assert a.is_range.tolist() == [True, False, True, False]
    assert a.start_precision.tolist() == [Precision.YEAR, Precision.MONTH, Precision.DAY, 1]
    assert a.end_precision.tolist() == [Precision.MONTH, Precision.MONTH, Precision.DAY, 1]
    # a month-precision point covers its whole month
    july = PartialDate(2000, 7)
    assert a.begin[1] == july.begin() and a.finish[1] == july.finish()
    assert a.start_until[1] == july.finish() and a.end_from[1] == july.begin()
    # a range: start of the start's period to the end of the end's period
    assert a.begin[0] == PartialDate(1990).begin()
    assert a.start_until[0] == PartialDate(1991).begin()
    assert a.end_from[0] == PartialDate(1992, 3).begin()
    assert a.finish[0] == PartialDate(1992, 4).begin()
    assert a.dates[2] == "14 October 2006 – 22 December 2017"
    assert a.index_of(3) == 2
    assert a.index_of(12345) is None
    assert a.span() == (PartialDate(1990).begin(), PartialDate(2020, 3).begin())


def test_empty() -> None:
    a = EventArrays.empty()
    assert len(a) == 0
    assert a.span() is None
    assert a.visible(0.0, 1.0).tolist() == []
    assert a.visible_slice(0.0, 1.0) == slice(0, 0)


def test_from_arrays_validates() -> None:
    cols = {
        "begin": np.array([0.0, 1.0]),
        "finish": np.array([1.0, 2.0]),
        "start_precision": np.array([2, 2]),
        "end_precision": np.array([2, 2]),
        "is_range": np.array([False, False]),
        "category": np.array([0, 0]),
        "titles": ["a", "b"],
        "dates": ["", ""],
    }
    with pytest.raises(ValueError, match="unique"):
        EventArrays.from_arrays(ids=np.array([1, 1]), **cols)
    cols["finish"] = np.array([-1.0, 2.0])
    with pytest.raises(ValueError, match="finish"):
        EventArrays.from_arrays(ids=np.array([1, 2]), **cols)


def test_columns_must_have_the_same_length() -> None:
    a = EventArrays.empty()
    with pytest.raises(ValueError):
        EventArrays(
            ids=np.array([1]),
            begin=a.begin,
            finish=a.finish,
            start_precision=a.start_precision,
            end_precision=a.end_precision,
            is_range=a.is_range,
            category=a.category,
        )


def test_visible_slice_includes_long_ranges_started_before_the_view() -> None:
    begin = np.array([0.0, 10.0, 20.0, 30.0])
    finish = np.array([100.0, 11.0, 21.0, 31.0])
    reach = running_max(finish)
    assert visible_indices(begin, finish, reach, 50.0, 60.0).tolist() == [0]
    s = visible_slice(begin, reach, 50.0, 60.0)
    assert s.start == 0  # the slice is a superset; visible_indices trims it


events = st.lists(
    st.tuples(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
        st.floats(min_value=1.0, max_value=5e5, allow_nan=False),
    ),
    max_size=60,
)


@given(
    events,
    st.floats(min_value=-2e6, max_value=2e6, allow_nan=False),
    st.floats(min_value=0.0, max_value=2e6, allow_nan=False),
)
@settings(max_examples=300, deadline=None)
def test_visible_matches_brute_force(pairs, x0, width) -> None:
    begin = np.array(sorted(b for b, _ in pairs), dtype=float)
    order = np.argsort([b for b, _ in pairs], kind="stable")
    finish = np.array([pairs[i][0] + pairs[i][1] for i in order], dtype=float)
    x1 = x0 + width
    reach = running_max(finish)
    expected = np.flatnonzero((begin <= x1) & (finish > x0))
    got = visible_indices(begin, finish, reach, x0, x1)
    np.testing.assert_array_equal(got, expected)
    s = visible_slice(begin, reach, x0, x1)
    assert all(s.start <= i < s.stop for i in expected.tolist())


@given(events, st.lists(st.floats(min_value=-2e6, max_value=2e6), min_size=2, max_size=20))
@settings(max_examples=200, deadline=None)
def test_overlap_counts_match_brute_force(pairs, edges) -> None:
    begin = np.array([b for b, _ in pairs], dtype=float)
    finish = np.array([b + d for b, d in pairs], dtype=float)
    edges_arr = np.array(sorted(edges), dtype=float)
    got = overlap_counts(np.sort(begin), np.sort(finish), edges_arr)
    expected = [
        int(np.sum((begin < hi) & (finish > lo))) for lo, hi in itertools.pairwise(edges_arr)
    ]
    assert got.tolist() == expected
