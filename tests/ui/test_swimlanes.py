"""Swimlanes: grouping by category or tag, band headers that collapse and move, the
keyboard, what the file keeps, pictures and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from test_export import svg_texts
from window_events import EVENTS, make_store, open_window

from viewer.model.lanes import default_lanes
from viewer.store import EventStore
from viewer.store.columns import EventArrays
from viewer.ui.document import Document
from viewer.ui.export import layout_page, render_file
from viewer.ui.main_window import MainWindow
from viewer.ui.picture_data import file_grouper, render_data
from viewer.ui.timeline.groups import GroupSettings, by_category, by_tag, ordered
from viewer.ui.timeline.layout import LaneLayouts, ViewLayout

LEFT = Qt.MouseButton.LeftButton
NO_BUTTON = Qt.MouseButton.NoButton


# -- the model: bands of arrays ----------------------------------------------------------


def arrays_of(n: int, seed: int = 1, categories: int = 3) -> EventArrays:
    rng = np.random.default_rng(seed)
    begin = np.sort(rng.uniform(0, 1e9, n))
    finish = begin + np.where(rng.random(n) < 0.3, rng.uniform(0, 5e7, n), 0.0)
    return EventArrays.from_arrays(
        ids=np.arange(1, n + 1),
        begin=begin,
        finish=finish,
        start_precision=np.full(n, 3),
        end_precision=np.full(n, 3),
        is_range=finish > begin,
        category=rng.integers(-1, categories, n).astype(np.int32),
        titles=[f"Event {i}" for i in range(n)],
        dates=[""] * n,
    )


def test_ordered_keeps_the_kept_order_then_the_rest() -> None:
    assert ordered(["a", "b", "c", "d"], ["c", "x", "a"]) == ["c", "a", "b", "d"]
    assert ordered([], ["a"]) == []


def test_by_category_bands_in_the_kept_order_with_no_category_last() -> None:
    a = arrays_of(40)
    names = {0: "Politics", 1: "Science", 2: "Sport"}
    g = by_category(a, names, order=["Sport"], collapsed=["Science"])
    assert [b.name for b in g.bands] == ["Sport", "Politics", "Science", "No category"]
    assert [b.collapsed for b in g.bands] == [False, False, True, False]
    assert g.arrays is a and not g.has_copies
    for k, band in enumerate(g.bands):
        key = {"Sport": 2, "Politics": 0, "Science": 1, "": -1}[band.key]
        assert np.array_equal(g.group == k, a.category == key)
    assert int(g.counts.sum()) == len(a)


def test_by_tag_draws_an_event_in_each_of_its_tags() -> None:
    a = arrays_of(6)
    pairs = (np.array([1, 1, 3]), np.array([0, 1, 1], dtype=np.int32), ["war", "peace"])
    g = by_tag(a, pairs)
    assert [b.name for b in g.bands] == ["war", "peace", "No tag"]
    assert g.has_copies and len(g.arrays) == 7
    assert np.all(np.diff(g.arrays.begin) >= 0)  # still in time order
    assert sorted(g.arrays.ids.tolist()) == [1, 1, 2, 3, 4, 5, 6]
    ones = np.flatnonzero(g.arrays.ids == 1)
    assert sorted(g.group[ones].tolist()) == [0, 1]
    assert g.counts.tolist() == [1, 2, 4]


def test_settings_round_trip_and_survive_garbage() -> None:
    s = GroupSettings("tag", {"tag": ["b", "a"]}, {"tag": {"a"}, "category": {"x"}})
    again = GroupSettings.from_json(json.loads(json.dumps(s.to_json())))
    assert again == s
    for junk in (None, 3, "tag", {"mode": "sideways"}, {"bands": {"tag": {"order": "x"}}}):
        assert GroupSettings.from_json(junk).mode in ("none", "tag")
    moved = GroupSettings("category")
    moved.move(["a", "b", "c"], "c", 0)
    assert moved.order["category"] == ["c", "a", "b"]
    assert moved.toggle("a") and not moved.toggle("a")


def _check_bands(a: EventArrays, g, lay: ViewLayout) -> None:
    """Every band is its header row then its events' lanes; none overlap in a lane."""
    assert [b.spec for b in lay.bands] == list(g.bands)
    top = 0
    for k, band in enumerate(lay.bands):
        assert band.first == top
        top += band.rows
        mine = g.group == k
        lanes = lay.lanes[mine]
        if band.spec.collapsed:
            assert band.rows == 1 and np.all(lanes == -1)
            assert np.array_equal(band.begin, a.begin[mine])
        else:
            assert np.all((lanes > band.first) & (lanes <= band.last))
            assert set(range(band.first + 1, band.last + 1)) == set(lanes.tolist())
    assert lay.n_lanes == top
    for lane in range(lay.n_lanes):
        ev = lay.order[lay.lane_events(lane)]
        assert np.all(lay.lanes[ev] == lane)
        assert np.all(np.diff(a.begin[ev]) >= 0)
        assert np.all(a.finish[ev][:-1] <= a.begin[ev][1:])  # marks in a lane never overlap


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 300), st.integers(0, 10_000), st.sets(st.sampled_from(["A", "B", "C", ""])))
def test_packed_bands_hold_their_events_only(n: int, seed: int, shut: set[str]) -> None:
    a = arrays_of(n, seed)
    g = by_category(a, {0: "A", 1: "B", 2: "C"}, collapsed=shut)
    layouts = LaneLayouts()
    layouts.set_events(a, np.full(n, 60.0), groups=g)
    lay = layouts.at(1000 / 1e9)
    assert lay is not None and lay.scale is not None
    _check_bands(a, g, lay)


