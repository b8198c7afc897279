"""Presentation mode: full-screen, one event at a time, for an audience.

Each step glides the timeline to frame the current event with context either side,
highlights it and shows a large card (headline, date, category colour, description).
Type sizes follow the screen height so they read from the back of a room.  Keys are
clicker-friendly: → Space PageDown Enter next; ← PageUp Backspace previous; Home/End;
digits then Enter jump; O overview; B blank; Esc leave.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QCursor, QKeyEvent, QMouseEvent, QScreen
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from viewer.model.event import Category, Event
from viewer.ui.richtext import sanitize_html
from viewer.ui.theme import contrast_text
from viewer.ui.timeline.data import EventArrays
from viewer.ui.timeline.view import TimelineView

#: How long a step's glide takes (ms) and how long before an idle cursor hides.
GLIDE_MS = 500
CURSOR_IDLE_MS = 2000
#: The smallest window shown around an event, by the precision of its start.
_MIN_HALF_WINDOW = {0: 3 * 365.25 * 86400, 1: 120 * 86400, 2: 10 * 86400}


def frame_for(arrays: EventArrays, index: int) -> tuple[float, float]:
    """The x range that frames event ``index`` with some context either side.

    The window is wide enough for the event itself plus room on each side: about
    half the gap to its neighbours (so the audience sees what came before and
    after), never less than a precision-dependent minimum (a day-precision event
    is shown with at least ten days either side).
    """
    begin = float(arrays.begin[index])
    finish = float(arrays.finish[index])
    duration = finish - begin
    gaps = []
    if index > 0:
        gaps.append(begin - float(arrays.begin[index - 1]))
    if index + 1 < len(arrays):
        gaps.append(float(arrays.begin[index + 1]) - begin)
    context = 0.6 * min(gaps) if gaps else duration
    precision = int(arrays.start_precision[index])
    minimum = _MIN_HALF_WINDOW.get(precision, 6 * 3600)
    pad = max(context, duration * 0.35, minimum)
    return begin - pad, finish + pad


class PresentationWindow(QWidget):
    """The full-screen presentation of a list of events.

    Signals:
        stepChanged(int): the step now shown (0-based).
        finished(): the presentation was left (Esc); the owner restores its window.
    """

    stepChanged = Signal(int)
    finished = Signal()

    def __init__(
        self,
        arrays: EventArrays,
        colors: Sequence[QColor],
        load_event: Callable[[int], tuple[Event | None, Category | None]],
        *,
        order: Sequence[int] | None = None,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presentation")
        self.setWindowTitle(f"{title} — Presentation" if title else "Presentation")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMouseTracking(True)
        self._arrays = arrays
        self._load_event = load_event
        #: Indices into ``arrays`` of the events presented, in chronological order.
        if order is None:
            self._order = list(range(len(arrays)))
        else:
            wanted = {int(i) for i in order}
            self._order = [i for i, eid in enumerate(arrays.ids.tolist()) if eid in wanted]
        self._step = 0
        self._typed = ""
        self._overview = False
        self._blank = False
        self._title = title

        self.view = TimelineView()
        self.view.setObjectName("presentTimeline")
        self.view.set_colors(list(colors))
        self.view.set_data(arrays)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.card = QFrame()
        self.card.setObjectName("presentCard")
        self.card_bar = QFrame()
        self.card_bar.setObjectName("presentCardBar")
        self.card_bar.setFixedWidth(10)
        self.headline = QLabel()
        self.headline.setObjectName("presentHeadline")
        self.headline.setWordWrap(True)
        self.date_label = QLabel()
        self.date_label.setObjectName("presentDate")
        self.category_label = QLabel()
        self.category_label.setObjectName("presentCategory")
        self.description = QLabel()
        self.description.setObjectName("presentDescription")
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.RichText)
        self.description.setOpenExternalLinks(False)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        text_box = QVBoxLayout()
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_label)
        date_row.addSpacing(16)
        date_row.addWidget(self.category_label)
        date_row.addStretch(1)
        text_box.addLayout(date_row)
        text_box.addWidget(self.headline)
        text_box.addWidget(self.description, 1)
        card_layout = QHBoxLayout(self.card)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_layout.addWidget(self.card_bar)
        card_layout.addLayout(text_box, 1)

        self.progress = QLabel()
        self.progress.setObjectName("presentProgress")
        self.jump_label = QLabel()
        self.jump_label.setObjectName("presentJump")
        footer = QHBoxLayout()
        self.title_label = QLabel(title)
        self.title_label.setObjectName("presentTitle")
        footer.addWidget(self.title_label)
        footer.addStretch(1)
        footer.addWidget(self.jump_label)
        footer.addSpacing(20)
        footer.addWidget(self.progress)

        content = QWidget()
        self._content_layout = QVBoxLayout(content)
        self._content_layout.addWidget(self.view, 5)
        self._content_layout.addWidget(self.card, 4)
        self._content_layout.addLayout(footer)

        self.blank_page = QWidget()
        self.blank_page.setObjectName("presentBlank")
        self.blank_page.setAutoFillBackground(True)
        palette = self.blank_page.palette()
        palette.setColor(self.blank_page.backgroundRole(), QColor("black"))
        self.blank_page.setPalette(palette)

        self._stack = QStackedLayout(self)
        self._stack.addWidget(content)
        self._stack.addWidget(self.blank_page)

        self._cursor_timer = QTimer(self)
        self._cursor_timer.setSingleShot(True)
        self._cursor_timer.setInterval(CURSOR_IDLE_MS)
        self._cursor_timer.timeout.connect(self._hide_cursor)
        self._cursor_timer.start()
        # Mouse moves over children (the timeline) must also wake the cursor.
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        self._scale_fonts()

    # -- public ----------------------------------------------------------------------

    @property
    def step(self) -> int:
        return self._step

    @property
    def count(self) -> int:
        return len(self._order)

    def current_id(self) -> int | None:
        if not self._order:
            return None
        return int(self._arrays.ids[self._order[self._step]])

    def go_to(self, step: int, *, animate: bool = True) -> None:
        """Show step ``step`` (0-based; clamped)."""
        if not self._order:
            self.headline.setText("No events to present")
            self.progress.setText("0 / 0")
            return
        self._step = max(0, min(step, len(self._order) - 1))
        self._overview = False
        index = self._order[self._step]
        x0, x1 = frame_for(self._arrays, index)
        event_id = int(self._arrays.ids[index])
        self.view.set_selected([event_id])
        self.view.set_visible_range(x0, x1, animate=animate)
        self._show_card(event_id)
        self.progress.setText(f"{self._step + 1} / {len(self._order)}")
        self.stepChanged.emit(self._step)

    def next(self) -> None:
        self.go_to(self._step + 1)

    def previous(self) -> None:
        self.go_to(self._step - 1)

    def toggle_overview(self) -> None:
        if self._overview:
            self.go_to(self._step)
            return
        self._overview = True
        self.view.fit_all()

    def toggle_blank(self) -> None:
        self._blank = not self._blank
        self._stack.setCurrentIndex(1 if self._blank else 0)

    @property
    def is_blank(self) -> bool:
        return self._blank

    @property
    def in_overview(self) -> bool:
        return self._overview

    def finish_animations(self) -> None:
        """Jump to the end of any glide (for snapshots and tests)."""
        finish = getattr(self.view, "finish_animation", None)
        if callable(finish):
            finish()
        elif self._order and not self._overview:
            x0, x1 = frame_for(self._arrays, self._order[self._step])
            self.view.set_visible_range(x0, x1, animate=False)

    def present_on(self, screen: QScreen | None, *, windowed: bool = False) -> None:
        """Show full screen on ``screen`` (the primary one when None)."""
        if windowed:
            self.show()
            return
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    # -- card ------------------------------------------------------------------------

    def _show_card(self, event_id: int) -> None:
        event, category = self._load_event(event_id)
        if event is None:
            return
        self.headline.setText(event.title)
        date = event.date_text()
        self.date_label.setText(date)
        color = QColor(category.color) if category else self.palette().mid().color()
        self.card_bar.setStyleSheet(f"background: {color.name()}; border-radius: 4px;")
        if category is not None:
            fg = contrast_text(color)
            self.category_label.setText(category.name)
            self.category_label.setStyleSheet(
                f"background: {color.name()}; color: {fg.name()}; border-radius: 6px;"
                "padding: 2px 10px;"
            )
            self.category_label.show()
        else:
            self.category_label.hide()
        self.description.setText(sanitize_html(event.description) if event.description else "")

    # -- sizing ----------------------------------------------------------------------

    def _scale_fonts(self) -> None:
        """Type sizes in proportion to the window height (read from the back)."""
        h = max(self.height(), 480)
        base = h / 42
        sizes = {
            self.headline: base * 1.9,
            self.date_label: base * 1.15,
            self.category_label: base * 0.85,
            self.description: base * 1.0,
            self.progress: base * 0.7,
            self.jump_label: base * 0.7,
            self.title_label: base * 0.7,
        }
        for label, px in sizes.items():
            font = label.font()
            font.setPixelSize(max(12, round(px)))
            font.setBold(label is self.headline)
            label.setFont(font)
        margin = round(base * 1.2)
        self._content_layout.setContentsMargins(margin, margin // 2, margin, margin // 2)
        self.card.setContentsMargins(0, round(base * 0.5), 0, 0)

    def resizeEvent(self, event: QEvent) -> None:  # type: ignore[override]
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._scale_fonts()

    # -- keys and cursor -------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        K = Qt.Key
        if key == K.Key_Escape:
            if self._typed:
                self._typed = ""
                self.jump_label.setText("")
            else:
                self.close()
            return
        if self._blank and key not in (K.Key_B, K.Key_Period):
            self.toggle_blank()
            return
        text = event.text()
        if text.isdigit():
            self._typed += text
            self.jump_label.setText(f"Go to {self._typed}…")
            return
        if key in (K.Key_Return, K.Key_Enter) and self._typed:
            target = int(self._typed) - 1
            self._typed = ""
            self.jump_label.setText("")
            self.go_to(target)
            return
        if key == K.Key_Backspace and self._typed:
            self._typed = self._typed[:-1]
            self.jump_label.setText(f"Go to {self._typed}…" if self._typed else "")
            return
        if key in (K.Key_Right, K.Key_Space, K.Key_PageDown, K.Key_Return, K.Key_Enter, K.Key_Down):
            self.next()
        elif key in (K.Key_Left, K.Key_PageUp, K.Key_Backspace, K.Key_Up):
            self.previous()
        elif key == K.Key_Home:
            self.go_to(0)
        elif key == K.Key_End:
            self.go_to(len(self._order) - 1)
        elif key == K.Key_O:
            self.toggle_overview()
        elif key in (K.Key_B, K.Key_Period):
            self.toggle_blank()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            w = watched if isinstance(watched, QWidget) else None
            if w is not None and (w is self or self.isAncestorOf(w)):
                self._wake_cursor()
        return False

    def _wake_cursor(self) -> None:
        if self.cursor().shape() == Qt.CursorShape.BlankCursor:
            self.unsetCursor()
            self.view.unsetCursor()
        self._cursor_timer.start()

    def _hide_cursor(self) -> None:
        self.setCursor(QCursor(Qt.CursorShape.BlankCursor))
        self.view.setCursor(QCursor(Qt.CursorShape.BlankCursor))

    def closeEvent(self, event: QEvent) -> None:  # type: ignore[override]
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.finished.emit()
        super().closeEvent(event)  # type: ignore[arg-type]


def presentation_order(arrays: EventArrays, selection: Sequence[int]) -> list[int] | None:
    """Which events to present: the selection when several are selected, else all."""
    if len(selection) > 1:
        return list(selection)
    return None


def start_index(arrays: EventArrays, order: Sequence[int] | None, current: int | None) -> int:
    """The step of the current event in the presented list (0 when absent)."""
    if current is None:
        return 0
    ids = (
        arrays.ids
        if order is None
        else np.asarray([i for i in arrays.ids.tolist() if i in set(order)], dtype=np.int64)
    )
    hits = np.flatnonzero(ids == current)
    return int(hits[0]) if len(hits) else 0
