"""Look and feel: light and dark themes that follow the OS, recolourable line icons.

* :func:`apply_theme` installs the Fusion style, a hand-tuned :class:`QPalette` and the
  application style sheet (``resources/style.qss``, filled in with the theme's colours)
  and returns the :class:`Theme`, whose colours the custom-painted widgets (the timeline)
  use too.  ``mode`` is ``"auto"`` (follow the OS), ``"light"`` or ``"dark"``.
* :class:`ThemeManager` does the same (``apply(mode)``) and keeps following the OS in
  ``"auto"`` mode; its ``changed`` signal carries the new :class:`Theme` whenever light
  and dark swap (reload icons with :func:`load_icon`, repaint custom views).
* The style is Fusion, with check boxes and radio buttons redrawn so that they stay
  visible on dark backgrounds.
* :func:`load_icon` reads ``resources/icons/NAME.svg``: single-colour line icons drawn
  with the placeholder colour ``#000000``, which is replaced by the palette's text colour
  (or the colour given); the disabled and selected modes get their own colours.  Icons
  without the placeholder (``app``) keep their own colours.
* :func:`contrast_text` picks black or white text for a coloured chip,
  :func:`swatch_icon` draws a category's swatch; :data:`CATEGORY_PALETTE` holds the
  default category colours.
* A :class:`Theme`'s last fields are the timeline canvas' colours: every view of the
  timeline (window, overview, presentation band, image files, print) paints with them,
  and this is the one module that names canvas colours.

Object names the style sheet knows: ``QLineEdit#search`` (rounded search box),
``QLabel#countLabel`` (muted count), ``QFrame#banner`` (read-only / warning notice) and
``QLabel#timelineTitle`` (the title above the timeline); ``QLabel[muted="true"]`` is a
muted label anywhere.  The presentation styles its own widgets, in proportion to its
screen (:mod:`viewer.ui.presentation`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template
from typing import Final

from PySide6.QtCore import QByteArray, QObject, QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

from viewer.model.colors import CATEGORY_COLORS
from viewer.paths import resources_dir

__all__ = [
    "CATEGORY_PALETTE",
    "ERROR_ON_DARK",
    "ERROR_ON_LIGHT",
    "ICON_NAMES",
    "ICON_SIZES",
    "MODES",
    "Theme",
    "ThemeManager",
    "app_icon",
    "apply_theme",
    "clear_icon_cache",
    "contrast_ratio",
    "contrast_text",
    "current_theme",
    "dark_theme",
    "icons_dir",
    "is_dark_preferred",
    "light_theme",
    "load_icon",
    "relative_luminance",
    "style_sheet",
    "swatch_icon",
    "theme_for",
]

log = logging.getLogger(__name__)

MODES: Final = ("auto", "light", "dark")

#: Every icon shipped in ``resources/icons`` (``app`` is the full-colour app icon).
ICON_NAMES: Final = (
    "app", "open", "new", "import", "export", "save-as", "print", "image", "undo", "redo",
    "add", "edit", "delete", "duplicate", "zoom-in", "zoom-out", "fit", "present",
    "search", "filter", "previous", "next", "overview", "blank", "close", "category",
    "tag", "calendar", "link", "warning", "lock",
)  # fmt: skip

#: Logical sizes (device-independent pixels) rendered into every icon.
ICON_SIZES: Final = (16, 24, 32, 48)
_APP_ICON_SIZES: Final = (16, 24, 32, 48, 64, 128, 256)

#: Default category colours: Tableau-10-like hues, all mid-luminance so that each has a
#: contrast of at least 3:1 against both timeline backgrounds (light and dark), and
#: spread in hue *and* lightness so they stay apart with colour-vision deficiencies.
CATEGORY_PALETTE: Final = CATEGORY_COLORS

_PLACEHOLDER = re.compile(rb"#000000(?![0-9a-fA-F])")
_ICON_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
# Desktop-theme names tried when an icon file is missing (packaging mistake).
_FREEDESKTOP: Final = {
    "open": "document-open", "new": "document-new", "save-as": "document-save-as",
    "print": "document-print", "undo": "edit-undo", "redo": "edit-redo", "add": "list-add",
    "delete": "edit-delete", "duplicate": "edit-copy", "zoom-in": "zoom-in",
    "zoom-out": "zoom-out", "fit": "zoom-fit-best", "search": "edit-find",
    "previous": "go-previous", "next": "go-next", "close": "window-close",
    "warning": "dialog-warning", "import": "document-import", "export": "document-export",
    "calendar": "x-office-calendar", "image": "image-x-generic", "lock": "object-locked",
}  # fmt: skip


# -- colour maths ------------------------------------------------------------------------


def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour (0 = black, 1 = white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    rgb = color.toRgb()
    return (
        0.2126 * channel(rgb.redF())
        + 0.7152 * channel(rgb.greenF())
        + 0.0722 * channel(rgb.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, from 1 (same luminance) to 21 (black on white)."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


#: Error text (a date that cannot be read…) on light and on dark windows.
ERROR_ON_LIGHT: Final = "#b3261e"
ERROR_ON_DARK: Final = "#ff8a80"
#: What shows instead of an image that cannot be: its box and its ink.
PLACEHOLDER_LIGHT: Final = "#eceef1"
PLACEHOLDER_DARK: Final = "#2b2f36"
PLACEHOLDER_INK_LIGHT: Final = "#7b8591"
PLACEHOLDER_INK_DARK: Final = "#9aa3ad"

_BLACK: Final = "#000000"
_WHITE: Final = "#ffffff"


def contrast_text(color: QColor | str) -> QColor:
    """Black or white, whichever reads better on ``color`` (e.g. a category chip; an
    invalid colour counts as mid grey)."""
    color = QColor(color)
    if not color.isValid():
        color = QColor.fromRgbF(0.5, 0.5, 0.5)
    white, black = QColor(_WHITE), QColor(_BLACK)
    return white if contrast_ratio(color, white) >= contrast_ratio(color, black) else black


def swatch_icon(color: QColor | str | None, outline: QColor | None = None, size: int = 14) -> QIcon:
    """A round colour swatch for category lists; ``None`` draws a dashed empty ring in
    ``outline`` (no category).

    The same pixmap serves the normal and selected states, so a selected row does not
    tint the category colour.
    """
    ratio = 2.0  # drawn at 2x so it stays crisp on high-DPI screens
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(1.5, 1.5, size - 3, size - 3)
    if color is None:
        painter.setPen(QPen(outline or QColor(_BLACK), 1.2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        fill = QColor(color)
        painter.setPen(QPen(fill.darker(130), 1))
        painter.setBrush(fill)
    painter.drawEllipse(rect)
    painter.end()
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected, QIcon.Mode.Active):
        icon.addPixmap(pixmap, mode)
    return icon


def _rgba(color: str, alpha: float) -> QColor:
    c = QColor(color)
    c.setAlphaF(alpha)
    return c


def _css(color: QColor) -> str:
    if color.alpha() == 255:
        return color.name(QColor.NameFormat.HexRgb)
    return f"rgba({color.red()}, {color.green()}, {color.blue()}, {color.alpha()})"


# -- themes ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Theme:
    """The colours of one mode.  Each call of :func:`light_theme` / :func:`dark_theme`
    builds fresh :class:`QColor` objects, so a caller may tweak its copy."""

    name: str  # "light" | "dark"
    # Chrome
    window: QColor
    base: QColor
    alt_base: QColor
    button: QColor
    header_bg: QColor
    card_bg: QColor
    chip_bg: QColor
    text: QColor
    muted_text: QColor
    disabled_text: QColor
    placeholder: QColor
    border: QColor
    input_border: QColor
    divider: QColor
    accent: QColor
    accent_text: QColor  # text on an accent background
    accent_soft: QColor  # translucent accent: checked/hovered backgrounds
    selection: QColor
    selection_text: QColor
    link: QColor
    link_visited: QColor
    hover: QColor  # translucent overlay
    pressed: QColor  # translucent overlay
    tooltip_base: QColor
    tooltip_text: QColor
    tooltip_border: QColor
    banner_bg: QColor
    banner_text: QColor
    banner_border: QColor
    scrollbar: QColor
    scrollbar_hover: QColor
    # Bevel roles Fusion draws frames and buttons with
    light: QColor
    midlight: QColor
    mid: QColor
    dark: QColor
    shadow: QColor
    bright_text: QColor
    # The timeline canvas: the window's timeline, overview strip and title above them,
    # the presentation band, image files and print all paint with these
    timeline_bg: QColor
    grid: QColor
    grid_major: QColor
    label_text: QColor  # labels, and the titles of pictures
    axis_text: QColor  # axis labels, and the muted text of pictures
    axis_line: QColor  # the axis line and its ticks
    density: QColor  # the density strip's columns
    band_tint: QColor  # every other swimlane's background
    era_tints: tuple[QColor, QColor]  # alternating era bands
    era_text: QColor
    overview_bg: QColor
    overview_fill: QColor  # the overview's silhouette of the events

    @property
    def is_dark(self) -> bool:
        return self.name == "dark"

    @property
    def category_palette(self) -> tuple[QColor, ...]:
        return tuple(QColor(c) for c in CATEGORY_PALETTE)

    def palette(self) -> QPalette:
        """The application palette of this theme (active, inactive and disabled groups)."""
        R = QPalette.ColorRole
        pal = QPalette()
        normal = {
            R.Window: self.window,
            R.WindowText: self.text,
            R.Base: self.base,
            R.AlternateBase: self.alt_base,
            R.ToolTipBase: self.tooltip_base,
            R.ToolTipText: self.tooltip_text,
            R.PlaceholderText: self.placeholder,
            R.Text: self.text,
            R.Button: self.button,
            R.ButtonText: self.text,
            R.BrightText: self.bright_text,
            R.Light: self.light,
            R.Midlight: self.midlight,
            R.Mid: self.mid,
            R.Dark: self.dark,
            R.Shadow: self.shadow,
            R.Highlight: self.selection,
            R.HighlightedText: self.selection_text,
            R.Link: self.link,
            R.LinkVisited: self.link_visited,
            R.Accent: self.accent,
        }
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            for role, color in normal.items():
                pal.setColor(group, role, color)
        disabled = dict(normal)
        disabled.update({
            R.WindowText: self.disabled_text,
            R.Text: self.disabled_text,
            R.ButtonText: self.disabled_text,
            R.PlaceholderText: self.disabled_text,
            R.Base: self.window,
            R.Highlight: self.mid,
            R.HighlightedText: self.disabled_text,
            R.Link: self.disabled_text,
            R.LinkVisited: self.disabled_text,
            R.Accent: self.mid,
        })  # fmt: skip
        for role, color in disabled.items():
            pal.setColor(QPalette.ColorGroup.Disabled, role, color)
        return pal

    @property
    def canvas_colors(self) -> dict[str, QColor]:
        """Every colour a timeline canvas paints with, by field name (the eras' tints
        as ``era_tint_0`` and ``era_tint_1``)."""
        names = (
            "timeline_bg", "grid", "grid_major", "label_text", "axis_text", "axis_line",
            "density", "band_tint", "era_text", "overview_bg", "overview_fill", "accent",
        )  # fmt: skip
        out = {name: QColor(getattr(self, name)) for name in names}
        for k, tint in enumerate(self.era_tints):
            out[f"era_tint_{k}"] = QColor(tint)
        return out

    def qss_vars(self) -> dict[str, str]:
        """``{field: css colour}`` for the style sheet template (``$text``, ``$accent``…)."""
        return {
            name: _css(value) for name, value in vars(self).items() if isinstance(value, QColor)
        }


def light_theme() -> Theme:
    return Theme(
        name="light",
        window=QColor("#f4f5f7"),
        base=QColor("#ffffff"),
        alt_base=QColor("#f7f8fa"),
        button=QColor("#fbfbfc"),
        header_bg=QColor("#f6f7f9"),
        card_bg=QColor("#ffffff"),
        chip_bg=QColor("#eceff3"),
        text=QColor("#1c1f24"),
        muted_text=QColor("#5b6270"),
        disabled_text=QColor("#a3a9b2"),
        placeholder=QColor("#6b7280"),
        border=QColor("#dde1e6"),
        input_border=QColor("#c5cbd3"),
        divider=QColor("#eceef1"),
        accent=QColor("#2563d9"),
        accent_text=QColor("#ffffff"),
        accent_soft=_rgba("#2563d9", 0.14),
        selection=QColor("#2563d9"),
        selection_text=QColor("#ffffff"),
        link=QColor("#1d5fc4"),
        link_visited=QColor("#6f42c1"),
        hover=_rgba("#000000", 0.06),
        pressed=_rgba("#000000", 0.12),
        tooltip_base=QColor("#2a2e35"),
        tooltip_text=QColor("#f4f5f7"),
        tooltip_border=QColor("#2a2e35"),
        banner_bg=QColor("#fff4cc"),
        banner_text=QColor("#5c4400"),
        banner_border=QColor("#ecd27a"),
        scrollbar=_rgba("#000000", 0.22),
        scrollbar_hover=_rgba("#000000", 0.38),
        light=QColor("#ffffff"),
        midlight=QColor("#eceef1"),
        mid=QColor("#c5cbd3"),
        dark=QColor("#9aa1ab"),
        shadow=QColor("#5b6270"),
        bright_text=QColor("#ffffff"),
        timeline_bg=QColor("#ffffff"),
        grid=QColor("#eef0f3"),
        grid_major=QColor("#d5d9df"),
        label_text=QColor("#1c1f24"),
        axis_text=QColor("#5b6270"),
        axis_line=_rgba("#3c4048", 0.43),
        density=QColor("#5f6368"),
        band_tint=QColor("#f5f7fa"),
        era_tints=(_rgba("#4e7cb0", 0.086), _rgba("#a67f00", 0.086)),
        era_text=QColor("#505660"),
        overview_bg=QColor("#f6f7f9"),
        overview_fill=_rgba("#707c8c", 0.47),
    )


def dark_theme() -> Theme:
    return Theme(
        name="dark",
        window=QColor("#202328"),
        base=QColor("#17191d"),
        alt_base=QColor("#1c1f23"),
        button=QColor("#2b2f36"),
        header_bg=QColor("#1d2024"),
        card_bg=QColor("#1f2227"),
        chip_bg=QColor("#2c3037"),
        text=QColor("#e6e8eb"),
        muted_text=QColor("#9ba3af"),
        disabled_text=QColor("#5d636d"),
        placeholder=QColor("#8c94a0"),
        border=QColor("#32363d"),
        input_border=QColor("#40454e"),
        divider=QColor("#2a2d33"),
        accent=QColor("#5b9bf5"),
        accent_text=QColor("#0b1220"),
        accent_soft=_rgba("#5b9bf5", 0.20),
        selection=QColor("#2f66c8"),
        selection_text=QColor("#ffffff"),
        link=QColor("#78aeff"),
        link_visited=QColor("#b79cff"),
        hover=_rgba("#ffffff", 0.07),
        pressed=_rgba("#ffffff", 0.13),
        tooltip_base=QColor("#30343b"),
        tooltip_text=QColor("#e6e8eb"),
        tooltip_border=QColor("#474c55"),
        banner_bg=QColor("#3a3112"),
        banner_text=QColor("#f5dc8a"),
        banner_border=QColor("#6b5a1e"),
        scrollbar=_rgba("#ffffff", 0.22),
        scrollbar_hover=_rgba("#ffffff", 0.38),
        light=QColor("#3a3f47"),
        midlight=QColor("#30343b"),
        mid=QColor("#4a4f58"),
        dark=QColor("#121417"),
        shadow=QColor("#000000"),
        bright_text=QColor("#ffffff"),
        timeline_bg=QColor("#15171b"),
        grid=QColor("#25282e"),
        grid_major=QColor("#383c44"),
        label_text=QColor("#e6e8eb"),
        axis_text=QColor("#9ba3af"),
        axis_line=_rgba("#dce1eb", 0.35),
        density=QColor("#9aa0a6"),
        band_tint=QColor("#1b1e23"),
        era_tints=(_rgba("#78a0dc", 0.118), _rgba("#dcb45a", 0.102)),
        era_text=QColor("#aab0ba"),
        overview_bg=QColor("#1d2024"),
        overview_fill=_rgba("#96a2b4", 0.39),
    )


def theme_for(dark: bool) -> Theme:
    return dark_theme() if dark else light_theme()


# -- style -------------------------------------------------------------------------------


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved ``t`` of the way to ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


class _ViewerStyle(QProxyStyle):
    """Fusion, with check boxes and radio buttons that stay visible in dark mode.

    (Fusion outlines them with ``Window.darker(140)``, which vanishes on a dark base;
    style sheets cannot draw the check mark without image files.)  Colours come from
    the option's palette, so disabled and per-widget palettes work.
    """

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        PE = QStyle.PrimitiveElement
        if element == PE.PE_IndicatorCheckBox:
            self._draw_indicator(option, painter, radio=False)
        elif element == PE.PE_IndicatorItemViewItemCheck:
            self._draw_indicator(option, painter, radio=False, inset=1.0)
        elif element == PE.PE_IndicatorRadioButton:
            self._draw_indicator(option, painter, radio=True)
        else:
            super().drawPrimitive(element, option, painter, widget)

    @staticmethod
    def _draw_indicator(
        option: QStyleOption, painter: QPainter, *, radio: bool, inset: float = 0.0
    ) -> None:
        S = QStyle.StateFlag
        state = option.state
        pal = option.palette
        R = QPalette.ColorRole
        side = min(option.rect.width(), option.rect.height())
        box = QRectF(0, 0, side, side)
        box.moveCenter(QRectF(option.rect).center())
        box.adjust(0.5 + inset, 0.5 + inset, -0.5 - inset, -0.5 - inset)
        on = bool(state & S.State_On)
        partial = bool(state & S.State_NoChange)
        accent = pal.color(R.Accent)
        base = pal.color(R.Base)
        border = _mix(base, pal.color(R.Text), 0.5)
        if state & S.State_MouseOver and state & S.State_Enabled:
            border = accent
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if on or partial:
            painter.setPen(QPen(accent, 1.0))
            painter.setBrush(accent)
        else:
            painter.setPen(QPen(border, 1.0))
            painter.setBrush(pal.color(R.Window) if state & S.State_Sunken else base)
        if radio:
            painter.drawEllipse(box)
        else:
            painter.drawRoundedRect(box, side * 0.22, side * 0.22)
        mark = contrast_text(accent)
        w = box.width()
        if radio and on:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(mark)
            painter.drawEllipse(box.center(), w * 0.2, w * 0.2)
        elif on or partial:
            pen = QPen(mark, max(1.5, w / 7))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            x, y = box.left(), box.top()
            path = QPainterPath()
            if partial and not on:
                path.moveTo(QPointF(x + w * 0.28, y + w * 0.5))
                path.lineTo(QPointF(x + w * 0.72, y + w * 0.5))
            else:
                path.moveTo(QPointF(x + w * 0.26, y + w * 0.52))
                path.lineTo(QPointF(x + w * 0.43, y + w * 0.69))
                path.lineTo(QPointF(x + w * 0.75, y + w * 0.33))
            painter.drawPath(path)
        painter.restore()


# -- applying ----------------------------------------------------------------------------

_system_palette: QPalette | None = None  # the platform's palette, before we replaced it
_current: Theme | None = None
_style: _ViewerStyle | None = None


def _ensure_style(app: QApplication) -> None:
    """Install :class:`_ViewerStyle` once (a style sheet wraps it, so it is not
    ``app.style()`` itself afterwards)."""
    global _style
    current = app.style()
    if (
        _style is not None
        and current is not None
        and (current is _style or current.metaObject().className() == "QStyleSheetStyle")
    ):
        return
    _style = _ViewerStyle()
    app.setStyle(_style)  # resets the palette: set ours afterwards


def _check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"theme mode must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def is_dark_preferred(app: QGuiApplication) -> bool:
    """Whether the OS asks for a dark appearance.

    Uses :meth:`QStyleHints.colorScheme` (Qt ≥ 6.5); where the platform does not say
    (``Unknown``, e.g. offscreen or an older desktop), compares the platform palette's
    window and text lightness instead.
    """
    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    palette = app.palette()
    if _system_palette is not None and app is QGuiApplication.instance():
        palette = _system_palette  # ours replaced the platform's: ask the original
    window = palette.color(QPalette.ColorRole.Window).lightnessF()
    text = palette.color(QPalette.ColorRole.WindowText).lightnessF()
    return text > window


def style_sheet(theme: Theme) -> str:
    """``resources/style.qss`` with the theme's colours filled in."""
    template = Template((resources_dir() / "style.qss").read_text(encoding="utf-8"))
    return template.substitute(theme.qss_vars())


