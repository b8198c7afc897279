"""The detail panel's Fields section, through the real widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from viewer.io.formats import read_file
from viewer.model.dates import PartialDate
from viewer.model.event import Event
from viewer.ui.detail import DetailPanel
from viewer.ui.fields import MAX_ROWS, field_rows

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
DATA = Path(__file__).resolve().parents[1] / "data" / "forensic"


@pytest.fixture
def panel(qtbot) -> DetailPanel:
    widget = DetailPanel(open_url=lambda url: None)
    qtbot.addWidget(widget)
    widget.resize(420, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_plaso_event_shows_its_fields_in_the_files_order(panel: DetailPanel) -> None:
    event = read_file(DATA / "plaso.csv").events[4]  # the Berlin one
    panel.show_event(event, None)
    view = panel.fields_view
    assert view.isVisible() and view.heading.text() == "Fields"
    names = [name for name, _ in view.rows()]
    assert names[:5] == ["date", "time", "timezone", "MACB", "sourcetype"]
    assert dict(view.rows())["timezone"] == "Europe/Berlin"
    for label in view.value_labels():
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


def test_microseconds_show_as_the_first_row(panel: DetailPanel) -> None:
    event = read_file(DATA / "timesketch.jsonl").events[0]
    panel.show_event(event, None)
    rows = panel.fields_view.rows()
    assert rows[0] == ("time (UTC)", "08:46:21.123456")
    assert ("event_identifier", "4624") in rows  # a JSON value as JSON
    assert ("strings", '["S-1-5-18", "ana", "CORP", "10"]') in rows


def test_long_values_are_elided_with_all_of_it_in_the_tooltip(panel: DetailPanel) -> None:
    long = "C:/" + "/".join(f"folder{i}" for i in range(60)) + "/file.txt"
    event = Event("x", PartialDate(2020), extra={"fields": [["filename", long], ["<b>", "<i>"]]})
    panel.show_event(event, None)
    label = panel.fields_view.value_labels()[0]
    assert label.text().endswith("…") and len(label.text()) < len(long)
    assert label.full_text() == long
    assert long in label.toolTip()
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    # markup in a name or value is text, never rendered
    name_labels = panel.fields_view.findChildren(QLabel, "fieldName")
    assert any(n.text() == "<b>" for n in name_labels)
    assert panel.fields_view.value_labels()[1].text() == "<i>"


def test_names_and_values_do_not_overlap(panel: DetailPanel) -> None:
    panel.show_event(read_file(DATA / "plaso.csv").events[0], None)
    QApplication.processEvents()
    view = panel.fields_view
    names = [n for n in view.findChildren(QLabel, "fieldName") if n.isVisible()]
    for name, value in zip(names, view.value_labels(), strict=True):
        assert name.geometry().right() < value.geometry().left()
        assert name.width() > 0 and value.width() > 0


def test_events_without_fields_hide_the_section(panel: DetailPanel) -> None:
    panel.show_event(read_file(DATA / "plaso.csv").events[0], None)
    assert panel.fields_view.isVisible()
    panel.show_event(Event("plain", PartialDate(1999)), None)
    assert not panel.fields_view.isVisible()
    panel.show_event(read_file(DATA / "plaso.csv").events[1], None)
    panel.clear()
    assert panel.fields_view.rows() == []


def test_very_many_fields_are_capped() -> None:
    event = Event("x", PartialDate(2020), extra={"fields": {f"k{i}": i for i in range(1000)}})
    assert len(field_rows(event)) == 1000


def test_very_many_fields_in_the_widget(panel: DetailPanel) -> None:
    event = Event("x", PartialDate(2020), extra={"fields": [[f"k{i}", i] for i in range(1000)]})
    panel.show_event(event, None)
    rows = panel.fields_view.rows()
    assert len(rows) == MAX_ROWS
    assert rows[-1] == ("…", f"{1000 - MAX_ROWS + 1:,} more")
    # the section scrolls; the description keeps its place
    assert panel.fields_view.height() < 400
    assert panel.description.height() >= 60


def test_copy_value_copies_all_of_it(panel: DetailPanel, qtbot) -> None:
    long = "x" * 5000
    panel.show_event(Event("x", PartialDate(2020), extra={"fields": [["v", long]]}), None)
    label = panel.fields_view.value_labels()[0]
    assert label.text() != long
    label.copy_value()
    assert QApplication.clipboard().text() == long