def test_stored_lanes_in_bands_keep_each_events_lane_order() -> None:
    a = arrays_of(12_000, 5, categories=6)
    a.lane[:] = default_lanes(a.begin, a.finish, a.is_range, 1e-6)
    g = by_category(a, {k: f"C{k}" for k in range(6)}, collapsed=["C2"])
    layouts = LaneLayouts()
    layouts.set_events(a, None, groups=g)
    assert layouts.stored
    lay = layouts.at(1e-6)
    assert lay is not None and lay.scale is None
    _check_bands(a, g, lay)
    # within a band, events keep the relative order of their stored lanes
    for k in range(len(lay.bands)):
        mine = (g.group == k) & (lay.lanes >= 0)
        order = np.argsort(a.lane[mine], kind="stable")
        assert np.all(np.diff(lay.lanes[mine][order]) >= 0)


# -- the window --------------------------------------------------------------------------


def tagged_events():
    out = list(EVENTS)
    out[0] = replace(out[0], tags=("diplomacy", "games"))  # in two tag bands
    return out


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_store(tmp_path / "bands.db", tagged_events())


@pytest.fixture
def window(qtbot, tmp_path: Path, db: Path):
    w = open_window(qtbot, tmp_path, db, size=(1400, 900))
    qtbot.wait(10)
    yield w
    w.close()


def band_names(w: MainWindow) -> list[str]:
    return [b.spec.name for b in w.view.bands()]


def chip_point(w: MainWindow, index: int) -> QPoint:
    """The middle of band ``index``'s header chip, in the plot's viewport."""
    w.view.plot.viewport().repaint()
    QApplication.processEvents()
    chips = {c.band: c.rect for c in w.view.item.painter.band_chips}
    return chips[index].center().toPoint()  # (the painter draws in viewport pixels)


def send(w: MainWindow, kind: QEvent.Type, pos: QPoint, button, buttons) -> None:
    vp = w.view.plot.viewport()
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(vp.mapToGlobal(pos)), button, buttons, Qt.KeyboardModifier(0)
    )
    QApplication.sendEvent(vp, event)


def click(w: MainWindow, qtbot, pos: QPoint) -> None:
    send(w, QEvent.Type.MouseButtonPress, pos, LEFT, LEFT)
    send(w, QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON)
    qtbot.wait(5)


def test_group_by_category_from_the_view_menu(qtbot, window) -> None:
    menu = window.grouping.menu
    assert menu in [a.menu() for a in window.view_menu.actions() if a.menu()]
    assert band_names(window) == []
    window.grouping.actions["category"].trigger()
    assert band_names(window) == ["Politics", "Science", "Sport"]
    counts = [b.count for b in window.view.bands()]
    assert counts == [5, 5, 4]
    lay = window.view.item.layout
    assert lay is not None
    for band in lay.bands:  # the header row holds no event
        assert lay.offsets[band.first] == lay.offsets[band.first + 1]
    window.grouping.actions["none"].trigger()
    assert band_names(window) == []