def _install(app: QApplication, theme: Theme, mode: str) -> Theme:
    global _system_palette, _current
    if _system_palette is None:
        _system_palette = QPalette(app.palette())
    hints = app.styleHints()
    # Tell the platform too (dark title bars on Windows/macOS) when the user forces a
    # mode; in "auto" hand the choice back to the OS.
    if mode == "auto":
        hints.unsetColorScheme()
    else:
        hints.setColorScheme(Qt.ColorScheme.Dark if theme.is_dark else Qt.ColorScheme.Light)
    _ensure_style(app)
    app.setPalette(theme.palette())
    app.setStyleSheet(style_sheet(theme))
    _current = theme
    return theme


def apply_theme(app: QApplication, mode: str = "auto") -> Theme:
    """Install the Fusion style, the palette and the style sheet of ``mode``.

    ``mode`` is ``"auto"`` (follow the OS, see :func:`is_dark_preferred`), ``"light"``
    or ``"dark"``.  Returns the :class:`Theme` installed.  Icons made before keep their
    old colour: reload them (see :class:`ThemeManager`).
    """
    _check_mode(mode)
    if mode == "auto":
        app.styleHints().unsetColorScheme()
        dark = is_dark_preferred(app)
    else:
        dark = mode == "dark"
    return _install(app, theme_for(dark), mode)


