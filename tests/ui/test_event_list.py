"""EventListModel / EventListView: model contract, sorting, selection by id, scale."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QIcon

from viewer.model.dates import PartialDate
from viewer.model.event import Event
from viewer.store.columns import EventArrays
from viewer.ui.event_list import (
    CATEGORY,
    DATE,
    HEADLINE,
    ID_ROLE,
    EventListModel,
    EventListView,
)

# Showing a top-level widget with a layout on the offscreen platform logs this warning.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

KEYS = {"Diplomacy": 1, "War": 2}
CATEGORIES = {1: ("Diplomacy", "#4e79a7"), 2: ("War", "#e15759")}


def sample_events() -> list[Event]:
    # Chosen so that sorting the date *text* would give a different order.
    return [
        Event("caesar crosses the Rubicon", PartialDate(-47), category="War", id=10),
        Event("Vesuvius erupts", PartialDate(79, 10, 24), id=11),
        Event("Berlin Wall falls", PartialDate(1989, 11, 9), category="Diplomacy", id=12),
        Event("apollo 11 lands", PartialDate(1969, 7, 20), id=13),
        Event("Armistice", PartialDate(1918, 11, 11), category="War", id=14),
    ]


def sample_arrays(events: Sequence[Event] | None = None) -> EventArrays:
    return EventArrays.from_events(sample_events() if events is None else events, KEYS)


def column(model: EventListModel, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> list:
    return [model.index(r, col).data(role) for r in range(model.rowCount())]


@pytest.fixture
def model() -> EventListModel:
    m = EventListModel()
    m.set_arrays(sample_arrays(), CATEGORIES)
    return m


@pytest.fixture
def view(qtbot) -> EventListView:
    v = EventListView()
    qtbot.addWidget(v)
    v.set_arrays(sample_arrays(), CATEGORIES)
    v.resize(700, 300)
    v.show()
    qtbot.waitExposed(v)
    return v


# -- the model ----------------------------------------------------------------------------


def test_model_passes_the_qt_model_tester(qtmodeltester, model: EventListModel) -> None:
    qtmodeltester.check(model)


def test_empty_model_passes_the_qt_model_tester(qtmodeltester) -> None:
    qtmodeltester.check(EventListModel())


def test_model_tester_follows_sorting_and_resets(qtmodeltester, model: EventListModel) -> None:
    qtmodeltester.check(model)
    model.sort(HEADLINE, Qt.SortOrder.DescendingOrder)
    model.set_arrays(sample_arrays(sample_events()[:2]))
    model.sort(DATE)


def test_rows_come_in_chronological_order(model: EventListModel) -> None:
    assert column(model, DATE) == [
        "48 BC",
        "24 October AD 79",
        "11 November 1918",
        "20 July 1969",
        "9 November 1989",
    ]
    assert column(model, HEADLINE)[0] == "caesar crosses the Rubicon"
    assert column(model, CATEGORY) == ["War", "", "War", "", "Diplomacy"]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Date",
        "Headline",
        "Category",
    ]


def test_date_sorts_by_position_not_text(model: EventListModel) -> None:
    model.sort(DATE, Qt.SortOrder.DescendingOrder)
    assert column(model, DATE, ID_ROLE) == [12, 13, 14, 11, 10]
    model.sort(DATE, Qt.SortOrder.AscendingOrder)
    assert column(model, DATE, ID_ROLE) == [10, 11, 14, 13, 12]


def test_headline_sorts_case_insensitively(model: EventListModel) -> None:
    model.sort(HEADLINE, Qt.SortOrder.AscendingOrder)
    assert column(model, HEADLINE) == [
        "apollo 11 lands",
        "Armistice",
        "Berlin Wall falls",
        "caesar crosses the Rubicon",
        "Vesuvius erupts",
    ]
    model.sort(HEADLINE, Qt.SortOrder.DescendingOrder)
    assert column(model, HEADLINE)[0] == "Vesuvius erupts"


def test_category_sort_breaks_ties_by_date(model: EventListModel) -> None:
    model.sort(CATEGORY, Qt.SortOrder.AscendingOrder)
    assert column(model, DATE, ID_ROLE) == [11, 13, 12, 10, 14]


def test_sort_emits_layout_signals_and_keeps_persistent_indexes(
    model: EventListModel, qtbot
) -> None:
    from PySide6.QtCore import QPersistentModelIndex

    keep = QPersistentModelIndex(model.index(0, HEADLINE))  # Caesar
    with qtbot.waitSignals([model.layoutAboutToBeChanged, model.layoutChanged], timeout=50):
        model.sort(HEADLINE)
    assert keep.isValid()
    assert keep.data() == "caesar crosses the Rubicon"
    assert keep.row() == 3


def test_row_of_and_id_at_follow_the_sort(model: EventListModel) -> None:
    assert model.row_of(13) == 3
    assert model.id_at(3) == 13
    model.sort(HEADLINE)
    assert model.row_of(13) == 0
    assert model.id_at(0) == 13
    assert model.row_of(999) is None


def test_sort_survives_set_arrays(model: EventListModel) -> None:
    model.sort(HEADLINE)
    model.set_arrays(sample_arrays())
    assert column(model, HEADLINE)[0] == "apollo 11 lands"
    assert model.sort_state() == (HEADLINE, Qt.SortOrder.AscendingOrder)


def test_category_swatch_and_tooltips(model: EventListModel) -> None:
    icon = model.index(0, CATEGORY).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    assert model.index(1, CATEGORY).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(0, DATE).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(1, CATEGORY).data(Qt.ItemDataRole.ToolTipRole) == "No category"
    assert "24 October AD 79" in model.index(1, HEADLINE).data(Qt.ItemDataRole.ToolTipRole)


def test_items_are_selectable_not_editable(model: EventListModel) -> None:
    flags = model.flags(model.index(0, 0))
    assert flags & Qt.ItemFlag.ItemIsSelectable
    assert not flags & Qt.ItemFlag.ItemIsEditable
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_categories_can_be_renamed_in_place(model: EventListModel, qtbot) -> None:
    with qtbot.waitSignal(model.dataChanged, timeout=100):
        model.set_categories({1: ("Peace", "#4e79a7"), 2: ("War", "#e15759")})
    assert column(model, CATEGORY) == ["War", "", "War", "", "Peace"]


def test_a_patch_moves_rows_and_keeps_persistent_indexes(model: EventListModel, qtbot) -> None:
    from PySide6.QtCore import QPersistentModelIndex

    old = model.arrays()
    armistice = QPersistentModelIndex(model.index(model.row_of(14), HEADLINE))
    apollo = QPersistentModelIndex(model.index(model.row_of(13), HEADLINE))
    # Apollo is deleted, Vesuvius moves to 1990, a new event comes in
    moved = Event("Vesuvius erupts", PartialDate(1990), id=11)
    added = Event("Moon", PartialDate(1970), id=20)
    new, patch = old.patched([13, 11], sample_arrays([moved, added]))
    with qtbot.waitSignals([model.layoutAboutToBeChanged, model.layoutChanged], timeout=50):
        model.apply_patch(new, patch)
    assert column(model, DATE, ID_ROLE) == [10, 14, 20, 12, 11]
    assert armistice.isValid() and armistice.row() == 1
    assert not apollo.isValid()
    assert model.row_of(20) == 2 and model.row_of(13) is None


# -- the view ------------------------------------------------------------------------------


def test_view_is_configured_for_a_long_list(view: EventListView) -> None:
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView

    assert not view.showGrid()
    assert view.alternatingRowColors()
    assert view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert view.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    assert view.isSortingEnabled()
    header = view.horizontalHeader()
    assert header.sectionResizeMode(HEADLINE) == QHeaderView.ResizeMode.Stretch
    assert view.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert header.sortIndicatorSection() == DATE
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert column(view.list_model(), DATE, ID_ROLE) == [10, 11, 14, 13, 12]  # still chronological


def test_clicking_headers_sorts(view: EventListView) -> None:
    view.sortByColumn(HEADLINE, Qt.SortOrder.AscendingOrder)
    assert view.list_model().id_at(0) == 13
    view.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
    assert view.list_model().id_at(0) == 12


def test_user_selection_reports_ids(view: EventListView, qtbot) -> None:
    seen: list[list[int]] = []
    view.selectionChangedIds.connect(seen.append)
    model = view.list_model()
    rect = view.visualRect(model.index(model.row_of(14), HEADLINE))
    with qtbot.waitSignal(view.selectionChangedIds, timeout=100) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [[14]]
    rect = view.visualRect(model.index(model.row_of(10), HEADLINE))
    with qtbot.waitSignal(view.selectionChangedIds, timeout=100) as blocker:
        qtbot.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier,
            rect.center(),
        )
    assert blocker.args == [[14, 10]]  # row order, the one just clicked last
    assert view.selected_ids() == [14, 10]
    assert seen == [[14], [14, 10]]  # once per click
    # Clicking a row of a multi-selection makes it the current one, then selects it alone.
    rect = view.visualRect(model.index(model.row_of(14), HEADLINE))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen[-1] == [14]
    assert view.selected_ids() == [14]


def test_select_ids_does_not_emit(view: EventListView, qtbot) -> None:
    with qtbot.assertNotEmitted(view.selectionChangedIds):
        view.select_ids([11, 12])
    assert view.selected_ids() == [11, 12]
    assert view.current_id() == 12  # the last given is current, and listed last
    with qtbot.assertNotEmitted(view.selectionChangedIds):
        view.select_ids([12, 11])
    assert view.selected_ids() == [12, 11]
    assert view.current_id() == 11
    with qtbot.assertNotEmitted(view.selectionChangedIds):
        view.select_ids([])
    assert view.selected_ids() == []


def test_select_ids_ignores_unknown_ids_and_scrolls(qtbot) -> None:
    v = EventListView()
    qtbot.addWidget(v)
    events = [Event(f"Event {i}", PartialDate(1900 + i), id=i + 1) for i in range(300)]
    v.set_arrays(sample_arrays(events))
    v.resize(500, 200)
    v.show()
    qtbot.waitExposed(v)
    v.select_ids([999, 250])
    assert v.selected_ids() == [250]
    assert v.rowAt(0) > 100  # scrolled down to row 249
    v.select_ids([1], scroll=False)
    assert v.rowAt(0) > 100  # not scrolled back


def test_selection_survives_sorting_and_new_rows(view: EventListView, qtbot) -> None:
    view.select_ids([13])
    with qtbot.assertNotEmitted(view.selectionChangedIds):
        view.sortByColumn(HEADLINE, Qt.SortOrder.AscendingOrder)
    assert view.selected_ids() == [13]
    with qtbot.assertNotEmitted(view.selectionChangedIds):
        view.set_arrays(sample_arrays())
    assert view.selected_ids() == [13]


def test_a_patch_keeps_the_selection_and_the_scroll(qtbot) -> None:
    v = EventListView()
    qtbot.addWidget(v)
    events = [Event(f"Event {i}", PartialDate(1900 + i), id=i + 1) for i in range(300)]
    arrays = sample_arrays(events)
    v.set_arrays(arrays)
    v.resize(500, 200)
    v.show()
    qtbot.waitExposed(v)
    v.select_ids([250])
    top = v.rowAt(0)
    assert top > 100
    # an event before the top is deleted, one after it changes
    later = sample_arrays([Event("Later", PartialDate(2500), id=260)])
    new, patch = arrays.patched([5, 260], later)
    with qtbot.assertNotEmitted(v.selectionChangedIds):
        v.apply_patch(new, patch)
    assert v.selected_ids() == [250]
    assert v.list_model().id_at(v.rowAt(0)) == int(arrays.ids[top])  # the same row at the top


def test_enter_and_double_click_activate(view: EventListView, qtbot) -> None:
    model = view.list_model()
    view.selectionModel().setCurrentIndex(
        model.index(model.row_of(11), 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    view.setFocus()
    with qtbot.waitSignal(view.eventActivated, timeout=100) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [11]
    rect = view.visualRect(model.index(model.row_of(12), HEADLINE))
    with qtbot.waitSignal(view.eventActivated, timeout=100) as blocker:
        # A real double-click is a press/release followed by a double-click event.
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [12]


# -- scale -----------------------------------------------------------------------------------


class CountingTexts:
    """A text source that counts the events whose texts were asked for."""

    def __init__(self) -> None:
        self.asked: set[int] = set()

    def texts(self, ids: Sequence[int]) -> Mapping[int, tuple[str, str]]:
        self.asked.update(ids)
        return {i: (f"Event number {(i * 7919) % 100_000}", f"day {i}") for i in ids}


def big_arrays(n: int, texts: CountingTexts) -> EventArrays:
    begin = np.arange(n, dtype=np.float64) * 86_400
    return EventArrays.from_columns(
        {
            "ids": np.arange(1, n + 1),
            "begin": begin,
            "finish": begin + 86_400,
            "start_precision": np.full(n, 2),
            "end_precision": np.full(n, 2),
            "is_range": np.zeros(n, dtype=bool),
            "category": np.where(np.arange(n) % 3, 1, -1),
        },
        texts,
    )


def test_hundred_thousand_rows_are_cheap(qtbot) -> None:
    n = 100_000
    texts = CountingTexts()
    arrays = big_arrays(n, texts)
    v = EventListView()
    qtbot.addWidget(v)
    v.resize(800, 600)
    v.show()
    qtbot.waitExposed(v)

    t0 = time.perf_counter()
    v.set_arrays(arrays, {1: ("A", "#4e79a7")})
    v.grab()
    t_set = time.perf_counter() - t0
    assert v.list_model().rowCount() == n
    assert len(texts.asked) < 200  # only the rows on screen were fetched

    t0 = time.perf_counter()
    v.sortByColumn(HEADLINE, Qt.SortOrder.AscendingOrder)
    v.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
    t_sort = time.perf_counter() - t0
    assert v.list_model().id_at(0) == n

    t0 = time.perf_counter()
    v.select_ids(list(range(1, n + 1, 2)))
    t_select = time.perf_counter() - t0
    assert len(v.selected_ids()) == n // 2
    # Generous bounds: this guards against O(n²) or per-row Qt objects, not speed.
    assert t_set < 2.0, t_set
    assert t_sort < 3.0, t_sort
    assert t_select < 3.0, t_select
