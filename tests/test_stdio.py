"""The command line's convention: a file named "-" is standard input or output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from viewer.model.dates import PartialDate
from viewer.model.event import Event, Timeline
from viewer.store import EventStore

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO / "data" / "russia-north-korea-timeline.txt"


def cli(*args: str, stdin: bytes = b"", cwd: Path = REPO) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args], input=stdin, capture_output=True, cwd=cwd,
        timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    with EventStore.open(path) as store:
        store.import_timeline(Timeline(title="T", events=[Event("One", PartialDate(2000))]))
    return path


def test_import_reads_standard_input(tmp_path: Path) -> None:
    out = tmp_path / "in.db"
    done = cli("import", "-", "--db", str(out), stdin=NEWS.read_bytes())
    assert done.returncode == 0, done.stderr
    with EventStore.open(out, readonly=True) as store:
        assert store.count() == 14
    bad = cli("import", "-", "--db", str(tmp_path / "bad.db"), stdin=b"no dates here\n")
    assert bad.returncode == 1
    assert bad.stderr.decode().startswith("error: standard input:")
    assert not (tmp_path / "bad.db").exists()


def test_outputs_go_to_standard_output(tmp_path: Path, db: Path) -> None:
    exported = cli("export", str(db), "--format", "csv", "--out", "-", cwd=tmp_path)
    assert exported.returncode == 0 and exported.stdout.startswith(b"Year,")
    svg = cli("render", str(db), "--out", "-", "--format", "svg", cwd=tmp_path)
    assert svg.returncode == 0 and b"<svg" in svg.stdout[:400]
    png = cli("render", str(db), "--out", "-", cwd=tmp_path)
    assert png.returncode == 0 and png.stdout.startswith(b"\x89PNG")
    shot = cli("snapshot", str(db), "--out", "-", "--size", "800x500", cwd=tmp_path)
    assert shot.returncode == 0 and shot.stdout.startswith(b"\x89PNG")
    assert b"wrote standard output" in shot.stderr
    assert not (tmp_path / "-").exists()  # never a file named "-"
    wrong = cli("render", str(db), "--out", "x.png", "--format", "pdf", cwd=tmp_path)
    assert wrong.returncode == 2 or wrong.returncode == 1
    assert b"not a PDF file name" in wrong.stderr