def test_clicking_a_header_collapses_the_band_and_the_file_keeps_it(qtbot, window, db) -> None:
    window.grouping.set_mode("category")
    rows_before = window.view.item.lane_count
    click(window, qtbot, chip_point(window, 1))
    bands = window.view.bands()
    assert [b.spec.collapsed for b in bands] == [False, True, False]
    assert bands[1].rows == 1 and window.view.item.lane_count < rows_before
    with EventStore.open(db, readonly=True) as store:
        kept = store.view_settings()["groups"]
    assert kept["mode"] == "category"
    assert kept["bands"]["category"]["collapsed"] == ["Science"]
    click(window, qtbot, chip_point(window, 1))
    assert not any(b.spec.collapsed for b in window.view.bands())


def test_dragging_a_header_moves_the_band(qtbot, window, db) -> None:
    window.grouping.set_mode("category")
    a, b = chip_point(window, 0), chip_point(window, 2)
    send(window, QEvent.Type.MouseButtonPress, a, LEFT, LEFT)
    for k in range(1, 7):
        qtbot.wait(15)  # pyqtgraph drops mouse moves closer than 10 ms
        send(window, QEvent.Type.MouseMove, a + (b - a) * (k / 6), NO_BUTTON, LEFT)
    send(window, QEvent.Type.MouseButtonRelease, b, LEFT, NO_BUTTON)
    qtbot.wait(5)
    assert band_names(window) == ["Science", "Sport", "Politics"]
    with EventStore.open(db, readonly=True) as store:
        kept = store.view_settings()["groups"]["bands"]["category"]["order"]
    assert kept == ["Science", "Sport", "Politics"]


