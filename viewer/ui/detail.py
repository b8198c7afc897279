"""The detail panel: everything about the selected event, safely rendered.

Descriptions come from imported files, so they are shown through
:func:`viewer.ui.richtext.sanitize_html` in a :class:`SafeTextBrowser` that never
loads any resource (no images, no style sheets, no local files) and opens a link only
when it is clicked, and only for ``http``, ``https`` and ``mailto``.  Source and media
URLs are shown as links and never fetched or embedded.

Colours come from the palette (so light and dark themes both work); only a category
chip uses the category's own colour, with black or white text chosen for contrast.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from viewer.model.colors import NEUTRAL_COLOR
from viewer.model.dates import Qualifier
from viewer.model.event import Category, Event
from viewer.ui.fields import FieldsView
from viewer.ui.image_widgets import ImageStrip
from viewer.ui.richtext import (
    DESCRIPTION_SHOWN,
    description_html,
    inline_html,
    one_line,
    plain_text,
    safe_url,
    shown_as_written,
)
from viewer.ui.theme import ERROR_ON_DARK, ERROR_ON_LIGHT, contrast_text

__all__ = [
    "ChipRow",
    "DetailPanel",
    "SafeTextBrowser",
    "error_color",
    "muted_color",
    "open_safe_url",
]

EMPTY_MESSAGE = "Select an event on the timeline to see its details"
#: Characters of a headline the panel shows (its tooltip holds more).
HEADLINE_SHOWN = 300
#: The link under a long description's first part that shows all of it.
SHOW_ALL = "#show-all"

#: Opens a URL outside the app; replaced in tests so nothing is launched.
UrlOpener = Callable[[QUrl], Any]


# -- colour helpers (shared with the sidebar and the dialogs) -------------------------------


def muted_color(
    palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.WindowText
) -> QColor:
    """A secondary-text colour: the text colour blended 40% towards its background."""
    fg = palette.color(role)
    bg_role = (
        QPalette.ColorRole.Base if role == QPalette.ColorRole.Text else QPalette.ColorRole.Window
    )
    bg = palette.color(bg_role)
    t = 0.4
    return QColor.fromRgbF(
        fg.redF() * (1 - t) + bg.redF() * t,
        fg.greenF() * (1 - t) + bg.greenF() * t,
        fg.blueF() * (1 - t) + bg.blueF() * t,
    )


def error_color(palette: QPalette) -> QColor:
    """A red that reads well on the palette's window colour, light or dark."""
    return QColor(ERROR_ON_DARK if is_dark(palette) else ERROR_ON_LIGHT)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def open_safe_url(url: QUrl, opener: UrlOpener) -> bool:
    """Open ``url`` with ``opener`` only if its scheme is http, https or mailto."""
    text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    if safe_url(text) is None:
        return False
    opener(url)
    return True


def _link_html(url: str, label: str | None = None, *, max_len: int = 60) -> str:
    """An ``<a>`` for a safe URL (escaped), or the escaped text when it is unsafe."""
    target = safe_url(url)
    shown = label or url
    if len(shown) > max_len:
        shown = shown[: max_len - 1] + "…"
    if target is None:
        return html.escape(shown)
    return f'<a href="{html.escape(target, quote=True)}">{html.escape(shown)}</a>'


# -- widgets --------------------------------------------------------------------------------


