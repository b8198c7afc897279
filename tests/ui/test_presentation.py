"""Presentation mode: the pure parts (order, framing, card text) and the window, driven
by its keys the way a presenter's clicker would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEasingCurve, QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QTextDocument
from PySide6.QtWidgets import QApplication

from viewer.model.dates import SECONDS_PER_DAY, PartialDate
from viewer.model.event import Event
from viewer.store import EventStore
from viewer.store.columns import EventArrays
from viewer.ui import presentation
from viewer.ui.document import Document
from viewer.ui.main_window import MainWindow
from viewer.ui.presentation import (
    PresentationWindow,
    card_text,
    frame_for,
    presentation_order,
    presented_indices,
    start_index,
)
from viewer.ui.theme import dark_theme
from viewer.ui.timeline.view import ROW_HEIGHT

REPO = Path(__file__).resolve().parents[2]


def D(year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    return PartialDate(year, month, day)


#: Ten events in chronological order: points and ranges, day, month and year precision.
EVENTS = [
    Event("Founding", D(1990, 3), description="The party is founded.", category="Politics"),
    Event("First congress", D(1991, 6, 2), D(1991, 6, 5), category="Politics"),
    Event(
        "Strike at the docks…",
        D(1993, 1, 15),
        description="Strike at the docks of the capital over wages. It lasts a month.",
        category="Labour",
    ),
    Event("Long reform", D(1994, 2), D(1997, 11), description="<p>Land <b>reform</b>.</p>"),
    Event("Election", D(1995, 5, 7), category="Politics"),
    Event("Crisis", D(1998, 8), description="Crisis. Banks fail.", category="Economy"),
    Event("Treaty", D(2000, 3, 1), description="A treaty is signed."),
    Event("Summit", D(2001, 9, 12), D(2001, 9, 14), category="Politics"),
    Event("Census", D(2003), category="Economy"),
    Event("Anniversary", D(2005, 10, 1), category="Labour"),
]
TITLES = [e.title for e in EVENTS]


def settle(qtbot, p: PresentationWindow) -> None:
    """Wait for the glide (and the lane measuring after a resize) to be over."""
    qtbot.waitUntil(lambda: not p.view.is_animating(), timeout=3000)
    QApplication.processEvents()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "history.db"
    with EventStore.open(path) as store:
        store.set_meta(title="A short history")
        store.add_category("Politics", "#2e86de")
        store.add_category("Labour", "#c0392b")
        store.add_category("Economy", "#f4e04d")
        with store.atomic():
            for event in EVENTS:
                store.add_event(event)
    return path


@pytest.fixture
def window(qtbot, tmp_path: Path, db: Path) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1100, 700)
    win.show()
    win.set_document(Document(EventStore.open(db, create=False)))
    QApplication.processEvents()
    yield win
    if win.presentation is not None:
        win.presentation.close()


@pytest.fixture
def ids(window: MainWindow) -> dict[str, int]:
    """Event ids by title."""
    assert window.doc is not None
    return {e.title: e.id for e in window.doc.store.events() if e.id is not None}


def present(qtbot, window: MainWindow, **kwargs: object) -> PresentationWindow:
    p = window.start_presentation(windowed=True, **kwargs)  # type: ignore[arg-type]
    assert p is not None
    p.resize(1280, 720)
    qtbot.waitUntil(lambda: p.view.viewbox.width() > 100)
    settle(qtbot, p)
    return p


def key(qtbot, p: PresentationWindow, k: Qt.Key, text: str = "") -> None:
    qtbot.keyClick(p, k) if not text else qtbot.keyClicks(p, text)
    settle(qtbot, p)


def title_of(p: PresentationWindow, ids: dict[str, int]) -> str:
    by_id = {v: k for k, v in ids.items()}
    current = p.current_id()
    assert current is not None
    return by_id[current]


# -- pure functions ----------------------------------------------------------------------


def arrays(events: list[Event]) -> EventArrays:
    return EventArrays.from_events(
        [e.evolve(id=i + 1) for i, e in enumerate(events)], {"Politics": 0}
    )


def test_presentation_order_is_the_shown_selection_when_several() -> None:
    a = arrays(EVENTS)
    assert presentation_order(a, []) is None
    assert presentation_order(a, [3]) is None
    assert presentation_order(a, [7, 3, 99]) == [7, 3]  # 99 is not shown (filtered out)
    assert presentation_order(a, [3, 99]) is None


def test_presented_indices_are_chronological() -> None:
    a = arrays(EVENTS)
    assert presented_indices(a, None) == list(range(10))
    picked = presented_indices(a, [9, 2, 5, 1234])
    assert [int(a.ids[i]) for i in picked] == [2, 5, 9]


def test_start_index_within_a_subset() -> None:
    a = arrays(EVENTS)
    assert start_index(a, None, None) == 0
    assert start_index(a, None, 5) == 4
    assert start_index(a, [9, 2, 5], 5) == 1
    assert start_index(a, [9, 2, 5], 9) == 2
    assert start_index(a, [9, 2, 5], 4) == 0  # not presented
    assert start_index(a, [9, 2, 5], 1234) == 0  # not shown at all


def test_frame_shows_the_event_and_its_neighbours() -> None:
    a = arrays(EVENTS)
    for i in range(1, len(a) - 1):
        x0, x1 = frame_for(a, i)
        assert x0 < a.begin[i] and x1 > a.finish[i]
        # centred on the event
        assert (x0 + x1) / 2 == pytest.approx((a.begin[i] + a.finish[i]) / 2)
    # Election (1995) sits inside the long reform; Crisis (Aug 1998) has the reform's
    # end (Nov 1997) 9 months before and the treaty (Mar 2000) 19 months after:
    # both are in view (19 < 3 × 9).
    crisis = TITLES.index("Crisis")
    x0, x1 = frame_for(a, crisis)
    assert x0 < a.finish[TITLES.index("Long reform")]
    assert x1 > a.begin[TITLES.index("Treaty")]


def test_frame_context_is_capped_and_has_a_minimum() -> None:
    near = Event("Near", D(2000, 1, 2))
    here = Event("Here", D(2000, 1, 12))
    far = Event("Far", D(2030, 1, 1))
    a = arrays([near, here, far])
    x0, x1 = frame_for(a, 1)
    # The far neighbour is not shown: the context is three times the near gap (from
    # the near day's middle to this day's start)
    gap = 9.5 * SECONDS_PER_DAY
    assert a.begin[1] - x0 == pytest.approx(3 * gap)
    assert x1 - a.finish[1] == pytest.approx(3 * gap)
    # …but a day is never shown with less than ten days either side,
    close = arrays([Event("Near", D(2000, 1, 11)), here, far])
    x0, _ = frame_for(close, 1)
    assert close.begin[1] - x0 == pytest.approx(10 * SECONDS_PER_DAY)
    # a lone year with three years, and a long range with a fifth of its length.
    alone = arrays([Event("Alone", D(1900))])
    x0, _ = frame_for(alone, 0)
    assert alone.begin[0] - x0 == pytest.approx(3 * 365.2425 * SECONDS_PER_DAY)
    long = arrays([Event("Long", D(1900, 1, 1), D(1999, 12, 31))])
    x0, x1 = frame_for(long, 0)
    assert long.begin[0] - x0 == pytest.approx(0.2 * (long.finish[0] - long.begin[0]))


def test_frame_helpers_handle_equal_begins() -> None:
    a = arrays([Event("A", D(2000, 1, 1)), Event("B", D(2000, 1, 1)), Event("C", D(2000, 2, 1))])
    x0, x1 = frame_for(a, 0)
    assert np.isfinite([x0, x1]).all() and x0 < a.begin[0] < a.finish[0] < x1


def test_card_text_derived_titles_are_not_repeated() -> None:
    cut = card_text(
        "Putin and Kim Jong Un meet in Vladivostok in the Russian Far East for…",
        "Putin and Kim Jong Un meet in Vladivostok in the Russian Far East for their first summit.",
    )
    assert cut.headline == (
        "Putin and Kim Jong Un meet in Vladivostok in the Russian Far East for their first summit"
    )
    assert cut.body == ""
    first = card_text("Russia invades Ukraine", "Russia invades Ukraine. North Korea backs Moscow.")
    assert first.headline == "Russia invades Ukraine"
    assert "North Korea backs Moscow." in first.body
    assert "invades" not in first.body
    # abbreviations do not end the first sentence
    us = card_text("The U.S. says…", "The U.S. says Russia used missiles. Experts agree.")
    assert us.headline == "The U.S. says Russia used missiles"
    assert "Experts agree." in us.body and "missiles" not in us.body


def test_card_text_headline_given_as_html_shows_its_words() -> None:
    text = card_text("<b>Land</b> reform &amp; <i>debt</i>", "<p>The law passes.</p>")
    assert text.headline == "Land reform & debt"
    assert text.headline_html == "<b>Land</b> reform &amp; <i>debt</i>"
    assert text.body == "<p>The law passes.</p>"
    # a title without type styles, or a headline made from the description, is plain
    assert card_text("Land &amp; debt", "").headline_html == ""
    assert card_text("", "Untitled <i>event</i> happens. More.").headline_html == ""


def test_a_slide_shows_the_title_in_italic_and_nothing_it_names(
    qtbot, window: MainWindow, ids: dict[str, int]
) -> None:
    """A TimelineJS title of a work, ``<i>Hamlet</i>``: italic on the slide, its
    words in the overview, and no image or link ever made from it."""
    assert window.doc is not None
    event = window.doc.store.get_event(ids["Founding"])
    assert event is not None
    window.doc.store.update_event(
        replace(event, title='<i>Hamlet</i> opens<img src="file:/x"><br>at the Globe')
    )
    p = present(qtbot, window)
    assert p.headline.textFormat() == Qt.TextFormat.RichText
    assert p.headline.text() == "<i>Hamlet</i> opens at the Globe"
    doc = QTextDocument()
    doc.setHtml(p.headline.text())
    assert doc.toPlainText() == "Hamlet opens at the Globe"
    key(qtbot, p, Qt.Key.Key_O)  # the overview: one elided plain line
    if p.headline.text():
        assert p.headline.textFormat() == Qt.TextFormat.PlainText
        assert "<" not in p.headline.text()


def test_card_text_keeps_an_own_title_and_the_whole_description() -> None:
    own = card_text("Sputnik 1", "<p>The <b>first</b> satellite.</p><script>x()</script>")
    assert own.headline == "Sputnik 1"
    assert "<b>first</b>" in own.body and "script" not in own.body
    # a title that is a prefix of a word is not a derived title
    assert card_text("Crisis", "Crisises abound.").headline == "Crisis"
    assert card_text("  Spaced   out ", "").body == ""
    assert card_text("Spaced out", "").headline == "Spaced out"
    assert card_text("", "Untitled event happens. More.").headline == "Untitled event happens"


# -- the window ---------------------------------------------------------------------------


def test_steps_with_every_clicker_key(qtbot, window: MainWindow, ids: dict[str, int]) -> None:
    p = present(qtbot, window)
    assert p.count == 10 and p.step == 0
    assert p.progress.text() == "1 / 10"
    for k in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Return):
        before = p.step
        key(qtbot, p, k)
        assert p.step == before + 1, k
    assert p.step == 4 and title_of(p, ids) == "Election"
    assert p.progress.text() == "5 / 10"
    for k in (Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace):
        before = p.step
        key(qtbot, p, k)
        assert p.step == before - 1, k
    key(qtbot, p, Qt.Key.Key_End)
    assert p.step == 9 and p.progress.text() == "10 / 10"
    key(qtbot, p, Qt.Key.Key_Right)  # past the end: stays
    assert p.step == 9
    key(qtbot, p, Qt.Key.Key_Home)
    assert p.step == 0
    key(qtbot, p, Qt.Key.Key_Left)
    assert p.step == 0


def test_each_step_frames_the_event_with_margins(
    qtbot, window: MainWindow, ids: dict[str, int]
) -> None:
    p = present(qtbot, window)
    a = window.data.shown
    for step in range(p.count):
        if step:
            key(qtbot, p, Qt.Key.Key_Right)
        i = a.index_of(ids[TITLES[step]])
        assert i is not None
        x0, x1 = p.view.visible_range()
        begin, finish = float(a.begin[i]), float(a.finish[i])
        margin = 0.05 * (x1 - x0)
        assert x0 + margin < begin and finish < x1 - margin, TITLES[step]
        assert p.view.item.selected() == {ids[TITLES[step]]}
        # the current event's lane is in view, with the frame's other lanes
        lane = p.view.item.lane_of(ids[TITLES[step]])
        _, (y0, y1) = p.view.viewbox.viewRange()
        assert lane is not None and y0 < lane < y1
        lanes_in_view(p)


def test_the_glide_is_eased_and_ends_on_the_frame(qtbot, window: MainWindow) -> None:
    p = present(qtbot, window)
    start = p.view.visible_range()
    p.next()
    assert p.view.is_animating()
    settle(qtbot, p)
    target = p.target_range()
    assert target is not None
    assert p.view.visible_range() == pytest.approx(target)
    assert p.view.visible_range() != pytest.approx(start)


def test_finish_animations_jumps_to_the_frame(qtbot, window: MainWindow) -> None:
    p = present(qtbot, window)
    p.next()
    assert p.view.is_animating()
    with qtbot.waitSignal(p.view.animationFinished, timeout=100):
        p.finish_animations()  # at once, not after the glide
    assert not p.view.is_animating()
    assert p.view.visible_range() == pytest.approx(p.target_range())
    current = p.current_id()
    assert current is not None
    lane = p.view.item.lane_of(current)
    _, (y0, y1) = p.view.viewbox.viewRange()
    assert lane is not None and y0 < lane < y1


def test_the_glide_takes_about_half_a_second(qtbot, window: MainWindow) -> None:
    p = present(qtbot, window)
    p.next()
    assert p.view._animation.duration() == presentation.GLIDE_MS == 500
    assert p.view._animation.easingCurve().type() == QEasingCurve.Type.InOutCubic
    settle(qtbot, p)


def lanes_in_view(p: PresentationWindow) -> None:
    """Every lane of the step's frame is in the band, its first at the top."""
    lanes = p.view.lanes_in(*p.view.visible_range())
    assert lanes is not None
    _, (y0, y1) = p.view.viewbox.viewRange()
    assert y0 <= lanes[0] - 0.5 and lanes[1] + 0.5 <= y1, (lanes, (y0, y1))
    assert lanes[0] - 1 < y0  # no empty lane above


