"""Images through the real widgets: the event dialog's editor, a drop onto an event,
the detail panel's thumbnail and viewer, and undo of each change."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QMimeData, QPointF, QSize, Qt, QUrl, qInstallMessageHandler
from PySide6.QtGui import QDropEvent, QImage
from window_events import TITLES, event_pixel, make_store, open_window

from tests.image_bytes import png_bytes, svg_bytes
from viewer.model.images import Image
from viewer.store import EventStore
from viewer.ui.event_dialog import EventDialog
from viewer.ui.image_widgets import ImagesEditor, ImageStrip, ImageViewer
from viewer.ui.images import clean_svg, decode_image, placeholder


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {
        "red.png": png_bytes(120, 80, (220, 20, 20)),
        "green.png": png_bytes(60, 90, (20, 200, 20)),
        "logo.svg": svg_bytes(),
        "notes.txt": b"not an image",
    }
    for name, data in out.items():
        (tmp_path / name).write_bytes(data)
    return {name: tmp_path / name for name in out}


def stored_images(db: Path, title: str) -> list[tuple[str, str]]:
    with EventStore.open(db, readonly=True) as store:
        event = next(e for e in store.events() if e.title == title)
        return [(i.name, i.caption) for i in event.images]


def test_the_dialog_adds_reorders_captions_and_removes_images_each_undoable(
    qtbot, tmp_path: Path, files: dict[str, Path]
) -> None:
    db = make_store(tmp_path / "t.db")
    window = open_window(qtbot, tmp_path, db)
    title = TITLES[0]
    arrays = window.view.arrays()
    event_id = int(arrays.ids[list(arrays.titles).index(title)])
    window.state.set_selection([event_id], event_id)
    dialog = window.editing.edit_event(event_id)
    assert isinstance(dialog, EventDialog)
    editor = dialog.images_editor
    assert editor.list_widget.count() == 0 and not editor.remove_button.isEnabled()
    editor.choose_files = lambda: [str(files["red.png"]), str(files["notes.txt"])]
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.list_widget.count() == 1
    assert "notes.txt is not a PNG, JPEG, WebP, GIF or SVG image" in editor.status_label.text()
    editor.add_files([str(files["green.png"]), str(files["logo.svg"])])
    assert [i.name for i in editor.images()] == ["red.png", "green.png", "logo.svg"]
    assert all(i.thumbnail for i in editor.images())  # made for the file as they are added
    # the last one is chosen: move it to the front, caption it
    qtbot.mouseClick(editor.left_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.left_button, Qt.MouseButton.LeftButton)
    assert not editor.left_button.isEnabled()
    qtbot.keyClicks(editor.caption_edit, "The logo")
    qtbot.keyClicks(editor.credit_edit, "© Us")
    editor.list_widget.setCurrentRow(2)  # green: remove it
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert stored_images(db, title) == [("logo.svg", "The logo"), ("red.png", "")]
    # the detail panel shows the first stored image
    strip = window.detail.image_strip
    assert strip.isVisible() and strip.picture.pixmap() is not None
    assert "The logo — © Us" in strip.caption.text() and "2 images" in strip.caption.text()
    window.editing.undo_action.trigger()
    assert stored_images(db, title) == []
    assert not window.detail.image_strip.isVisible()
    window.editing.redo_action.trigger()
    assert stored_images(db, title) == [("logo.svg", "The logo"), ("red.png", "")]
    window.close()


def test_images_dropped_onto_an_event_on_the_timeline_are_added_as_one_step(
    qtbot, tmp_path: Path, files: dict[str, Path]
) -> None:
    db = make_store(tmp_path / "t.db")
    window = open_window(qtbot, tmp_path, db)
    view = window.view
    arrays = view.arrays()
    event_id = int(arrays.ids[list(arrays.titles).index(TITLES[1])])
    pixel = event_pixel(window, event_id)
    point = view.plot.mapTo(view, pixel)
    assert view.event_at(point) == event_id
    mime = QMimeData()
    mime.setUrls(
        [QUrl.fromLocalFile(str(files["red.png"])), QUrl.fromLocalFile(str(files["green.png"]))]
    )
    at = QPointF(view.mapTo(window, point))
    drop = QDropEvent(
        at,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    with EventStore.open(db, readonly=True) as store:
        event = store.get_event(event_id)
        assert event is not None and [i.name for i in event.images] == ["red.png", "green.png"]
    assert window.editing.undo_action.text().replace("&", "").startswith("Undo Add 2 images to")
    window.editing.undo_action.trigger()
    with EventStore.open(db, readonly=True) as store:
        assert store.images_of(event_id) == ()
    window.close()


def test_the_viewer_steps_through_the_images_and_marks_links(qtbot) -> None:
    images = (
        Image(png_bytes(300, 200, (10, 10, 200)), caption="Blue", credit="Me"),
        Image(url="https://example.org/far.jpg", caption="Far"),
    )
    strip = ImageStrip()
    qtbot.addWidget(strip)
    strip.resize(300, 300)
    strip.set_images(images)
    viewer = strip.open_viewer()
    assert isinstance(viewer, ImageViewer)
    assert viewer.position_label.text() == "1 of 2" and viewer.caption.text() == "Blue — Me"
    picture = viewer.picture.pixmap().toImage()
    assert QColorAt(picture) == (10, 10, 200)
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.index == 1 and viewer.position_label.text() == "2 of 2"
    assert "not stored" in viewer.accessibleDescription()
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)


def QColorAt(image: QImage) -> tuple[int, int, int]:
    c = image.pixelColor(image.width() // 2, image.height() // 2)
    return c.red(), c.green(), c.blue()


def test_a_hostile_svg_is_cleaned_of_scripts_and_outside_references() -> None:
    evil = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        b' onload="alert(1)"><script>alert(2)</script>'
        b'<image xlink:href="file:///etc/passwd" width="9" height="9"/>'
        b'<image xlink:href="https://example.org/x.png" width="9" height="9"/>'
        b'<rect width="9" height="9" style="fill:url(https://example.org/p)"/>'
        b"<foreignObject><div>x</div></foreignObject></svg>"
    )
    cleaned = clean_svg(evil)
    assert cleaned is not None
    for gone in (b"script", b"onload", b"passwd", b"example.org", b"foreignObject"):
        assert gone not in cleaned
    assert clean_svg(b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>') is None
    assert decode_image(evil, QSize(50, 50)) is not None  # what is left still draws


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(
        [png_bytes(), svg_bytes(), b"\xff\xd8\xff\xe0", b"RIFF\0\0\0\0WEBPVP8 ", b"GIF89a"]
    ),
    st.binary(max_size=300),
    st.integers(0, 200),
)
def test_broken_or_hostile_image_bytes_show_a_placeholder_and_never_raise(
    qapp, head: bytes, tail: bytes, cut: int
) -> None:
    data = head[:cut] + tail if cut < len(head) else head + tail
    # (Qt's decoders say what is wrong with a broken file: expected here, not a failure)
    previous = qInstallMessageHandler(lambda *_args: None)
    try:
        _show_bytes(data)
    finally:
        qInstallMessageHandler(previous)


def _show_bytes(data: bytes) -> None:
    picture = decode_image(data, QSize(64, 64))
    assert picture is None or not picture.isNull()
    strip = ImageStrip()
    try:
        image = Image(data) if data else None
    except ValueError:
        image = None
    if image is not None:
        strip.set_images((image,))
        assert strip.picture.pixmap() is not None
        editor = ImagesEditor((image,))
        assert editor.list_widget.count() == 1
        editor.deleteLater()
    strip.deleteLater()
    assert not placeholder(QSize(40, 30)).isNull()