def current_theme() -> Theme:
    """The theme installed last, or (before any) the one the OS asks for."""
    if _current is not None:
        return _current
    app = QGuiApplication.instance()
    return theme_for(isinstance(app, QGuiApplication) and is_dark_preferred(app))


class ThemeManager(QObject):
    """Applies a theme mode and, in ``"auto"`` mode, follows the OS colour scheme.

    ``changed`` is emitted with the new :class:`Theme` whenever the installed theme
    switches between light and dark (OS change or :meth:`set_mode`).
    """

    changed = Signal(object)

    def __init__(
        self, app: QApplication, mode: str = "auto", parent: QObject | None = None
    ) -> None:
        super().__init__(parent if parent is not None else app)
        self._app = app
        self._mode = _check_mode(mode)
        self._theme = apply_theme(app, mode)
        app.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def theme(self) -> Theme:
        return self._theme

    def apply(self, mode: str | None = None) -> Theme:
        """Re-apply the theme, in ``mode`` if given (then it becomes the mode)."""
        if mode is not None:
            self._mode = _check_mode(mode)
        return self._switch(apply_theme(self._app, self._mode))

    def set_mode(self, mode: str) -> Theme:
        return self.apply(mode)

    def _switch(self, theme: Theme) -> Theme:
        old, self._theme = self._theme, theme
        if old.name != theme.name:
            clear_icon_cache()
            self.changed.emit(theme)
        return theme

    @Slot(Qt.ColorScheme)
    def _on_color_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self._mode != "auto":
            return
        if scheme == Qt.ColorScheme.Unknown:
            dark = is_dark_preferred(self._app)
        else:
            dark = scheme == Qt.ColorScheme.Dark
        if dark != self._theme.is_dark:
            self._switch(_install(self._app, theme_for(dark), "auto"))