def test_band_scales_with_the_screen(qtbot, window: MainWindow) -> None:
    p = present(qtbot, window)
    view = p.view
    assert view.scale_factor() == pytest.approx(720 / 30 / presentation.BAND_SCALE_BASE_PX)
    small_font = view.item.label_font().pointSizeF()
    p.resize(1920, 1080)
    qtbot.waitUntil(lambda: view.scale_factor() == pytest.approx(1.8))
    settle(qtbot, p)
    assert view.row_height() == pytest.approx(1.8 * ROW_HEIGHT)
    assert view.item.label_font().pointSizeF() == pytest.approx(small_font * 1.5)
    # tall enough for the busiest step's lanes, at this width and scale, and no more
    busiest = max(
        (lanes[1] - lanes[0] + 1)
        for k in range(p.count)
        if (lanes := view.lanes_in(*frame_for(window.data.shown, p._order[k]))) is not None
    )
    assert view.height() == view.height_for_rows(max(busiest, presentation.MIN_BAND_ROWS))
    assert view.height() < 1080 * presentation.BAND_SHARE
    for _ in range(p.count):
        lanes_in_view(p)
        assert not view.scrollbar.isVisible()  # never, even where lanes would scroll
        key(qtbot, p, Qt.Key.Key_Right)
    # the frame is the same at any size: the resize did not move the timeline
    assert view.visible_range() == pytest.approx(p.target_range())