class SafeTextBrowser(QTextBrowser):
    """A QTextBrowser that never loads anything and never navigates by itself.

    Images, style sheets and documents a description may refer to are never fetched
    (``loadResource`` answers nothing for every URL, remote or local).  Clicking a link
    emits ``anchorClicked`` only; the owner decides whether to open it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.resource_requests: list[QUrl] = []

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        self.resource_requests.append(QUrl(name))
        return None

    def doSetSource(
        self,
        name: QUrl | str,
        type: QTextDocument.ResourceType = (QTextDocument.ResourceType.UnknownResource),
    ) -> None:
        return  # navigation is never done by the browser itself


@dataclass(frozen=True, slots=True)
class Chip:
    text: str
    color: QColor | None = None  # None: a neutral, palette-coloured tag chip


class ChipRow(QWidget):
    """Rounded labels (the category, then the tags) that wrap onto several lines.

    Painted by one widget rather than one QLabel per tag, so a long tag list costs
    nothing; the text is exposed through the accessible name and tooltip.
    """

    H_PAD = 8
    V_PAD = 3
    GAP = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chips: list[Chip] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_chips(self, chips: Sequence[Chip]) -> None:
        self._chips = list(chips)
        self.setAccessibleName(", ".join(c.text for c in self._chips))
        self.updateGeometry()
        self.update()

    def chips(self) -> list[Chip]:
        return list(self._chips)

    def _chip_font(self, chip: Chip) -> QFont:
        font = QFont(self.font())
        if chip.color is not None:
            font.setBold(True)
        else:
            font.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
        return font

    def _layout(self, width: int) -> list[tuple[QRect, Chip]]:
        rects: list[tuple[QRect, Chip]] = []
        x = y = 0
        line_h = 0
        width = max(width, 1)
        for chip in self._chips:
            fm = QFontMetricsF(self._chip_font(chip))
            # Fractional advances: rounding down would elide the last letter.
            w = min(math.ceil(fm.horizontalAdvance(chip.text)) + 2 * self.H_PAD + 1, width)
            h = math.ceil(fm.height()) + 2 * self.V_PAD
            if x > 0 and x + w > width:
                x = 0
                y += line_h + self.GAP
                line_h = 0
            rects.append((QRect(x, y, w, h), chip))
            x += w + self.GAP
            line_h = max(line_h, h)
        return rects

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rects = self._layout(width)
        return max((r.bottom() + 1 for r, _ in rects), default=0)

    def sizeHint(self) -> QSize:
        width = max(self.width(), 200)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.heightForWidth(max(self.width(), 200)) if self._chips else 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        for rect, chip in self._layout(self.width()):
            painter.setFont(self._chip_font(chip))
            radius = rect.height() / 2
            box = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5)
            if chip.color is not None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(chip.color)
                fg = contrast_text(chip.color)
            else:
                painter.setPen(QPen(muted_color(pal), 1))
                painter.setBrush(pal.color(QPalette.ColorRole.AlternateBase))
                fg = pal.color(QPalette.ColorRole.WindowText)
            painter.drawRoundedRect(box, radius, radius)
            painter.setPen(fg)
            text_rect = rect.adjusted(self.H_PAD, 0, -self.H_PAD, 0)
            text = QFontMetrics(painter.font()).elidedText(
                chip.text, Qt.TextElideMode.ElideRight, text_rect.width()
            )
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # the wrapped height depends on the width


class DetailPanel(QWidget):
    """Shows one event: headline, date, category and tags, description and links.

    Signals:
        editRequested(): the "Edit…" button was pressed (only shown when editable).
        linkActivated(QUrl): a link was clicked and, being http/https/mailto, opened.
    """

    editRequested = Signal()
    linkActivated = Signal(QUrl)
    _built = False  # (Qt sends palette changes while it is being built)

    def __init__(self, parent: QWidget | None = None, *, open_url: UrlOpener | None = None) -> None:
        super().__init__(parent)
        self._open_url: UrlOpener = open_url or QDesktopServices.openUrl
        self._event: Event | None = None
        self._category: Category | None = None
        self._editable = True

        # Empty state.
        self.empty_label = QLabel(EMPTY_MESSAGE)
        self.empty_label.setObjectName("detailEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.empty_label.setProperty("muted", True)
        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addStretch(1)

        # Event page.
        self.headline_label = QLabel()
        self.headline_label.setObjectName("detailHeadline")
        self.headline_label.setWordWrap(True)
        # a headline's bold and italic (TimelineJS allows inline HTML): inline_html
        # keeps type styles only, so nothing in it can load or link
        self.headline_label.setTextFormat(Qt.TextFormat.RichText)
        self.headline_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        headline_font = QFont(self.font())
        headline_font.setPointSizeF(self.font().pointSizeF() * 1.45)
        headline_font.setBold(True)
        self.headline_label.setFont(headline_font)
        self.headline_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Edit this event")
        self.edit_button.clicked.connect(lambda: self.editRequested.emit())

        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(self.headline_label, 1)
        head.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)

        self.date_label = QLabel()
        self.date_label.setObjectName("detailDate")
        self.date_label.setWordWrap(True)
        self.date_label.setTextFormat(Qt.TextFormat.PlainText)
        self.date_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        date_font = QFont(self.font())
        date_font.setPointSizeF(self.font().pointSizeF() * 1.1)
        self.date_label.setFont(date_font)

        self.display_date_label = QLabel()
        self.display_date_label.setObjectName("detailDisplayDate")
        self.display_date_label.setWordWrap(True)
        self.display_date_label.setTextFormat(Qt.TextFormat.PlainText)
        self.display_date_label.setProperty("muted", True)

        self.chips = ChipRow()

        self.description = SafeTextBrowser()
        self.description.setObjectName("detailDescription")
        self.description.setFrameShape(QFrame.Shape.NoFrame)
        # Part of the panel, not a text field: no frame or field background even when
        # an application style sheet gives text views one.
        self.description.setStyleSheet(
            "QTextBrowser#detailDescription { border: none; background: transparent; }"
        )
        self.description.setMinimumHeight(60)
        self.description.anchorClicked.connect(self._on_link)
        self.description.viewport().setAutoFillBackground(False)
        self.description.document().setDocumentMargin(0)

        # a super-timeline's other columns (MACB, host, filename…): see viewer.ui.fields
        self.fields_view = FieldsView()
        self.image_strip = ImageStrip()

        event_page = QWidget()
        event_layout = QVBoxLayout(event_page)
        event_layout.setContentsMargins(16, 14, 16, 12)
        event_layout.setSpacing(6)
        event_layout.addLayout(head)
        event_layout.addWidget(self.date_label)
        event_layout.addWidget(self.display_date_label)
        event_layout.addSpacing(4)
        event_layout.addWidget(self.chips)
        event_layout.addWidget(self.image_strip)
        event_layout.addSpacing(6)
        event_layout.addWidget(self.description, 1)
        event_layout.addWidget(self.fields_view)

        self._stack = QStackedLayout(self)
        self._stack.addWidget(empty_page)
        self._stack.addWidget(event_page)
        self._empty_page = empty_page
        self._event_page = event_page

        self._built = True  # palette changes from now on recolour it
        self._apply_palette()
        self.clear()

    # -- public API ----------------------------------------------------------------------

    def current_event(self) -> Event | None:
        """The event shown, or None in the empty state.

        (Not a property named ``event``: that would hide ``QWidget.event``.)
        """
        return self._event

    def show_event(self, event: Event, category: Category | None) -> None:
        self._event = event
        self._category = category

        words = one_line(event.title)
        # (a headline longer than a paragraph would push the description out of sight)
        cut = len(event.title) > HEADLINE_SHOWN
        rich = inline_html(event.title[:HEADLINE_SHOWN]) + ("\u2026" if cut else "")
        self.headline_label.setText(rich if words else "(untitled)")
        self.headline_label.setToolTip(shown_as_written(words))
        date_text = event.date_text()
        self.date_label.setText(date_text)
        qualified = qualifier_note(event)  # "1455?" says little to a newcomer
        self.date_label.setToolTip(qualified)
        self.date_label.setAccessibleDescription(qualified)
        shown = event.display_date.strip()
        if shown and _normalise(shown) != _normalise(date_text):
            self.display_date_label.setText(f"Display date: \u201c{shown}\u201d")
            self.display_date_label.show()
        else:
            self.display_date_label.clear()
            self.display_date_label.hide()

        chips: list[Chip] = []
        if event.category:
            color = QColor(category.color) if category is not None else QColor()
            chips.append(Chip(event.category, color if color.isValid() else QColor(NEUTRAL_COLOR)))
        chips.extend(Chip(tag) for tag in event.tags if tag)
        self.chips.set_chips(chips)
        self.chips.setVisible(bool(chips))
        tips = []
        if event.category:
            tips.append(f"Category: {event.category}")
        if event.tags:
            tips.append("Tags: " + ", ".join(event.tags))
        self.chips.setToolTip(shown_as_written("\n".join(tips)))

        # Source and media links follow the description in the same scrolling
        # document; every link there is opened only through _on_link.
        self._show_description(event, whole=False)
        self.fields_view.show_event(event)
        self.image_strip.set_images(event.images)

        self.edit_button.setVisible(self._editable)
        self.edit_button.setEnabled(self._editable)
        self._stack.setCurrentWidget(self._event_page)

    def _show_description(self, event: Event, *, whole: bool) -> None:
        """The description (its first part only, for a very long one, unless
        ``whole``), then the source and media links."""
        body, cut = description_html(event.description, None if whole else DESCRIPTION_SHOWN)
        if cut:
            size = len(event.description)
            body += (
                '<p style="margin-top:12px"><i>This description is long '
                f"({size:,} characters): its first part is shown.</i> "
                f'<a href="{SHOW_ALL}">Show all</a></p>'
            )
        if not body:
            muted = muted_color(self.palette()).name()
            body = f'<p style="color:{muted}"><i>No description</i></p>'
        links = self._links_html(event)
        if links:
            body += f'<p style="margin-top:18px">{links}</p>'
        self.description.setHtml(body)
        self.description.verticalScrollBar().setValue(0)

    def show_damaged(self, message: str) -> None:
        """Say that the selected event cannot be shown (its row is damaged): the
        message, where its details would be."""
        self.clear()
        self.empty_label.setText(f"This event cannot be shown.\n\n{message}")
        self.empty_label.setProperty("muted", False)

    def clear(self) -> None:
        """Show the empty state."""
        self.empty_label.setText(EMPTY_MESSAGE)
        self.empty_label.setProperty("muted", True)
        self._event = None
        self._category = None
        self.headline_label.clear()
        self.date_label.clear()
        self.display_date_label.clear()
        self.chips.set_chips([])
        self.description.clear()
        self.fields_view.clear()
        self.image_strip.set_images(())
        self._stack.setCurrentWidget(self._empty_page)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.edit_button.setVisible(editable and self._event is not None)
        self.edit_button.setEnabled(editable)

    def is_empty(self) -> bool:
        return self._event is None

    # -- internals ------------------------------------------------------------------------

    def _links_html(self, event: Event) -> str:
        rows: list[str] = []
        if event.source_url.strip():
            rows.append(f"<b>Source:</b> {_link_html(event.source_url.strip())}")
        media = event.extra.get("media") if isinstance(event.extra, dict) else None
        if isinstance(media, dict):
            url = media.get("url")
            if isinstance(url, str) and url.strip():
                caption = media.get("caption")
                label = plain_text(caption) if isinstance(caption, str) else ""
                link = _link_html(url.strip())
                text = f"<b>Media:</b> {link}"
                if label:
                    text += f" — {html.escape(label)}"
                rows.append(text)
        for image in event.images:
            if not image.stored and image.url.strip():
                text = f"<b>Image (not stored):</b> {_link_html(image.url.strip())}"
                if image.caption:
                    text += f" — {html.escape(plain_text(image.caption))}"
                if image.credit:
                    text += f" ({html.escape(plain_text(image.credit))})"
                rows.append(text)
        return "<br/>".join(rows)

    def _on_link(self, url: QUrl) -> None:
        if url.toString() == SHOW_ALL and self._event is not None:
            self.setCursor(Qt.CursorShape.WaitCursor)
            try:
                self._show_description(self._event, whole=True)
            finally:
                self.unsetCursor()
            return
        if open_safe_url(url, self._open_url):
            self.linkActivated.emit(url)

    def _apply_palette(self) -> None:
        pal = self.palette()
        muted = muted_color(pal)
        for label in (self.empty_label, self.display_date_label):
            label_pal = label.palette()
            label_pal.setColor(QPalette.ColorRole.WindowText, muted)
            label.setPalette(label_pal)
        empty_font = QFont(self.font())
        empty_font.setPointSizeF(self.font().pointSizeF() * 1.1)
        self.empty_label.setFont(empty_font)
        italic = QFont(self.font())
        italic.setItalic(True)
        self.display_date_label.setFont(italic)
        # The browser blends into the panel: window background, window text.
        browser_pal = self.description.palette()
        browser_pal.setColor(QPalette.ColorRole.Base, pal.color(QPalette.ColorRole.Window))
        browser_pal.setColor(QPalette.ColorRole.Text, pal.color(QPalette.ColorRole.WindowText))
        self.description.setPalette(browser_pal)
        self.description.document().setDefaultStyleSheet(_description_css(pal))
        if self._event is not None:
            self.show_event(self._event, self._category)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._built:
            self._apply_palette()

    def sizeHint(self) -> QSize:
        return QSize(420, 520)


def _description_css(pal: QPalette) -> str:
    muted = muted_color(pal).name()
    rule = muted_color(pal, QPalette.ColorRole.WindowText).name()
    link = pal.color(QPalette.ColorRole.Link).name()
    return (
        f"a {{ color: {link}; }}"
        "h1 { font-size: large; } h2 { font-size: large; } h3 { font-size: medium; }"
        "h4, h5, h6 { font-size: medium; }"
        f"blockquote {{ color: {muted}; margin-left: 14px; margin-right: 8px; }}"
        f"cite {{ color: {rule}; }}"
        "pre, code { font-family: monospace; }"
        "p { margin-bottom: 6px; }"
    )


def qualifier_note(event: Event) -> str:
    """What the qualifiers of an event's dates mean, in words ("" when it has none):
    "The start is approximate; the end is open (it may be later)"."""
    ends = (
        [("date", event.start)]
        if event.end is None
        else [
            ("start", event.start),
            ("end", event.end),
        ]
    )
    notes = []
    for name, date in ends:
        q = date.qualifier
        words = [
            w
            for w, bit in (
                ("approximate", Qualifier.APPROXIMATE),
                ("uncertain", Qualifier.UNCERTAIN),
            )
            if q & bit
        ]
        if q & Qualifier.BEFORE:
            words.append("open (it may be earlier)")
        if q & Qualifier.AFTER:
            words.append("open (it may be later)")
        if words:
            notes.append(f"the {name} is {' and '.join(words)}")
    text = "; ".join(notes)
    return text[:1].upper() + text[1:]


def _normalise(text: str) -> str:
    """Compare dates ignoring case, punctuation style and spacing."""
    return "".join(ch for ch in text.casefold().replace("–", "-") if ch.isalnum())
