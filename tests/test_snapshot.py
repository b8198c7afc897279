"""``timeline-viewer snapshot``: the real main window rendered to a PNG, offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from viewer.cli import main
from viewer.io.formats import read_file
from viewer.model.dates import PartialDate
from viewer.model.event import Category, Event, Timeline
from viewer.paths import data_dir, sample_path
from viewer.store import EventStore
from viewer.ui.main_window import MainWindow


def d(*parts: int) -> PartialDate:
    return PartialDate(*parts)


EVENTS = [
    Event("Treaty signed", d(1990, 3, 15), category="Politics", tags=("diplomacy",)),
    Event("Election", d(1992, 11), category="Politics"),
    Event("Moon base", d(1995), category="Science"),
    Event("Olympics", d(1996, 7, 19), d(1996, 8, 4), category="Sport", tags=("games",)),
    Event("Genome draft", d(2000, 6, 26), category="Science"),
    Event("World Cup", d(2002, 5, 31), d(2002, 6, 30), category="Sport", tags=("games",)),
    Event("Crisis", d(2007), d(2009), category="Politics"),
    Event("Cup final", d(2022, 12, 18), category="Sport"),
]


@pytest.fixture(autouse=True)
def restore_app(app_as_it_was):
    """The snapshot installs a theme on the application: take it off again afterwards."""
    return app_as_it_was


@pytest.fixture
def grabbed(monkeypatch) -> list[dict]:
    """What the window showed at the moment it was grabbed for the picture."""
    seen: list[dict] = []
    original = MainWindow.grab

    def grab(self, *args):
        current = self.state.current
        seen.append(
            {
                "path": self.doc.path if self.doc else None,
                "titles": list(self.data.shown.titles),
                "drawn": list(self.view.arrays().titles),
                "current": current,
                "index": self.data.shown.index_of(current) if current is not None else None,
                "headline": self.detail.headline_label.text(),
                "count": self.count_label.text(),
                "size": self.size(),
                "readonly": self.doc.readonly if self.doc else None,
            }
        )
        return original(self, *args)

    monkeypatch.setattr(MainWindow, "grab", grab)
    return seen


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "events.db"
    with EventStore.open(path) as store:
        store.import_timeline(
            Timeline(
                title="Snapshot test",
                events=EVENTS,
                categories=[
                    Category("Politics", "#4e79a7"),
                    Category("Science", "#59a14f"),
                    Category("Sport", "#e15759"),
                ],
            )
        )
    return path


def png_size(path: Path) -> QSize:
    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not a readable PNG"
    return image.size()


def distinct_colours(path: Path) -> int:
    image = QImage(str(path))
    step = 7
    return len(
        {
            image.pixel(x, y)
            for y in range(0, image.height(), step)
            for x in range(0, image.width(), step)
        }
    )


def test_snapshot_of_the_sample_selects_the_second_event(tmp_path, grabbed, capsys) -> None:
    out = tmp_path / "window.png"
    data_before = sorted(p.name for p in data_dir().iterdir())
    assert main(["snapshot", "--out", str(out), "--size", "1280x800", "--select", "2"]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    assert png_size(out) == QSize(1280, 800)
    assert distinct_colours(out) > 20  # a real window, not a blank image
    expected = read_file(sample_path())
    [shot] = grabbed
    assert shot["path"] == ":memory:"  # the sample is imported into memory only
    assert shot["size"] == QSize(1280, 800)
    assert len(shot["titles"]) == len(expected.events) == len(shot["drawn"])
    assert shot["index"] == 1
    assert shot["headline"] == shot["titles"][1]
    assert sorted(p.name for p in data_dir().iterdir()) == data_before


def test_snapshot_with_a_query_shows_the_filtered_events(tmp_path, db, grabbed) -> None:
    content = db.read_bytes()
    out = tmp_path / "cup.png"
    argv = ["snapshot", str(db), "--out", str(out), "--size", "1280x800", "--query", "cup"]
    assert main(argv) == 0
    assert png_size(out) == QSize(1280, 800)
    [shot] = grabbed
    # the file is read once into memory: shown as the person sees it (no read-only
    # banner), and nothing can be written to it
    assert shot["path"] == ":memory:"
    assert shot["readonly"] is False
    assert shot["titles"] == shot["drawn"] == ["World Cup", "Cup final"]
    assert shot["count"] == "2 of 8 events"
    assert shot["current"] is None and shot["headline"] == ""
    assert db.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cup.png", "events.db"]


def test_snapshot_selects_among_the_filtered_events(tmp_path, db, grabbed) -> None:
    out = tmp_path / "pick.png"
    argv = ["snapshot", str(db), "--out", str(out), "--size", "1024x700"]
    assert main([*argv, "--query", "cup", "--select", "2"]) == 0
    assert png_size(out) == QSize(1024, 700)
    [shot] = grabbed
    assert shot["headline"] == "Cup final"
    assert shot["index"] == 1


def test_selecting_changes_the_picture(tmp_path, db) -> None:
    plain, selected = tmp_path / "plain.png", tmp_path / "selected.png"
    assert main(["snapshot", str(db), "--out", str(plain), "--size", "1280x800"]) == 0
    argv = ["snapshot", str(db), "--out", str(selected), "--size", "1280x800", "--select", "3"]
    assert main(argv) == 0
    assert QImage(str(plain)) != QImage(str(selected))


def test_snapshot_of_a_missing_file_fails_without_a_picture(tmp_path, capsys) -> None:
    out = tmp_path / "none.png"
    assert main(["snapshot", str(tmp_path / "missing.db"), "--out", str(out)]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not out.exists()
    assert not (tmp_path / "missing.db").exists()


def test_snapshot_rejects_a_bad_size(tmp_path, capsys) -> None:
    out = tmp_path / "none.png"
    assert main(["snapshot", "--out", str(out), "--size", "1280by800"]) == 2
    assert capsys.readouterr().err.startswith("error:")
    assert not out.exists()