def test_card_shows_date_headline_category_and_description(
    qtbot, window: MainWindow, ids: dict[str, int]
) -> None:
    p = present(qtbot, window)
    assert p.date_label.text() == "March 1990"
    assert p.headline.text() == "Founding"
    assert p.category_label.isVisible() and p.category_label.text() == "Politics"
    assert "The party is founded." in p.description.text()
    assert p.title_label.text() == "A short history"
    key(qtbot, p, Qt.Key.Key_Right)
    assert p.date_label.text() == "2–5 June 1991"
    assert not p.description.isVisible()
    # a title cut from the description: the first sentence is the headline, the rest
    # is all the body says
    key(qtbot, p, Qt.Key.Key_Right)
    assert p.headline.text() == "Strike at the docks of the capital over wages"
    assert "It lasts a month." in p.description.text()
    assert "wages" not in p.description.text()
    assert p.category_label.text() == "Labour"
    key(qtbot, p, Qt.Key.Key_Right)  # no category: no chip
    assert p.headline.text() == "Long reform"
    assert not p.category_label.isVisible()
    assert "<b>reform</b>" in p.description.text()


def test_type_scales_with_the_screen(qtbot, window: MainWindow) -> None:
    p = present(qtbot, window)
    small = p.headline.font().pixelSize()
    p.resize(1920, 1080)
    qtbot.waitUntil(lambda: p.headline.font().pixelSize() > small)
    assert p.headline.font().pixelSize() >= 1.4 * small
    assert p.headline.font().pixelSize() >= 1080 / 20  # reads from the back of a room
    # the card's text fits: nothing is cut off or spills over the timeline
    settle(qtbot, p)
    assert p.card.geometry().bottom() < p.view.geometry().top()


