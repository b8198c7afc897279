"""A deck that travels: the presentation as a PDF, a title slide and a slide per event
(render --slides, File > Export Slides...)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from window_events import EVENTS, make_store, open_window

from viewer.cli import main
from viewer.io.formats import read_file
from viewer.paths import sample_path
from viewer.store import EventStore

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

HAVE_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdfinfo") is not None


def pages_of(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def media_box(pdf: bytes) -> tuple[float, float]:
    m = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert m is not None
    return float(m.group(1)), float(m.group(2))


def page_text(path: Path, page: int) -> str:
    return subprocess.check_output(
        ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"], text=True
    )


@pytest.fixture(autouse=True)
def restore_app(app_as_it_was):
    """A deck from the command line installs a theme on the application (as a snapshot
    does): take it off again afterwards."""
    return app_as_it_was


@pytest.fixture
def seed_db(tmp_path: Path) -> Path:
    path = tmp_path / "seed.db"
    with EventStore.open(path) as store:
        store.import_timeline(read_file(sample_path()))
    return path


def test_the_seed_as_a_deck_is_a_title_slide_and_one_per_event(
    seed_db: Path, tmp_path: Path, qapp
) -> None:
    out = tmp_path / "deck.pdf"
    assert main(["render", str(seed_db), "--slides", "--out", str(out)]) == 0
    pdf = out.read_bytes()
    assert pages_of(pdf) == 15  # the title and the 14 events
    assert media_box(pdf) == (1440.0, 810.0)  # 1920x1080 px at 96 per inch
    if HAVE_POPPLER:
        info = subprocess.check_output(["pdfinfo", str(out)], text=True)
        assert re.search(r"Pages:\s+15\b", info)
        title = page_text(out, 1)
        assert "Key events in relations" in title and "14 events" in title
        first = page_text(out, 2)
        assert "July 2000" in first and "1 / 14" in first
        assert "14 / 14" in page_text(out, 15)


def test_slides_take_a_size_the_filters_and_a_theme(seed_db: Path, tmp_path: Path, qapp) -> None:
    out = tmp_path / "four-three.pdf"
    args = ["render", str(seed_db), "--slides", "--out", str(out), "--size", "1600x1200"]
    assert main([*args, "--from", "2019", "--to", "2020", "--theme", "dark"]) == 0
    pdf = out.read_bytes()
    assert media_box(pdf) == (1200.0, 900.0)
    with EventStore.open(seed_db, readonly=True) as store:
        years = [e.start.year for e in store.events()]
    assert pages_of(pdf) == 1 + sum(2019 <= y <= 2020 for y in years)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "x.png"], "slides are written as a PDF"),
        (["--out", "x.pdf", "--paged"], "makes its own pages"),
        (["--out", "x.pdf", "--from", "1800", "--to", "1801"], "nothing to present"),
    ],
)
def test_slide_errors_are_one_line(seed_db, tmp_path, capsys, extra, message, qapp) -> None:
    extra = [str(tmp_path / a) if a.startswith("x.") else a for a in extra]
    assert main(["render", str(seed_db), "--slides", *extra]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err
    assert not list(tmp_path.glob("x.*"))


def test_export_slides_from_the_window_presents_the_selection(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    window = open_window(qtbot, tmp_path, make_store(tmp_path / "t.db"))
    out = tmp_path / "chosen.pdf"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(tmp_path / "chosen"), "PDF slides, 4:3 (*.pdf)"),
    )
    window.presenting.act_export_slides.trigger()
    assert window.statusBar().currentMessage() == f"Wrote {1 + len(EVENTS)} slides to chosen.pdf"
    pdf = out.read_bytes()
    assert pages_of(pdf) == 1 + len(EVENTS)
    assert media_box(pdf) == (1200.0, 900.0)
    # with several events selected, those are presented, and so put in the deck
    window.state.set_selection([int(i) for i in window.data.shown.ids[:3]], None)
    assert window.presenting.export_slides(str(tmp_path / "three.pdf")) == 4
    window.close()
