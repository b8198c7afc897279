"""EventListModel / EventListView: model contract, sorting, selection by id, scale."""

from __future__ import annotations

import time
from collections.abc import Sequence
from types import SimpleNamespace
from typing import overload

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QIcon

from viewer.model.dates import PartialDate
from viewer.model.event import Event
from viewer.ui.event_list import (
    CATEGORY,
    DATE,
    HEADLINE,
    ID_ROLE,
    EventListModel,
    EventListView,
    EventRows,
)

# Showing a top-level widget with a layout on the offscreen platform logs this warning.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

COLORS = {"Diplomacy": "#4e79a7", "War": "#e15759"}


def sample_events() -> list[Event]:
    # Chosen so that sorting the date *text* would give a different order.
    return [
        Event("caesar crosses the Rubicon", PartialDate(-47), category="War", id=10),
        Event("Vesuvius erupts", PartialDate(79, 10, 24), id=11),
        Event("Berlin Wall falls", PartialDate(1989, 11, 9), category="Diplomacy", id=12),
        Event("apollo 11 lands", PartialDate(1969, 7, 20), id=13),
        Event("Armistice", PartialDate(1918, 11, 11), category="War", id=14),
    ]


def sample_rows() -> EventRows:
    return EventRows.from_events(sample_events(), COLORS)


def column(model: EventListModel, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> list:
    return [model.index(r, col).data(role) for r in range(model.rowCount())]


@pytest.fixture
def model() -> EventListModel:
    m = EventListModel()
    m.set_rows(sample_rows())
    return m


@pytest.fixture
def view(qtbot) -> EventListView:
    v = EventListView()
    qtbot.addWidget(v)
    v.set_rows(sample_rows())
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
    model.set_rows(EventRows.from_events(sample_events()[:2]))
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


def test_sort_survives_set_rows(model: EventListModel) -> None:
    model.sort(HEADLINE)
    model.set_rows(sample_rows())
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


def test_rows_must_have_equal_lengths() -> None:
    with pytest.raises(ValueError, match="same length"):
        EventRows(ids=[1, 2], sort_keys=[0.0], dates=["a"], titles=["t"], categories=[""])


def test_from_columns_uses_lazy_dates() -> None:
    cols = SimpleNamespace(
        ids=[1, 2],
        start=["1999-03", "-0043"],
        end=[None, "0014"],
        begin=[PartialDate(1999, 3).begin(), PartialDate(-43).begin()],
        titles=["a", "b"],
        categories=["", "X"],
    )
    rows = EventRows.from_columns(cols, {"X": "#123456"})
    assert list(rows.dates) == ["March 1999", "44 BC – AD 14"]
    assert rows.colors == {"X": "#123456"}


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
    v.set_rows(EventRows.from_events(events))
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
        view.set_rows(sample_rows())
    assert view.selected_ids() == [13]


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


class CountingDates(Sequence[str]):
    """A lazy date column that counts how many rows were formatted."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.formatted: set[int] = set()

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.n))]
        self.formatted.add(i)
        return f"day {i}"


def big_rows(n: int, dates: Sequence[str]) -> EventRows:
    return EventRows(
        ids=list(range(1, n + 1)),
        sort_keys=[float(i * 86_400) for i in range(n)],
        dates=dates,
        titles=[f"Event number {(i * 7919) % n}" for i in range(n)],
        categories=["A" if i % 3 else "" for i in range(n)],
        colors={"A": "#4e79a7"},
    )


def test_hundred_thousand_rows_are_cheap(qtbot) -> None:
    n = 100_000
    dates = CountingDates(n)
    rows = big_rows(n, dates)
    v = EventListView()
    qtbot.addWidget(v)
    v.resize(800, 600)
    v.show()
    qtbot.waitExposed(v)

    t0 = time.perf_counter()
    v.set_rows(rows)
    v.grab()
    t_set = time.perf_counter() - t0
    assert v.list_model().rowCount() == n
    assert len(dates.formatted) < 200  # only the rows on screen were formatted

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