def test_dark_theme_colours_the_slide(qtbot, window: MainWindow) -> None:
    theme = dark_theme()
    window.apply_theme(theme)
    p = present(qtbot, window)
    assert p.view.theme.is_dark
    band = p.view.grab().toImage()
    assert band.pixelColor(3, 3) == theme.timeline_bg  # the band is the canvas, dark
    image = p.grab().toImage()
    assert QColor(image.pixel(3, 3)) == theme.window  # the stage, not a white page
    card = p.card.geometry()
    inside = p.card.mapTo(p, card.topRight() - card.topLeft()) + QPoint(-20, 20)
    assert QColor(image.pixel(inside)) == theme.card_bg


def test_typed_number_then_enter_jumps(qtbot, window: MainWindow) -> None:
    p = present(qtbot, window)
    key(qtbot, p, Qt.Key.Key_1, "1")
    key(qtbot, p, Qt.Key.Key_2, "2")
    assert p.typed == "12" and "12" in p.jump_label.text()
    assert p.step == 0  # digits alone do not move
    key(qtbot, p, Qt.Key.Key_Return)
    assert p.step == 9  # 12 clamps to the last step
    assert p.jump_label.text() == ""
    key(qtbot, p, Qt.Key.Key_3, "3")
    key(qtbot, p, Qt.Key.Key_Enter)
    assert p.step == 2
    # Backspace edits the number, Esc drops it without leaving
    key(qtbot, p, Qt.Key.Key_5, "57")
    key(qtbot, p, Qt.Key.Key_Backspace)
    assert p.typed == "5" and p.step == 2
    key(qtbot, p, Qt.Key.Key_Escape)
    assert p.typed == "" and p.isVisible()
    assert p.step == 2


