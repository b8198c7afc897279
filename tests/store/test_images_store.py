"""Images in the store: kept with their event through edits, deletes, imports and undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.image_bytes import png_bytes, svg_bytes
from viewer.model.dates import PartialDate
from viewer.model.event import Event, Timeline
from viewer.model.images import MAX_IMAGE_BYTES, Image, ImageError, sniff_type
from viewer.store import EventStore

RED = Image(png_bytes(rgb=(200, 0, 0)), caption="Red", credit="Me", name="red.png")
GREEN = Image(png_bytes(rgb=(0, 200, 0)), caption="Green", name="green.png")
LOGO = Image(svg_bytes(), name="logo.svg")
LINK = Image(url="https://example.org/a.jpg", caption="Far away", credit="Agency")


def image_rows(store: EventStore) -> list[tuple[int, int, int, str]]:
    return store._conn.execute(
        "SELECT id, event_id, position, caption FROM images ORDER BY event_id, position"
    ).fetchall()


def test_an_events_images_come_back_in_order_with_every_field(tmp_path: Path) -> None:
    with EventStore.open(tmp_path / "t.db") as store:
        event_id = store.add_event(Event("Visit", PartialDate(2000), images=(RED, LINK, LOGO)))
        event = store.get_event(event_id)
        assert event is not None
        assert event.images == (RED, LINK, LOGO)
        assert [i.stored for i in event.images] == [True, False, True]
        assert all(i.id is not None for i in event.images)
        assert event.images[1].url == "https://example.org/a.jpg" and not event.images[1].data
        assert store.image_count() == (3, RED.size + LOGO.size)
        assert store.image_data(event.images[0].id or 0) == RED.data
        # (a link has no bytes; an image index names stored images only)
        assert store.image_index() == {event_id: event.images[0].id}


def test_reordering_and_captions_keep_the_rows_and_their_bytes(tmp_path: Path) -> None:
    with EventStore.open(tmp_path / "t.db") as store:
        event_id = store.add_event(Event("Visit", PartialDate(2000), images=(RED, GREEN)))
        before = image_rows(store)
        event = store.get_event(event_id)
        assert event is not None
        red, green = event.images
        store.update_event(event.evolve(images=(green, red.evolve(caption="Crimson"))))
        after = image_rows(store)
        assert {r[0] for r in after} == {r[0] for r in before}  # no row made again
        assert [r[3] for r in after] == ["Green", "Crimson"]
        got = store.get_event(event_id)
        assert got is not None and [i.caption for i in got.images] == ["Green", "Crimson"]
        # a move keeps them all, writing no image
        store.update_event(got.evolve(start=PartialDate(2001)))
        assert image_rows(store) == after
        # removing one, and all
        store.update_event(got.evolve(images=(got.images[1],)))
        assert [r[3] for r in image_rows(store)] == ["Crimson"]
        store.update_event(got.evolve(images=()))
        assert image_rows(store) == []


def test_a_deleted_event_takes_its_images_and_gives_them_back(tmp_path: Path) -> None:
    with EventStore.open(tmp_path / "t.db") as store:
        event_id = store.add_event(Event("Visit", PartialDate(2000), images=(RED, LINK)))
        removed = store.delete_events([event_id])
        assert image_rows(store) == []
        assert removed[0].images == (RED, LINK)
        store.add_event(removed[0])  # what undo does
        again = store.get_event(event_id)
        assert again is not None and again.images == (RED, LINK)


def test_an_import_adds_images_and_its_undo_and_redo_take_and_give_them(tmp_path: Path) -> None:
    with EventStore.open(tmp_path / "t.db") as store:
        timeline = Timeline(
            events=[
                Event("A", PartialDate(2000)),
                Event("B", PartialDate(2001), images=(GREEN, RED)),
                Event("C", PartialDate(2002), images=(LINK,)),
            ]
        )
        result = store.import_timeline(timeline)
        by_title = {e.title: e for e in store.events()}
        assert by_title["B"].images == (GREEN, RED) and by_title["C"].images == (LINK,)
        assert by_title["A"].images == ()
        undone = store.undo_import(result)
        assert store.count() == 0 and image_rows(store) == []
        store.redo_import(undone, {})
        assert [e.images for e in store.events()] == [(), (GREEN, RED), (LINK,)]
        assert store.export_timeline().events[1].images == (GREEN, RED)


def test_an_older_file_read_only_has_no_images_and_opened_for_writing_gets_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    with EventStore.open(path) as store:
        store.add_event(Event("Old", PartialDate(1990)))
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TABLE images")
        conn.execute("PRAGMA user_version = 4")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = path.read_bytes()
    with EventStore.open(path, readonly=True) as store:
        assert not store.has_images
        assert store.events()[0].images == () and store.image_index() == {}
        assert store.image_count() == (0, 0)
    assert path.read_bytes() == before
    with EventStore.open(path) as store:
        assert store.has_images
        event_id = store.add_event(Event("New", PartialDate(2000), images=(RED,)))
        assert store.images_of(event_id) == (RED,)


def test_image_bytes_are_checked_by_what_they_are() -> None:
    assert sniff_type(png_bytes()) == "image/png"
    assert sniff_type(svg_bytes()) == "image/svg+xml"
    assert sniff_type(b"\xff\xd8\xff\xe0" + bytes(20)) == "image/jpeg"
    assert sniff_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff_type(b"GIF89a...") == "image/gif"
    assert sniff_type(b"<html><svg>") is None
    with pytest.raises(ImageError, match="not a PNG, JPEG, WebP, GIF or SVG"):
        Image(b"%PDF-1.4", name="doc.pdf")
    with pytest.raises(ImageError, match="at most 20 MB"):
        Image(b"\x89PNG\r\n\x1a\n" + bytes(MAX_IMAGE_BYTES))
    with pytest.raises(ImageError, match="bytes or a URL"):
        Image()
    assert RED.file_name() == "red.png"
    assert Image(png_bytes(), name="../../etc/pass wd.jpeg").file_name(3) == "pass-wd.png"
    assert Image(png_bytes()).file_name(3) == "image-3.png"


@given(st.binary(max_size=64))
def test_any_bytes_make_an_image_or_an_image_error(data: bytes) -> None:
    try:
        image = Image(data, name="x")
    except ImageError:
        return
    assert image.media_type and image.digest
