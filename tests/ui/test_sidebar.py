"""FilterSidebar driven like a person would: typing, ticking, Esc, dates, reset."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from viewer.model.dates import PartialDate
from viewer.model.event import Category
from viewer.model.filters import Filters
from viewer.ui.sidebar import KEY_ROLE, NO_CATEGORY_LABEL, SEARCH_DELAY_MS, FilterSidebar

# Showing a top-level widget with a layout on the offscreen platform logs this warning.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

CATEGORIES = [
    (Category("Diplomacy", "#4e79a7"), 5),
    (Category("Military", "#e15759"), 3),
    (Category("Sanctions", "#f28e2b"), 2),
]
# Long enough for the debounce, short enough to keep the suite quick.
SETTLE_MS = SEARCH_DELAY_MS + 250


@pytest.fixture
def sidebar(qtbot) -> FilterSidebar:
    widget = FilterSidebar()
    qtbot.addWidget(widget)
    widget.set_categories(CATEGORIES, uncategorised=2)
    widget.set_tags([("putin", 6), ("summit", 2)])
    widget.resize(260, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def category_item(sidebar: FilterSidebar, key: str):
    lst = sidebar.category_list
    for i in range(lst.count()):
        if lst.item(i).data(KEY_ROLE) == key:
            return lst.item(i)
    raise AssertionError(f"no row for {key!r}")


def tag_item(sidebar: FilterSidebar, tag: str):
    lst = sidebar.tag_list
    for i in range(lst.count()):
        if lst.item(i).data(KEY_ROLE) == tag:
            return lst.item(i)
    raise AssertionError(f"no row for {tag!r}")


def click_check(qtbot, lst, item) -> None:
    """Click the check box of a list row the way a person would."""
    rect = lst.visualItemRect(item)
    pos = QPoint(rect.left() + 10, rect.center().y())  # the check box leads the row
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=pos)


# -- search ------------------------------------------------------------------------------


def test_typing_emits_once_after_the_pause(sidebar: FilterSidebar, qtbot) -> None:
    seen: list[Filters] = []
    sidebar.filtersChanged.connect(seen.append)
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=2000) as blocker:
        qtbot.keyClicks(sidebar.search_edit, "summit")
        assert seen == []  # nothing while typing
    assert blocker.args[0] == Filters(text="summit")
    with qtbot.assertNotEmitted(sidebar.filtersChanged, wait=SETTLE_MS):
        pass
    assert seen == [Filters(text="summit")]
    assert sidebar.filters() == Filters(text="summit")


def test_search_box_placeholder_and_clear_button(sidebar: FilterSidebar) -> None:
    assert sidebar.search_edit.placeholderText() == "Search events…"
    assert sidebar.search_edit.isClearButtonEnabled()


def test_escape_clears_the_search_at_once(sidebar: FilterSidebar, qtbot) -> None:
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=2000):
        qtbot.keyClicks(sidebar.search_edit, "kim")
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=50) as blocker:
        qtbot.keyClick(sidebar.search_edit, Qt.Key.Key_Escape)
    assert sidebar.search_edit.text() == ""
    assert blocker.args[0] == Filters()


def test_retyping_the_same_text_emits_nothing(sidebar: FilterSidebar, qtbot) -> None:
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=2000):
        qtbot.keyClicks(sidebar.search_edit, "kim")
    with qtbot.assertNotEmitted(sidebar.filtersChanged, wait=SETTLE_MS):
        qtbot.keyClick(sidebar.search_edit, Qt.Key.Key_Backspace)
        qtbot.keyClicks(sidebar.search_edit, "m")


def test_focus_search(sidebar: FilterSidebar, qtbot) -> None:
    sidebar.search_edit.setText("old")
    sidebar.activateWindow()
    sidebar.focus_search()
    qtbot.waitUntil(sidebar.search_edit.hasFocus, timeout=1000)
    assert sidebar.search_edit.selectedText() == "old"


# -- categories --------------------------------------------------------------------------


def test_categories_are_listed_with_counts_and_swatches(sidebar: FilterSidebar) -> None:
    lst = sidebar.category_list
    texts = [lst.item(i).text() for i in range(lst.count())]
    assert texts == [
        "Diplomacy  (5)",
        "Military  (3)",
        "Sanctions  (2)",
        f"{NO_CATEGORY_LABEL}  (2)",
    ]
    for i in range(lst.count()):
        assert lst.item(i).checkState() == Qt.CheckState.Checked
        assert not lst.item(i).icon().isNull()


def test_no_uncategorised_row_without_uncategorised_events(sidebar: FilterSidebar) -> None:
    sidebar.set_categories(CATEGORIES)
    assert sidebar.category_list.count() == 3


def test_unchecking_a_category_hides_it(sidebar: FilterSidebar, qtbot) -> None:
    item = category_item(sidebar, "Military")
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=50) as blocker:
        click_check(qtbot, sidebar.category_list, item)
    assert item.checkState() == Qt.CheckState.Unchecked
    assert blocker.args[0].hidden_categories == frozenset({"Military"})
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=50) as blocker:
        click_check(qtbot, sidebar.category_list, item)
    assert blocker.args[0].hidden_categories == frozenset()


def test_unchecking_no_category_hides_the_empty_name(sidebar: FilterSidebar, qtbot) -> None:
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=50) as blocker:
        category_item(sidebar, "").setCheckState(Qt.CheckState.Unchecked)
    assert blocker.args[0].hidden_categories == frozenset({""})


def test_hidden_categories_survive_set_categories(sidebar: FilterSidebar, qtbot) -> None:
    category_item(sidebar, "Sanctions").setCheckState(Qt.CheckState.Unchecked)
    with qtbot.assertNotEmitted(sidebar.filtersChanged):
        sidebar.set_categories(
            [(Category("Sanctions", "#f28e2b"), 9), (Category("Economy", "#59a14f"), 1)]
        )
    assert category_item(sidebar, "Sanctions").checkState() == Qt.CheckState.Unchecked
    assert category_item(sidebar, "Economy").checkState() == Qt.CheckState.Checked
    assert category_item(sidebar, "Sanctions").text() == "Sanctions  (9)"
    assert sidebar.filters().hidden_categories == frozenset({"Sanctions"})


def test_all_and_none_buttons_emit_once(sidebar: FilterSidebar, qtbot) -> None:
    seen: list[Filters] = []
    sidebar.filtersChanged.connect(seen.append)
    qtbot.mouseClick(sidebar.none_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    assert seen[0].hidden_categories == frozenset({"Diplomacy", "Military", "Sanctions", ""})
    qtbot.mouseClick(sidebar.all_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 2
    assert seen[1].hidden_categories == frozenset()


def test_show_only_one_category(sidebar: FilterSidebar) -> None:
    sidebar.show_only_category("Military")
    assert sidebar.filters().hidden_categories == frozenset({"Diplomacy", "Sanctions", ""})


# -- tags ----------------------------------------------------------------------------------


def test_tags_filter_any_of(sidebar: FilterSidebar, qtbot) -> None:
    assert sidebar.tags_section.isVisible()
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=50) as blocker:
        click_check(qtbot, sidebar.tag_list, tag_item(sidebar, "putin"))
    assert blocker.args[0].tags == frozenset({"putin"})
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=50) as blocker:
        tag_item(sidebar, "summit").setCheckState(Qt.CheckState.Checked)
    assert blocker.args[0].tags == frozenset({"putin", "summit"})
    assert tag_item(sidebar, "putin").text() == "putin  (6)"


def test_tag_section_hides_without_tags(sidebar: FilterSidebar) -> None:
    sidebar.set_tags([])
    assert not sidebar.tags_section.isVisible()
    sidebar.set_tags([("a", 1)])
    assert sidebar.tags_section.isVisible()


def test_checked_tags_survive_set_tags(sidebar: FilterSidebar) -> None:
    tag_item(sidebar, "summit").setCheckState(Qt.CheckState.Checked)
    sidebar.set_tags([("summit", 4), ("new", 1)])
    assert tag_item(sidebar, "summit").checkState() == Qt.CheckState.Checked
    assert tag_item(sidebar, "new").checkState() == Qt.CheckState.Unchecked


# -- dates -----------------------------------------------------------------------------------


def test_valid_from_date_applies_and_says_how_it_was_read(sidebar: FilterSidebar, qtbot) -> None:
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=2000) as blocker:
        qtbot.keyClicks(sidebar.from_edit, "July 2000")
    assert blocker.args[0].date_from == PartialDate(2000, 7)
    assert not sidebar.hint_is_error("from")
    assert "July 2000" in sidebar.from_hint.text()


def test_invalid_from_date_shows_an_error_and_changes_nothing(
    sidebar: FilterSidebar, qtbot
) -> None:
    with qtbot.assertNotEmitted(sidebar.filtersChanged, wait=SETTLE_MS):
        qtbot.keyClicks(sidebar.from_edit, "Feb 30 2023")
    assert sidebar.hint_is_error("from")
    assert "no day 30" in sidebar.from_hint.text()
    hint_color = sidebar.from_hint.palette().color(QPalette.ColorRole.WindowText)
    assert hint_color.red() > hint_color.green() + 60  # red
    assert sidebar.filters() == Filters()


def test_nonsense_date_keeps_the_last_good_value(sidebar: FilterSidebar, qtbot) -> None:
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=2000):
        qtbot.keyClicks(sidebar.to_edit, "1999")
    with qtbot.assertNotEmitted(sidebar.filtersChanged, wait=SETTLE_MS):
        qtbot.keyClicks(sidebar.to_edit, " and a bit")
    assert sidebar.hint_is_error("to")
    assert sidebar.to_hint.text().startswith("Cannot read")
    assert sidebar.filters().date_to == PartialDate(1999)


def test_clearing_a_date_removes_the_limit(sidebar: FilterSidebar, qtbot) -> None:
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=2000):
        qtbot.keyClicks(sidebar.from_edit, "44 BC")
    assert sidebar.filters().date_from == PartialDate(-43)
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=2000) as blocker:
        sidebar.from_edit.clear()
    assert blocker.args[0].date_from is None
    assert sidebar.from_hint.text() == "Any date"


def test_range_ending_before_it_starts_is_refused(sidebar: FilterSidebar, qtbot) -> None:
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=2000):
        qtbot.keyClicks(sidebar.from_edit, "2020")
    with qtbot.assertNotEmitted(sidebar.filtersChanged, wait=SETTLE_MS):
        qtbot.keyClicks(sidebar.to_edit, "1990")
    assert sidebar.hint_is_error("to")
    assert sidebar.filters().date_to is None


# -- whole filter ---------------------------------------------------------------------------


def test_set_filters_updates_widgets_and_emits_once(sidebar: FilterSidebar, qtbot) -> None:
    f = Filters(
        text="kim",
        hidden_categories=frozenset({"Military", ""}),
        tags=frozenset({"summit"}),
        date_from=PartialDate(2019, 4),
        date_to=PartialDate(2024),
    )
    seen: list[Filters] = []
    sidebar.filtersChanged.connect(seen.append)
    sidebar.set_filters(f)
    assert seen == [f]
    assert sidebar.filters() == f
    assert sidebar.search_edit.text() == "kim"
    assert category_item(sidebar, "Military").checkState() == Qt.CheckState.Unchecked
    assert category_item(sidebar, "").checkState() == Qt.CheckState.Unchecked
    assert category_item(sidebar, "Diplomacy").checkState() == Qt.CheckState.Checked
    assert tag_item(sidebar, "summit").checkState() == Qt.CheckState.Checked
    assert sidebar.from_edit.text() == "April 2019"
    assert sidebar.to_edit.text() == "2024"
    # The debounce timer must not fire a second time for the text set above.
    with qtbot.assertNotEmitted(sidebar.filtersChanged, wait=SETTLE_MS):
        sidebar.set_filters(f)
    assert seen == [f]


def test_reset_button(sidebar: FilterSidebar, qtbot) -> None:
    assert not sidebar.reset_button.isEnabled()
    sidebar.set_filters(Filters(text="x", hidden_categories=frozenset({"Military"})))
    assert sidebar.reset_button.isEnabled()
    with qtbot.waitSignal(sidebar.filtersChanged, timeout=50) as blocker:
        qtbot.mouseClick(sidebar.reset_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] == Filters()
    assert sidebar.search_edit.text() == ""
    assert all(
        sidebar.category_list.item(i).checkState() == Qt.CheckState.Checked
        for i in range(sidebar.category_list.count())
    )
    assert not sidebar.reset_button.isEnabled()


def test_count_label(sidebar: FilterSidebar) -> None:
    sidebar.set_count(9, 14)
    assert sidebar.count_label.text() == "9 of 14 events"
    sidebar.set_count(14, 14)
    assert sidebar.count_label.text() == "14 events"
    sidebar.set_count(1, 1)
    assert sidebar.count_label.text() == "1 event"
    sidebar.set_count(1500, 100000)
    assert sidebar.count_label.text() == "1,500 of 100,000 events"


def test_palette_change_keeps_hints_readable(sidebar: FilterSidebar, qtbot) -> None:
    qtbot.keyClicks(sidebar.from_edit, "nonsense")
    dark = QPalette(QApplication.palette())
    dark.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
    dark.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.white)
    sidebar.setPalette(dark)
    error = sidebar.from_hint.palette().color(QPalette.ColorRole.WindowText)
    assert error.lightnessF() > 0.55  # a light red on black
    muted = sidebar.to_hint.palette().color(QPalette.ColorRole.WindowText)
    assert muted.lightnessF() > 0.4
