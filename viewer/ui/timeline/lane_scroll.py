"""The timeline's lanes scrolled up and down, and the scroll bar that shows where.

Time zooms and pans in the view box; the lanes do not zoom: one lane is a row of the
view's row height, and the view box shows as many rows as its height holds.  This
keeps the top of the view within the lanes there are (with a little room above the
first and below the last: more where the density strip may cover the bottom row),
and the vertical scroll bar in step with it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from viewer.ui.timeline.item import EventsItem

__all__ = ["BOTTOM_ROOM", "TOP_ROOM", "LaneScroll"]

#: Lanes of room below the last lane where the density strip may cover the bottom row.
BOTTOM_ROOM = 1.0
#: Lanes of room above the first lane, and below the last where there is no strip.
TOP_ROOM = 0.25


class LaneScroll:
    """The lanes' vertical position in ``viewbox`` and ``scrollbar``; ``row_height``
    tells the height of a lane in pixels (it changes with the view's size factor)."""

    def __init__(
        self,
        viewbox: object,
        item: EventsItem,
        scrollbar: QtWidgets.QScrollBar,
        row_height: Callable[[], float],
    ) -> None:
        self._viewbox = viewbox
        self._item = item
        self._scrollbar = scrollbar
        self._row_height = row_height
        self._syncing = False
        #: When the bar shows: as needed, always or never.
        self.policy = Qt.ScrollBarPolicy.ScrollBarAsNeeded
        scrollbar.valueChanged.connect(self._on_scrollbar)

    def rows(self) -> float:
        """How many lanes the view shows."""
        h = self._viewbox.height()  # type: ignore[attr-defined]
        return max(1.0, h / self._row_height()) if h > 0 else 10.0

    def bounds(self, rows: float) -> tuple[float, float]:
        """The lowest and highest lane positions the view may show."""
        y_min = -0.5 - TOP_ROOM
        y_max = max(self._item.lane_count - 0.5 + self.bottom_room(), y_min + rows)
        return y_min, y_max

    def bottom_room(self) -> float:
        """Room below the last lane: a row where the density strip may show (more
        events than the view has pixel columns), else as little as above the first."""
        width = self._viewbox.width()  # type: ignore[attr-defined]
        return BOTTOM_ROOM if len(self._item.arrays) > width else TOP_ROOM

    def update(self) -> None:
        """The lanes or the view's height changed: limits anew, the top lane kept."""
        rows = self.rows()
        y_min, y_max = self.bounds(rows)
        self._viewbox.setLimits(yMin=y_min, yMax=y_max)  # type: ignore[attr-defined]
        self.scroll_to_top(self.top())

    def top(self) -> float:
        _, (y0, _y1) = self._viewbox.viewRange()  # type: ignore[attr-defined]
        return float(y0)

    def scroll_to_top(self, top: float) -> None:
        """Put the top of the view at ``top`` (in lanes), within the lanes there are."""
        rows = self.rows()
        y_min, y_max = self.bounds(rows)
        top = min(max(top, y_min), y_max - rows)
        self._viewbox.setYRange(top, top + rows, padding=0.0)  # type: ignore[attr-defined]
        self.sync()

    def sync(self) -> None:
        """The scroll bar where the view is (shown as the policy says)."""
        rows = self.rows()
        y_min, y_max = self.bounds(rows)
        row = self._row_height()
        maximum = max(0, round((y_max - y_min - rows) * row))
        bar = self._scrollbar
        self._syncing = True
        try:
            bar.setRange(0, maximum)
            bar.setPageStep(max(1, round(rows * row)))
            bar.setSingleStep(max(1, round(row)))
            bar.setValue(round((self.top() - y_min) * row))
        finally:
            self._syncing = False
        bar.setVisible(
            self.policy == Qt.ScrollBarPolicy.ScrollBarAlwaysOn
            or (self.policy == Qt.ScrollBarPolicy.ScrollBarAsNeeded and maximum > 0)
        )

    def _on_scrollbar(self, value: int) -> None:
        if self._syncing:
            return
        y_min, _ = self.bounds(self.rows())
        self.scroll_to_top(y_min + value / self._row_height())
