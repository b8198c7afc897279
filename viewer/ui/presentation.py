"""Presentation mode: full screen, one event at a time, for an audience.

Each step glides the timeline (eased, :data:`GLIDE_MS`) to frame the current event
with its neighbours either side (:func:`frame_for`), highlights it and shows a large
card: date, headline, category and description.  Type sizes follow the screen so they
read from the back of a room, the timeline band's too (:meth:`TimelineView.set_scale`).

Keys are clicker-friendly: → Space PageDown Enter (and ↓) next; ← PageUp Backspace
(and ↑) previous; Home/End first and last; digits then Enter jump to that step; O
toggles an overview of the whole timeline; B (or ".") blanks the screen and any key
brings it back; Esc leaves.  The mouse cursor hides after :data:`CURSOR_IDLE_MS`.

The pure parts (which events, in what order, starting where, framed how:
:mod:`viewer.ui.present_steps`; with which headline) are module functions, tested
without a window.  The timeline is drawn on the window's time scale.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QCursor,
    QGuiApplication,
    QKeyEvent,
    QResizeEvent,
    QScreen,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from viewer.io.news import sentences
from viewer.model.event import Category, Event
from viewer.model.time_scale import LINEAR, TimeScale
from viewer.store.columns import EventArrays
from viewer.ui.present_steps import (
    CONTEXT_CAP,
    MIN_CONTEXT,
    MIN_CONTEXT_OF_DURATION,
    NEIGHBOUR_MARGIN,
    frame_for,
    presentation_order,
    presented_indices,
    start_index,
)
from viewer.ui.richtext import description_html, inline_html, one_line, plain_head
from viewer.ui.theme import Theme, contrast_text, current_theme
from viewer.ui.timeline.groups import Grouper
from viewer.ui.timeline.view import TOP_ROOM, TimelineView

__all__ = [
    "CONTEXT_CAP",
    "CURSOR_IDLE_MS",
    "MIN_CONTEXT",
    "MIN_CONTEXT_OF_DURATION",
    "NEIGHBOUR_MARGIN",
    "CardText",
    "PresentationWindow",
    "card_text",
    "frame_for",
    "presentation_order",
    "presented_indices",
    "start_index",
]

#: Keys that go to the next and the previous step (presentation clickers send the
#: page keys; Enter and Backspace also edit a typed step number).
NEXT_KEYS = frozenset({
    Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_PageDown,
    Qt.Key.Key_Return, Qt.Key.Key_Enter,
})  # fmt: skip
PREVIOUS_KEYS = frozenset({
    Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace,
})  # fmt: skip
#: Every key the presentation handles (and digits, for a step number).
OWN_KEYS = NEXT_KEYS | PREVIOUS_KEYS | {
    Qt.Key.Key_Escape, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_O, Qt.Key.Key_B,
    Qt.Key.Key_Period,
}  # fmt: skip
#: Qt's largest widget size (QWIDGETSIZE_MAX), "no maximum".
QWIDGETSIZE_MAX = (1 << 24) - 1
#: How long the mouse may rest before the cursor hides (ms).
CURSOR_IDLE_MS = 2000
#: How long the timeline glides from one step's frame to the next (ms).
GLIDE_MS = 500
#: Most of the height the timeline band takes (it is as tall as the lanes of the
#: busiest step need; the card has the rest), and its share in the overview.
BAND_SHARE = 0.36
OVERVIEW_BAND_SHARE = 0.72
#: Lanes the band has room for at least.
MIN_BAND_ROWS = 2
#: Steps whose lanes are measured to size the band (evenly spread in a long show).
MAX_MEASURED_STEPS = 120
#: The band's sizes (lanes, labels, axis) are those of the main window times the base
#: type size (see :meth:`PresentationWindow._base_px`) over this: 1.8 on a 1080p
#: screen, where the labels are then about 23 px, the description 36 px.
BAND_SCALE_BASE_PX = 20.0
#: The band's scale is kept within these.
BAND_SCALE_RANGE = (1.0, 4.0)
#: A headline longer than this (characters) is not made from the first sentence.
HEADLINE_MAX = 240
#: Longest line of the description, in ems (about 65-75 characters).
DESCRIPTION_MAX_EMS = 34.0
#: Type sizes relative to the base size (see :meth:`PresentationWindow._base_px`),
#: largest first, tried until the card's text fits (:meth:`PresentationWindow._fit_card`).
HEADLINE_SCALES = (2.0, 1.75, 1.55, 1.35, 1.2, 1.05)
BODY_SCALES = (1.0, 0.9, 0.82, 0.75)
OVERVIEW_HEADLINE_SCALE = 1.3
#: A headline wraps to at most this many lines while a smaller size is left.
HEADLINE_LINES = 3


# -- the card's text ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardText:
    """What a card says: a plain-text headline and the description below it (rich text).

    ``headline_html`` is the headline with its own type styles (see
    :func:`~viewer.ui.richtext.inline_html`) where it is the event's title and has
    any; empty, the headline is shown as plain text.
    """

    headline: str
    body: str
    headline_html: str = ""


def _drop_full_stop(sentence: str) -> str:
    if sentence.endswith(".") and not sentence.endswith(".."):
        return sentence[:-1].rstrip()
    return sentence


def card_text(title: str, description: str) -> CardText:
    """The headline and body of an event's card, without saying anything twice.

    Titles derived from the text (news timelines) are the description's first
    sentence, or its start cut with "…".  Then the card's headline is that whole
    first sentence and the body only the rest of the description, so a slide never
    shows the same words twice.  Otherwise the title is the headline and the whole
    description (sanitised rich text) the body.  A headline given as HTML (TimelineJS
    allows it) shows its words, and its bold and italic where it is the title, as in
    the detail panel.
    """
    raw_title = title
    title = one_line(title)
    plain = plain_head(description) if description.strip() else ""
    paragraphs = [" ".join(line.split()) for line in plain.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    stem = _drop_full_stop(title.removesuffix("…").rstrip())
    if paragraphs and stem and paragraphs[0].startswith(stem):
        lead = paragraphs[0]
        at_word_end = len(lead) == len(stem) or not lead[len(stem)].isalnum()
        first = next(iter(sentences(lead)), "")
        if at_word_end and len(stem) <= len(first) <= HEADLINE_MAX:
            rest = [lead[len(first) :].strip(), *paragraphs[1:]]
            body = "\n\n".join(p for p in rest if p)
            return CardText(_drop_full_stop(first), description_html(body)[0] if body else "")
    if not title and paragraphs:
        first = next(iter(sentences(paragraphs[0])), "")
        if first and len(first) <= HEADLINE_MAX:
            return card_text(first, description)
    body = description_html(description)[0] if description.strip() else ""
    rich = inline_html(raw_title) if title else ""
    return CardText(title, body, "" if rich == html.escape(title, quote=False) else rich)


# -- the window --------------------------------------------------------------------------


def _is_own_key(event: QEvent) -> bool:
    """Whether ``event`` is a key the presentation handles (no modifiers but keypad)."""
    if not isinstance(event, QKeyEvent):
        return False
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if modifiers != Qt.KeyboardModifier.NoModifier:
        return False
    return event.key() in OWN_KEYS or event.text().isdigit()


def _css(color: QColor) -> str:
    if color.alpha() == 255:
        return color.name()
    return f"rgba({color.red()}, {color.green()}, {color.blue()}, {color.alpha()})"


def _stage_style(t: Theme, base: float) -> str:
    """The presentation's style sheet: ``t``'s colours, type sized from ``base`` px."""
    small = round(base * 0.6)
    return f"""
            QWidget#presentStage {{ background: {_css(t.window)}; }}
            QWidget#presentBlank {{ background: black; }}
            QFrame#presentCard {{
                background: {_css(t.card_bg)};
                border: 1px solid {_css(t.border)};
                border-radius: {round(base * 0.6)}px;
            }}
            QFrame#presentCard QLabel {{ background: transparent; color: {_css(t.text)}; }}
            QFrame#presentCard QLabel#presentDate {{
                color: {_css(t.accent)}; font-size: {round(base * 1.1)}px; font-weight: 600;
                padding-bottom: {round(base * 0.35)}px;
            }}
            QFrame#presentCard QLabel#presentCategory {{
                font-size: {round(base * 0.7)}px; font-weight: 600;
                border-radius: {round(base * 0.5)}px;
                padding: {round(base * 0.12)}px {round(base * 0.55)}px;
            }}
            QLabel#presentHeadline {{ font-weight: 700; }}
            QLabel#presentDescription {{ padding-top: {round(base * 0.6)}px; }}
            QLabel#presentFooter, QLabel#presentProgress {{
                color: {_css(t.muted_text)}; font-size: {small}px;
            }}
            QLabel#presentJump {{
                color: {_css(t.accent)}; font-size: {small}px; font-weight: 600;
            }}
            """


class PresentationWindow(QWidget):
    """The full-screen presentation of some events of a timeline, one step at a time.

    ``ids`` are the events presented (``None``: all of ``arrays``); they are shown in
    chronological order.  ``load_event`` gives an event's full record and category
    for its card.  Colours come from ``theme`` (default: the application's).

    Signals:
        stepChanged(int): the step now shown (0-based).
        finished(): the presentation was left (Esc or closed); the owner restores
            its own window.
    """

    stepChanged = Signal(int)
    finished = Signal()

    def __init__(
        self,
        arrays: EventArrays,
        colors: Sequence[QColor | None],
        load_event: Callable[[int], tuple[Event | None, Category | None]],
        *,
        uncategorised: QColor | None = None,
        ids: Sequence[int] | None = None,
        title: str = "",
        theme: Theme | None = None,
        grouper: Grouper | None = None,
        time_scale: TimeScale = LINEAR,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presentation")
        self.setWindowTitle(f"{title} — Presentation" if title else "Presentation")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMouseTracking(True)
        self._arrays = arrays
        self._load_event = load_event
        #: Positions in ``arrays`` of the presented events, in chronological order.
        self._order = presented_indices(arrays, ids)
        self._step = 0
        self._typed = ""
        self._overview = False
        self._blank = False
        self._target: tuple[float, float] | None = None
        self._theme = theme or current_theme()

        self.view = TimelineView()
        self.view.setObjectName("presentTimeline")
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.set_scrollbar_policy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.set_colors(list(colors), uncategorised)
        self.view.set_theme(self._theme)
        self.view.set_grouper(grouper)  # the window's swimlanes
        self.view.set_time_scale(time_scale)  # and its time scale
        # no fit: every step sets its own frame
        self.view.set_data(arrays, fit=False)
        #: Rows of the busiest step's frame, and the band's width and scale they were
        #: measured at.
        self._lane_rows = 1
        self._lanes_measured_at: tuple[int, float] | None = None
        self._overview_rows = 1
        self._headline_text = ""
        self._headline_html = ""  # the headline's own bold and italic, when it has any
        self._measure_timer = QTimer(self)
        self._measure_timer.setSingleShot(True)
        self._measure_timer.setInterval(0)
        self._measure_timer.timeout.connect(self._remeasure)
        self.view.animationFinished.connect(self._on_glide_finished)
        self.view.viewbox.sigResized.connect(self._check_lanes)

        self._build_card()
        self._build_footer(title)

        stage = QWidget()
        stage.setObjectName("presentStage")
        # The card hugs its text and sits a little above the middle of the room above
        # the band (where the eye puts the middle).
        slide = QVBoxLayout()
        slide.setContentsMargins(0, 0, 0, 0)
        slide.addStretch(4)
        slide.addWidget(self.card)
        slide.addStretch(5)
        self._stage_layout = QVBoxLayout(stage)
        self._stage_layout.addLayout(slide, 1)
        self._stage_layout.addWidget(self.view)
        self._stage_layout.addLayout(self._footer)

        self.blank_page = QWidget()
        self.blank_page.setObjectName("presentBlank")

        self._stack = QStackedLayout(self)
        self._stack.addWidget(stage)
        self._stack.addWidget(self.blank_page)

        self._cursor_timer = QTimer(self)
        self._cursor_timer.setSingleShot(True)
        self._cursor_timer.setInterval(CURSOR_IDLE_MS)
        self._cursor_timer.timeout.connect(self._hide_cursor)
        self._cursor_timer.start()
        # Mouse moves over the children (the timeline) must wake the cursor too.
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._apply_style()
        self._apply_layout()

    def _build_card(self) -> None:
        self.card = QFrame()
        self.card.setObjectName("presentCard")
        self.card_bar = QFrame()
        self.card_bar.setObjectName("presentCardBar")
        self.date_label = QLabel()
        self.date_label.setObjectName("presentDate")
        self.category_label = QLabel()
        self.category_label.setObjectName("presentCategory")
        self.category_label.hide()
        self.headline = QLabel()
        self.headline.setObjectName("presentHeadline")
        self.description = QLabel()
        self.description.setObjectName("presentDescription")
        self.description.setTextFormat(Qt.TextFormat.RichText)
        self.description.setOpenExternalLinks(False)
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        for label in (self.date_label, self.category_label, self.headline):
            label.setTextFormat(Qt.TextFormat.PlainText)
        for label in (self.date_label, self.headline, self.description):
            label.setIndent(0)
        for label in (self.headline, self.description):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        date_row = self._date_row = QHBoxLayout()
        date_row.setContentsMargins(0, 0, 0, 0)
        date_row.addWidget(self.date_label)
        date_row.addWidget(self.category_label, 0, Qt.AlignmentFlag.AlignVCenter)
        date_row.addStretch(1)
        self._text_box = QVBoxLayout()
        self._text_box.setSpacing(0)
        self._text_box.addLayout(date_row)
        # Heights are set by _fit_card, which knows how much room the card has.
        self._text_box.addWidget(self.headline)
        self._text_box.addWidget(self.description, 0, Qt.AlignmentFlag.AlignLeft)
        self._card_layout = QHBoxLayout(self.card)
        self._card_layout.addWidget(self.card_bar)
        self._card_layout.addLayout(self._text_box, 1)

    def _build_footer(self, title: str) -> None:
        self.title_label = QLabel(title)
        self.title_label.setObjectName("presentFooter")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.jump_label = QLabel()
        self.jump_label.setObjectName("presentJump")
        self.progress = QLabel()
        self.progress.setObjectName("presentProgress")
        self._footer = QHBoxLayout()
        self._footer.addWidget(self.title_label)
        self._footer.addStretch(1)
        self._footer.addWidget(self.jump_label)
        self._footer.addSpacing(24)
        self._footer.addWidget(self.progress)

    # -- public ----------------------------------------------------------------------

    @property
    def step(self) -> int:
        return self._step

    @property
    def count(self) -> int:
        return len(self._order)

    @property
    def is_blank(self) -> bool:
        return self._blank

    @property
    def in_overview(self) -> bool:
        return self._overview

    @property
    def typed(self) -> str:
        """The step number typed so far (jumped to on Enter)."""
        return self._typed

    @property
    def cursor_hidden(self) -> bool:
        return self.cursor().shape() == Qt.CursorShape.BlankCursor

    def current_id(self) -> int | None:
        if not self._order:
            return None
        return int(self._arrays.ids[self._order[self._step]])

    def target_range(self) -> tuple[float, float] | None:
        """Where the timeline is going (or is): the frame of the step, or everything."""
        return self._target

    def go_to(self, step: int, *, animate: bool = True) -> None:
        """Show step ``step`` (0-based; clamped to the steps there are)."""
        step = max(0, min(step, len(self._order) - 1))
        if step == self._step and self._target is not None and not self._overview:
            return  # already there (→ on the last step, Home on the first)
        self._set_overview(False)
        if not self._order:
            self._headline_text = "No events to present"
            self._headline_html = ""
            self.date_label.clear()
            self.description.clear()
            self.progress.setText("0 / 0")
            self._fit_card()
            return
        self._step = step
        index = self._order[step]
        event_id = int(self._arrays.ids[index])
        self.view.set_selected([event_id])
        self._show_card(index)
        self._target = frame_for(self._arrays, index, self.view.time_scale)
        self.view.set_visible_range(*self._target, animate=animate, duration_ms=GLIDE_MS)
        if not animate:
            self._settle_lanes()
        self.progress.setText(f"{self._step + 1} / {len(self._order)}")
        self.stepChanged.emit(self._step)

    def next(self) -> None:
        self.go_to(self._step + 1)

    def previous(self) -> None:
        self.go_to(self._step - 1)

    def toggle_overview(self) -> None:
        """Show the whole timeline with the current event marked, or go back."""
        if self._overview:
            self.go_to(self._step)
            return
        # the whole timeline with room for its labels, as tall as its lanes are there
        self._target = self.view.fit_range()
        lanes = self.view.lanes_in(*self._target)
        self._overview_rows = lanes[1] + 1 if lanes is not None else 1
        self._set_overview(True)
        self.view.set_visible_range(*self._target, animate=True, duration_ms=GLIDE_MS)

    def toggle_blank(self) -> None:
        """Black out the screen (B), or bring the slide back."""
        self._blank = not self._blank
        self._stack.setCurrentIndex(1 if self._blank else 0)
        if self._blank:
            self._hide_cursor()

    def finish_animations(self) -> None:
        """Jump to the end of any glide, and size the band now if it waits for that
        (for snapshots and tests)."""
        if self._measure_timer.isActive():
            self._measure_timer.stop()
            self._remeasure()
        self.view.finish_animation()

    def present_on(self, screen: QScreen | None, *, windowed: bool = False) -> None:
        """Go full screen on ``screen`` (None: the primary one); ``windowed`` shows an
        ordinary window instead (tests, snapshots)."""
        screen = screen or QGuiApplication.primaryScreen()
        if windowed:
            if not self.isVisible() and screen is not None:
                room = screen.availableGeometry().size()
                self.resize(QSize(1280, 720).boundedTo(room * 0.9))
            self.show()
            return
        if self.isFullScreen():
            self.showNormal()
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.activateWindow()

    # -- card ------------------------------------------------------------------------

    def _show_card(self, index: int) -> None:
        event_id = int(self._arrays.ids[index])
        event, category = self._load_event(event_id)
        if event is None:  # gone from the store meanwhile: what the arrays know
            text = CardText(self._arrays.titles[index], "")
            date = self._arrays.dates[index]
        else:
            text = card_text(event.title, event.description)
            date = event.date_text()
        self.date_label.setText(date)
        self._headline_text = text.headline or "Untitled"
        self._headline_html = text.headline_html
        self.description.setText(text.body)
        self.description.setVisible(bool(text.body) and not self._overview)
        bar = QColor(category.color) if category and category.color else self._theme.accent
        self.card_bar.setStyleSheet(f"background: {bar.name()}; border: none; border-radius: 3px;")
        if category is not None:
            chip = QColor(category.color) if category.color else QColor(self._theme.chip_bg)
            fg = contrast_text(chip) if category.color else QColor(self._theme.text)
            self.category_label.setText(category.name)
            self.category_label.setStyleSheet(
                f"QLabel#presentCategory {{ background: {chip.name()}; color: {fg.name()}; }}"
            )
        self.category_label.setVisible(category is not None and not self._overview)
        self._fit_card()

    def _set_overview(self, on: bool) -> None:
        if on == self._overview:
            return
        self._overview = on
        self.description.setVisible(not on and bool(self.description.text()))
        self.category_label.setVisible(not on and bool(self.category_label.text()))
        self.headline.setWordWrap(not on)
        self._apply_layout()

    # -- sizing ----------------------------------------------------------------------

    def _base_px(self) -> float:
        """The body text size: readable from the back of a room on this screen."""
        return max(11.0, min(self.height() / 30, self.width() / 52))

    def _band_scale(self) -> float:
        """The size of the band's lanes, labels and axis (1.0: the main window's), in
        proportion to the card's type."""
        low, high = BAND_SCALE_RANGE
        return min(max(self._base_px() / BAND_SCALE_BASE_PX, low), high)

    def _band_height(self) -> int:
        """The timeline band: as tall as the lanes need, within limits.

        In a step, the lanes of the busiest step's frame (so all steps look alike);
        in the overview, all lanes, and at least as tall as in a step.
        """

        def fit(rows: int, share: float) -> float:
            wanted = self.view.height_for_rows(max(rows, MIN_BAND_ROWS))
            return min(wanted, self.height() * share)

        height = fit(self._lane_rows, BAND_SHARE)
        if self._overview:
            height = max(height, fit(self._overview_rows, OVERVIEW_BAND_SHARE))
        return round(height)

    def set_theme(self, theme: Theme) -> None:
        """Paint in ``theme`` from now on (the appearance switched while presenting)."""
        self._theme = theme
        self.view.set_theme(theme)
        self._apply_style()
        if self._order and not self._overview:  # (the card's bar and chip)
            self._show_card(self._order[self._step])

    def _apply_style(self) -> None:
        """Colours from the theme and type sizes in proportion to the window."""
        self.setStyleSheet(_stage_style(self._theme, self._base_px()))

    def _apply_layout(self) -> None:
        """Margins, paddings and the band's height, then the card's type."""
        base = self._base_px()
        margin_x, margin_y = round(base * 1.4), round(base * 0.9)
        self._stage_layout.setContentsMargins(margin_x, margin_y, margin_x, round(base * 0.5))
        self._stage_layout.setSpacing(round(base * 0.8))
        pad = round(base * (0.7 if self._overview else 1.3))
        self._card_layout.setContentsMargins(pad, pad, pad, pad)
        self._card_layout.setSpacing(round(base * 0.9))
        self.card_bar.setFixedWidth(max(4, round(base * 0.28)))
        self._date_row.setSpacing(round(base * 0.8))
        self.view.set_scale(self._band_scale())
        self._check_lanes()
        self.view.setFixedHeight(self._band_height())
        self._fit_card()

    def _card_text_room(self) -> tuple[int, int]:
        """Width and height (px) the card's text column has, from the window size."""
        stage = self._stage_layout.contentsMargins()
        card = self._card_layout.contentsMargins()
        footer = max(self.progress.sizeHint().height(), self.title_label.sizeHint().height())
        width = (
            self.width()
            - stage.left()
            - stage.right()
            - card.left()
            - card.right()
            - self.card_bar.width()
            - self._card_layout.spacing()
            - 2  # the card's border
        )
        height = (
            self.height()
            - stage.top()
            - stage.bottom()
            - 2 * self._stage_layout.spacing()
            - self._band_height()
            - footer
            - card.top()
            - card.bottom()
            - 2
        )
        return max(width, 50), max(height, 20)

    def _fit_card(self) -> None:
        """The largest type at which the card's text fits.

        The headline takes the largest size (of :data:`HEADLINE_SCALES`) at which it
        wraps to at most :data:`HEADLINE_LINES` lines, then the description the
        largest (of :data:`BODY_SCALES`) at which everything fits; failing that the
        headline shrinks further, and as a last resort the description is cut off.
        The description keeps a readable line length (:data:`DESCRIPTION_MAX_EMS`).
        In the overview the card is one line: the date and the headline, elided.
        """
        base = self._base_px()
        width, height = self._card_text_room()
        fixed = self.date_label.sizeHint().height() if self.date_label.text() else 0
        for label in (self.headline, self.description):
            # a label's size hints are at least its minimum size: measure it free
            label.setMinimumHeight(0)
            label.setMaximumHeight(QWIDGETSIZE_MAX)
        if self._overview:
            self.headline.setStyleSheet(f"font-size: {round(base * OVERVIEW_HEADLINE_SCALE)}px;")
            elided = self.headline.fontMetrics().elidedText(
                self._headline_text, Qt.TextElideMode.ElideRight, width
            )
            self.headline.setTextFormat(Qt.TextFormat.PlainText)
            self.headline.setText(elided)
            self.headline.setFixedHeight(self.headline.sizeHint().height())
            self.description.setFixedHeight(0)
            return
        if self._headline_html:
            self.headline.setTextFormat(Qt.TextFormat.RichText)  # type styles only
            self.headline.setText(self._headline_html)
        else:
            self.headline.setTextFormat(Qt.TextFormat.PlainText)
            self.headline.setText(self._headline_text)
        has_body = bool(self.description.text())
        headline_h = body_h = 0
        fitted = False
        for k, headline_scale in enumerate(HEADLINE_SCALES):
            self.headline.setStyleSheet(f"font-size: {round(base * headline_scale)}px;")
            headline_h = self.headline.heightForWidth(width)
            lines = headline_h / max(1.0, self.headline.fontMetrics().lineSpacing())
            if lines > HEADLINE_LINES + 0.5 and k + 1 < len(HEADLINE_SCALES):
                continue
            for body_scale in BODY_SCALES if has_body else BODY_SCALES[:1]:
                body_px = round(base * body_scale)
                body_width = min(width, round(DESCRIPTION_MAX_EMS * body_px))
                self.description.setStyleSheet(f"font-size: {body_px}px;")
                self.description.setFixedWidth(body_width)
                body_h = self.description.heightForWidth(body_width) if has_body else 0
                if fixed + headline_h + body_h <= height:
                    fitted = True
                    break
            if fitted:
                break
        headline_h = min(headline_h, height - fixed)
        self.headline.setFixedHeight(max(0, headline_h))
        self.description.setFixedHeight(max(0, min(body_h, height - fixed - headline_h)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_style()
        self._apply_layout()

    # -- timeline --------------------------------------------------------------------

    def _on_glide_finished(self) -> None:
        self._settle_lanes()

    def _check_lanes(self) -> None:
        # The lanes follow the band's width and scale (not its height): measure them
        # again, once the resizing is over, when either changed.
        at = (self.view.width(), self.view.scale_factor())
        if at != self._lanes_measured_at and self.view.viewbox.width() >= 10:
            self._measure_timer.start()

    def _remeasure(self) -> None:
        self._lanes_measured_at = (self.view.width(), self.view.scale_factor())
        self._measure_lanes()
        self._apply_layout()
        if self._target is not None and not self.view.is_animating():
            self._settle_lanes()

    def _measure_lanes(self) -> None:
        """How many lanes the busiest step's frame shows at this width and scale.

        Lanes are laid out for the zoom, so each frame is asked about
        (:meth:`TimelineView.lanes_in`); the band is made tall enough for the busiest,
        and each step scrolls its first lane to the top (:meth:`_settle_lanes`), so no
        frame shows rows of nothing.
        """
        self._lane_rows = 1
        steps: Sequence[int] = range(len(self._order))
        if len(steps) > MAX_MEASURED_STEPS:
            picks = np.linspace(0, len(steps) - 1, MAX_MEASURED_STEPS)
            steps = sorted({round(float(k)) for k in picks} | {self._step})
        for step in steps:
            lanes = self.view.lanes_in(
                *frame_for(self._arrays, self._order[step], self.view.time_scale)
            )
            if lanes is not None:
                self._lane_rows = max(self._lane_rows, lanes[1] - lanes[0] + 1)

    def _settle_lanes(self) -> None:
        """Where the glide ends: lanes laid out for that zoom (as measured), and the
        step's first lane at the top (in the overview, the first of all)."""
        self.view.relayout()
        if self._overview:
            self.view.scroll_to_lane_top(-0.5 - TOP_ROOM)
        else:
            self._reveal_current()

    def _reveal_current(self) -> None:
        """Scroll the lanes (never the time) so that the step's lanes are in view."""
        event_id = self.current_id()
        if event_id is None:
            return
        window = self.view.lanes_in(*self.view.visible_range())
        lane = self.view.item.lane_of(event_id)
        if window is not None and lane is not None and window[0] <= lane <= window[1]:
            self.view.scroll_to_lane_top(window[0] - 0.5 - TOP_ROOM)
        else:
            self.view.scroll_to_lane_top(-0.5 - TOP_ROOM)
            self.view.ensure_visible(event_id)

    # -- keys and cursor -------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # The presentation's keys are its own, even before the window is active: the
        # main window's shortcuts (Esc clears its selection…) must not take them.
        if event.type() == QEvent.Type.ShortcutOverride and _is_own_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        K = Qt.Key
        if key == K.Key_Escape:
            if self._typed:
                self._set_typed("")
            else:
                self.close()
            return
        if self._blank:
            self.toggle_blank()  # any key brings the slide back
            return
        text = event.text()
        if text.isdigit():
            self._set_typed(self._typed + text)
        elif key in (K.Key_Return, K.Key_Enter) and self._typed:
            target = int(self._typed) - 1
            self._set_typed("")
            self.go_to(target)
        elif key == K.Key_Backspace and self._typed:
            self._set_typed(self._typed[:-1])
        elif key in NEXT_KEYS:
            self.next()
        elif key in PREVIOUS_KEYS:
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

    def _set_typed(self, typed: str) -> None:
        self._typed = typed
        self.jump_label.setText(f"Go to {typed}" if typed else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.MouseMove
            and isinstance(watched, QWidget)
            and (watched is self or self.isAncestorOf(watched))
        ):
            self._wake_cursor()
        return False

    def _wake_cursor(self) -> None:
        if self.cursor_hidden and not self._blank:
            self.unsetCursor()
            self.view.unsetCursor()
        self._cursor_timer.start()

    def _hide_cursor(self) -> None:
        blank = QCursor(Qt.CursorShape.BlankCursor)
        self.setCursor(blank)
        self.view.setCursor(blank)

    def closeEvent(self, event: QCloseEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._cursor_timer.stop()
        super().closeEvent(event)
        self.finished.emit()
