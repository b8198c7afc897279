"""Exports: a cell a spreadsheet would run as a formula is defused (and read back as
written), the app's own CSV with a huge description imports again, an export over a
file keeps that file's permissions, and the file is on the disk before it has its
name."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewer.cli import main
from viewer.io import files
from viewer.io.sheet_csv import read_sheet_csv, write_sheet_csv
from viewer.model.dates import PartialDate
from viewer.model.event import Event, Timeline
from viewer.store import EventStore

FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTab", "\rReturn", "'=quoted", "''=twice"]


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("headline", FORMULAS)
def test_a_formula_in_a_text_cell_is_defused_and_read_back(headline: str) -> None:
    timeline = Timeline(
        title="T", events=[Event(headline, PartialDate(-44), description='=HYPERLINK("x")')]
    )
    text = write_sheet_csv(timeline)
    header, *rows = cells(text)
    row = next(r for r in rows if r[header.index("Type")] != "title")
    assert row[header.index("Headline")] == "'" + headline
    assert row[header.index("Text")].startswith("'=")
    assert row[header.index("Year")].startswith("-")  # numbers stay numbers (a BCE year)
    back = read_sheet_csv(text)
    assert [e.title for e in back.events] == [headline]
    assert back.events[0].description == '=HYPERLINK("x")'


@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_any_headline_round_trips_through_the_sheet(text: str) -> None:
    title = " ".join(text.split()) or "x"
    if title.startswith(("\t", "\r")):
        return
    timeline = Timeline(title="T", events=[Event(title, PartialDate(2000))])
    assert read_sheet_csv(write_sheet_csv(timeline)).events[0].title == title


def test_the_apps_own_csv_with_a_huge_description_imports_again(tmp_path: Path) -> None:
    db, out, again = tmp_path / "a.db", tmp_path / "a.csv", tmp_path / "b.db"
    big = "word " * 30_000  # 150,000 characters: more than csv's default field limit
    with EventStore.open(db) as store:
        store.import_timeline(
            Timeline(title="T", events=[Event("Big", PartialDate(2000), description=big)])
        )
    assert main(["export", str(db), "--format", "csv", "--out", str(out)]) == 0
    assert main(["import", str(out), "--db", str(again)]) == 0
    with EventStore.open(again, readonly=True) as store:
        assert store.events()[0].description.strip() == big.strip()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_export_over_a_private_file_keeps_it_private(tmp_path: Path) -> None:
    db, out = tmp_path / "a.db", tmp_path / "private.json"
    with EventStore.open(db) as store:
        store.import_timeline(Timeline(title="T", events=[Event("One", PartialDate(2000))]))
    out.write_text("old", encoding="utf-8")
    out.chmod(0o600)
    assert main(["export", str(db), "--format", "timelinejs", "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "One" in out.read_text(encoding="utf-8")


def test_an_export_is_synced_before_it_takes_its_name(tmp_path: Path, monkeypatch) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self") else "?")
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", fsync)
    out = tmp_path / "out.txt"
    files.write_atomically(out, b"payload")
    assert out.read_bytes() == b"payload"
    assert len(synced) == 2  # the file, then its folder (the rename)
    if synced[0] != "?":
        assert synced[0].endswith(".part") and synced[1] == str(tmp_path)
