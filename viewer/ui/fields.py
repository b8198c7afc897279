"""The detail panel's "Fields" section: the columns a file gave an event beyond its
title, date and description (a super-timeline's ``MACB``, ``host``, ``filename``…).

Importers keep them in ``Event.extra["fields"]`` as ``[name, value]`` pairs in the
file's order (see :mod:`viewer.io.forensic`), and the microseconds the timeline's
seconds cannot hold in ``extra["microseconds"]``.  They are shown as a two-column
list of plain text: a value is one line, elided to the width, with all of it in its
tooltip and behind "Copy Value" in its context menu; the labels are made once and
reused, so showing the next event costs a few ``setText`` calls.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QContextMenuEvent, QFont, QFontMetrics, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from viewer.model.event import Event
from viewer.ui.richtext import shown_as_written

__all__ = ["FieldLabel", "FieldsView", "field_rows"]

#: Rows shown at most (a JSON object may have thousands of keys); a last row says
#: how many more there are.
MAX_ROWS = 400
#: Rows that fit before the section scrolls (the description keeps the rest).
ROWS_IN_VIEW = 12
#: Characters of a value its tooltip shows.
TOOLTIP_CHARS = 2000


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def field_rows(event: Event) -> list[tuple[str, str]]:
    """``(name, value)`` to show for an event (empty for one without fields): its
    time to the microsecond when it has microseconds, then its fields as text (a
    JSON value as JSON), empty values left out."""
    extra = event.extra if isinstance(event.extra, dict) else {}
    rows: list[tuple[str, str]] = []
    micro = extra.get("microseconds")
    start = event.start
    if isinstance(micro, int) and not isinstance(micro, bool) and start.second is not None:
        assert start.hour is not None and start.minute is not None
        when = f"{start.hour:02d}:{start.minute:02d}:{start.second:02d}.{micro:06d}"
        rows.append(("time (UTC)", when))
    fields = extra.get("fields")
    if isinstance(fields, dict):
        fields = list(fields.items())
    if isinstance(fields, list):
        for pair in fields:
            if isinstance(pair, list | tuple) and len(pair) == 2:
                value = _text(pair[1])
                if value.strip():
                    rows.append((_text(pair[0]), value))
    return rows


class FieldLabel(QLabel):
    """One line of plain, selectable text, elided to its width; the whole text is
    its tooltip and what "Copy Value" copies."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(0)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setAccessibleName(text[:TOOLTIP_CHARS])
        self._elide()

    def _elide(self) -> None:
        line = " ".join(self._full[:TOOLTIP_CHARS].split())
        shown = QFontMetrics(self.font()).elidedText(
            line, Qt.TextElideMode.ElideRight, max(self.width(), 1)
        )
        self.setText(shown)
        whole = shown == self._full
        tip = self._full[:TOOLTIP_CHARS] + ("\u2026" if len(self._full) > TOOLTIP_CHARS else "")
        self.setToolTip("" if whole else shown_as_written(tip))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._elide()

    def copy_value(self) -> None:
        """Put the whole value on the clipboard (what "Copy Value" does)."""
        QGuiApplication.clipboard().setText(self._full)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        selected = self.selectedText()
        copy = menu.addAction("Copy")
        copy.setEnabled(bool(selected))
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(selected))
        whole = menu.addAction("Copy Value")
        whole.triggered.connect(self.copy_value)
        menu.exec(event.globalPos())
        menu.deleteLater()


class FieldsView(QWidget):
    """The "Fields" heading and a name/value list, scrolling past
    :data:`ROWS_IN_VIEW` rows; hidden for an event without fields."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailFields")
        self.heading = QLabel("Fields")
        heading_font = QFont(self.font())
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(1, 1)
        self._scroll = QScrollArea()
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidgetResizable(True)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setWidget(self._grid_host)
        self._scroll.viewport().setAutoFillBackground(False)
        self._grid_host.setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self._scroll)
        self._names: list[FieldLabel] = []
        self._values: list[FieldLabel] = []
        self._shown = 0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.hide()

    # -- public API ----------------------------------------------------------------------

    def show_event(self, event: Event) -> None:
        self.set_rows(field_rows(event))

    def set_rows(self, rows: Sequence[tuple[str, str]]) -> None:
        """Show ``rows`` (``(name, value)``); none hides the section."""
        if len(rows) > MAX_ROWS:
            rows = [*rows[: MAX_ROWS - 1], ("\u2026", f"{len(rows) - MAX_ROWS + 1:,} more")]
        self.setUpdatesEnabled(False)
        try:
            while len(self._names) < len(rows):
                self._add_row()
            self._grid.setColumnMinimumWidth(0, self._name_width(rows))
            for i, (name, value) in enumerate(rows):
                self._names[i].set_full_text(name)
                self._values[i].set_full_text(value)
                self._names[i].show()
                self._values[i].show()
            for i in range(len(rows), self._shown):
                self._names[i].hide()
                self._values[i].hide()
            self._shown = len(rows)
        finally:
            self.setUpdatesEnabled(True)
        self.setVisible(bool(rows))
        self._scroll.verticalScrollBar().setValue(0)
        self.updateGeometry()

    def clear(self) -> None:
        self.set_rows([])

    def rows(self) -> list[tuple[str, str]]:
        """What is shown, in full (for tests and accessibility)."""
        return [
            (self._names[i].full_text(), self._values[i].full_text()) for i in range(self._shown)
        ]

    def value_labels(self) -> list[FieldLabel]:
        return self._values[: self._shown]

    # -- internals ------------------------------------------------------------------------

    def _add_row(self) -> None:
        row = len(self._names)
        name, value = FieldLabel(), FieldLabel()
        name.setProperty("muted", True)
        name.setObjectName("fieldName")
        value.setObjectName("fieldValue")
        self._grid.addWidget(name, row, 0)
        self._grid.addWidget(value, row, 1)
        self._names.append(name)
        self._values.append(value)

    def _name_width(self, rows: Sequence[tuple[str, str]]) -> int:
        """The names' column: as wide as the widest name, up to a third of the panel."""
        fm = QFontMetrics(self.font())
        widest = max((fm.horizontalAdvance(name[:80]) for name, _ in rows), default=0)
        return max(1, min(widest + 2, max(self.width() // 3, fm.averageCharWidth() * 12)))

    def _row_height(self) -> int:
        return QFontMetrics(self.font()).height() + self._grid.verticalSpacing()

    def sizeHint(self) -> QSize:
        rows = min(self._shown, ROWS_IN_VIEW)
        head = self.heading.sizeHint().height() + 10
        return QSize(300, head + rows * self._row_height() + 2)

    def minimumSizeHint(self) -> QSize:
        rows = min(self._shown, 3)
        return QSize(0, self.heading.sizeHint().height() + 10 + rows * self._row_height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._shown and event.oldSize().width() != event.size().width():
            self._grid.setColumnMinimumWidth(0, self._name_width(self.rows()))
