"""A big set grouped by tag follows edits in its bands: every copy of a changed event
goes and a copy per band of its tags now comes in, as a full regroup would draw them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings

from viewer.model.lanes import default_lanes
from viewer.store import EventStore
from viewer.store.columns import EventArrays, Patch
from viewer.ui.main_window import MainWindow
from viewer.ui.timeline.groups import Grouping, by_tag
from viewer.ui.timeline.layout import LaneLayouts, StoredBands, ViewLayout

TAGS = ["arts", "navy", "science", "trade"]
N = 6000  # above the stored-lanes limit (5,000)


def _arrays(n: int, seed: int) -> EventArrays:
    rng = np.random.default_rng(seed)
    begin = np.sort(rng.uniform(0, 1e9, n))
    finish = begin + np.where(rng.random(n) < 0.3, rng.uniform(0, 5e7, n), 0.0)
    a = EventArrays.from_arrays(
        ids=np.arange(1, n + 1),
        begin=begin,
        finish=finish,
        start_precision=np.full(n, 3),
        end_precision=np.full(n, 3),
        is_range=finish > begin,
        category=np.zeros(n, dtype=np.int32),
        titles=[f"Event {i}" for i in range(n)],
        dates=[""] * n,
    )
    a.lane[:] = default_lanes(a.begin, a.finish, a.is_range, 1e-6)
    return a


class Tags:
    """Tags by event id, read as the store gives them (:meth:`EventStore.tag_pairs`)."""

    def __init__(self, tags: dict[int, set[str]]) -> None:
        self.tags = tags
        self.reads: list[int] = []  # how many events each read asked for

    def pairs(self, ids: Iterable[int] | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
        which = sorted(self.tags) if ids is None else sorted({int(i) for i in ids})
        self.reads.append(len(which))
        got = [(i, t) for i in which for t in sorted(self.tags.get(i, ()))]
        names = sorted({t for _i, t in got})
        rank = {t: k for k, t in enumerate(names)}
        return (
            np.array([i for i, _t in got], dtype=np.int64),
            np.array([rank[t] for _i, t in got], dtype=np.int32),
            names,
        )

    def group(self, a: EventArrays) -> Grouping:
        return by_tag(a, self.pairs(), tags_of=self.pairs)


def _rows_by_ids(lay: ViewLayout, a: EventArrays) -> list[list[int]]:
    out = []
    for lane in range(lay.n_lanes):
        ev = lay.order[lay.lane_events(lane)]
        if len(ev):
            assert np.all(np.diff(a.begin[ev]) >= 0)
            out.append(a.ids[ev].tolist())
    return out


def assert_as_made_anew(layouts: LaneLayouts, a: EventArrays, tags: Tags) -> None:
    """What ``layouts`` draws is what a full regroup of ``a`` draws."""
    groups, lay = layouts.groups, layouts.at(1e-6)
    assert groups is not None and lay is not None
    fresh = tags.group(a)
    fresh_lay = StoredBands(fresh.arrays, fresh).layout
    drawn = layouts.arrays
    assert groups.arrays is drawn
    assert [b.key for b in groups.bands] == [b.key for b in fresh.bands]
    for name in ("ids", "begin", "finish", "lane", "category", "start_until", "end_from"):
        assert np.array_equal(getattr(drawn, name), getattr(fresh.arrays, name)), name
    assert np.array_equal(groups.group, fresh.group)
    assert np.array_equal(groups.counts, fresh.counts)
    assert groups.has_copies == fresh.has_copies
    if fresh.rows is not None:
        assert groups.rows is not None and np.array_equal(groups.rows, fresh.rows)
    # (a row left empty stays until the bands are next made: rows with events compared)
    assert _rows_by_ids(lay, drawn) == _rows_by_ids(fresh_lay, fresh.arrays)
    assert [b.count for b in lay.bands] == [b.count for b in fresh_lay.bands]
    for band, made in zip(lay.bands, fresh_lay.bands, strict=True):  # each band's events
        mine = lay.order[lay.offsets[band.first + 1] : lay.offsets[band.last + 1]]
        theirs = fresh_lay.order[fresh_lay.offsets[made.first + 1] : fresh_lay.offsets[made.last + 1]]
        assert sorted(drawn.ids[mine].tolist()) == sorted(fresh.arrays.ids[theirs].tolist())
    for event_id in (int(drawn.ids[0]), int(drawn.ids[-1])):  # the lookup by id holds
        p = drawn.index_of(event_id)
        assert p is not None and int(drawn.ids[p]) == event_id
        assert np.array_equal(drawn.rows_of([event_id]), np.flatnonzero(drawn.ids == event_id))


def _moved(a: EventArrays, p: int, shift: float, new_id: int | None = None) -> EventArrays:
    row = a.take(np.array([p]))
    for name in ("begin", "finish", "start_until", "end_from"):
        getattr(row, name)[:] += shift
    if new_id is not None:
        row.ids[:] = new_id
    return row


def _edit(
    a: EventArrays, tags: Tags, kind: int, p: int, amount: float, new_tags: set[str], new_id: int
) -> tuple[EventArrays, Patch]:
    event_id = int(a.ids[p])
    if kind == 0:  # a drag: the window's arrays move in place
        patch = a.move_in_place(_moved(a, p, amount * 1e3))
        assert patch is not None
        return a, patch
    if kind == 1:  # new tags, the dates kept (an edit of one event: in place too)
        tags.tags[event_id] = new_tags
        patch = a.move_in_place(_moved(a, p, 0.0))
        assert patch is not None
        return a, patch
    if kind == 2:  # an event added beside another
        tags.tags[new_id] = new_tags
        return a.patched([], _moved(a, p, 1.0, new_id))
    tags.tags.pop(event_id, None)  # deleted
    return a.patched([event_id])


def _tags_strategy() -> st.SearchStrategy[set[str]]:
    return st.sets(st.sampled_from(TAGS), max_size=3)


@settings(max_examples=20, deadline=None)
@given(
    st.integers(0, 10_000),
    st.booleans(),
    st.lists(
        st.tuples(st.integers(0, 3), st.floats(-1, 1), _tags_strategy()), min_size=1, max_size=8
    ),
)
def test_edits_followed_in_tag_bands_match_bands_made_anew(seed: int, copies: bool, edits) -> None:
    a = _arrays(N, seed)
    rng = np.random.default_rng(seed)
    tags = Tags(
        {
            int(i): set(rng.choice(TAGS, int(rng.integers(0, 3)) if copies else 1, replace=False))
            for i in a.ids.tolist()
        }
    )
    groups = tags.group(a)
    assert groups.has_copies == (copies and len(groups.arrays) != len(a))
    layouts = LaneLayouts()
    layouts.set_events(groups.arrays, None, groups=groups)
    assert layouts.stored and layouts.at(1e-6) is not None
    followed = 0
    for k, (kind, amount, new_tags) in enumerate(edits):
        p = int(rng.integers(0, len(a)))
        a, patch = _edit(a, tags, kind, p, amount, set(new_tags), 10**6 + k)
        tags.reads.clear()
        if layouts.follow(a, patch):
            followed += 1
            assert max(tags.reads, default=0) <= 1  # the edited event's tags, no more
        else:
            g = tags.group(a)
            layouts.set_events(g.arrays, None, groups=g)
        assert_as_made_anew(layouts, a, tags)


def test_most_edits_of_tag_bands_are_followed_in_place() -> None:
    a = _arrays(N, 7)
    rng = np.random.default_rng(7)
    tags = Tags({int(i): set(rng.choice(TAGS, 2, replace=False)) for i in a.ids.tolist()})
    groups = tags.group(a)
    assert groups.has_copies
    layouts = LaneLayouts()
    layouts.set_events(groups.arrays, None, groups=groups)
    assert layouts.at(1e-6) is not None
    followed = []
    for k in range(40):
        p = int(rng.integers(0, len(a)))
        new_tags = set(rng.choice(TAGS, int(rng.integers(1, 4)), replace=False))
        a, patch = _edit(a, tags, k % 4, p, float(rng.uniform(-1, 1)), new_tags, 10**6 + k)
        followed.append(layouts.follow(a, patch))
        if not followed[-1]:
            g = tags.group(a)
            layouts.set_events(g.arrays, None, groups=g)
        assert_as_made_anew(layouts, a, tags)
    assert sum(followed) >= 30, followed


def test_a_new_tag_or_an_emptied_band_makes_the_bands_anew() -> None:
    a = _arrays(N, 3)
    tags = Tags({int(i): {"arts", "navy"} for i in a.ids.tolist()})
    tags.tags[int(a.ids[10])] = {"trade"}  # the one event of its band
    groups = tags.group(a)
    layouts = LaneLayouts()
    layouts.set_events(groups.arrays, None, groups=groups)
    assert layouts.at(1e-6) is not None
    tags.tags[int(a.ids[20])] = {"science"}  # a tag no event had
    patch = a.move_in_place(_moved(a, 20, 0.0))
    assert patch is not None and not layouts.follow(a, patch)
    g = tags.group(a)
    layouts.set_events(g.arrays, None, groups=g)
    tags.tags[int(a.ids[10])] = {"arts"}  # "trade" left empty
    patch = a.move_in_place(_moved(a, 10, 0.0))
    assert patch is not None and not layouts.follow(a, patch)


# -- through the window --------------------------------------------------------------


def _big_tagged_file(tmp_path: Path, n: int = 6000) -> Path:
    from viewer.generate import synthetic_batches, synthetic_header

    db = tmp_path / "tags.db"
    with EventStore.open(db) as store:
        store.import_batches(synthetic_header(n), synthetic_batches(n, seed=5), total=n)
    return db
