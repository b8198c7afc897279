"""Lane packing and label placement: pure functions, no Qt."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.ui.timeline import lanes as lanes_mod
from viewer.ui.timeline.lanes import (
    LABEL_GAP,
    MARKER_RADIUS,
    MIN_RANGE_PX,
    RELAYOUT_RATIO,
    event_extents,
    layout_lanes,
    needs_relayout,
    pack_lanes,
    place_labels,
    snap_scale,
)

intervals = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=200),
        st.integers(min_value=1, max_value=60),
    ),
    max_size=80,
)


def as_arrays(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    begin = np.array([b for b, _ in pairs], dtype=float)
    end = np.array([b + d for b, d in pairs], dtype=float)
    return begin, end


def max_depth(begin: np.ndarray, end: np.ndarray) -> int:
    """Most intervals ``[b, e)`` over one point (brute force)."""
    if len(begin) == 0:
        return 0
    return max(int(np.sum((begin <= b) & (end > b))) for b in begin)


# -- pack_lanes ------------------------------------------------------------------------


def test_pack_lanes_empty() -> None:
    assert pack_lanes(np.array([]), np.array([])).tolist() == []


def test_pack_lanes_disjoint_share_lane_zero() -> None:
    lanes = pack_lanes(np.array([0.0, 10.0, 20.0]), np.array([5.0, 15.0, 25.0]))
    assert lanes.tolist() == [0, 0, 0]
    assert lanes.dtype == np.int32


def test_pack_lanes_nested_each_get_a_lane() -> None:
    lanes = pack_lanes(np.array([0.0, 1.0, 2.0]), np.array([10.0, 10.0, 10.0]))
    assert lanes.tolist() == [0, 1, 2]


def test_pack_lanes_first_fit_takes_the_lowest_free_lane() -> None:
    # lanes 1 and 2 are both free when the last one begins; lane 2 freed up first
    begin = np.array([0.0, 1.0, 2.0, 4.0])
    end = np.array([10.0, 3.8, 3.0, 5.0])
    assert pack_lanes(begin, end).tolist() == [0, 1, 2, 1]


def test_pack_lanes_gap_is_kept() -> None:
    begin = np.array([0.0, 10.0])
    end = np.array([9.0, 20.0])
    assert pack_lanes(begin, end, gap=1.0).tolist() == [0, 0]
    assert pack_lanes(begin, end, gap=1.5).tolist() == [0, 1]


def test_pack_lanes_sorts_unsorted_input() -> None:
    begin = np.array([6.0, 0.0, 2.0, 1.0])
    end = np.array([7.0, 5.0, 4.0, 3.0])
    assert pack_lanes(begin, end).tolist() == [0, 0, 2, 1]


def test_pack_lanes_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError):
        pack_lanes(np.array([0.0]), np.array([1.0, 2.0]))


@given(intervals, st.sampled_from([0.0, 0.5, 3.0]))
@settings(max_examples=200, deadline=None)
def test_pack_lanes_never_overlaps_and_is_optimal(pairs, gap) -> None:
    begin, end = as_arrays(pairs)
    lanes = pack_lanes(begin, end, gap)
    assert len(lanes) == len(begin)
    for lane in np.unique(lanes):
        idx = np.flatnonzero(lanes == lane)
        idx = idx[np.argsort(begin[idx], kind="stable")]
        assert np.all(end[idx][:-1] + gap <= begin[idx][1:])
    # first fit in order of begin is an optimal colouring of an interval graph
    n_lanes = int(lanes.max()) + 1 if len(lanes) else 0
    assert n_lanes == max_depth(begin, end + gap)
    # lanes are used from the top: every lane below the highest holds something
    assert set(lanes.tolist()) == set(range(n_lanes))


@given(intervals, st.integers(min_value=-(2**20), max_value=2**20), st.booleans())
@settings(max_examples=100, deadline=None)
def test_layout_depends_on_scale_not_on_position(pairs, shift, with_labels) -> None:
    # The layout has no notion of the view, so panning cannot move an event to another
    # lane; moving the whole set (by an exactly representable amount) changes nothing.
    begin, end = as_arrays(pairs)
    is_range = np.arange(len(begin)) % 2 == 0
    widths = np.full(len(begin), 40.0) if with_labels else None
    offset = shift * 1024.0
    expected = layout_lanes(begin, end, is_range, 0.5, widths)
    moved = layout_lanes(begin + offset, end + offset, is_range, 0.5, widths)
    np.testing.assert_array_equal(expected, moved)


# -- extents and layout ---------------------------------------------------------------


def test_event_extents_marks_and_labels() -> None:
    begin = np.array([0.0, 100.0])
    finish = np.array([50.0, 101.0])  # a range, then a point one pixel wide at scale 1
    is_range = np.array([True, False])
    lo, hi = event_extents(begin, finish, is_range, 1.0)
    assert lo[0] == 0 and hi[0] == 50
    centre = 100.5
    assert lo[1] == pytest.approx(centre - MARKER_RADIUS)
    assert hi[1] == pytest.approx(centre + MARKER_RADIUS)
    lo, hi = event_extents(begin, finish, is_range, 1.0, np.array([80.0, 30.0]))
    assert hi[0] == pytest.approx(LABEL_GAP + 80)  # the label is longer than the bar
    assert hi[1] == pytest.approx(centre + MARKER_RADIUS + LABEL_GAP + 30)


def test_event_extents_short_range_gets_minimum_width() -> None:
    lo, hi = event_extents(np.array([0.0]), np.array([1.0]), np.array([True]), 0.01)
    assert hi[0] - lo[0] == pytest.approx(MIN_RANGE_PX)


def test_layout_lanes_label_width_pushes_neighbours_apart() -> None:
    begin = np.array([0.0, 100.0])
    finish = begin + 1.0
    is_range = np.zeros(2, bool)
    assert layout_lanes(begin, finish, is_range, 1.0).tolist() == [0, 0]
    widths = np.array([200.0, 200.0])
    assert layout_lanes(begin, finish, is_range, 1.0, widths).tolist() == [0, 1]
    # zoomed in enough, the label fits before the next event
    assert layout_lanes(begin, finish, is_range, 10.0, widths).tolist() == [0, 0]


def test_layout_lanes_large_sets_ignore_labels(monkeypatch) -> None:
    monkeypatch.setattr(lanes_mod, "PIXEL_LAYOUT_LIMIT", 1)
    begin = np.array([0.0, 100.0])
    widths = np.array([200.0, 200.0])
    lanes = layout_lanes(begin, begin + 1.0, np.zeros(2, bool), 1.0, widths)
    assert lanes.tolist() == [0, 0]


def test_snap_scale_rounds_down_to_the_grid() -> None:
    for scale in (1e-9, 0.37, 1.0, 3.3, 7e6):
        snapped = snap_scale(scale)
        assert snapped <= scale * (1 + 1e-12)
        assert snapped * RELAYOUT_RATIO > scale
        assert snap_scale(snapped) == pytest.approx(snapped)
    with pytest.raises(ValueError):
        snap_scale(0.0)


def test_needs_relayout_only_on_real_zoom() -> None:
    base = snap_scale(1.0)
    assert needs_relayout(None, 1.0)
    assert not needs_relayout(base, base)  # a pan keeps the scale
    assert not needs_relayout(base, base * 1.2)
    assert needs_relayout(base, base * 1.4)
    assert needs_relayout(base, base / 1.1)
    assert not needs_relayout(base, math.nan)


# -- labels ---------------------------------------------------------------------------


def test_place_labels_respects_limit_and_view() -> None:
    x = np.array([10.0, 10.0, -5.0, 10.0])
    lane = np.array([0, 1, 2, 3])
    width = np.array([50.0, 50.0, 20.0, np.nan])
    limit = np.array([100.0, 55.0, 100.0, 100.0])
    mask = place_labels(x, lane, width, limit, min_x=0.0, gap=2.0)
    assert mask.tolist() == [True, False, False, False]


def test_place_labels_drops_overlapping_labels_in_a_lane() -> None:
    x = np.array([0.0, 30.0, 70.0, 30.0])
    lane = np.array([0, 0, 0, 1])
    width = np.array([50.0, 20.0, 10.0, 50.0])
    limit = np.full(4, np.inf)
    mask = place_labels(x, lane, width, limit, gap=2.0)
    assert mask.tolist() == [True, False, True, True]


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1000),
            st.integers(min_value=0, max_value=4),
            st.floats(min_value=1, max_value=300),
            st.floats(min_value=0, max_value=1500),
        ),
        max_size=60,
    )
)
@settings(max_examples=200, deadline=None)
def test_place_labels_never_overlap(rows) -> None:
    x = np.array([r[0] for r in rows], dtype=float)
    lane = np.array([r[1] for r in rows], dtype=int)
    width = np.array([r[2] for r in rows], dtype=float)
    limit = np.array([r[3] for r in rows], dtype=float)
    mask = place_labels(x, lane, width, limit, min_x=0.0, gap=2.0)
    shown = np.flatnonzero(mask)
    assert np.all(x[shown] + width[shown] + 2.0 <= limit[shown])
    for k in np.unique(lane[shown]):
        idx = shown[lane[shown] == k]
        idx = idx[np.argsort(x[idx])]
        assert np.all(x[idx][:-1] + width[idx][:-1] + 2.0 <= x[idx][1:])