def test_overview_shows_everything_and_back(qtbot, window: MainWindow, ids: dict[str, int]) -> None:
    p = present(qtbot, window)
    key(qtbot, p, Qt.Key.Key_End)
    key(qtbot, p, Qt.Key.Key_Left)
    framed = p.view.visible_range()
    key(qtbot, p, Qt.Key.Key_O)
    assert p.in_overview
    a = window.data.shown
    x0, x1 = p.view.visible_range()
    assert x0 < a.begin.min() and x1 > a.finish.max()
    assert p.view.item.selected() == {ids["Census"]}  # the current event is marked
    assert not p.description.isVisible()  # the card is reduced
    assert p.headline.text().startswith("Census")
    # every lane, from the first, in a taller band
    assert p.view.lanes_in(x0, x1) == (0, p.view.item.lane_count - 1)
    _, (y0, y1) = p.view.viewbox.viewRange()
    assert y0 <= -0.5 and p.view.item.lane_count - 0.5 <= y1
    assert not p.view.scrollbar.isVisible()
    key(qtbot, p, Qt.Key.Key_O)
    assert not p.in_overview and p.step == 8
    assert p.view.visible_range() == pytest.approx(framed)
    lanes_in_view(p)


def test_b_blanks_and_any_key_brings_it_back(qtbot, window: MainWindow) -> None:
    p = present(qtbot, window)
    key(qtbot, p, Qt.Key.Key_B)
    assert p.is_blank and p.blank_page.isVisible()
    key(qtbot, p, Qt.Key.Key_Right)  # wakes the screen, does not advance
    assert not p.is_blank and p.step == 0
    key(qtbot, p, Qt.Key.Key_B)
    key(qtbot, p, Qt.Key.Key_B)
    assert not p.is_blank and p.card.isVisible()