# -- icons -------------------------------------------------------------------------------

_icon_cache: dict[tuple[object, ...], QIcon] = {}


def icons_dir() -> Path:
    return resources_dir() / "icons"


@cache
def _svg_bytes(name: str) -> bytes | None:
    path = icons_dir() / f"{name}.svg"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def clear_icon_cache() -> None:
    """Forget rendered icons (they are rebuilt, in the new palette, on the next call)."""
    _icon_cache.clear()


def _device_pixel_ratio() -> float:
    app = QGuiApplication.instance()
    return app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0


def _render(svg: bytes, color: QColor | None, size: int, dpr: float) -> QPixmap:
    """One pixmap of ``size`` logical pixels at ``dpr``; ``color`` replaces the
    placeholder (its alpha becomes the painter's opacity)."""
    opacity = 1.0
    if color is not None:
        hex_rgb = color.name(QColor.NameFormat.HexRgb).encode("ascii")
        svg = _PLACEHOLDER.sub(hex_rgb, svg)
        opacity = color.alphaF()
    pixels = max(1, round(size * dpr))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(QByteArray(svg))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setOpacity(opacity)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(dpr)
    return pixmap


def _check_name(name: str) -> None:
    if not _ICON_NAME.fullmatch(name):
        raise ValueError(f"not an icon name: {name!r}")