def test_keys_move_between_bands_collapse_and_move_them(qtbot, window) -> None:
    window.grouping.set_mode("category")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Down)
    qtbot.keyClick(window.view, Qt.Key.Key_Down)
    assert window.grouping.focused_band() == 1
    assert window.view.item.band_focus() == 1
    assert "Science" in window.statusBar().currentMessage()
    qtbot.keyClick(window.view, Qt.Key.Key_Space)
    assert window.view.bands()[1].spec.collapsed
    qtbot.keyClick(window.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert band_names(window) == ["Science", "Politics", "Sport"]
    assert window.grouping.focused_band() == 0
    qtbot.keyClick(window.view, Qt.Key.Key_Space)
    assert not window.view.bands()[0].spec.collapsed


def test_by_tag_selecting_an_event_highlights_every_copy(qtbot, window) -> None:
    window.grouping.set_mode("tag")
    names = band_names(window)
    assert names[-1] == "No tag" and {"diplomacy", "games"} <= set(names)
    treaty = window.data.shown.ids[0]
    drawn = window.view.arrays()
    assert int(np.count_nonzero(drawn.ids == treaty)) == 2
    window.state.set_selection([treaty])
    mask = window.view.item._selected
    assert int(mask.sum()) == 2 and set(drawn.ids[mask].tolist()) == {treaty}


def test_an_edit_regroups_in_place(qtbot, window, db) -> None:
    window.grouping.set_mode("tag")
    store = window.doc.store
    first = store.get_event(int(window.data.shown.ids[1]))
    store.update_event(replace(first, tags=("brand new",)))
    assert "brand new" in band_names(window)
    window.grouping.set_mode("category")
    store.set_event_categories([first.id], "Sport")
    counts = {b.spec.name: b.count for b in window.view.bands()}
    assert counts == {"Politics": 4, "Science": 5, "Sport": 5}


def test_a_filter_keeps_the_bands_of_what_it_shows(qtbot, window) -> None:
    from viewer.model.filters import Filters

    window.grouping.set_mode("category")
    window.state.set_filters(Filters(hidden_categories=frozenset({"Science"})))
    assert band_names(window) == ["Politics", "Sport"]


def test_a_reopened_file_is_grouped_as_it_was(qtbot, tmp_path: Path, window, db) -> None:
    window.grouping.set_mode("category")
    window.grouping.toggle("Sport")
    window.grouping.move("Sport", 0)
    window.close()
    again = MainWindow(QSettings(str(tmp_path / "s2.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    again.resize(1200, 800)
    again.show()
    assert again.open_path(db)
    assert again.grouping.actions["category"].isChecked()
    assert band_names(again) == ["Sport", "Politics", "Science"]
    assert again.view.bands()[0].spec.collapsed
    again.close()


def test_a_read_only_file_is_grouped_but_not_written(qtbot, tmp_path: Path, db) -> None:
    w = MainWindow(QSettings(str(tmp_path / "s3.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    w.set_document(Document(EventStore.open(db, create=False, readonly=True)))
    before = db.read_bytes()
    w.grouping.set_mode("tag")
    assert band_names(w)[-1] == "No tag"
    assert db.read_bytes() == before
    w.close()


# -- pictures and the command line ---------------------------------------------------------


def test_a_picture_has_the_bands_and_their_headers(tmp_path: Path, qapp, db) -> None:
    with EventStore.open(db) as store:
        grouper = file_grouper(store, "category")
        data = render_data(store, grouper=grouper)
        page = layout_page(data, 1600)
        assert page.events is not None
        assert [b.spec.name for b in page.events.layout.bands] == ["Politics", "Science", "Sport"]
        out = tmp_path / "bands.svg"
        render_file(store, out, grouper=grouper)
    texts = svg_texts(out)
    for name in ("Politics", "Science", "Sport"):
        assert name in texts
    assert not any("\u25be" in t for t in texts)  # no disclosure triangle in a picture


def test_file_grouper_follows_the_file_unless_told(tmp_path: Path, qapp, db) -> None:
    with EventStore.open(db) as store:
        assert file_grouper(store) is None
        store.set_view_settings({"groups": {"mode": "tag"}})
        grouper = file_grouper(store)
        assert grouper is not None
        g = grouper(store.load_arrays())
        assert g is not None and g.mode == "tag"
        assert file_grouper(store, "none") is None
        with pytest.raises(ValueError, match="no such grouping"):
            file_grouper(store, "sideways")


def test_view_settings_are_not_metadata(tmp_path: Path, db) -> None:
    with EventStore.open(db) as store:
        store.set_view_settings({"groups": {"mode": "tag"}})
        store.set_view_settings({"other": 1})
        assert "view" not in store.meta()
        assert store.view_settings() == {"groups": {"mode": "tag"}, "other": 1}


@pytest.mark.parametrize("mode", ["category", "tag"])
def test_render_and_snapshot_take_group_by(tmp_path: Path, db, mode: str) -> None:
    for cmd, out in (("render", tmp_path / f"r-{mode}.svg"), ("snapshot", tmp_path / "s.png")):
        done = subprocess.run(
            [sys.executable, "-m", "viewer", cmd, str(db), "--out", str(out), "--group-by", mode],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 1000
    names = {"category": "Politics", "tag": "No tag"}
    assert names[mode] in svg_texts(tmp_path / f"r-{mode}.svg")


def test_export_image_from_the_window_has_its_bands(qtbot, window, monkeypatch, tmp_path) -> None:
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "window.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.grouping.set_mode("category")
    window.grouping.toggle("Sport")
    window.files.act_export_image.trigger()
    texts = svg_texts(out)
    assert {"Politics", "Science", "Sport"} <= set(texts)


def test_presenting_keeps_the_windows_bands(qtbot, window) -> None:
    window.grouping.set_mode("category")
    presenter = window.start_presentation(step=0, screen=None, windowed=True)
    assert presenter is not None
    qtbot.wait(20)
    assert [b.spec.name for b in presenter.view.bands()] == ["Politics", "Science", "Sport"]
    rows = presenter.view.lanes_in(*presenter.view.visible_range())
    assert rows is not None and rows[0] == presenter.view.bands()[0].first
    presenter.close()


# -- a big set in swimlanes follows edits without making the bands anew -------------------


def _rows_by_ids(lay: ViewLayout, a: EventArrays) -> list[list[int]]:
    """Each band's rows that hold events, as their ids in time order."""
    out = []
    for lane in range(lay.n_lanes):
        ev = lay.order[lay.lane_events(lane)]
        if len(ev):
            assert np.all(np.diff(a.begin[ev]) >= 0)
            out.append(a.ids[ev].tolist())
    return out


def _edited_row(a: EventArrays, p: int, shift: float, new_id: int | None = None) -> EventArrays:
    """Event ``p`` moved by ``shift`` seconds (or a copy of it with ``new_id``), in its
    own lane: where the store would keep it when it still fits there."""
    row = a.take(np.array([p]))
    for name in ("begin", "finish", "start_until", "end_from"):
        getattr(row, name)[:] += shift
    if new_id is not None:
        row.ids[:] = new_id
    return row


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.tuples(st.integers(0, 2), st.floats(-1, 1)), max_size=8))
def test_edits_followed_in_stored_bands_match_bands_made_anew(seed: int, edits) -> None:
    a = arrays_of(6000, seed)
    a.lane[:] = default_lanes(a.begin, a.finish, a.is_range, 1e-6)
    names = {0: "A", 1: "B", 2: "C"}
    layouts = LaneLayouts()
    layouts.set_events(a, None, groups=by_category(a, names))
    assert layouts.stored and layouts.at(1e-6) is not None
    next_id = 10**6
    rng = np.random.default_rng(seed)
    for kind, amount in edits:
        p = int(rng.integers(0, len(a)))
        if kind == 0:  # a move in place (a drag): the window's arrays change in place
            patch = a.move_in_place(_edited_row(a, p, amount * 1e3))
            assert patch is not None
        elif kind == 1:  # an event added beside another
            next_id += 1
            a, patch = a.patched([], _edited_row(a, p, 1.0, next_id))
        else:  # an event deleted
            a, patch = a.patched([int(a.ids[p])])
        if not layouts.follow(a, patch):
            layouts.set_events(a, None, groups=by_category(a, names))
        lay = layouts.at(1e-6)
        assert lay is not None
        fresh = ViewLayout.stored_in_bands(a, by_category(a, names))
        assert _rows_by_ids(lay, a) == _rows_by_ids(fresh, a)
        assert [b.count for b in lay.bands] == [b.count for b in fresh.bands]


def test_a_drag_in_a_big_grouped_file_patches_the_bands(qtbot, tmp_path: Path) -> None:
    from viewer.generate import synthetic_batches, synthetic_header

    db = tmp_path / "big.db"
    with EventStore.open(db) as store:
        store.import_batches(synthetic_header(8000), synthetic_batches(8000, seed=3), total=8000)
    w = MainWindow(QSettings(str(tmp_path / "big.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    assert w.open_path(db)
    qtbot.waitUntil(lambda: w.data.ready, timeout=10_000)
    w.grouping.set_mode("category")
    layouts = w.view.item.layouts
    assert layouts.stored and layouts.at(1.0) is not None
    kept = layouts._stored_bands
    before = {b.spec.name: b.count for b in w.view.bands()}
    event_id = int(w.data.shown.ids[4000])
    event = w.doc.store.get_event(event_id)
    after = event.evolve(
        start=event.start.shifted(1), end=event.end.shifted(1) if event.end else None
    )
    w.editing.move_event(event, after)
    assert layouts._stored_bands is kept  # followed, not made anew
    assert {b.spec.name: b.count for b in w.view.bands()} == before
    assert w.view.item.lane_of(event_id) is not None
    w.doc.undo_stack.undo()
    assert {b.spec.name: b.count for b in w.view.bands()} == before
    w.close()


def test_a_timelinejs_files_groups_are_its_bands(tmp_path: Path, qapp) -> None:
    from viewer.io.formats import read_file

    source = Path(__file__).parents[1] / "data" / "timelinejs" / "space_race_groups.json"
    db = tmp_path / "space.db"
    with EventStore.open(db) as store:
        store.import_timeline(read_file(source))
        data = render_data(store, grouper=file_grouper(store, "category"))
        page = layout_page(data, 1600)
    assert page.events is not None
    bands = page.events.layout.bands
    assert [(b.spec.name, b.count) for b in bands] == [
        ("Soviet Union", 7),
        ("Together", 1),
        ("United States", 5),
    ]
