"""Themes, palettes, style sheet and recolourable icons (viewer.ui.theme)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QByteArray, QObject, QPointF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QCheckBox, QFrame, QLabel, QLineEdit

from viewer.paths import resources_dir
from viewer.ui import theme
from viewer.ui.theme import (
    CATEGORY_PALETTE,
    ICON_NAMES,
    ICON_SIZES,
    Theme,
    ThemeManager,
    app_icon,
    apply_theme,
    contrast_ratio,
    contrast_text,
    current_theme,
    dark_theme,
    is_dark_preferred,
    light_theme,
    load_icon,
    relative_luminance,
    style_sheet,
)

R = QPalette.ColorRole
G = QPalette.ColorGroup
ICONS = resources_dir() / "icons"


@pytest.fixture(autouse=True)
def restore_app(app_as_it_was: QApplication) -> QApplication:
    """Each test starts from, and leaves, the application as it found it."""
    return app_as_it_was


@pytest.fixture
def managers(qapp: QApplication) -> Iterator[list[ThemeManager]]:
    """Theme managers made by a test, deleted after it (they follow a global signal)."""
    made: list[ThemeManager] = []
    yield made
    for manager in made:
        if shiboken6.isValid(manager):
            shiboken6.delete(manager)


def argb(pixmap_image: QImage) -> QImage:
    return pixmap_image.convertToFormat(QImage.Format.Format_ARGB32)


def opaque_colours(image: QImage) -> set[int]:
    """The RGB values of the fully opaque pixels."""
    image = argb(image)
    found: set[int] = set()
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixel(x, y)
            if pixel >> 24 == 0xFF:
                found.add(pixel & 0xFFFFFF)
    return found


def max_alpha(image: QImage) -> int:
    image = argb(image)
    return max(image.pixel(x, y) >> 24 for y in range(image.height()) for x in range(image.width()))


# -- icon files ----------------------------------------------------------------------


def test_icon_files_match_icon_names():
    assert {p.stem for p in ICONS.glob("*.svg")} == set(ICON_NAMES)
    assert len(ICON_NAMES) == len(set(ICON_NAMES))


@pytest.mark.parametrize("name", ICON_NAMES)
def test_icon_svg_is_valid_and_consistent(name: str, qapp: QApplication):
    text = (ICONS / f"{name}.svg").read_text(encoding="utf-8")
    assert 'viewBox="0 0 24 24"' in text
    assert QSvgRenderer(QByteArray(text.encode())).isValid()
    colours = set(re.findall(r"#[0-9a-fA-F]{3,8}\b", text))
    if name == "app":
        assert "#000000" not in colours  # full colour: never recoloured
    else:
        assert colours == {"#000000"}  # the placeholder only
        assert 'stroke-width="2"' in text
        assert 'stroke-linecap="round"' in text


def test_app_png_is_a_256px_render():
    image = QImage(str(ICONS / "app.png"))
    assert image.size() == QSize(256, 256)
    assert image.pixelColor(128, 128).alpha() == 255
    assert image.pixelColor(1, 1).alpha() == 0  # rounded corner


@pytest.mark.parametrize("name", ICON_NAMES)
def test_every_icon_loads_at_every_size(name: str, qapp: QApplication):
    icon = load_icon(name)
    assert not icon.isNull()
    dpr = qapp.devicePixelRatio()
    for size in ICON_SIZES:
        pixmap = icon.pixmap(QSize(size, size))
        assert not pixmap.isNull()
        assert pixmap.deviceIndependentSize() == QSizeF(size, size)
        assert pixmap.size() == QSize(round(size * dpr), round(size * dpr))
        assert max_alpha(pixmap.toImage()) >= 200  # something is drawn
        disabled = icon.pixmap(QSize(size, size), QIcon.Mode.Disabled)
        assert disabled.deviceIndependentSize() == QSizeF(size, size)


def test_recolouring_replaces_the_placeholder(qapp: QApplication):
    red = load_icon("add", QColor("#ff0000"))
    assert opaque_colours(red.pixmap(24).toImage()) == {0xFF0000}
    blue = load_icon("add", QColor("#0055ff"))
    assert opaque_colours(blue.pixmap(24).toImage()) == {0x0055FF}
    # The disabled variant is the same colour, faded.
    faded = red.pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage()
    assert 0 < max_alpha(faded) <= 0.45 * 255


def test_icons_are_cached_by_name_and_colour(qapp: QApplication):
    a = load_icon("edit", QColor("#336699"))
    assert load_icon("edit", QColor("#336699")).cacheKey() == a.cacheKey()
    assert load_icon("edit", QColor("#993366")).cacheKey() != a.cacheKey()
    assert load_icon("delete", QColor("#336699")).cacheKey() != a.cacheKey()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_default_icon_colour_follows_the_palette(mode: str, qapp: QApplication):
    installed = apply_theme(qapp, mode)
    icon = load_icon("close")
    normal = opaque_colours(icon.pixmap(24).toImage())
    assert normal == {installed.text.rgb() & 0xFFFFFF}
    disabled = opaque_colours(icon.pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage())
    assert disabled == {installed.disabled_text.rgb() & 0xFFFFFF}
    selected = opaque_colours(icon.pixmap(QSize(24, 24), QIcon.Mode.Selected).toImage())
    assert selected == {installed.selection_text.rgb() & 0xFFFFFF}


def test_app_icon_keeps_its_colours(qapp: QApplication):
    apply_theme(qapp, "dark")
    colours = opaque_colours(load_icon("app").pixmap(48).toImage())
    assert len(colours) > 20  # gradient and coloured markers, not one flat colour
    big = app_icon()
    assert big.pixmap(QSize(256, 256)).deviceIndependentSize() == QSizeF(256, 256)


def test_bad_and_missing_icon_names(qapp: QApplication, caplog: pytest.LogCaptureFixture):
    for bad in ("../paths", "Open", "", "a/b", "x.svg"):
        with pytest.raises(ValueError):
            load_icon(bad)
    with caplog.at_level(logging.WARNING, logger="viewer.ui.theme"):
        icon = load_icon("no-such-icon")
    assert isinstance(icon, QIcon)
    assert "no-such-icon" in caplog.text


# -- colour maths --------------------------------------------------------------------


def test_contrast_ratio_matches_wcag():
    assert relative_luminance(QColor("#000000")) == pytest.approx(0.0)
    assert relative_luminance(QColor("#ffffff")) == pytest.approx(1.0)
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio(QColor("red"), QColor("red")) == pytest.approx(1.0)


@pytest.mark.parametrize("background", ["#1f3a93", "#0b2e6b", "#000080", "#000000", "#7a1fa2"])
def test_contrast_text_is_white_on_dark(background: str):
    assert contrast_text(QColor(background)) == QColor("#ffffff")


@pytest.mark.parametrize("background", ["#ffd400", "#ffeb3b", "#ffffff", "#a6e3a1", "#f5dc8a"])
def test_contrast_text_is_black_on_light(background: str):
    assert contrast_text(QColor(background)) == QColor("#000000")


@pytest.mark.parametrize("colour", CATEGORY_PALETTE)
def test_contrast_text_on_category_chips_is_readable(colour: str):
    chip = QColor(colour)
    assert contrast_ratio(contrast_text(chip), chip) >= 4.5


# -- themes --------------------------------------------------------------------------


@pytest.mark.parametrize("colour", CATEGORY_PALETTE)
def test_category_colours_read_on_both_timeline_backgrounds(colour: str):
    for t in (light_theme(), dark_theme()):
        assert contrast_ratio(QColor(colour), t.timeline_bg) >= 3.0, (colour, t.name)
        assert contrast_ratio(QColor(colour), t.band_tint) >= 3.0, (colour, t.name)


def test_category_palette_is_distinct_and_repeats():
    assert len(CATEGORY_PALETTE) == 10
    assert len({c.lower() for c in CATEGORY_PALETTE}) == 10
    assert all(QColor(c).isValid() for c in CATEGORY_PALETTE)
    # Told apart by hue, or (orange/brown, blue/grey) by saturation.
    colours = [QColor(c) for c in CATEGORY_PALETTE]
    for i, a in enumerate(colours):
        for b in colours[i + 1 :]:
            hue_gap = abs(a.hslHue() - b.hslHue()) % 360
            hue_gap = min(hue_gap, 360 - hue_gap)
            assert hue_gap >= 15 or abs(a.hslSaturation() - b.hslSaturation()) >= 60, (
                a.name(),
                b.name(),
            )
    # The theme hands out the same colours.
    assert [c.name() for c in dark_theme().category_palette] == list(CATEGORY_PALETTE)


@pytest.mark.parametrize("make", [light_theme, dark_theme])
def test_theme_colours_are_legible(make):
    t: Theme = make()
    assert contrast_ratio(t.text, t.base) >= 7
    assert contrast_ratio(t.text, t.window) >= 7
    assert contrast_ratio(t.label_text, t.timeline_bg) >= 7
    assert contrast_ratio(t.label_text, t.band_tint) >= 7  # every other swimlane
    for fg, bg in [
        (t.muted_text, t.window),
        (t.muted_text, t.base),
        (t.placeholder, t.base),
        (t.axis_text, t.timeline_bg),
        (t.axis_text, t.band_tint),  # a swimlane header's count
        (t.accent_text, t.accent),
        (t.accent, t.card_bg),
        (t.selection_text, t.selection),
        (t.banner_text, t.banner_bg),
        (t.tooltip_text, t.tooltip_base),
        (t.text, t.chip_bg),
        (t.text, t.card_bg),
        (t.muted_text, t.header_bg),
    ]:
        assert contrast_ratio(fg, bg) >= 4.5, (fg.name(), bg.name())
    # Translucent colours are used as overlays, and stay translucent.
    assert 0 < t.hover.alpha() < 255
    assert t.is_dark == (t.name == "dark")
    assert t.is_dark == (relative_luminance(t.window) < 0.2)


def _readable(img: QImage, box: tuple[int, int, int, int], background: QColor) -> float:
    """The best contrast against ``background`` of any pixel in ``box`` (x0, y0, x1, y1):
    the colour text in it was painted with, once antialiasing is set aside."""
    x0, y0, x1, y1 = box
    return max(
        contrast_ratio(img.pixelColor(x, y), background)
        for x in range(max(0, x0), min(img.width(), x1))
        for y in range(max(0, y0), min(img.height(), y1))
    )


@pytest.mark.parametrize("make", [light_theme, dark_theme])
def test_the_timeline_paints_the_theme_colours_and_they_read(make, qtbot):
    """The canvas colours the theme names are the ones painted, by the window's
    timeline and by a picture, and what is painted on the canvas reads on it."""
    from viewer.model.dates import PartialDate
    from viewer.model.event import Era, Event, Timeline
    from viewer.store import EventStore
    from viewer.ui.export import render_data, render_picture
    from viewer.ui.timeline.view import TimelineView

    t: Theme = make()
    colors = t.canvas_colors
    bg = colors["timeline_bg"]
    for name in ("label_text",):
        assert contrast_ratio(colors[name], bg) >= 7, name
    for name in ("axis_text", "era_text"):
        assert contrast_ratio(colors[name], bg) >= 4.5, name
    assert contrast_ratio(colors["axis_text"], colors["overview_bg"]) >= 4.5
    assert contrast_ratio(colors["accent"], bg) >= 3  # the selection outline
    assert contrast_ratio(colors["density"], bg) >= 3
    store = EventStore.open(":memory:")
    store.import_timeline(
        Timeline(
            title="Canvas",
            events=[
                Event("A summit in the capital", PartialDate(2000, 3, 1)),
                Event("A long negotiation", PartialDate(2001, 1), PartialDate(2003, 6)),
                Event("A treaty is signed", PartialDate(2004, 5, 2)),
            ],
            eras=[Era("The talks", PartialDate(2001), PartialDate(2003))],
        )
    )
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.set_theme(t)
    view.set_eras(store.era_spans())
    view.show()
    qtbot.waitExposed(view)
    view.set_data(store.load_arrays())
    img = view.grab().toImage()
    assert img.pixelColor(2, 2) == bg  # the canvas, as the theme names it
    plot = view.plot.viewport().mapTo(view, view.plot.viewport().rect().topLeft())
    labels = view.item.drawn_labels()
    assert len(labels) == 3
    vb = view.viewbox
    for label in labels:
        a = vb.mapViewToDevice(QPointF(label.x0, label.lane))
        b = vb.mapViewToDevice(QPointF(label.x1, label.lane))
        box = (int(a.x()) + plot.x(), int(a.y()) - 6 + plot.y(), int(b.x()) + plot.x(),
               int(a.y()) + 6 + plot.y())  # fmt: skip
        assert _readable(img, box, bg) >= 4.5, label.text
    # a picture of the same: its canvas and its title
    data = render_data(store)
    picture, lay = render_picture(data, 1000, theme=t)
    assert picture.pixelColor(2, 2) == bg
    baseline, _ = lay.title_lines[0]
    title_box = (int(lay.plot_left), int(baseline) - 20, int(lay.plot_left) + 200, int(baseline))
    assert _readable(picture, title_box, bg) >= 7
    assert len(lay.drawn_labels(data.arrays)) == 3
    store.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_apply_theme_palette_contrast(mode: str, qapp: QApplication):
    installed = apply_theme(qapp, mode)
    assert installed.name == mode
    assert current_theme() is installed
    pal = qapp.palette()
    for group in (G.Active, G.Inactive):
        assert contrast_ratio(pal.color(group, R.Text), pal.color(group, R.Base)) >= 7
        assert contrast_ratio(pal.color(group, R.WindowText), pal.color(group, R.Window)) >= 7
        assert contrast_ratio(pal.color(group, R.ButtonText), pal.color(group, R.Button)) >= 7
        assert contrast_ratio(pal.color(group, R.ToolTipText), pal.color(group, R.ToolTipBase)) >= 7
        for link in (R.Link, R.LinkVisited):
            assert contrast_ratio(pal.color(group, link), pal.color(group, R.Base)) >= 4.5
            assert contrast_ratio(pal.color(group, link), pal.color(group, R.Window)) >= 4.5
        assert (
            contrast_ratio(pal.color(group, R.HighlightedText), pal.color(group, R.Highlight))
            >= 4.5
        )
        assert contrast_ratio(pal.color(group, R.PlaceholderText), pal.color(group, R.Base)) >= 4.5
    # Disabled text is visibly dimmer, yet not invisible.
    disabled = pal.color(G.Disabled, R.Text)
    active = pal.color(G.Active, R.Text)
    window = pal.color(G.Disabled, R.Window)
    assert contrast_ratio(disabled, window) < contrast_ratio(active, window)
    assert contrast_ratio(disabled, window) >= 1.8
    # Dark means dark.
    dark_window = relative_luminance(pal.color(R.Window)) < 0.2
    assert dark_window == (mode == "dark")


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_apply_theme_installs_fusion_and_the_style_sheet(mode: str, qapp: QApplication):
    installed = apply_theme(qapp, mode)
    sheet = qapp.styleSheet()
    assert sheet == style_sheet(installed)
    assert "$" not in sheet
    assert installed.accent.name() in sheet
    assert installed.banner_bg.name() in sheet
    for selector in (
        "QFrame#banner",
        "QLabel#countLabel",
        "QLineEdit#search",
        "QSplitter::handle",
        "QHeaderView::section",
        "QGroupBox::title",
    ):
        assert selector in sheet
    assert theme._style is not None
    assert theme._style.baseStyle().name().lower() == "fusion"


def test_apply_theme_twice_keeps_one_style(qapp: QApplication):
    apply_theme(qapp, "light")
    first = theme._style
    apply_theme(qapp, "dark")
    assert theme._style is first
    assert relative_luminance(qapp.palette().color(R.Window)) < 0.2


def test_apply_theme_rejects_unknown_modes(qapp: QApplication):
    with pytest.raises(ValueError):
        apply_theme(qapp, "sepia")


def test_auto_mode_follows_the_os_fallback(qapp: QApplication):
    installed = apply_theme(qapp, "auto")
    assert installed.is_dark == is_dark_preferred(qapp)


class _Hints:
    def __init__(self, scheme: Qt.ColorScheme) -> None:
        self.scheme = scheme

    def colorScheme(self) -> Qt.ColorScheme:
        return self.scheme


class _FakeApp:
    def __init__(self, scheme: Qt.ColorScheme, palette: QPalette) -> None:
        self.hints = _Hints(scheme)
        self.pal = palette

    def styleHints(self) -> _Hints:
        return self.hints

    def palette(self) -> QPalette:
        return self.pal


def test_is_dark_preferred_reads_the_colour_scheme_then_the_palette(qapp: QApplication):
    light_pal, dark_pal = light_theme().palette(), dark_theme().palette()
    assert is_dark_preferred(_FakeApp(Qt.ColorScheme.Dark, light_pal)) is True
    assert is_dark_preferred(_FakeApp(Qt.ColorScheme.Light, dark_pal)) is False
    assert is_dark_preferred(_FakeApp(Qt.ColorScheme.Unknown, dark_pal)) is True
    assert is_dark_preferred(_FakeApp(Qt.ColorScheme.Unknown, light_pal)) is False


# -- the theme manager ---------------------------------------------------------------


def test_manager_follows_the_os_in_auto_mode(qtbot, qapp: QApplication, managers):
    holder = QObject()
    manager = ThemeManager(qapp, "auto", parent=holder)
    managers.append(manager)
    hints = qapp.styleHints()
    start_dark = manager.theme.is_dark
    target = Qt.ColorScheme.Light if start_dark else Qt.ColorScheme.Dark
    with qtbot.waitSignal(manager.changed, timeout=1000) as blocker:
        hints.colorSchemeChanged.emit(target)
    new = blocker.args[0]
    assert isinstance(new, Theme)
    assert new.is_dark == (target == Qt.ColorScheme.Dark)
    assert manager.theme is new
    assert current_theme() is new
    window_dark = relative_luminance(qapp.palette().color(R.Window)) < 0.2
    assert window_dark == new.is_dark
    # The same scheme again: nothing changes, nothing is emitted.
    with qtbot.assertNotEmitted(manager.changed):
        hints.colorSchemeChanged.emit(target)
    back = Qt.ColorScheme.Dark if target == Qt.ColorScheme.Light else Qt.ColorScheme.Light
    with qtbot.waitSignal(manager.changed, timeout=1000) as blocker:
        hints.colorSchemeChanged.emit(back)
    assert blocker.args[0].is_dark == (back == Qt.ColorScheme.Dark)


def test_manager_ignores_the_os_when_forced(qtbot, qapp: QApplication, managers):
    manager = ThemeManager(qapp, "light")
    managers.append(manager)
    assert manager.mode == "light"
    assert not manager.theme.is_dark
    with qtbot.assertNotEmitted(manager.changed):
        qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert relative_luminance(qapp.palette().color(R.Window)) > 0.5
    with qtbot.waitSignal(manager.changed, timeout=1000) as blocker:
        assert manager.set_mode("dark").is_dark
    assert blocker.args[0].is_dark
    assert manager.mode == "dark"
    with qtbot.assertNotEmitted(manager.changed):
        manager.set_mode("dark")
    with pytest.raises(ValueError):
        manager.set_mode("night")
    assert manager.mode == "dark"
    with qtbot.waitSignal(manager.changed, timeout=1000) as blocker:
        manager.apply("light")
    assert not blocker.args[0].is_dark
    with qtbot.assertNotEmitted(manager.changed):
        assert manager.apply() is manager.theme


# -- widgets -------------------------------------------------------------------------


def _centre_colour(widget_image: QImage) -> QColor:
    return widget_image.pixelColor(widget_image.width() // 2, widget_image.height() // 2)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_named_widgets_are_styled(mode: str, qtbot, qapp: QApplication):
    installed = apply_theme(qapp, mode)
    banner = QFrame()
    banner.setObjectName("banner")
    banner.resize(200, 40)
    search = QLineEdit()
    search.setObjectName("search")
    count = QLabel("12 events")
    count.setObjectName("countLabel")
    title = QLabel("A timeline")
    title.setObjectName("timelineTitle")
    # Not shown (offscreen windows warn about size hints): grab() polishes them.
    for widget in (banner, search, count, title):
        qtbot.addWidget(widget)
        widget.ensurePolished()
    assert _centre_colour(banner.grab().toImage()) == installed.banner_bg
    # the title strip above the timeline is the timeline's own canvas colour
    assert title.grab().toImage().pixelColor(1, 1) == installed.timeline_bg
    assert count.palette().color(count.foregroundRole()) == installed.muted_text


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_check_boxes_stay_visible(mode: str, qtbot, qapp: QApplication):
    installed = apply_theme(qapp, mode)
    checked, unchecked = QCheckBox("on"), QCheckBox("off")
    checked.setChecked(True)
    for box in (checked, unchecked):
        qtbot.addWidget(box)
        box.ensurePolished()
    on = opaque_colours(checked.grab().toImage())
    assert installed.accent.rgb() & 0xFFFFFF in on
    # The empty box's outline stands out from the window behind it.
    off = unchecked.grab().toImage()
    window = installed.window
    ink = max(contrast_ratio(off.pixelColor(x, off.height() // 2), window) for x in range(0, 20))
    assert ink >= 2.5