def test_the_idle_cursor_hides_and_comes_back(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presentation, "CURSOR_IDLE_MS", 300)
    p = present(qtbot, window)
    assert not p.cursor_hidden
    qtbot.waitUntil(lambda: p.cursor_hidden, timeout=3000)
    assert p.view.cursor().shape() == Qt.CursorShape.BlankCursor
    # (sent, not simulated: offscreen windows overlap, and the main window is on top)
    viewport = p.view.plot.viewport()
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(60, 50),
        viewport.mapToGlobal(QPointF(60, 50)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, move)
    assert not p.cursor_hidden
    qtbot.waitUntil(lambda: p.cursor_hidden, timeout=3000)


def test_esc_leaves_and_restores_the_window(qtbot, window: MainWindow, ids: dict[str, int]) -> None:
    window.state.set_selection([ids["Crisis"]], ids["Crisis"])
    window.view.set_visible_range(
        *map(float, (window.data.shown.begin[0], window.data.shown.finish[-1]))
    )
    QApplication.processEvents()
    saved_range = window.view.visible_range()
    p = present(qtbot, window)
    assert title_of(p, ids) == "Crisis"  # starts at the selected event
    key(qtbot, p, Qt.Key.Key_Right)
    key(qtbot, p, Qt.Key.Key_Right)
    # the main window follows along (a presenter view on the other screen)
    assert window.state.selection == [ids["Summit"]]
    with qtbot.waitSignal(p.finished, timeout=1000):
        qtbot.keyClick(p, Qt.Key.Key_Escape)
    assert window.presentation is None
    assert window.state.selection == [ids["Crisis"]]
    assert window.state.current == ids["Crisis"]
    assert window.view.visible_range() == pytest.approx(saved_range)


def test_events_deleted_while_presenting_are_not_selected_again(
    qtbot, window: MainWindow, ids: dict[str, int]
) -> None:
    window.state.set_selection([ids["Crisis"], ids["Treaty"]], ids["Treaty"])
    p = present(qtbot, window)
    assert window.state.selection == [ids["Treaty"]]  # following the presentation
    window.editing.delete_selected()  # on the presenter's own screen
    with qtbot.waitSignal(p.finished, timeout=1000):
        qtbot.keyClick(p, Qt.Key.Key_Escape)
    assert window.state.selection == [ids["Crisis"]]
    assert window.state.current == ids["Crisis"]
    assert window.detail.current_event().title == "Crisis"


