"""The time scale in the window: View ▸ Time Scale, its reference date, the offer of a
logarithmic scale, and the scale kept in the file.

:class:`TimeScaleController` owns the open document's
:class:`~viewer.model.time_scale.TimeScale` and gives it to the timeline and the
overview; pictures, print and presentations take it from :attr:`~TimeScaleController.scale`.
View ▸ Time Scale ▸ Linear / Logarithmic chooses it, and Reference Date… the date a
logarithmic scale counts back from (the present by default).  Each change is kept in
the file next to the grouping (:meth:`~viewer.store.EventStore.set_view_settings`),
unless the file is read-only: then it is applied and nothing is written.

A file whose events crowd on a linear axis (more than a million years, and most events
on a few pixels: :func:`~viewer.model.time_scale.crowded_on_linear_axis`) is offered
the logarithmic scale once when it opens, by a bar over the timeline
(:class:`TimeScaleHint`) that neither blocks nor comes back until the file is opened
again.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.model.dates import SECONDS_PER_YEAR, DateError, PartialDate
from viewer.model.parse import parse_date
from viewer.model.time_scale import TimeScale, crowded_on_linear_axis
from viewer.store import StoreError
from viewer.ui.actions import choices
from viewer.ui.data import TimelineData
from viewer.ui.document import Document
from viewer.ui.timeline.overview import OverviewStrip
from viewer.ui.timeline.scale_ticks import amount_text
from viewer.ui.timeline.view import TimelineView

__all__ = ["SCALE_LABELS", "ReferenceDialog", "TimeScaleController", "TimeScaleHint"]

log = logging.getLogger(__name__)

#: The View ▸ Time Scale entries, by kind.
SCALE_LABELS = {"linear": "&Linear", "log": "Lo&garithmic"}
_TIPS = {
    "linear": "Draw time evenly: a year is as wide in the Stone Age as today",
    "log": "Draw time before the present in decades: deep time and yesterday side by side",
}


class TimeScaleWindow(Protocol):
    """What the time scale needs of the window."""

    view: TimelineView
    overview: OverviewStrip
    data: TimelineData

    @property
    def doc(self) -> Document | None: ...

    def show_message(self, text: str, msecs: int) -> None: ...


class TimeScaleHint(QFrame):
    """The offer of a logarithmic scale: a line of text, a button that takes it, and
    one that dismisses it.

    Signals:
        accepted(): "Use Logarithmic Scale" was pressed (the bar hides itself).
    """

    accepted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeScaleHint")
        self.setAccessibleName("Time scale suggestion")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.use_button = QPushButton("Use Logarithmic Scale")
        self.use_button.setAccessibleName("Use logarithmic scale")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAccessibleName("Dismiss the time scale suggestion")
        self.close_button.setToolTip("Dismiss")
        row.addWidget(self.text, 1)
        row.addWidget(self.use_button)
        row.addWidget(self.close_button)
        self.use_button.clicked.connect(self._accept)
        self.close_button.clicked.connect(self.hide)
        self.hide()

    def offer(self, span_years: float) -> None:
        """Show the offer for a file spanning ``span_years``."""
        self.text.setText(
            f"This timeline spans {amount_text(span_years)} years, and most of its events "
            "share a few pixels. A logarithmic time scale spreads them out."
        )
        self.show()

    def _accept(self) -> None:
        self.hide()
        self.accepted.emit()


class ReferenceDialog(QDialog):
    """Asks for the date a logarithmic scale counts back from, as the app reads dates
    ("1950", "44 BC", "2024-05-05"); empty is the present.  It says how it reads the
    text and takes only a date it can read."""

    def __init__(self, current: PartialDate | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reference Date")
        self.setObjectName("referenceDialog")
        box = QVBoxLayout(self)
        intro = QLabel(
            "A logarithmic time scale counts back from this date. Leave it empty to count from now."
        )
        intro.setWordWrap(True)
        self.edit = QLineEdit(current.format() if current is not None else "")
        self.edit.setPlaceholderText("now")
        self.edit.setAccessibleName("Reference date")
        intro.setBuddy(self.edit)
        self.reading = QLabel()
        self.reading.setObjectName("referenceReading")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.addWidget(intro)
        box.addWidget(self.edit)
        box.addWidget(self.reading)
        box.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(self._read)
        self._date: PartialDate | None = current
        self._read(self.edit.text())

    def date(self) -> PartialDate | None:
        """The date given (``None``: the present)."""
        return self._date

    def _read(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if not text.strip():
            self._date = None
            self.reading.setText("Counts back from now")
            ok.setEnabled(True)
            return
        try:
            self._date = parse_date(text).nominal  # a point to count from
        except DateError as exc:
            self.reading.setText(str(exc))
            ok.setEnabled(False)
            return
        self.reading.setText(f"Reads as {self._date.format()}")
        ok.setEnabled(True)


class TimeScaleController(QObject):
    """The time scale of the open document (see the module docstring).

    Signals:
        changed(): another scale or reference date was chosen.
    """

    changed = Signal()

    def __init__(self, window: TimeScaleWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._doc: Document | None = None
        self._scale = TimeScale()
        self._reference: PartialDate | None = None  # (kept while the scale is linear)
        self._offered = False
        self.dialog: ReferenceDialog | None = None
        owner = parent if isinstance(parent, QWidget) else None
        self.menu = QMenu("&Time Scale", owner)
        self.menu.setObjectName("timeScaleMenu")
        self.actions = choices(self.menu, self, SCALE_LABELS, self.set_kind, _TIPS)
        self.actions["linear"].setChecked(True)
        self.menu.addSeparator()
        self.act_reference = QAction("&Reference Date…", self)
        self.act_reference.setStatusTip("Choose the date a logarithmic time scale counts back from")
        self.act_reference.triggered.connect(self.choose_reference)
        self.menu.addAction(self.act_reference)
        self.hint = TimeScaleHint()
        self.hint.accepted.connect(lambda: self.set_kind("log"))
        window.data.reset.connect(self._offer)
        self._update_actions()

    @property
    def scale(self) -> TimeScale:
        """The scale the window draws with (pictures and presentations take it)."""
        return self._scale

    # -- the document ------------------------------------------------------------------

    def set_document(self, doc: Document | None) -> None:
        """Draw ``doc`` on the scale it was last drawn on (kept in the file)."""
        self._doc = doc
        self._offered = False
        self.hint.hide()
        scale = TimeScale()
        if doc is not None:
            try:
                scale = TimeScale.from_json(doc.store.view_settings().get("time_scale"))
            except StoreError as exc:  # unreadable settings: linear, nothing lost
                log.warning("%s", exc)
        self._reference = scale.reference
        self._apply(scale)

    # -- choosing ----------------------------------------------------------------------

    def set_kind(self, kind: str) -> None:
        """Draw time ``"linear"`` or ``"log"`` (before the reference date kept)."""
        if kind not in SCALE_LABELS:
            raise ValueError(f"no such time scale: {kind!r}")
        self.actions[kind].setChecked(True)
        if kind == self._scale.kind:
            return
        self.hint.hide()
        self._apply(TimeScale.of(kind, self._reference))
        self._keep()

    def set_reference(self, date: PartialDate | None) -> None:
        """Count a logarithmic scale back from ``date`` (``None``: the present); the
        scale becomes logarithmic."""
        self._reference = date
        self.hint.hide()
        self._apply(TimeScale.log(date))
        self._keep()
        where = date.format() if date is not None else "now"
        self._window.show_message(f"The time scale counts back from {where}", 4000)

    def choose_reference(self) -> ReferenceDialog:
        """Ask for the reference date (a window-modal dialog, not waited for)."""
        dialog = ReferenceDialog(self._reference, self.menu.parentWidget())
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_reference(dialog.date()))
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- internals ---------------------------------------------------------------------

    def _apply(self, scale: TimeScale) -> None:
        self._scale = scale
        if not scale.is_linear:
            self._reference = scale.reference
        self._window.view.set_time_scale(scale)
        self._window.overview.set_time_scale(scale)
        self._update_actions()
        self.changed.emit()

    def _keep(self) -> None:
        doc = self._doc
        if doc is None or doc.readonly:
            return
        try:
            doc.store.set_view_settings({"time_scale": self._scale.to_json()})
        except StoreError as exc:
            self._window.show_message(f"The time scale could not be kept: {exc}", 5000)

    def _offer(self) -> None:
        """Offer the logarithmic scale once per file opened, if its events crowd."""
        data = self._window.data
        if self._offered or self._doc is None or data.loading or not self._scale.is_linear:
            return
        events = data.all
        self._offered = True
        if crowded_on_linear_axis(events.begin, events.finish):
            span = events.span()
            assert span is not None
            self.hint.offer((span[1] - span[0]) / SECONDS_PER_YEAR)

    def _update_actions(self) -> None:
        self.actions[self._scale.kind].setChecked(True)
        for act in (*self.actions.values(), self.act_reference):
            act.setEnabled(self._doc is not None)
