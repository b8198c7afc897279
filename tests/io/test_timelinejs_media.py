"""TimelineJS media as event images: local files stored on import, written on export."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.image_bytes import png_bytes, svg_bytes
from viewer.cli import main
from viewer.io.formats import export_to, read_import
from viewer.io.media import MediaFolder, local_path
from viewer.model.dates import PartialDate
from viewer.model.event import Event, Timeline
from viewer.model.images import Image
from viewer.store import EventStore

DATA = Path(__file__).parent.parent / "data" / "timelinejs_media"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The sample copied beside its media, its file: URL naming the copy of blue.png."""
    folder = tmp_path / "in"
    shutil.copytree(DATA, folder)
    path = folder / "media.json"
    blue = (folder / "media" / "blue.png").as_uri()
    path.write_text(path.read_text(encoding="utf-8").replace("FILEURL", blue), encoding="utf-8")
    return path


def test_local_media_are_stored_and_remote_ones_are_links(sample: Path) -> None:
    timeline, reading = read_import(sample)
    relative, file_url, missing, remote, not_image = timeline.events
    red = (sample.parent / "media" / "red.png").read_bytes()
    assert relative.images == (
        Image(
            data=red,
            url="media/red.png",
            caption="Red",
            credit="Me",
            name="red.png",
            extra={"alt": "a red square", "title": "Red title"},
        ),
    )
    assert "media" not in relative.extra
    blue = (sample.parent / "media" / "blue.png").read_bytes()
    assert file_url.images[0].data == blue and file_url.images[0].url.startswith("file:///")
    assert missing.images == (Image(url="media/gone.png", caption="Gone"),)
    assert remote.images == (
        Image(
            url="https://www.youtube.com/watch?v=abc",
            credit="YouTube",
            extra={"thumbnail": "https://example.org/t.jpg"},
        ),
    )
    assert not not_image.images[0].stored  # a text file named .png: kept as a link
    assert "2 media files not found beside the file (or not images); kept as links" in str(reading)


def test_no_note_when_every_media_file_is_found(tmp_path: Path) -> None:
    (tmp_path / "a.svg").write_bytes(svg_bytes())
    doc = {"events": [{"start_date": {"year": 1}, "media": {"url": "a.svg"}}]}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    timeline, reading = read_import(path)
    assert timeline.events[0].images[0].media_type == "image/svg+xml"
    assert "not found" not in str(reading)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("https://example.org/a.png", False),
        ("http://example.org/a.png", False),
        ("//example.org/a.png", False),
        ("https://www.youtube.com/embed/x", False),
        ("data:image/png;base64,AAAA", False),
        ("file://server/share/a.png", False),
        ("media/a.png", True),
        ("/abs/a.png", True),
        ("file:///abs/a%20b.png", True),
    ],
)
def test_what_counts_as_a_local_file(url: str, local: bool) -> None:
    path = local_path(url, Path("/base"))
    assert (path is not None) is local
    if url == "file:///abs/a%20b.png":
        assert path == Path("/abs/a b.png")


def _export(timeline: Timeline, out: Path) -> int:
    with out.open("wb") as f:
        return export_to(timeline, timeline.events, "timelinejs", f, out)


def test_export_writes_stored_images_into_media_beside_the_file(
    sample: Path, tmp_path: Path
) -> None:
    timeline, _ = read_import(sample)
    out = tmp_path / "out" / "export.json"
    out.parent.mkdir()
    assert _export(timeline, out) == 0
    slides = json.loads(out.read_text(encoding="utf-8"))["events"]
    assert slides[0]["media"] == {
        "url": "media/red.png",
        "caption": "Red",
        "credit": "Me",
        "alt": "a red square",
        "title": "Red title",
    }
    assert slides[1]["media"] == {"url": "media/blue.png", "caption": "Blue"}
    assert slides[2]["media"] == {"url": "media/gone.png", "caption": "Gone"}  # a link
    assert slides[3]["media"]["url"] == "https://www.youtube.com/watch?v=abc"
    assert sorted(p.name for p in (out.parent / "media").iterdir()) == ["blue.png", "red.png"]
    back, _ = read_import(out)
    assert [e.images[0].data for e in back.events[:2]] == [
        e.images[0].data for e in timeline.events[:2]
    ]


def test_same_names_are_made_unique_and_stdout_leaves_stored_images_out(tmp_path: Path) -> None:
    images = [Image(data=png_bytes(rgb=(i, 0, 0)), name="photo.png") for i in range(3)]
    events = [Event(f"e{i}", PartialDate(2000 + i), images=(im,)) for i, im in enumerate(images)]
    timeline = Timeline(events=events)
    out = tmp_path / "t.json"
    _export(timeline, out)
    urls = [s["media"]["url"] for s in json.loads(out.read_text(encoding="utf-8"))["events"]]
    assert urls == ["media/photo.png", "media/photo-2.png", "media/photo-3.png"]
    back, _ = read_import(out)
    assert [e.images[0].data for e in back.events] == [im.data for im in images]
    media = MediaFolder(None)
    assert media.url_for(images[0]) is None and media.left_out == 1


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@st.composite
def images(draw: st.DrawFn) -> Image:
    caption, credit = draw(text), draw(text)
    extra = draw(st.fixed_dictionaries({}, optional={"alt": text, "link": text}))
    if draw(st.booleans()):
        name = draw(st.sampled_from(["a.png", "b.png", "c.svg"]))
        data = svg_bytes() if name.endswith(".svg") else png_bytes(rgb=(len(caption), 9, 9))
        return Image(
            data=data, url=f"media/{name}", caption=caption, credit=credit, name=name, extra=extra
        )
    url = draw(st.sampled_from(["https://example.org/x.jpg", "https://youtu.be/abc"]))
    return Image(url=url, caption=caption, credit=credit, extra=extra)


@settings(max_examples=40, deadline=None)
@given(st.lists(images(), max_size=4))
def test_export_then_import_gives_the_same_images(drawn: list[Image]) -> None:
    names = [i.name for i in drawn if i.stored]
    if len(names) != len(set(names)):  # the same name twice is renamed: not the same
        return
    events = [Event(f"e{n}", PartialDate(1990 + n), images=(im,)) for n, im in enumerate(drawn)]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "t.json"
        _export(Timeline(events=events), out)
        back, reading = read_import(out)
    assert [e.images for e in back.events] == [e.images for e in events]
    assert "not found" not in str(reading)


def test_cli_export_writes_the_media_folder(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "t.db"
    assert main(["import", str(sample), "--db", str(db)]) == 0
    out, _ = capsys.readouterr()
    assert "2 media files not found beside the file (or not images); kept as links" in out
    with EventStore.open(db) as store:
        assert sum(1 for e in store.iter_events() for i in e.images if i.stored) == 2
    target = tmp_path / "out" / "again.json"
    target.parent.mkdir()
    assert main(["export", str(db), "--format", "timelinejs", "--out", str(target)]) == 0
    assert (target.parent / "media" / "red.png").read_bytes() == (
        sample.parent / "media" / "red.png"
    ).read_bytes()
    assert main(["export", str(db), "--format", "timelinejs", "--out", "-"]) == 0
    printed, err = capsys.readouterr()
    assert "warning: 2 stored images left out" in err
    assert "media/red.png" not in printed
