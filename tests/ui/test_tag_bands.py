"""A big set grouped by tag follows edits in its bands: every copy of a changed event
goes and a copy per band of its tags now comes in, as a full regroup would draw them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, QSettings
from PySide6.QtWidgets import QApplication

from tests.ui.test_swimlanes import _edited_row, _rows_by_ids
from viewer.model.lanes import default_lanes
from viewer.store import EventStore
from viewer.store.columns import EventArrays, Patch
from viewer.ui.commands import AddEventCommand, DeleteEventsCommand, EditEventCommand, push
from viewer.ui.main_window import MainWindow
from viewer.ui.timeline.groups import Grouping, by_tag
from viewer.ui.timeline.layout import LaneLayouts, StoredBands

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


def assert_as_made_anew(layouts: LaneLayouts, a: EventArrays, tags: Tags) -> None:
    """What ``layouts`` draws is what a full regroup of ``a`` draws."""
    _as_made_anew(layouts, layouts.arrays, tags.group(a))


def _as_made_anew(layouts: LaneLayouts, drawn: EventArrays, fresh: Grouping) -> None:
    groups, lay = layouts.groups, layouts.at(1e-6)
    assert groups is not None and lay is not None
    fresh_lay = StoredBands(fresh.arrays, fresh).layout
    assert groups.arrays is drawn and layouts.arrays is drawn
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
        theirs = fresh_lay.order[
            fresh_lay.offsets[made.first + 1] : fresh_lay.offsets[made.last + 1]
        ]
        assert sorted(drawn.ids[mine].tolist()) == sorted(fresh.arrays.ids[theirs].tolist())
    for event_id in (int(drawn.ids[0]), int(drawn.ids[-1])):  # the lookup by id holds
        p = drawn.index_of(event_id)
        assert p is not None and int(drawn.ids[p]) == event_id
        assert np.array_equal(drawn.rows_of([event_id]), np.flatnonzero(drawn.ids == event_id))


def _edit(
    a: EventArrays, tags: Tags, kind: int, p: int, amount: float, new_tags: set[str], new_id: int
) -> tuple[EventArrays, Patch]:
    event_id = int(a.ids[p])
    if kind == 0:  # a drag: the window's arrays move in place
        patch = a.move_in_place(_edited_row(a, p, amount * 1e3))
        assert patch is not None
        return a, patch
    if kind == 1:  # new tags, the dates kept (an edit of one event: in place too)
        tags.tags[event_id] = new_tags
        patch = a.move_in_place(_edited_row(a, p, 0.0))
        assert patch is not None
        return a, patch
    if kind == 2:  # an event added beside another
        tags.tags[new_id] = new_tags
        return a.patched([], _edited_row(a, p, 1.0, new_id))
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
    patch = a.move_in_place(_edited_row(a, 20, 0.0))
    assert patch is not None and not layouts.follow(a, patch)
    g = tags.group(a)
    layouts.set_events(g.arrays, None, groups=g)
    tags.tags[int(a.ids[10])] = {"arts"}  # "trade" left empty
    patch = a.move_in_place(_edited_row(a, 10, 0.0))
    assert patch is not None and not layouts.follow(a, patch)


# -- through the window --------------------------------------------------------------


def _batches(n: int):
    """The synthetic events, a third with a second tag and every seventh with none."""
    from viewer.generate import synthetic_batches

    done = 0
    for batch in synthetic_batches(n, seed=5):
        batch.tags = [
            () if (done + k) % 7 == 0 else tags + (("photo",) if (done + k) % 3 == 0 else ())
            for k, tags in enumerate(batch.tags)
        ]
        batch.tags = [tuple(dict.fromkeys(t)) for t in batch.tags]
        done += len(batch.tags)
        yield batch


@pytest.fixture
def big_window(qtbot, tmp_path: Path):
    from viewer.generate import synthetic_header

    db = tmp_path / "tags.db"
    with EventStore.open(db) as store:
        store.import_batches(synthetic_header(N), _batches(N), total=N)
    w = MainWindow(QSettings(str(tmp_path / "tags.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    assert w.open_path(db)
    qtbot.waitUntil(lambda: w.data.ready, timeout=20_000)
    w.grouping.set_mode("tag")
    yield w
    w.close()


def _window_as_made_anew(w: MainWindow) -> None:
    item = w.view.item
    fresh = w.grouping.group(w.data.shown)
    assert fresh is not None
    _as_made_anew(item.layouts, item.arrays, fresh)


def test_edits_in_a_big_file_grouped_by_tag_follow_in_place(qtbot, big_window, monkeypatch) -> None:
    w = big_window
    item, store = w.view.item, w.doc.store
    layouts = item.layouts
    groups = item.groups
    assert layouts.stored and groups is not None and groups.has_copies
    assert layouts.at(1.0) is not None
    kept = layouts._stored_bands
    regrouped: list[int] = []
    set_events = layouts.set_events
    monkeypatch.setattr(
        layouts, "set_events", lambda *a, **k: (regrouped.append(1), set_events(*a, **k))
    )
    read_all: list[int] = []
    tag_pairs = store.tag_pairs
    monkeypatch.setattr(
        store,
        "tag_pairs",
        lambda ids=None: (read_all.append(1) if ids is None else None, tag_pairs(ids))[1],
    )

    def followed() -> None:
        nonlocal kept
        assert not regrouped and not read_all  # no regroup, and no read of every tag
        assert layouts._stored_bands is kept
        _window_as_made_anew(w)

    pair_ids = tag_pairs()[0]
    two = set(
        np.unique(pair_ids)[
            np.bincount(np.searchsorted(np.unique(pair_ids), pair_ids)) == 2
        ].tolist()
    )
    both = next(int(i) for i in w.data.shown.ids[2000:].tolist() if i in two)
    event = store.get_event(both)
    assert event is not None and len(event.tags) == 2
    assert int(np.count_nonzero(item.arrays.ids == both)) == 2
    moved = event.evolve(
        start=event.start.shifted(1), end=event.end.shifted(1) if event.end else None
    )
    assert w.editing.move_event(event, moved)  # a drag: both copies move
    followed()
    for undo in (True, False):  # undo, redo
        (w.doc.undo_stack.undo if undo else w.doc.undo_stack.redo)()
        followed()
    # its tags: one of them dropped, then "No tag", then two again
    for tags in ((event.tags[0],), (), ("analysis", "local")):
        before = store.get_event(both)
        assert before is not None
        w.doc.undo_stack.push(EditEventCommand(w.doc, before, before.evolve(tags=tags)))
        followed()
        assert int(np.count_nonzero(item.arrays.ids == both)) == max(1, len(tags))
    # added, then deleted: where the store puts it (a lane of its own: made anew)...
    one_more = event.evolve(id=None, title="One more")
    probe = AddEventCommand(w.doc, one_more)
    assert push(w.doc, probe) and probe.event_id is not None
    lane = store.lanes_of([probe.event_id])[probe.event_id]
    w.doc.undo_stack.undo()
    regrouped.clear()
    kept = layouts._stored_bands
    groups = item.groups
    assert groups is not None
    # ... then with the tags of the bands that have events in that lane
    there = np.flatnonzero(item.arrays.lane == lane)[:8]
    keys = dict.fromkeys(groups.bands[int(b)].key for b in groups.group[there])
    tags = tuple(k for k in keys if k)
    assert tags  # (the probe's lane holds tagged events)
    add = AddEventCommand(w.doc, one_more.evolve(tags=tags[:2]))
    assert push(w.doc, add) and add.event_id is not None
    assert store.lanes_of([add.event_id])[add.event_id] == lane
    followed()
    assert int(np.count_nonzero(item.arrays.ids == add.event_id)) == len(tags[:2])
    assert push(w.doc, DeleteEventsCommand(w.doc, [add.event_id, both]))
    followed()
    assert not np.any(np.isin(item.arrays.ids, [add.event_id, both]))
    w.doc.undo_stack.undo()
    followed()
    assert int(np.count_nonzero(item.arrays.ids == both)) == 2
    # selection, hover and hit-testing find every copy
    w.state.set_selection([both])
    mask = item._selected
    assert int(mask.sum()) == 2 and set(item.arrays.ids[mask].tolist()) == {both}
    lay = item.layout
    assert lay is not None and item.lane_of(both) is not None
    for i in np.flatnonzero(item.arrays.ids == both).tolist():
        x = float(item.arrays.begin[i] + item.arrays.finish[i]) / 2
        w.view.set_visible_range(x - 3600, x + 3600)
        QApplication.processEvents()
        assert item.event_at(QPointF(x, float(lay.lanes[i]))) == both
    assert regrouped == [] and read_all == []
    w.view.set_scale(1.25)  # another size: grouped again, of the events, not their copies
    _window_as_made_anew(w)


def test_a_new_tag_in_a_big_file_regroups(qtbot, big_window) -> None:
    w = big_window
    item, store = w.view.item, w.doc.store
    event = store.get_event(int(w.data.shown.ids[100]))
    assert event is not None
    w.doc.undo_stack.push(EditEventCommand(w.doc, event, event.evolve(tags=("brand new",))))
    assert "brand new" in [b.spec.name for b in w.view.bands()]
    _window_as_made_anew(w)
    w.doc.undo_stack.undo()
    assert "brand new" not in [b.spec.name for b in w.view.bands()]
    assert int(np.count_nonzero(item.arrays.ids == event.id)) == max(1, len(event.tags))
    _window_as_made_anew(w)