def test_opening_another_file_ends_the_presentation(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    p = present(qtbot, window)
    other = tmp_path / "other.db"
    with EventStore.open(other) as store, store.atomic():
        for event in EVENTS[:2]:
            store.add_event(event)
    with qtbot.waitSignal(p.finished, timeout=1000):
        assert window.open_path(other)
    assert window.presentation is None
    assert not p.isVisible()
    assert window.count_label.text() == "2 events"


def test_closing_the_window_ends_the_presentation(qtbot, window: MainWindow) -> None:
    p = present(qtbot, window)
    with qtbot.waitSignal(p.finished, timeout=1000):
        window.close()  # its store closes: the presentation must not outlive it
    assert window.presentation is None
    assert window.doc is None


def test_several_selected_events_are_presented_alone(
    qtbot, window: MainWindow, ids: dict[str, int]
) -> None:
    chosen = [ids["Census"], ids["Founding"], ids["Crisis"]]
    window.state.set_selection(chosen, ids["Crisis"])
    p = present(qtbot, window)
    assert p.count == 3
    assert title_of(p, ids) == "Crisis" and p.progress.text() == "2 / 3"
    seen = []
    key(qtbot, p, Qt.Key.Key_Home)
    for _ in range(p.count):
        seen.append(title_of(p, ids))
        key(qtbot, p, Qt.Key.Key_Right)
    assert seen == ["Founding", "Crisis", "Census"]  # chronological
    # the other (shown) events are still drawn as context
    assert len(p.view.arrays()) == 10


def test_filters_decide_what_is_presented(qtbot, window: MainWindow) -> None:
    from viewer.model.filters import Filters

    window.state.set_filters(Filters(text="reform"))
    QApplication.processEvents()
    p = present(qtbot, window)
    assert p.count == 1 and p.headline.text() == "Long reform"


def test_f5_starts_a_full_screen_presentation(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    p = window.presentation
    assert p is not None
    qtbot.waitUntil(lambda: p.isVisible())
    assert p.isFullScreen()
    assert p.screen() is window.presentation_screen()
    with qtbot.waitSignal(p.finished, timeout=1000):
        qtbot.keyClick(p, Qt.Key.Key_Escape)
    assert window.presentation is None


def test_present_action_is_in_the_view_menu(window: MainWindow) -> None:
    assert window.act_present in window.view_menu.actions()
    assert window.act_present.shortcut().toString() == "F5"


def test_nothing_to_present(qtbot, window: MainWindow) -> None:
    from viewer.model.filters import Filters

    window.state.set_filters(Filters(text="no such thing"))
    QApplication.processEvents()
    assert window.start_presentation(windowed=True) is None
    assert "Nothing to present" in window.statusBar().currentMessage()


def run_viewer(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m viewer`` (its own process: a snapshot installs a theme app-wide)."""
    env = dict(env if env is not None else os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_snapshot_renders_a_step(tmp_path: Path, db: Path) -> None:
    out = tmp_path / "step2.png"
    result = run_viewer(
        "snapshot", str(db), "--present", "2", "--out", str(out), "--size", "960x540"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (960, 540)
    # a slide, not a blank page: plenty of distinct colours
    sample = {image.pixel(x, y) for x in range(0, 960, 8) for y in range(0, 540, 8)}
    assert len(sample) > 8


# -- two screens ------------------------------------------------------------------------

_TWO_SCREENS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QSettings, QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    problems = []

    def handler(kind, context, message):
        if kind != QtMsgType.QtDebugMsg and "This plugin does not support" not in message:
            problems.append(message)

    qInstallMessageHandler(handler)
    from viewer.store import EventStore
    from viewer.ui.app import make_app
    from viewer.ui.document import Document
    from viewer.ui.main_window import MainWindow

    app = make_app()
    laptop, projector = app.screens()
    settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
    win = MainWindow(settings)
    win.setGeometry(100, 100, 1100, 700)
    win.show()
    win.set_document(Document(EventStore.open(sys.argv[1], create=False)))
    app.processEvents()
    assert win.screen() is laptop, win.screen().name()
    assert win.presentation_screen() is projector
    p = win.start_presentation()
    for _ in range(5):
        app.processEvents()
    assert p.isFullScreen()
    assert p.screen() is projector, p.screen().name()
    assert p.geometry() == projector.geometry(), p.geometry()
    assert win.screen() is laptop and not win.isFullScreen()
    # Present On ▸ a chosen screen
    p.close()
    p = win.start_presentation(screen=laptop)
    for _ in range(5):
        app.processEvents()
    assert p.screen() is laptop and p.isFullScreen()
    p.close()
    app.processEvents()
    assert win.presentation is None
    win.close()
    assert not problems, problems
    print("ok")
    """
)


def _screen(name: str, x: int, width: int, height: int) -> dict[str, object]:
    return {
        "name": name, "x": x, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1,
    }  # fmt: skip


def test_two_screens_present_on_the_other_one(tmp_path: Path, db: Path) -> None:
    # The offscreen platform can pretend to have two screens (a laptop, a projector).
    config = tmp_path / "screens.json"
    screens = [_screen("Laptop", 0, 1440, 900), _screen("Projector", 1440, 1920, 1080)]
    config.write_text(json.dumps({"screens": screens}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    script = tmp_path / "two_screens.py"
    script.write_text(_TWO_SCREENS)
    result = subprocess.run(
        [sys.executable, str(script), str(db), str(tmp_path / "s.ini")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