def _mode_colors(color: QColor | None) -> dict[QIcon.Mode, QColor]:
    if color is None:
        palette = QGuiApplication.palette()
        R, G = QPalette.ColorRole, QPalette.ColorGroup
        return {
            QIcon.Mode.Normal: palette.color(G.Active, R.Text),
            QIcon.Mode.Disabled: palette.color(G.Disabled, R.Text),
            QIcon.Mode.Selected: palette.color(G.Active, R.HighlightedText),
        }
    disabled = QColor(color)
    disabled.setAlphaF(color.alphaF() * 0.4)
    return {QIcon.Mode.Normal: QColor(color), QIcon.Mode.Disabled: disabled}


def _build_icon(
    name: str, svg: bytes, colors: dict[QIcon.Mode, QColor], sizes: tuple[int, ...]
) -> QIcon:
    dpr = _device_pixel_ratio()
    key = (name, sizes, dpr, *((m.value, c.rgba()) for m, c in colors.items()))
    icon = _icon_cache.get(key)
    if icon is not None:
        return icon
    icon = QIcon()
    recolour = _PLACEHOLDER.search(svg) is not None
    for mode, mode_color in colors.items():
        if not recolour and mode != QIcon.Mode.Normal:
            continue  # a full-colour icon: Qt derives the disabled look itself
        for size in sizes:
            icon.addPixmap(_render(svg, mode_color if recolour else None, size, dpr), mode)
    _icon_cache[key] = icon
    return icon


def load_icon(name: str, color: QColor | None = None) -> QIcon:
    """The icon ``resources/icons/<name>.svg``, in ``color`` (default: the palette's
    text colour, with the disabled-text colour for the disabled mode and the highlighted
    text colour for the selected mode), rendered at 16, 24, 32 and 48 px for the
    screen's device pixel ratio.  Cached by name and colours.

    A missing file falls back on the desktop theme's icon of that meaning (which may be
    a null icon); a malformed name raises :class:`ValueError`.
    """
    _check_name(name)
    svg = _svg_bytes(name)
    if svg is None:
        log.warning("icon %r is missing from %s", name, icons_dir())
        return QIcon.fromTheme(_FREEDESKTOP.get(name, name))
    return _build_icon(name, svg, _mode_colors(color), ICON_SIZES)


def app_icon() -> QIcon:
    """The full-colour application icon, 16 to 256 px (window and task-bar icon)."""
    svg = _svg_bytes("app")
    if svg is None:
        log.warning("the app icon is missing from %s", icons_dir())
        return QIcon()
    return _build_icon("app", svg, {QIcon.Mode.Normal: QColor(_BLACK)}, _APP_ICON_SIZES)
